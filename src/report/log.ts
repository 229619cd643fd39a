import { clockStamp, formatDuration } from '../time.js'
import { predictEnd } from '../wait/schedule.js'
import type { JobView } from '../wait/view.js'
import { isFinal, type JobState, ranMs, stateText } from '../jobs/model.js'
import { label, errorsOf } from './naming.js'
import { jobsProgress } from './outputs.js'

/**
 * Pure functions from what we saw to what the user reads: log lines, outputs, annotation, summary.
 * Server text arrives neutralised (jobs/ parsers, text.ts); here it is bounded in number. The summary is in summary.ts.
 */

/** The first line of the log: which jobs, where, how they are polled, how the step signs in. */
export function introLine(
  jobs: { ids: readonly string[]; kind: string; endpoint: string },
  wait: { intervalMs: number; timeoutMs: number; policy: 'fixed' | 'predictive' },
  signIn: string
): string {
  const what =
    jobs.ids.length === 1 ? `${jobs.kind} job ${jobs.ids[0]}` : `${jobs.ids.length} ${jobs.kind} jobs`
  const every = formatDuration(wait.intervalMs)
  const polling =
    wait.policy === 'fixed' ? `poll every ${every}` : `poll every ${every} or sooner near a job's end`
  return `Waiting for ${what} at ${jobs.endpoint} (${polling}, timeout ${formatDuration(wait.timeoutMs)}, signing in with ${signIn}).`
}

function shortLabel(v: JobView): string {
  return v.job?.name ? `"${v.job.name}"` : v.id
}

/** What changed since the last poll, as log lines; nothing when nothing changed. */
export class ChangeLog {
  private seen = new Map<string, { state?: string; progress?: number }>()
  /** Jobs a printed line has named with both id and name. */
  private named = new Set<string>()
  private lastAggregate?: string

  /**
   * @param manyJobsAt From this many jobs on, the log says one aggregate line a poll (when it changes) instead
   *   of a line per job, and still names each job's ending.
   */
  constructor(private readonly manyJobsAt = 4) {}

  lines(views: readonly JobView[], elapsedMs: number, now: number): string[] {
    const stamp = `[${clockStamp(elapsedMs)}]`
    const lines: string[] = []
    const many = views.length >= this.manyJobsAt
    // Counted once per poll: a filter per job would make a poll of 1000 jobs a million comparisons.
    const sharing = new Map<string, number>()
    for (const v of views) if (v.job) sharing.set(v.job.name, (sharing.get(v.job.name) ?? 0) + 1)
    for (const v of views) {
      const before = this.seen.get(v.id) ?? {}
      const state = v.job ? stateText(v.job) : v.missingPolls > 0 ? 'not found yet' : undefined
      const progress = v.progress === undefined ? undefined : Math.floor(v.progress)
      // The first line that names a job gives its id too; later lines use its name when no other job shares it.
      const unique = v.job !== undefined && sharing.get(v.job.name) === 1
      const who = this.named.has(v.id) && unique ? shortLabel(v) : label(v)
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
        if (v.job) this.named.add(v.id)
      } else if (
        !many &&
        v.job?.state === 'Processing' &&
        progress !== undefined &&
        progress !== before.progress
      ) {
        lines.push(`${stamp} ${who}: Processing ${progress}%${eta(v, now)}`)
      }
      this.seen.set(v.id, { state, progress })
    }
    if (many) {
      const longest = longestLeft(views, now)
      const line =
        aggregateLine(views) +
        (longest === undefined ? '' : `; the slowest about ${formatDuration(longest)} left`)
      if (line !== this.lastAggregate) lines.push(`${stamp} ${line}`)
      this.lastAggregate = line
    }
    return lines
  }
}

function finalDetail(v: JobView): string {
  const j = v.job!
  const parts: string[] = []
  const ran = ranMs(j)
  if (ran !== undefined) parts.push(`in ${formatDuration(ran)}`)
  if (j.state === 'Error' && v.errorDetails.length) parts.push(errorsOf(v))
  return parts.length ? ` (${parts.join(', ')})` : ''
}

/**
 * A job's time left: until the end the scheduler predicts from its pace (predictEnd), so that the log and
 * the polls agree. Undefined without a prediction, or once the predicted end has passed.
 */
function leftMs(v: JobView, now: number): number | undefined {
  const end = predictEnd(v)?.endAt
  return end !== undefined && end > now ? end - now : undefined
}

function eta(v: JobView, now: number): string {
  const ms = leftMs(v, now)
  return ms === undefined ? '' : `, about ${formatDuration(ms)} left`
}

/** With many jobs, the longest estimate among the jobs processing: when the last of them may end. */
function longestLeft(views: readonly JobView[], now: number): number | undefined {
  let longest: number | undefined
  for (const v of views) {
    const ms = leftMs(v, now)
    if (ms !== undefined && (longest === undefined || ms > longest)) longest = ms
  }
  return longest
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
  if (count('Unknown')) parts.push(`${count('Unknown')} in a state this action does not know`)
  const missing = views.filter(v => !v.job).length
  if (missing) parts.push(`${missing} not found yet`)
  return `${parts.join(', ')}; mean progress ${Math.floor(jobsProgress(views))}%`
}
