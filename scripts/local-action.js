// @ts-check
/**
 * npm run local-action: run the action's source (src/main.ts) with @github/local-action, as the runner would.
 *
 *   npm run local-action                               the .env that `npm run emulator` wrote (or: -- file.env)
 *   npm run local-action -- --step wf.yml#wait         that step's with:, ${{ secrets|vars|env.NAME }} filled from
 *                                                      the environment or the .env (--env FILE, default .env)
 *   npm run local-action -- --with inputs.yml          a YAML mapping of inputs (on its own, or over --step's)
 *
 * The step summary and the outputs go to files in --out (default .local-action/), written fresh each run and
 * printed at the end. NODE_EXTRA_CA_CERTS is read when Node starts, too early for a .env: it is set here.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs, parseEnv } from 'node:util'
import { parse } from 'yaml'
import { ACTION_YML, CA_FILE, ROOT, actionDefaults, parseOutputFile } from './runner.js'
import {
  contextLookup,
  dotenvLine,
  findStep,
  inputVariables,
  parseYamlText,
  splitStepRef,
  unexpectedInputsWarning,
  withValues
} from './step-inputs.js'

const USAGE = `Usage: npm run local-action -- [file.env] [--step FILE#STEP] [--with inputs.yml] [--env FILE] [--out DIR]`

/** A mistake of the caller's: one line, no stack. */
class UsageError extends Error {}

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      step: { type: 'string' },
      with: { type: 'string' },
      env: { type: 'string' },
      out: { type: 'string', default: '.local-action' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.env))
    throw new UsageError(`one .env at most. ${USAGE}`)
  return {
    ...values,
    envFile: values.env ?? positionals[0] ?? '.env',
    envGiven: Boolean(values.env ?? positionals[0])
  }
}

/**
 * @param {string} file
 * @param {string} what
 */
function readYaml(file, what) {
  if (!existsSync(file)) throw new UsageError(`no ${what} ${file}`)
  return parseYamlText(readFileSync(file, 'utf8'))
}

/**
 * The step's inputs (and the --with file's over them), filled, with the runner's warning for unknown keys.
 * @param {{ step?: string, with?: string }} o
 * @param {(name: string) => string | undefined} outside
 */
function givenInputs(o, outside) {
  let found
  if (o.step) {
    const ref = splitStepRef(o.step)
    found = findStep(readYaml(ref.file, 'workflow file'), ref.step, ref.file)
    if (found.step.run !== undefined) throw new UsageError(`step '${ref.step}' runs a script, not an action`)
  }
  const lookup = contextLookup(found, outside)
  const fromStep = found ? withValues(found.step.with, lookup) : {}
  const file = o.with ? readYaml(o.with, 'inputs file') : {}
  if (file === null || typeof file !== 'object' || Array.isArray(file))
    throw new UsageError(`${o.with} is not a YAML mapping of inputs (name: value)`)
  const given = { ...fromStep, ...withValues(/** @type {Record<string, unknown>} */ (file), lookup) }
  /** @type {{ inputs?: Record<string, unknown> }} */
  const action = parse(readFileSync(ACTION_YML, 'utf8'))
  return {
    given,
    found,
    warning: unexpectedInputsWarning(Object.keys(given), Object.keys(action.inputs ?? {}))
  }
}

/**
 * The environment of a step run: ours without INPUT_* (the runner passes only the step's), the .env's other
 * values where ours has none, and the files; and the inputs' variables.
 * @param {ReturnType<typeof options>} o
 * @param {Record<string, string>} files
 */
function stepEnvironment(o, files) {
  if (o.envGiven && !existsSync(o.envFile)) throw new UsageError(`no ${o.envFile}`)
  /** @type {Record<string, string | undefined>} */
  const fromFile = existsSync(o.envFile) ? parseEnv(readFileSync(o.envFile, 'utf8')) : {}
  const outside = (/** @type {string} */ name) => process.env[name] ?? fromFile[name]
  const { given, found, warning } = givenInputs(o, outside)
  /** @type {Record<string, string>} */
  const fileInputs = {}
  /** @type {Record<string, string | undefined>} */
  const env = {}
  for (const [k, v] of Object.entries(fromFile)) (k.startsWith('INPUT_') ? fileInputs : env)[k] = v
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('INPUT_')) env[k] = v
  Object.assign(env, files)
  const inputs = inputVariables(actionDefaults(), fileInputs, given)
  const what = found
    ? `step '${found.step.id ?? found.step.name}' of job ${found.job}`
    : `inputs of ${o.with}`
  process.stdout.write(`Running ${what}: ${Object.keys(given).join(', ') || 'no inputs'} given.\n`)
  if (warning) process.stdout.write(`::warning::${warning}\n`)
  return { env, inputs }
}

/**
 * Prints where the summary is and what the outputs are.
 * @param {{ summary: string, output: string }} files
 */
function report(files) {
  const outputs = parseOutputFile(readFileSync(files.output, 'utf8'))
  process.stdout.write(`\nStep summary: ${files.summary}\nOutputs (${files.output}):\n`)
  for (const [name, value] of Object.entries(outputs)) {
    const shown = value.length > 300 ? `${value.slice(0, 300)}… (${value.length} characters)` : value
    process.stdout.write(`  ${name}=${shown}\n`)
  }
}

function main() {
  const o = options()
  const out = resolve(o.out)
  mkdirSync(out, { recursive: true })
  const files = { summary: join(out, 'summary.md'), output: join(out, 'output') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const paths = {
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    NODE_EXTRA_CA_CERTS: CA_FILE
  }
  let envFile = o.envFile
  let env
  if (o.step || o.with) {
    const step = stepEnvironment(o, paths)
    env = step.env
    // The inputs go in the file local-action loads (the shell it starts would drop INPUT_JOB-ID from the
    // environment): readable by us only, removed after the run.
    envFile = join(out, 'step.env')
    const lines = Object.entries(step.inputs).map(([name, value]) => dotenvLine(name, value))
    rmSync(envFile, { force: true })
    writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 })
  } else {
    if (!existsSync(envFile))
      throw new UsageError(`No ${envFile}: start the emulator first (npm run emulator), in another terminal.`)
    env = { ...process.env, ...paths }
  }
  const bin = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js')
  const entry = join('scripts', 'local-action-entry.js')
  const child = spawn(process.execPath, [bin, 'run', ROOT, entry, envFile], { stdio: 'inherit', env })
  child.on('close', code => {
    if (envFile !== o.envFile) rmSync(envFile, { force: true })
    report(files)
    process.exit(code ?? 1)
  })
}

try {
  main()
} catch (error) {
  if (!(error instanceof Error)) throw error
  process.stderr.write(`local-action: ${error.message}\n`)
  process.exit(2)
}
