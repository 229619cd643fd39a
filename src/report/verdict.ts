import { type ErrorSource, sourceOf } from '../errors.js'
import { someOf } from '../text.js'
import { formatDuration } from '../time.js'
import type { JobView, Outcome, WaitResult } from '../wait/waiter.js'
import { isFinal, ranMs, stateText } from '../jobs/model.js'
import { NAMED_JOBS, type JobsOrigin, jobsNoun, label, errorsOf } from './naming.js'
import { lastStateText } from './outputs.js'

/** The one-line verdict of a wait, and for a failure the annotation's title: one function per outcome. */

/** " (it ran 47s)": how long a job ran, by the service (ranMs); nothing when not known or no time. */
function ranFor(v: JobView): string {
  const ms = ranMs(v.job!)
  return ms ? ` (it ran ${formatDuration(ms)})` : ''
}

/** The title of a wait that a failed request ended: from whom the failure came, never from its wording. */
export function failureTitle(source: ErrorSource | undefined, origin: JobsOrigin): string {
  switch (source?.kind) {
    case 'entra-id':
    case 'github-oidc':
      return 'Sign-in failed'
    case 'input':
      return 'Invalid input'
    case 'service':
      return `${source.service} request failed`
    default:
      return `${origin.service} request failed`
  }
}

export interface Verdict {
  ok: boolean
  title: string
  message: string
  /** The step passes, but a job ended in Error or Canceled (not in fail-on): it must not read as a success. */
  warning?: boolean
}

/** What every outcome's wording needs: the result, the timeout, and where the jobs are. */
interface Context {
  result: WaitResult
  timeoutMs: number
  origin: JobsOrigin
  /** "Job <label>" for one job, "N jobs" for several. */
  jobs: string
  took: string
}

/** The closing one-line verdict, and for a failure the annotation's title. */
export function verdict(result: WaitResult, timeoutMs: number, origin: JobsOrigin): Verdict {
  const n = result.views.length
  const jobs = n === 1 ? `Job ${label(result.views[0])}` : `${n} jobs`
  const c: Context = { result, timeoutMs, origin, jobs, took: formatDuration(result.elapsedMs) }
  const v = byOutcome(c)
  const ignored = v.ok ? '' : ignoredEnds(result)
  return ignored ? { ...v, message: `${v.message}${v.message.endsWith('.') ? '' : '.'} ${ignored}` } : v
}

function byOutcome(c: Context): Verdict {
  const { result, origin } = c
  switch (result.outcome as Outcome) {
    case 'success':
      return success(c)
    case 'failure':
      return failure(c)
    case 'not-found':
      return notFound(c)
    case 'timeout':
      return timedOut(c)
    case 'canceled':
      return {
        ok: false,
        title: 'Wait canceled',
        message: `The wait was canceled after ${c.took}${lastStates(c)}.`
      }
    default:
      return {
        ok: false,
        title: failureTitle(sourceOf(result.error), origin),
        message: result.error?.message ?? 'unknown error'
      }
  }
}

/**
 * The jobs that ended Error or Canceled without failing the wait (fail-on leaves their state out), said on
 * every path that fails for another reason: with the jobs still open, a timeout must not hide them.
 */
function ignoredEnds(result: WaitResult): string {
  const failed = new Set(result.failed)
  const ignored = result.views.filter(
    v => !failed.has(v) && (v.job?.state === 'Error' || v.job?.state === 'Canceled')
  )
  if (!ignored.length) return ''
  return `Ignored by fail-on: ${someOf(
    ignored.map(v => `${label(v)} ended ${v.job!.state}`),
    NAMED_JOBS
  )}.`
}

/** The jobs still open, each with its own state: "<job 3> (Processing), <job 4> (Queued)". */
function openJobs(result: WaitResult): string {
  return someOf(
    result.views
      .filter(v => !(v.job && isFinal(v.job.state)))
      .map(v => `${label(v)} (${v.job ? stateText(v.job) : 'not seen yet'})`),
    NAMED_JOBS
  )
}

/** "; last state Processing" for one job; for several, each job still open with its own state. */
function lastStates({ result }: Context): string {
  if (result.views.length === 1) return `; last state ${lastStateText(result.views)}`
  const open = openJobs(result)
  return open ? `, waiting for ${open}` : ''
}

/** Named, up to NAMED_JOBS, the jobs for which `pred` holds; the rest counted. */
function someJobs(views: readonly JobView[], pred: (v: JobView) => boolean): string {
  return someOf(views.filter(pred).map(label), NAMED_JOBS)
}

function success({ result, jobs, took }: Context): Verdict {
  const notFinished = result.views.filter(v => v.job?.state !== 'Finished')
  const tail = notFinished.length
    ? ` (${someOf(
        notFinished.map(v => `${label(v)}: ${v.job?.state}`),
        NAMED_JOBS
      )})`
    : ''
  const unwell = [...new Set(notFinished.map(v => v.job!.state))]
  const passes = unwell.length
    ? ` The step passes because fail-on does not include ${unwell.join(' or ')}.`
    : ''
  // Ended at the first poll: the wait took no time, and says how long the job ran instead.
  const already = result.polls === 1
  const one = result.views[0]
  const message =
    result.views.length === 1
      ? already
        ? `${jobs} had already ended ${one.job!.state} when the wait began${ranFor(one)}.${passes}`
        : `${jobs} ended ${one.job!.state} after ${took}.${passes}`
      : already
        ? `${jobs} had already ended when the wait began${tail}.${passes}`
        : `${jobs} ended after ${took}${tail}.${passes}`
  return { ok: true, title: '', warning: unwell.length > 0, message }
}

function failure({ result, origin }: Context): Verdict {
  const job = jobsNoun(origin, false)
  const failed = result.failed
  // With many failed jobs the annotation names the first few; the summary and `jobs` have them all.
  const errors = failed
    .slice(0, NAMED_JOBS)
    .filter(v => v.errorDetails.length)
    .map(errorsOf)
  const states = [...new Set(failed.map(v => v.job!.state))]
  const title = states.includes('Error')
    ? `${job} failed`
    : states.includes('Canceled')
      ? `${job} canceled`
      : `${job} ended in a fail-on state`
  const what = someOf(
    failed.map(
      v =>
        `${label(v)} ended ${v.job!.state === 'Canceled' ? 'Canceled: it was canceled before it finished' : v.job!.state}`
    ),
    NAMED_JOBS,
    '; '
  )
  return { ok: false, title, message: `${what}${errors.length ? `. ${errors.join('; ')}` : ''}` }
}

function notFound({ result, origin }: Context): Verdict {
  // The service's own words (v3's 404: `NotFound: The requested resource was not found.`), from the first job.
  const said = result.views.find(v => !v.job && v.notFoundText)?.notFoundText
  return {
    ok: false,
    title: `${jobsNoun(origin, false)} not found`,
    message: `job ${someJobs(result.views, v => !v.job)} not found: ${origin.service} did not return it in ${result.polls} polls${said ? ` (it answered ${said})` : ''}. ${origin.notFoundHint}`
  }
}

function timedOut(c: Context): Verdict {
  const { result, timeoutMs, origin, jobs, took } = c
  const limit = formatDuration(timeoutMs)
  const last = result.error ? ` Last request: ${result.error.message}` : ''
  const after = `timed out after ${took}${took === limit ? '' : ` (timeout ${limit})`}`
  const message =
    result.views.length === 1
      ? `${after} waiting for ${label(result.views[0])}${lastStates(c)}.${last}`
      : `${after} waiting for ${openJobs(result) || jobs}.${last}`
  return { ok: false, title: `Timed out waiting for ${origin.service}`, message }
}
