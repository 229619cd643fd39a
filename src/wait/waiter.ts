import { AbortedError, errorMessage, UserError } from '../errors.js'
import {
  credit,
  jobsQueries,
  NEW_BUDGET,
  nextPollAt,
  type Pace,
  type PollingPolicy,
  progressReadsDue,
  TICK_SLACK_MS
} from './schedule.js'
import { type ErrorDetail, type Job, type JobState, isFinal } from '../jobs/model.js'
import type { ProgressReader } from '../jobs/source.js'

/** What we know of one awaited job. */
export interface JobView {
  id: string
  job?: Job
  /** Mean task progress, 0 to 100, when tasks were read. */
  progress?: number
  errorDetails: ErrorDetail[]
  /** Consecutive polls in which the service did not return the job. */
  missingPolls: number
  /** When (our clock) the tasks were last read, for round-robin sampling. */
  tasksReadAt?: number
  /** The tasks were read after the job ended in Error, so errorDetails are final. */
  errorsRead?: boolean
  /** Progress samples while Processing, for predictive polling. */
  pace?: Pace
}

export type Verdict =
  | { status: 'retry' }
  | { status: 'success' }
  | { status: 'failure'; failed: JobView[] }
  | { status: 'not-found'; missing: JobView[] }

export type Outcome = 'success' | 'failure' | 'not-found' | 'timeout' | 'canceled' | 'error'

export interface WaitResult {
  outcome: Outcome
  views: JobView[]
  elapsedMs: number
  polls: number
  /** The error that ended the wait, for outcome 'error'. */
  error?: Error
  /** The jobs that ended in a fail-on state (outcome 'failure'); empty otherwise. */
  failed: JobView[]
}

/** A job the service does not return is given this many polls (eventual consistency after creation). */
export const NOT_FOUND_POLLS = 3
/** Progress reads per poll, whatever the number of jobs. */
export const TASK_READS_PER_POLL = 3
/**
 * Error-detail reads per poll: when 200 jobs fail together, 10 reads, not 200. The verdict names as many
 * (report.ts takes its NAMED_JOBS from here) and counts the rest.
 */
export const ERROR_READS_PER_POLL = 10

/**
 * The acceptor: a pure classification of one poll's result. A job that ended in a failing state fails the
 * wait at once (the step will fail whatever the others do); otherwise the wait succeeds when all ended.
 */
export function classify(
  views: readonly JobView[],
  failOn: ReadonlySet<JobState>,
  notFoundPolls = NOT_FOUND_POLLS
): Verdict {
  const missing = views.filter(v => !v.job && v.missingPolls >= notFoundPolls)
  if (missing.length > 0) return { status: 'not-found', missing }
  const failed = views.filter(v => v.job && isFinal(v.job.state) && failOn.has(v.job.state))
  if (failed.length > 0) return { status: 'failure', failed }
  if (views.every(v => v.job && isFinal(v.job.state))) return { status: 'success' }
  return { status: 'retry' }
}

export interface WaitOptions {
  ids: readonly string[]
  /** One poll: the jobs among `ids` the service returns. */
  getJobs: (ids: readonly string[], signal: AbortSignal | undefined, deadline: number) => Promise<Job[]>
  /** Task reads for progress and error details; omitted, no task is read. */
  readTasks?: ProgressReader
  /** At most this many task reads per poll, whatever the number of jobs. */
  taskReadsPerPoll?: number
  failOn: ReadonlySet<JobState>
  /** `fixed` polls every interval; `predictive` polls when the task progress says a job may have ended. */
  policy: PollingPolicy
  intervalMs: number
  timeoutMs: number
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  signal?: AbortSignal
  /** After each poll (and its task reads), with the views as they are now. */
  onPoll?: (views: readonly JobView[], elapsedMs: number) => void
}

/** The polling loop. Small on purpose: the policy is `classify` and `nextPollAt`. */
export async function waitForJobs(o: WaitOptions): Promise<WaitResult> {
  const started = o.now()
  const deadline = started + o.timeoutMs
  const readsPerPoll = o.taskReadsPerPoll ?? TASK_READS_PER_POLL
  const views: JobView[] = o.ids.map(id => ({ id, errorDetails: [], missingPolls: 0 }))
  let polls = 0
  let budget = NEW_BUDGET
  let last = false
  const result = (outcome: Outcome, error?: Error, failed: JobView[] = []): WaitResult => ({
    outcome,
    failed,
    views,
    elapsedMs: o.now() - started,
    polls,
    error
  })

  try {
    for (;;) {
      const pollStarted = o.now()
      const elapsed = pollStarted - started
      // Ticks passed while asleep earn what a fixed poll would have cost then, as the jobs were last seen;
      // a poll at a tick (give or take a late timer) stands for it, and earns what it sees.
      const atTick = elapsed % o.intervalMs < TICK_SLACK_MS
      budget = credit(budget, views, elapsed - (atTick ? o.intervalMs : 0), o.intervalMs, readsPerPoll)
      const open = views.filter(v => !(v.job && isFinal(v.job.state)))
      const queries = jobsQueries(views)
      const jobs = await o.getJobs(
        open.map(v => v.id),
        o.signal,
        deadline
      )
      polls++
      budget = { ...budget, spent: budget.spent + queries }
      // Ids are canonical where the job source makes them (inputs, job.ts): matched exactly here.
      const byId = new Map(jobs.map(j => [j.id, j]))
      for (const v of open) {
        const job = byId.get(v.id)
        if (job) {
          v.job = job
          v.missingPolls = 0
          if (job.progress !== undefined) v.progress = job.progress
          if (job.errorDetails) v.errorDetails = job.errorDetails
          if (job.state === 'Finished') v.progress = 100
        } else if (!v.job) {
          v.missingPolls++
        }
      }
      budget = credit(budget, views, elapsed, o.intervalMs, readsPerPoll)
      if (o.readTasks) {
        const affordable = Math.max(0, Math.min(readsPerPoll, budget.earned - budget.spent))
        const progressReads =
          o.policy === 'fixed'
            ? leastRecentlyRead(views).slice(0, readsPerPoll)
            : progressReadsDue(views, o.now(), o.intervalMs).slice(0, affordable)
        const made = await readTasks(views, progressReads, o, deadline)
        budget = { ...budget, spent: budget.spent + made.progressReads }
      }
      o.onPoll?.(views, o.now() - started)

      const verdict = classify(views, o.failOn)
      if (verdict.status === 'failure') return result('failure', undefined, verdict.failed)
      if (verdict.status !== 'retry') return result(verdict.status)
      if (last) return result('timeout')
      const at = nextPollAt({
        policy: o.policy,
        views,
        now: o.now(),
        started,
        lastPoll: pollStarted,
        deadline,
        intervalMs: o.intervalMs,
        budget,
        readsPerPoll
      })
      if (at === undefined) return result('timeout')
      // The poll at the deadline is the last, even if a timer woke it a little early.
      last = at >= deadline
      await o.sleep(Math.max(0, at - o.now()), o.signal)
      // Node's timers may wake a millisecond early by the wall clock: the last poll should not start before
      // the deadline.
      if (!o.signal?.aborted && o.now() < at) await o.sleep(at - o.now(), o.signal)
      if (o.signal?.aborted) return result(o.signal.reason === 'timeout' ? 'timeout' : 'canceled')
    }
  } catch (error) {
    if (error instanceof AbortedError) return result(error.reason === 'timeout' ? 'timeout' : 'canceled')
    const e = error instanceof Error ? error : new Error(errorMessage(error))
    // The last poll failing at the deadline is still a timeout; its error says what was going on.
    return result(o.now() >= deadline && !(e instanceof UserError) ? 'timeout' : 'error', e)
  }
}

/** Fixed polling reads the Processing jobs round-robin, least recently read first. */
function leastRecentlyRead(views: readonly JobView[]): JobView[] {
  return views
    .filter(v => v.job?.state === 'Processing')
    .sort((a, b) => (a.tasksReadAt ?? -Infinity) - (b.tasksReadAt ?? -Infinity))
}

/**
 * Bounded task reads: the jobs that just ended in Error (for their ErrorDetails, ERROR_READS_PER_POLL at
 * most), then the chosen Processing jobs (for their progress). Returns how many progress reads were made.
 */
async function readTasks(
  views: JobView[],
  progress: JobView[],
  o: WaitOptions,
  deadline: number
): Promise<{ progressReads: number }> {
  const errored = views.filter(v => v.job?.state === 'Error' && !v.errorsRead).slice(0, ERROR_READS_PER_POLL)
  for (const v of [...errored, ...progress]) {
    try {
      const t = await o.readTasks!(v.id, o.signal, deadline)
      if (t.progress !== undefined) {
        v.progress = t.progress
        if (v.job?.state === 'Processing') v.pace = nextPace(v.pace, { at: o.now(), progress: t.progress })
      }
      v.errorDetails = t.errorDetails
      // Only a read that answered makes the details final: after a failed one they are asked for again.
      v.errorsRead = v.job?.state === 'Error'
    } catch (error) {
      // Progress is a nicety: a failed task read must not end the wait, but a cancel must.
      if (error instanceof AbortedError) throw error
    } finally {
      v.tasksReadAt = o.now()
    }
  }
  return { progressReads: progress.length }
}

/** A task that went back (restarted) starts a new pace. */
function nextPace(pace: Pace | undefined, sample: { at: number; progress: number }): Pace {
  if (!pace || sample.progress < pace.last.progress) return { first: sample, last: sample }
  return { first: pace.first, last: sample }
}
