// @ts-check
/**
 * The pure part of `npm run local-action -- --step workflow.yml#<step id>`: find the step, fill the expressions
 * of its `with:` block, and give the action its inputs as the GitHub runner does (every input with a `default:`
 * in action.yml set, the runner's INPUT_<NAME> names, its warning for an input action.yml does not declare).
 * No file or process access here: scripts/local-action.js reads the files and starts the action.
 */
import { parse } from 'yaml'
import { inputVariable } from './runner.js'

/**
 * @typedef {{ id?: string, name?: string, uses?: string, run?: string, with?: Record<string, unknown> | null,
 *   env?: Record<string, unknown> | null }} Step
 * @typedef {{ env?: Record<string, unknown> | null, steps?: Step[] | null }} Job
 * @typedef {{ env?: Record<string, unknown> | null, jobs?: Record<string, Job | null> | null }} Workflow
 * @typedef {{ step: Step, job: string, workflow: Workflow }} FoundStep
 */

/**
 * YAML as a workflow's values reach an action: every scalar as the text it is written as (`2.19`, `true`, `010`
 * stay strings), which is what YAML's failsafe schema gives.
 * @param {string} text
 * @returns {unknown}
 */
export function parseYamlText(text) {
  return parse(text, { schema: 'failsafe' })
}

/**
 * Splits `path/to/workflow.yml#wait` into the file and the step.
 * @param {string} ref
 */
export function splitStepRef(ref) {
  const at = ref.lastIndexOf('#')
  if (at <= 0 || at === ref.length - 1)
    throw new Error(`--step wants FILE#STEP, e.g. .github/workflows/ci.yml#wait; got '${ref}'`)
  return { file: ref.slice(0, at), step: ref.slice(at + 1) }
}

/**
 * The steps of every job, each with its job's id.
 * @param {Workflow} workflow
 */
function allSteps(workflow) {
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, spec]) =>
    (spec?.steps ?? []).map(step => ({ step, job }))
  )
}

/**
 * The step a `--step` names: by its `id:`, by `<job id>.<step id>` when two jobs have that id, or by its
 * `name:` when one step has it. Otherwise an error of one line listing the step ids there are.
 * @param {unknown} workflow the parsed file
 * @param {string} wanted
 * @param {string} file for the messages
 * @returns {FoundStep}
 */
export function findStep(workflow, wanted, file) {
  if (!workflow || typeof workflow !== 'object' || !('jobs' in workflow))
    throw new Error(`${file} is not a workflow: it has no jobs:`)
  const wf = /** @type {Workflow} */ (workflow)
  const steps = allSteps(wf)
  const byId = steps.filter(s => s.step?.id === wanted || `${s.job}.${s.step?.id}` === wanted)
  const byName = steps.filter(s => s.step?.name === wanted)
  const ids = steps.filter(s => s.step?.id).map(s => s.step.id)
  const found = byId.length > 0 ? byId : byName
  if (found.length === 1) return { ...found[0], workflow: wf }
  if (found.length > 1) {
    const where = found.map(s => (s.step.id ? `${s.job}.${s.step.id}` : `${s.job} (no id)`)).join(', ')
    throw new Error(
      `${found.length} steps in ${file} match '${wanted}' (${where}): name one by <job>.<step id>`
    )
  }
  const list = ids.length > 0 ? `the step ids there are: ${ids.join(', ')}` : 'no step there has an id:'
  throw new Error(`no step '${wanted}' in ${file}; ${list}`)
}

/** `${{ … }}` in a value, with what is inside. */
const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g
/** The contexts filled locally, and a name as the runner allows it. */
const FILLED = /^(secrets|vars|env)\.([A-Za-z_][A-Za-z0-9_]*)$/

/**
 * Fills `${{ secrets.NAME }}`, `${{ vars.NAME }}` and `${{ env.NAME }}` in a value; any other expression is an
 * error naming it and what to do, as is a name that `lookup` does not know.
 * @param {string} value
 * @param {string} where e.g. `with: client-secret`, for the messages
 * @param {(context: 'secrets' | 'vars' | 'env', name: string) => string | undefined} lookup
 */
export function fillExpressions(value, where, lookup) {
  return value.replace(EXPRESSION, (whole, inner) => {
    const m = FILLED.exec(inner)
    if (!m)
      throw new Error(
        `${where}: ${whole} cannot be worked out locally (only secrets.NAME, vars.NAME and env.NAME are); ` +
          `write the value there, or \${{ env.NAME }} and set NAME in the environment or the .env`
      )
    const context = /** @type {'secrets' | 'vars' | 'env'} */ (m[1])
    const found = lookup(context, m[2])
    if (found === undefined)
      throw new Error(`${where}: ${whole} is not set; set ${m[2]} in the environment or the .env`)
    return found
  })
}

/**
 * What `${{ env.NAME }}` reads: the step's, then the job's, then the workflow's `env:` (as on the runner, their
 * own secrets and vars filled), then `outside` (the environment, then the .env). Secrets and vars: `outside`
 * by their name, then upper case (GitHub stores their names in upper case).
 * @param {FoundStep | undefined} found
 * @param {(name: string) => string | undefined} outside
 * @returns {(context: 'secrets' | 'vars' | 'env', name: string) => string | undefined}
 */
export function contextLookup(found, outside) {
  const layers = found ? [found.step.env, found.workflow.jobs?.[found.job]?.env, found.workflow.env] : []
  const plain = /** @type {(context: 'secrets' | 'vars' | 'env', name: string) => string | undefined} */ (
    (context, name) => (context === 'env' ? outside(name) : (outside(name) ?? outside(name.toUpperCase())))
  )
  return (context, name) => {
    if (context !== 'env') return plain(context, name)
    for (const layer of layers) {
      const raw = layer?.[name]
      if (raw !== undefined && raw !== null)
        return fillExpressions(scalar(raw, `env: ${name}`), `env: ${name}`, (c, n) =>
          c === 'env' ? undefined : plain(c, n)
        )
    }
    return outside(name)
  }
}

/**
 * The step's `with:` as the runner passes it: each value a string (an empty one for `key:` with nothing),
 * expressions filled.
 * @param {Record<string, unknown> | null | undefined} given
 * @param {(context: 'secrets' | 'vars' | 'env', name: string) => string | undefined} lookup
 * @returns {Record<string, string>}
 */
export function withValues(given, lookup) {
  /** @type {Record<string, string>} */
  const out = {}
  for (const [key, value] of Object.entries(given ?? {}))
    out[key] = fillExpressions(scalar(value, `with: ${key}`), `with: ${key}`, lookup)
  return out
}

/**
 * A value of the workflow as text: failsafe YAML gives strings, and null for `key:` with nothing after it.
 * @param {unknown} value
 * @param {string} where
 */
function scalar(value, where) {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  throw new Error(`${where} is a ${Array.isArray(value) ? 'list' : 'mapping'}; a value here is one string`)
}

/**
 * The runner's warning for `with:` keys action.yml does not declare (actions/runner, ActionRunner.cs), compared
 * without regard to case as the runner does; undefined when there are none.
 * @param {string[]} given the step's `with:` keys
 * @param {string[]} valid action.yml's input names, in its order
 */
export function unexpectedInputsWarning(given, valid) {
  const known = new Set(valid.map(v => v.toLowerCase()))
  const unexpected = given.filter(g => !known.has(g.toLowerCase()))
  if (unexpected.length === 0) return undefined
  return `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${valid.join("', '")}']`
}

/** The inputs that name the jobs (README: exactly one of them is given). */
const JOB_INPUTS = ['job-id', 'job-url']

/**
 * The INPUT_* variables the action gets: action.yml's defaults, over them the .env's INPUT_* values (for inputs
 * the step does not set), over those the step's own `with:`.
 * @param {Record<string, string>} defaults action.yml's inputs that have a default
 * @param {Record<string, string>} envFileInputs the .env's INPUT_* variables, by variable name
 * @param {Record<string, string>} given the step's inputs
 * @returns {Record<string, string>}
 */
export function inputVariables(defaults, envFileInputs, given) {
  /** @type {Record<string, string>} */
  const out = {}
  for (const [name, value] of Object.entries(defaults)) out[inputVariable(name)] = value
  // A step that names its jobs names all of them: the .env's jobs (perhaps of the other kind) are not added.
  const ownJobs = JOB_INPUTS.some(name => given[name] !== undefined)
  for (const [variable, value] of Object.entries(envFileInputs)) {
    if (ownJobs && JOB_INPUTS.some(name => inputVariable(name) === variable.toUpperCase())) continue
    out[variable.toUpperCase()] = value
  }
  for (const [name, value] of Object.entries(given)) out[inputVariable(name)] = value
  return out
}

/**
 * One `NAME=value` line for the file @github/local-action loads with dotenv (inputs cannot go through the
 * environment: the shell it starts drops variables whose names have a hyphen, like INPUT_JOB-ID). The value
 * is quoted with a quote it does not hold: single quotes and backticks keep everything as is, line breaks too.
 * @param {string} name
 * @param {string} value
 */
export function dotenvLine(name, value) {
  for (const quote of ["'", '`']) if (!value.includes(quote)) return `${name}=${quote}${value}${quote}`
  if (!value.includes('"') && !/\\[nr]|[\r\n]/.test(value)) return `${name}="${value}"`
  throw new Error(`${name}: a value with ', \` and " in it cannot be passed to @github/local-action`)
}
