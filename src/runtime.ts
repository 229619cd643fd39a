import * as core from '@actions/core'
import { createHttp, type Http } from './transport/http.js'
import { sleep } from './transport/retry.js'
import { coreLogger, type Logger } from './logger.js'
import { logLine } from './text.js'

/** What the action is run in: the runner's, or a test's. Used by index.ts and main.ts only. */

/** The outside world, injected so that the wiring can be tested without a runner. */
export interface Runtime {
  getInput: (name: string) => string
  env: NodeJS.ProcessEnv
  log: Logger
  mask: (secret: string) => void
  setOutput: (name: string, value: string) => void
  /** The one failure annotation of the step. */
  fail: (message: string, title: string) => void
  writeSummary: (markdown: string) => Promise<void>
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Calls `onSignal` when the runner cancels the step (SIGINT, then SIGTERM). */
  onCancel: (onSignal: () => void) => void
  createHttp: (requestTimeoutMs: number) => Http
}

/** A bug, not a user's mistake: what happened in one line; the stack only with debug logging. */
export function failUnexpectedly(error: unknown): void {
  core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
  core.setFailed(
    `ams-job-wait failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`
  )
}

/** The event loop emptied while run() still waited: a request that never settled, which is a bug. */
export function failUnsettled(): void {
  core.setFailed('ams-job-wait stopped with a request that never settled; this is a bug, please report it')
}

/** The runner: @actions/core for the log, outputs, annotation and summary; real timers and signals. */
export function githubRuntime(): Runtime {
  return {
    getInput: name => core.getInput(name),
    env: process.env,
    log: coreLogger,
    mask: secret => core.setSecret(secret),
    setOutput: (name, value) => core.setOutput(name, value),
    fail: (message, title) => {
      core.error(logLine(message), { title })
      process.exitCode = 1
    },
    writeSummary: async markdown => {
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await core.summary.addRaw(markdown).write()
    },
    now: () => Date.now(),
    sleep,
    // The entry (index.ts) gives the handlers it installed before anything loaded; these serve run() called
    // without a runtime, as npm run local-action does.
    onCancel: handler => {
      process.on('SIGINT', handler)
      process.on('SIGTERM', handler)
    },
    createHttp: requestTimeoutMs =>
      createHttp({ requestTimeoutMs, userAgent: 'ams-job-wait/1 (+GitHub Action)' })
  }
}
