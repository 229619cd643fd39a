import { type ErrorSource, sourceOf } from '../errors.js'
import { cut, MESSAGE_LIMIT, someOf } from '../text.js'
import { clockStamp, formatDuration } from '../time.js'
import { ERROR_READS_PER_POLL, type JobView, type Outcome, type WaitResult } from '../wait/waiter.js'
import { isFinal, type JobState, PROGRESS_RANK } from '../jobs/model.js'

/**
 * Pure functions from what we saw to what the user reads: log lines, outputs, annotation, summary.
 * Server text arrives neutralised (job.ts); here it is bounded in number. The summary is in summary.ts.
 */

/** GitHub keeps an output only up to 1 MB; stay clear of it, in UTF-8 bytes. */
export const OUTPUT_BYTES = 1_000_000
/**
 * Jobs named in the annotation, the verdict and the summary's verdict line; the rest are counted. As many as
 * the waiter reads error details for in a poll, so every job named has its errors.
 */
export const NAMED_JOBS = ERROR_READS_PER_POLL

/** Where the jobs are, for titles and headings: the service that answers, and the input that named them. */
export interface JobsOrigin {
  /** "Media Services" (v2), "Azure Resource Manager", or the job-url host (e.g. MK.IO's). */
  service: string
  input: 'job-id' | 'job-url'
}

export const MEDIA_SERVICES_V2: JobsOrigin = { service: 'Media Services', input: 'job-id' }

/** "Media Services job(s)" for v2; "Job(s) on <service>" for a v3-shaped job service, which may not be Microsoft's. */
export function jobsNoun(origin: JobsOrigin, plural: boolean): string {
  const jobs = plural ? 'jobs' : 'job'
  return origin.input === 'job-id'
    ? `${origin.service} ${jobs}`
    : `${plural ? 'Jobs' : 'Job'} on ${origin.service}`
}

/** The outputs action.yml declares, in the order they are set. */
export const OUTPUT_NAMES = ['state', 'runningDuration', 'startTime', 'endTime', 'progress', 'jobs'] as const

export type Outputs = Record<(typeof OUTPUT_NAMES)[number], string>

export interface JobRecord {
  id: string
  name: string
  state: JobState | 'NotFound' | 'Unknown'
  runningDuration: number | null
  progress: number | null
  startTime: string | null
  endTime: string | null
  errors: { code: string; message: string }[]
}

export function jobRecord(v: JobView): JobRecord {
  const j = v.job
  return {
    id: v.id,
    name: j?.name ?? '',
    state: j ? j.state : v.missingPolls > 0 ? 'NotFound' : 'Unknown',
    runningDuration: j ? j.runningDuration : null,
    progress: v.progress === undefined ? null : round1(v.progress),
    startTime: j?.startTime?.toISOString() ?? null,
    endTime: j?.endTime?.toISOString() ?? null,
    errors: v.errorDetails
  }
}

/**
 * The aggregate `state` of several jobs: the first failing state (Error or Canceled) in input order, else
 * Finished when all finished, else the least advanced state of those still going.
 */
export function aggregateState(views: readonly JobView[]): string {
  const records = views.map(jobRecord)
  const failed = records.find(r => r.state === 'Error' || r.state === 'Canceled')
  if (failed) return failed.state
  const notFound = records.find(r => r.state === 'NotFound' || r.state === 'Unknown')
  if (notFound) return notFound.state
  const states = views.map(v => v.job!.state)
  if (states.every(s => s === 'Finished')) return 'Finished'
  const open = states.filter(s => !isFinal(s))
  return open.reduce((least, s) => (PROGRESS_RANK[s] < PROGRESS_RANK[least] ? s : least), open[0])
}

/** The outputs of a step whose inputs were refused: every output set, no job seen. */
export function noJobOutputs(): Outputs {
  return { state: '', runningDuration: '', startTime: '', endTime: '', progress: '', jobs: '[]' }
}

export function outputs(result: WaitResult): Outputs {
  const records = result.views.map(jobRecord)
  const times = (k: 'startTime' | 'endTime'): string[] =>
    records
      .map(r => r[k])
      .filter((t): t is string => t !== null)
      .sort()
  const starts = times('startTime')
  const ends = times('endTime')
  const durations = records.map(r => r.runningDuration).filter((d): d is number => d !== null)
  const progresses = result.views.map(v => (v.job?.state === 'Finished' ? 100 : (v.progress ?? 0)))
  return {
    state: aggregateState(result.views),
    runningDuration: durations.length ? String(Math.max(...durations)) : '',
    startTime: starts[0] ?? '',
    endTime: ends.at(-1) ?? '',
    progress: String(round1(progresses.reduce((a, b) => a + b, 0) / Math.max(1, progresses.length))),
    jobs: jobsJson(records)
  }
}

/**
 * The `jobs` output: a JSON array of every record while it fits OUTPUT_BYTES. When it does not, the records
 * that fit come first (in job-id order), followed by one marker `{"truncated": true, "omitted": N}`.
 */
export function jobsJson(records: readonly JobRecord[], limit = OUTPUT_BYTES): string {
  const parts = records.map(r => JSON.stringify(r))
  const bytes = parts.reduce((sum, p) => sum + Buffer.byteLength(p) + 1, 1)
  if (bytes <= limit) return `[${parts.join(',')}]`
  const marker = (omitted: number): string => JSON.stringify({ truncated: true, omitted })
  const room = limit - 2 - Buffer.byteLength(marker(records.length)) - 1
  let used = 0
  let kept = 0
  while (kept < parts.length && used + Buffer.byteLength(parts[kept]) + 1 <= room) {
    used += Buffer.byteLength(parts[kept]) + 1
    kept++
  }
  return `[${[...parts.slice(0, kept), marker(records.length - kept)].join(',')}]`
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}

export function label(v: JobView): string {
  const name = v.job?.name
  return name ? `${v.id} (${name})` : v.id
}

function shortLabel(v: JobView): string {
  return v.job?.name ? `"${v.job.name}"` : v.id
}

/** What changed since the last poll, as log lines; nothing when nothing changed. */
export class ChangeLog {
  private seen = new Map<string, { state?: string; progress?: number }>()
  private lastAggregate = ''

  constructor(private readonly perJobLimit = 3) {}

  lines(views: readonly JobView[], elapsedMs: number, now: number): string[] {
    const stamp = `[${clockStamp(elapsedMs)}]`
    const lines: string[] = []
    const many = views.length > this.perJobLimit
    // Counted once per poll: a filter per job would make a poll of 1000 jobs a million comparisons.
    const sharing = new Map<string, number>()
    for (const v of views) if (v.job) sharing.set(v.job.name, (sharing.get(v.job.name) ?? 0) + 1)
    for (const v of views) {
      const before = this.seen.get(v.id) ?? {}
      const state = v.job?.state ?? (v.missingPolls > 0 ? 'not found yet' : undefined)
      const progress = v.progress === undefined ? undefined : Math.floor(v.progress)
      // The first line about a job names it fully; later lines use its name when no other job shares it.
      const unique = v.job !== undefined && sharing.get(v.job.name) === 1
      const who = before.state && unique ? shortLabel(v) : label(v)
      const ended = v.job !== undefined && isFinal(v.job.state)
      if (state && state !== before.state && (!many || ended)) {
        // With many jobs the aggregate line carries the running states; each job's ending is still named.
        const from = before.state ? `${before.state} -> ` : ''
        const extra = ended
          ? finalDetail(v)
          : progress !== undefined && v.job?.state === 'Processing'
            ? ` (${progress}%)`
            : ''
        lines.push(`${stamp} ${who}: ${from}${state}${extra}`)
      } else if (
        !many &&
        v.job?.state === 'Processing' &&
        progress !== undefined &&
        progress !== before.progress
      ) {
        lines.push(`${stamp} ${who}: Processing ${progress}%${eta(v, this.rates, now)}`)
      }
      this.track(v, now)
      this.seen.set(v.id, { state, progress })
    }
    if (many) {
      const line = aggregateLine(views)
      if (line !== this.lastAggregate) lines.push(`${stamp} ${line}`)
      this.lastAggregate = line
    }
    return lines
  }

  /** First progress sample of each job, for a straight-line remaining-time estimate. */
  private rates = new Map<string, { at: number; progress: number }>()

  private track(v: JobView, now: number): void {
    if (v.job?.state === 'Processing' && v.progress !== undefined && !this.rates.has(v.id)) {
      this.rates.set(v.id, { at: now, progress: v.progress })
    }
  }
}

function finalDetail(v: JobView): string {
  const j = v.job!
  const parts: string[] = []
  if (j.startTime && j.endTime)
    parts.push(`in ${formatDuration(j.endTime.getTime() - j.startTime.getTime())}`)
  if (j.state === 'Error' && v.errorDetails.length) parts.push(errorsOf(v))
  return parts.length ? ` (${parts.join(', ')})` : ''
}

/** How long a job ran, by the service: EndTime − StartTime, else its RunningDuration (ms in practice). */
function ranFor(v: JobView): string {
  const j = v.job!
  const ms = j.startTime && j.endTime ? j.endTime.getTime() - j.startTime.getTime() : j.runningDuration
  return ms > 0 ? ` (it ran ${formatDuration(ms)})` : ''
}

/** A job's error details on one line, as long as one error message may be. */
export function errorsOf(v: JobView): string {
  return cut(v.errorDetails.map(d => `${d.code}: ${d.message}`).join('; '), MESSAGE_LIMIT)
}

function eta(v: JobView, rates: Map<string, { at: number; progress: number }>, now: number): string {
  const first = rates.get(v.id)
  if (!first || v.progress === undefined || v.progress <= first.progress || now <= first.at) return ''
  const perMs = (v.progress - first.progress) / (now - first.at)
  return `, about ${formatDuration((100 - v.progress) / perMs)} left`
}

export function aggregateLine(views: readonly JobView[]): string {
  const count = (s: JobState): number => views.filter(v => v.job?.state === s).length
  const queued = count('Queued') + count('Scheduled')
  const parts = [
    `${count('Finished')}/${views.length} finished`,
    `${count('Processing')} processing`,
    `${queued} queued`
  ]
  for (const s of ['Canceling', 'Error', 'Canceled'] as const)
    if (count(s)) parts.push(`${count(s)} ${s.toLowerCase()}`)
  const missing = views.filter(v => !v.job).length
  if (missing) parts.push(`${missing} not found yet`)
  const mean =
    views.reduce((sum, v) => sum + (v.job?.state === 'Finished' ? 100 : (v.progress ?? 0)), 0) / views.length
  return `${parts.join(', ')}; mean progress ${Math.floor(mean)}%`
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

/**
 * The closing one-line verdict, and for a failure the annotation's title. `warning`: the step passes, but a
 * job ended in Error or Canceled (not in fail-on), which must not read as a success.
 */
export function verdict(
  result: WaitResult,
  timeoutMs: number,
  origin: JobsOrigin = MEDIA_SERVICES_V2
): { ok: boolean; title: string; message: string; warning?: boolean } {
  const job = jobsNoun(origin, false)
  const n = result.views.length
  const jobs = n === 1 ? `Job ${label(result.views[0])}` : `${n} jobs`
  const took = formatDuration(result.elapsedMs)
  const byState = (pred: (v: JobView) => boolean): string =>
    someOf(result.views.filter(pred).map(label), NAMED_JOBS)
  switch (result.outcome as Outcome) {
    case 'success': {
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
        n === 1
          ? already
            ? `${jobs} had already ended ${one.job!.state} when the wait began${ranFor(one)}.${passes}`
            : `${jobs} ended ${one.job!.state} after ${took}.${passes}`
          : already
            ? `${jobs} had already ended when the wait began${tail}.${passes}`
            : `${jobs} ended after ${took}${tail}.${passes}`
      return { ok: true, title: '', warning: unwell.length > 0, message }
    }
    case 'failure': {
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
    case 'not-found':
      return {
        ok: false,
        title: `${job} not found`,
        message: `job ${byState(v => !v.job)} not found: ${origin.service} did not return it in ${result.polls} polls. ${
          origin.input === 'job-id'
            ? 'Check job-id and api-url.'
            : 'Check job-url (jobs older than 90 days are deleted).'
        }`
      }
    case 'timeout':
      return {
        ok: false,
        title: `Timed out waiting for ${origin.service}`,
        message: `timed out after ${took}${took === formatDuration(timeoutMs) ? '' : ` (timeout ${formatDuration(timeoutMs)})`} waiting for ${byState(v => !(v.job && isFinal(v.job.state))) || jobs}; last state ${aggregateState(result.views)}.${result.error ? ` Last request: ${result.error.message}` : ''}`
      }
    case 'canceled':
      return {
        ok: false,
        title: 'Wait canceled',
        message: `The wait was canceled after ${took}; last state ${aggregateState(result.views)}.`
      }
    default: {
      const message = result.error?.message ?? 'unknown error'
      return { ok: false, title: failureTitle(sourceOf(result.error), origin), message }
    }
  }
}
