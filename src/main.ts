import * as core from '@actions/core'
import { AbortedError, errorMessage, UserError } from './errors.js'
import { createHttp, type Http } from './transport/http.js'
import { type JobSettings, readSettings, type Settings, type WaitSettings } from './settings/inputs.js'
import type { JobSource, SourceDeps } from './jobs/source.js'
import { createV2Source } from './jobs/v2/source.js'
import { createV3Source } from './jobs/v3/source.js'
import { githubIdToken } from './auth/github-oidc.js'
import { coreLogger, type Logger } from './logger.js'
import { inputErrorMarkdown, summaryMarkdown } from './report/summary.js'
import { mapLimit } from './transport/pool.js'
import { logLine, someOf } from './text.js'
import { sleep } from './transport/retry.js'
import { formatDuration } from './time.js'
import { waitForJobs, type WaitResult } from './wait/waiter.js'
import type { CallOptions } from './transport/call.js'
import type { AuthDeps, TokenSource } from './auth/token-source.js'
import { createTokenSource } from './auth/index.js'
import { isFinal, type OutputAsset } from './jobs/model.js'
import { ChangeLog } from './report/log.js'
import type { JobsOrigin } from './report/naming.js'
import { noJobOutputs, outputs, unfinishedOutputsWarning } from './report/outputs.js'
import { verdict } from './report/verdict.js'

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

/** One stuck request must not eat the wait: a quarter of it at most, between 5 and 30 seconds. */
export function requestTimeout(timeoutMs: number): number {
  return Math.min(30_000, Math.max(5_000, Math.floor(timeoutMs / 4)))
}
/** The runner sends SIGTERM 7.5 s after SIGINT: canceling the jobs must fit before it. */
export const CANCEL_JOBS_WITHIN_MS = 5_000
const CONCURRENT_CANCELS = 4
/** Reading what the finished jobs made is a nicety after the verdict: it gets this long, all reads together. */
export const OUTPUT_ASSETS_WITHIN_MS = 10_000
const CONCURRENT_ASSET_READS = 4
/**
 * The waiter's last poll starts at the timeout, so that a job that ended in the final interval is seen:
 * it and any request still running get this long, and then everything stops.
 */
export const LAST_POLL_MS = 5_000

export async function run(rt: Runtime = githubRuntime()): Promise<void> {
  const settings = await readOrReport(rt)
  if (!settings) return
  settings.warnings.forEach(w => rt.log.warning(w))

  const http = rt.createHttp(requestTimeout(settings.wait.timeoutMs))
  const tokens = createTokenSource(settings.auth, authDeps(http, rt))
  const stop = stopSignal(settings.wait.timeoutMs, rt)
  const source = createJobSource(settings.jobs, {
    http,
    tokens,
    log: rt.log,
    now: rt.now,
    sleep: rt.sleep,
    endBy: stop.endBy
  })

  rt.log.info(intro(settings, tokens, source))
  let result: WaitResult
  try {
    result = withNotFoundText(source, await wait(settings, source, stop.signal, rt))
    result = await withOutputAssets(source, result, stop, rt)
  } finally {
    stop.clear()
  }

  try {
    if ((result.outcome === 'canceled' || result.outcome === 'timeout') && settings.cancelOnAbort) {
      await cancelJobs(source, result, rt)
    }
  } finally {
    http.dispose()
  }
  await publish(result, settings, source, rt)
}

/** The settings, or undefined when an input is wrong: then the step has already ended, outputs and all. */
async function readOrReport(rt: Runtime): Promise<Settings | undefined> {
  try {
    return await readSettings(rt.getInput, { mask: rt.mask, env: rt.env })
  } catch (error) {
    // Every ending is written, this one too: outputs (no job was looked at) and a summary that says why.
    const message = errorMessage(error)
    for (const [name, value] of Object.entries(noJobOutputs())) rt.setOutput(name, value)
    await writeSummary(rt, inputErrorMarkdown(message))
    rt.fail(message, 'Invalid input')
    return undefined
  }
}

function authDeps(http: Http, rt: Runtime): AuthDeps {
  return {
    http,
    log: rt.log,
    mask: rt.mask,
    getIDToken: (audience, limits) => githubIdToken(http, rt.env, audience, limits),
    now: rt.now,
    sleep: rt.sleep
  }
}

/** One signal for every request of the wait (Jobs, Tasks and sign-in): the runner's cancel, or the hard stop. */
function stopSignal(
  timeoutMs: number,
  rt: Runtime
): { signal: AbortSignal; endBy: number; clear: () => void } {
  const abort = new AbortController()
  rt.onCancel(() => {
    if (!abort.signal.aborted) rt.log.info('Cancel requested by the runner: stopping the wait.')
    abort.abort('canceled')
  })
  // The waiter keeps the deadline itself (its last poll may start at it); this is the hard stop behind it.
  const endBy = rt.now() + timeoutMs + LAST_POLL_MS
  const timer = setTimeout(() => abort.abort('timeout'), timeoutMs + LAST_POLL_MS)
  return { signal: abort.signal, endBy, clear: () => clearTimeout(timer) }
}

function wait(settings: Settings, source: JobSource, signal: AbortSignal, rt: Runtime): Promise<WaitResult> {
  const changes = new ChangeLog()
  return waitForJobs({
    ids: settings.jobs.ids,
    getJobs: source.getJobs,
    readTasks: source.readTasks,
    cost: source.cost,
    ...settings.wait,
    now: rt.now,
    sleep: rt.sleep,
    signal,
    onPoll: (views, elapsed) => changes.lines(views, elapsed, rt.now()).forEach(l => rt.log.info(l))
  })
}

/** The jobs the service did not return, with what it said of them (v3's 404 body), where it said something. */
function withNotFoundText(source: JobSource, result: WaitResult): WaitResult {
  const said = source.notFoundText
  if (!said) return result
  return { ...result, views: result.views.map(v => (v.job ? v : { ...v, notFoundText: said(v.id) })) }
}

/**
 * The wait's result with the output assets of each job that ended Finished, where the source reads them
 * (v2; v3 job bodies name them). Retried while busy, all within OUTPUT_ASSETS_WITHIN_MS, the wait's
 * hard stop and the runner's cancel. A read that fails is a warning: the jobs finished all the same.
 */
async function withOutputAssets(
  source: JobSource,
  result: WaitResult,
  stop: { signal: AbortSignal; endBy: number },
  rt: Runtime
): Promise<WaitResult> {
  const read = source.readOutputAssets
  const finished = result.views.filter(v => v.job?.state === 'Finished' && !v.job.outputAssets)
  if (!read || finished.length === 0 || stop.signal.aborted) return result
  const budget = new AbortController()
  const onStop = (): void => budget.abort(stop.signal.reason)
  stop.signal.addEventListener('abort', onStop, { once: true })
  const timer = setTimeout(() => budget.abort('timeout'), OUTPUT_ASSETS_WITHIN_MS)
  const end = Math.min(stop.endBy, rt.now() + OUTPUT_ASSETS_WITHIN_MS)
  // A busy service is asked again within the budget, no sooner than its Retry-After.
  const call: CallOptions = { deadline: end, endBy: end, signal: budget.signal }
  const assets = new Map<string, OutputAsset[]>()
  const failures: string[] = []
  try {
    await mapLimit(finished, CONCURRENT_ASSET_READS, async v => {
      try {
        assets.set(v.id, await read(v.id, call))
      } catch (error) {
        const why = error instanceof AbortedError ? `no answer (${error.message})` : errorMessage(error)
        failures.push(`${v.id}: ${why}`)
      }
    })
  } finally {
    clearTimeout(timer)
    stop.signal.removeEventListener('abort', onStop)
  }
  if (failures.length > 0) {
    rt.log.warning(
      `Could not read the output assets of ${failures.length === 1 ? 'a finished job' : `${failures.length} finished jobs`} (the outputs leave them out): ${someOf(failures, 3, '; ')}`
    )
  }
  const views = result.views.map(v =>
    v.job && assets.has(v.id) ? { ...v, job: { ...v.job, outputAssets: assets.get(v.id) } } : v
  )
  return { ...result, views }
}

/** The job API the settings name, given its own options. */
function createJobSource(jobs: JobSettings, deps: SourceDeps): JobSource {
  return jobs.api === 'v3' ? createV3Source(jobs.options, deps) : createV2Source(jobs.options, deps)
}

/** Where the jobs are: the v2 endpoint, or the v3 jobs' host. */
function endpointOf(jobs: JobSettings): string {
  return jobs.api === 'v3' ? `${jobs.options.targets[0].url.origin}/` : jobs.options.apiUrl.href
}

function intro(s: Settings, tokens: TokenSource, source: JobSource): string {
  const ids = s.jobs.ids
  const what = ids.length === 1 ? `${source.kind} job ${ids[0]}` : `${ids.length} ${source.kind} jobs`
  return `Waiting for ${what} at ${endpointOf(s.jobs)} (${pollingText(s.wait)}, timeout ${formatDuration(s.wait.timeoutMs)}, signing in with ${tokens.description}).`
}

function pollingText(w: WaitSettings): string {
  const every = formatDuration(w.intervalMs)
  return w.policy === 'fixed' ? `poll every ${every}` : `poll every ${every} or sooner near a job's end`
}

/** CancelJob for each open job: the only requests after a cancel, all of them within CANCEL_JOBS_WITHIN_MS. */
async function cancelJobs(source: JobSource, result: WaitResult, rt: Runtime): Promise<void> {
  const open = result.views.filter(v => v.job && !isFinal(v.job.state))
  // Without a documented cancel (v3 off Resource Manager) inputs.ts has already warned.
  const cancelJob = source.cancelJob
  if (open.length === 0 || !cancelJob) return
  const budget = new AbortController()
  const timer = setTimeout(() => budget.abort('timeout'), CANCEL_JOBS_WITHIN_MS)
  const end = rt.now() + CANCEL_JOBS_WITHIN_MS
  const call: CallOptions = { deadline: end, endBy: end, signal: budget.signal }
  try {
    // A few at a time, so that one CancelJob that stalls does not keep the others from being sent.
    await mapLimit(open, CONCURRENT_CANCELS, async v => {
      try {
        await cancelJob(v.id, call)
        rt.log.info(`Asked ${source.service} to cancel ${v.id} (cancel-on-abort).`)
      } catch (error) {
        const why =
          error instanceof AbortedError
            ? `no answer within ${CANCEL_JOBS_WITHIN_MS / 1000}s`
            : errorMessage(error)
        rt.log.warning(`Could not cancel ${v.id}: ${why}`)
      }
    })
  } finally {
    clearTimeout(timer)
  }
}

async function publish(result: WaitResult, s: Settings, source: JobSource, rt: Runtime): Promise<void> {
  const out = outputs(result)
  for (const [name, value] of Object.entries(out)) rt.setOutput(name, value)
  const origin: JobsOrigin = { service: source.service, input: s.jobs.api === 'v3' ? 'job-url' : 'job-id' }
  const v = verdict(result, s.wait.timeoutMs, origin)
  rt.log.debug(
    `${source.requests} ${source.service} requests in ${result.polls} polls; API root ${source.apiRoot}`
  )
  if (result.error && !(result.error instanceof UserError))
    rt.log.debug(result.error.stack ?? result.error.message)
  await writeSummary(rt, summaryMarkdown(result, v, origin))
  const unfinished = unfinishedOutputsWarning(result.views)
  if (unfinished) rt.log.warning(unfinished)
  if (v.ok && v.warning) rt.log.warning(`⚠ ${v.message}`)
  else if (v.ok) rt.log.info(`✓ ${v.message}`)
  else rt.fail(v.message, v.title)
}

async function writeSummary(rt: Runtime, markdown: string): Promise<void> {
  try {
    await rt.writeSummary(markdown)
  } catch (error) {
    rt.log.debug(`No step summary written: ${errorMessage(error)}`)
  }
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
