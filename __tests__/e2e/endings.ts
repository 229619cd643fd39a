/**
 * What every ending of the step must leave behind, whatever the network did: the outputs, the step
 * summary, exactly one annotation when it failed, an exit code the runner reads (0 or 1, never Node's 13,
 * never a signal), and no secret in the log.
 */
import { expect } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import type { RunResult } from './harness.js'
import { OUTPUT_NAMES } from '../../src/report/outputs.js'

export function expectWrittenEnding(run: RunResult, code: 0 | 1, secrets: readonly string[]): void {
  expect(run.signal).toBeNull()
  expect(run.code).toBe(code)
  expect(run.stderr).not.toMatch(/unsettled top-level await/i)
  expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
  expect(run.summary.trim()).not.toBe('')
  expect(run.errors).toHaveLength(code === 1 ? 1 : 0)
  // The last thing written is a whole line: nothing was cut off at the exit.
  expect(run.stdout.endsWith('\n')).toBe(true)
  const shown = run.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
  for (const secret of secrets) {
    expect(shown).not.toContain(secret)
    expect(run.stderr).not.toContain(secret)
  }
}

/**
 * Sends `signal` once `ready()` holds (checked every 20 ms from the first line of output), e.g. once a
 * request the emulator will never answer has arrived. `sentAt()` says when, 0 if never.
 */
export function signalWhen(
  ready: () => boolean,
  signal: NodeJS.Signals
): { onOutput: (text: string, child: ChildProcess) => void; sentAt: () => number } {
  let sentAt = 0
  let timer: NodeJS.Timeout | undefined
  return {
    sentAt: () => sentAt,
    onOutput: (_text, child) => {
      timer ??= setInterval(() => {
        if (sentAt || child.exitCode !== null) return clearInterval(timer)
        if (!ready()) return
        sentAt = Date.now()
        child.kill(signal)
        clearInterval(timer)
      }, 20)
    }
  }
}
