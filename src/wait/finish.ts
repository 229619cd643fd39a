import { AbortedError, errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import { someOf } from '../text.js'
import { isFinal, type OutputAsset } from '../jobs/model.js'
import type { JobSource } from '../jobs/source.js'
import { mapLimit } from '../transport/pool.js'
import { within } from '../transport/call.js'
import type { WaitResult } from './waiter.js'

/**
 * After the wait, before the report: what the service said of jobs it did not return, what the Finished jobs
 * made, and CancelJob for the jobs a canceled or timed-out wait leaves open. Each within its own budget.
 */

/** The runner sends SIGTERM 7.5 s after SIGINT: canceling the jobs must fit before it. */
export const CANCEL_JOBS_WITHIN_MS = 5_000
const CONCURRENT_CANCELS = 4
/** Reading what the finished jobs made is a nicety after the verdict: it gets this long, all reads together. */
export const OUTPUT_ASSETS_WITHIN_MS = 10_000
const CONCURRENT_ASSET_READS = 4

export interface FinishOptions {
  /** Send CancelJob for the jobs left open when the wait was canceled or timed out (cancel-on-abort). */
  cancelOnAbort: boolean
  /** The wait's stop: the runner's cancel or the hard stop. Output assets are not read once it fired. */
  stop: AbortSignal
  log: Logger
  now: () => number
}

/** The wait's result completed with what the source can still say of the jobs; open jobs canceled if asked. */
export async function finish(source: JobSource, result: WaitResult, o: FinishOptions): Promise<WaitResult> {
  const done = await withOutputAssets(source, withNotFoundText(source, result), o)
  const abandoned = done.outcome === 'canceled' || done.outcome === 'timeout'
  if (abandoned && o.cancelOnAbort) await cancelOpenJobs(source, done, o)
  return done
}

/** The jobs the service did not return, with what it said of them (v3's 404 body), where it said something. */
function withNotFoundText(source: JobSource, result: WaitResult): WaitResult {
  if (!source.notFoundText) return result
  const views = result.views.map(v => (v.job ? v : { ...v, notFoundText: source.notFoundText!(v.id) }))
  return { ...result, views }
}

/**
 * The result with the output assets of each job that ended Finished, where the source reads them (v2; v3 job
 * bodies name them). Retried while busy, all within OUTPUT_ASSETS_WITHIN_MS, the wait's stop included. A read
 * that fails is a warning: the jobs finished all the same.
 */
async function withOutputAssets(
  source: JobSource,
  result: WaitResult,
  o: FinishOptions
): Promise<WaitResult> {
  const finished = result.views.filter(v => v.job?.state === 'Finished' && !v.job.outputAssets)
  if (!source.readOutputAssets || finished.length === 0 || o.stop.aborted) return result
  const call = within(OUTPUT_ASSETS_WITHIN_MS, o.now, o.stop)
  const assets = new Map<string, OutputAsset[]>()
  const failures: string[] = []
  await mapLimit(finished, CONCURRENT_ASSET_READS, async v => {
    try {
      assets.set(v.id, await source.readOutputAssets!(v.id, call))
    } catch (error) {
      const why = error instanceof AbortedError ? `no answer (${error.message})` : errorMessage(error)
      failures.push(`${v.id}: ${why}`)
    }
  })
  if (failures.length > 0) {
    const which = failures.length === 1 ? 'a finished job' : `${failures.length} finished jobs`
    o.log.warning(
      `Could not read the output assets of ${which} (the outputs leave them out): ${someOf(failures, 3, '; ')}`
    )
  }
  const views = result.views.map(v =>
    v.job && assets.has(v.id) ? { ...v, job: { ...v.job, outputAssets: assets.get(v.id) } } : v
  )
  return { ...result, views }
}

/** CancelJob for each open job: the only requests after a cancel, all of them within CANCEL_JOBS_WITHIN_MS. */
async function cancelOpenJobs(source: JobSource, result: WaitResult, o: FinishOptions): Promise<void> {
  const open = result.views.filter(v => v.job && !isFinal(v.job.state))
  // Without a documented cancel settings has already warned (the API's cannotCancel).
  if (open.length === 0 || !source.cancelJob) return
  // Its own budget, not the wait's stop: the runner's cancel is why these requests are sent.
  const call = within(CANCEL_JOBS_WITHIN_MS, o.now)
  // A few at a time, so that one CancelJob that stalls does not keep the others from being sent.
  await mapLimit(open, CONCURRENT_CANCELS, async v => {
    try {
      await source.cancelJob!(v.id, call)
      o.log.info(`Asked ${source.service} to cancel ${v.id} (cancel-on-abort).`)
    } catch (error) {
      const why =
        error instanceof AbortedError
          ? `no answer within ${CANCEL_JOBS_WITHIN_MS / 1000}s`
          : errorMessage(error)
      o.log.warning(`Could not cancel ${v.id}: ${why}`)
    }
  })
}
