/**
 * Runs the committed dist/index.js exactly as the GitHub runner does: a fresh `node` process with
 * INPUT_* variables (the defaults of action.yml included), a GITHUB_OUTPUT file and a GITHUB_STEP_SUMMARY
 * file, talking HTTPS to the emulator. Every run, whatever the test, must leave Node nothing to warn about.
 */
import { expect } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { ACTION, nodeBinary, nodeWarnings, prepareRun } from '../../scripts/runner.js'

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

export async function runAction(o: RunOptions): Promise<RunResult> {
  const run = prepareRun(o.inputs, o.env)
  // Jest runs with NODE_NO_WARNINGS=1: the action must not inherit it, or its warnings would be hidden.
  expect(run.env.NODE_NO_WARNINGS).toBeUndefined()
  expect(run.env.NODE_OPTIONS ?? '').not.toMatch(/no-warnings/)
  const started = Date.now()
  const child = spawn(nodeBinary(), [ACTION], {
    env: run.env,
    cwd: run.dir,
    stdio: ['ignore', 'pipe', 'pipe']
  })
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
    ...run.results(),
    errors: stdout.split('\n').filter(l => l.startsWith('::error')),
    lines: stdout.split('\n').filter(l => l && !l.startsWith('::')),
    ms: Date.now() - started
  }
  run.cleanup()
  // A leak or a deprecation Node reports on stderr, e.g. MaxListenersExceededWarning.
  expect(nodeWarnings(stderr)).toEqual([])
  return result
}

export { secretInputs } from '../../scripts/runner.js'
