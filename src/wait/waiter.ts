import { AbortedError, errorMessage, isTimeout, OutOfTime, sourceOf, UserError } from '../errors.js'
import {
  type Budget,
  type Costing,
  credit,
  jobsQueries,
  NEW_BUDGET,
  nextPollAt,
  type PollingPolicy,
  progressReadsDue,
  TICK_SLACK_MS
} from './schedule.js'
import { type JobView, isOpen, nextPace, type ProgressSample } from './view.js'
import { type Job, type JobState, isFinal } from '../jobs/model.js'
import type { JobSource } from '../jobs/source.js'
import type { CallOptions } from '../transport/call.js'

export type { JobView } from './view.js'

/** What one poll says of the wait: go on, or how it ended. */
export type PollVerdict =
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
export const PROGRESS_READS_PER_POLL = 3
/** A progress read is given one poll interval, and at least this long when polling faster. */
export const PROGRESS_READ_MIN_MS = 5_000
/**
 * Error-detail reads per poll: when 200 jobs fail together, 10 reads, not 200. The verdict names as many
 * (report/naming.ts takes its NAMED_JOBS from here) and counts the rest.
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
): PollVerdict {
  const missing = views.filter(v => !v.job && v.missingPolls >= notFoundPolls)
  if (missing.length > 0) return { status: 'not-found', missing }
  const failed = views.filter(v => v.job && isFinal(v.job.state) && failOn.has(v.job.state))
  if (failed.length > 0) return { status: 'failure', failed }
  if (views.every(v => v.job && isFinal(v.job.state))) return { status: 'success' }
  return { status: 'retry' }
}

export interface WaitOptions {
  ids: readonly string[]
  /**
   * Where the jobs are read: a poll is getJobs; progress and error details come with the jobs or from
   * readProgress; its cost is the budget of predictive polling.
   */
  source: WaitSource
  /** At most this many progress reads per poll, whatever the number of jobs. */
  progressReadsPerPoll?: number
  failOn: ReadonlySet<JobState>
  /** `fixed` polls every interval; `predictive` polls when the task progress says a job may have ended. */
  policy: PollingPolicy
  intervalMs: number
  timeoutMs: number
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  signal?: AbortSignal
  /** The wait's hard stop: no request runs past it (the last poll starts at the timeout and ends by this). */
  endBy?: number
  /** After each poll (and its task reads), with the views as they are now. */
  onPoll?: (views: readonly JobView[], elapsedMs: number) => void
}

/** What the waiter uses of a JobSource. */
export type WaitSource = Pick<JobSource, 'getJobs' | 'readProgress' | 'cost'>

/** A wait under way: what it was given, and what it has seen and spent so far. */
interface Wait {
  o: WaitOptions
  started: number
  deadline: number
  costing: Costing
  views: JobView[]
  polls: number
  budget: Budget
}

/** The polling loop: poll, read progress, judge, sleep. The policy is `classify` and `nextPollAt`. */
export async function waitForJobs(o: WaitOptions): Promise<WaitResult> {
  const started = o.now()
  const w: Wait = {
    o,
    started,
    deadline: started + o.timeoutMs,
    costing: { cost: o.source.cost, progressReadsPerPoll: o.progressReadsPerPoll ?? PROGRESS_READS_PER_POLL },
    views: o.ids.map(id => ({ id, errorDetails: [], missingPolls: 0 })),
    polls: 0,
    budget: NEW_BUDGET
  }
  try {
    for (let due = started; ;) {
      const pollStarted = o.now()
      try {
        await poll(w, pollStarted)
      } catch (error) {
        // A poll that ran out of retries before the deadline (an outage in the last seconds) does not end
        // the wait early: it lasts until the deadline, and the poll due then is the last.
        if (!(error instanceof OutOfTime) || pollStarted >= w.deadline) throw error
        if (!(await sleepUntil(w, w.deadline))) return interrupted(w)
        due = w.deadline
        continue
      }
      await readProgress(w)
      o.onPoll?.(w.views, o.now() - started)

      const verdict = classify(w.views, o.failOn)
      if (verdict.status === 'failure') return result(w, 'failure', undefined, verdict.failed)
      if (verdict.status !== 'retry') return result(w, verdict.status)
      // A poll that a timer started a little early stands for the one it was due at: the poll due at the
      // deadline is the last.
      const at = nextPoll(w, Math.max(pollStarted, due))
      if (at === undefined) return result(w, 'timeout')
      if (!(await sleepUntil(w, at))) return interrupted(w)
      due = at
    }
  } catch (error) {
    return failedWith(w, error)
  }
}

function result(w: Wait, outcome: Outcome, error?: Error, failed: JobView[] = []): WaitResult {
  return { outcome, failed, views: w.views, elapsedMs: w.o.now() - w.started, polls: w.polls, error }
}

/** The wait's signal ended it while it slept: the hard stop (timeout) or the runner's cancel. */
function interrupted(w: Wait): WaitResult {
  return result(w, isTimeout(w.o.signal?.reason) ? 'timeout' : 'canceled')
}

function failedWith(w: Wait, error: unknown): WaitResult {
  if (error instanceof AbortedError) return result(w, error.reason === 'timeout' ? 'timeout' : 'canceled')
  const e = error instanceof Error ? error : new Error(errorMessage(error))
  // The last poll failing at the deadline is still a timeout; its error says what was going on. A sign-in
  // that failed is the cause whenever it ends the wait: the job service was never asked.
  const kind = sourceOf(e)?.kind
  const signIn = kind === 'entra-id' || kind === 'github-oidc'
  const timedOut = w.o.now() >= w.deadline && !(e instanceof UserError) && !signIn
  return result(w, timedOut ? 'timeout' : 'error', e)
}

/** One poll: the open jobs' states, paid from the budget, and the views updated with what came back. */
async function poll(w: Wait, pollStarted: number): Promise<void> {
  const { o } = w
  const elapsed = pollStarted - w.started
  // Ticks passed while asleep earn what a fixed poll would have cost then, as the jobs were last seen;
  // a poll at a tick (give or take a late timer) stands for it, and earns what it sees.
  const atTick = elapsed % o.intervalMs <= TICK_SLACK_MS
  w.budget = credit(w.budget, w.views, elapsed - (atTick ? o.intervalMs : 0), o.intervalMs, w.costing)
  const open = w.views.filter(isOpen)
  const queries = jobsQueries(w.views, o.source.cost)
  const call: CallOptions = { retryUntil: w.deadline, endBy: o.endBy, signal: o.signal }
  const jobs = await o.source.getJobs(
    open.map(v => v.id),
    call
  )
  w.polls++
  w.budget = { ...w.budget, spent: w.budget.spent + queries }
  updateViews(open, jobs, o.now())
  if (o.source.cost.progress === 'in-job') sampleProgress(open, pollStarted, o.now())
  w.budget = credit(w.budget, w.views, elapsed, o.intervalMs, w.costing)
}

/** What one poll answered, onto the views of the jobs asked for. */
function updateViews(open: readonly JobView[], jobs: readonly Job[], at: number): void {
  // Ids are canonical where the job source makes them (settings, the parsers): matched exactly here.
  const byId = new Map(jobs.map(j => [j.id, j]))
  for (const v of open) {
    const job = byId.get(v.id)
    if (job) {
      v.job = job
      v.missingPolls = 0
      v.firstSeen ??= {}
      v.firstSeen[job.state] ??= at
      v.lastSeen = at
      if (job.progress !== undefined) v.progress = job.progress
      if (job.errorDetails) v.errorDetails = job.errorDetails
      if (job.state === 'Finished') v.progress = 100
    } else {
      // A job seen once stays what it was last seen as: classify() never calls it not found.
      v.missingPolls++
    }
  }
}

/**
 * Where the job carries its progress, each poll is a fresh sample of it, at no extra request: it paces the
 * prediction as a task read does.
 */
function sampleProgress(open: readonly JobView[], asked: number, answered: number): void {
  const when = sampledAt(asked, answered)
  for (const v of open) {
    if (v.job?.state !== 'Processing' || v.job.progress === undefined) continue
    v.pace = nextPace(v.pace, { ...when, progress: v.job.progress }, v.job.startTime?.getTime())
    v.progressSampledAt = when.at
  }
}

/** The reads after a poll: error details, and the progress reads the policy asks for and can pay. */
async function readProgress(w: Wait): Promise<void> {
  const { o } = w
  if (!o.source.readProgress) return
  const { progressReadsPerPoll } = w.costing
  const affordable = Math.max(0, Math.min(progressReadsPerPoll, w.budget.earned - w.budget.spent))
  const progressReads =
    o.source.cost.progress === 'in-job'
      ? []
      : o.policy === 'fixed'
        ? leastRecentlyRead(w.views).slice(0, progressReadsPerPoll)
        : progressReadsDue(w.views, o.now(), o.intervalMs).slice(0, affordable)
  const made = await readDetails(w, progressReads)
  w.budget = { ...w.budget, spent: w.budget.spent + made.progressReads }
}

function nextPoll(w: Wait, lastPoll: number): number | undefined {
  const { o } = w
  return nextPollAt({
    policy: o.policy,
    views: w.views,
    now: o.now(),
    started: w.started,
    lastPoll,
    deadline: w.deadline,
    intervalMs: o.intervalMs,
    budget: w.budget,
    ...w.costing
  })
}

/**
 * When an answer's progress was true: some moment while its request ran, the middle of the last try (a retry
 * after a back-off starts late: no more than SAMPLE_SPREAD_MS before the answer).
 */
function sampledAt(asked: number, answered: number): Omit<ProgressSample, 'progress'> {
  const spread = Math.min((answered - asked) / 2, SAMPLE_SPREAD_MS)
  return { at: answered - spread, spread }
}
const SAMPLE_SPREAD_MS = 50

/** Sleeps until `at`; false when the wait was aborted meanwhile. */
async function sleepUntil(w: Wait, at: number): Promise<boolean> {
  const { o } = w
  await o.sleep(Math.max(0, at - o.now()), o.signal)
  // Node's timers may wake a millisecond early by the wall clock: the last poll should not start before
  // the deadline.
  if (!o.signal?.aborted && o.now() < at) await o.sleep(at - o.now(), o.signal)
  return !o.signal?.aborted
}

/** Fixed polling reads the Processing jobs round-robin, least recently read first. */
function leastRecentlyRead(views: readonly JobView[]): JobView[] {
  return views
    .filter(v => v.job?.state === 'Processing')
    .sort((a, b) => (a.progressSampledAt ?? -Infinity) - (b.progressSampledAt ?? -Infinity))
}

/**
 * Bounded progress reads: the jobs that just ended in Error (for their ErrorDetails, ERROR_READS_PER_POLL at
 * most), then the chosen Processing jobs (for their progress). Returns how many progress reads were made.
 */
async function readDetails(w: Wait, progress: JobView[]): Promise<{ progressReads: number }> {
  const { o } = w
  const errored = w.views
    .filter(v => v.job?.state === 'Error' && !v.errorsRead)
    .slice(0, ERROR_READS_PER_POLL)
  for (const v of [...errored, ...progress]) {
    try {
      const asked = o.now()
      const t = await o.source.readProgress!(v.id, progressReadCall(w))
      const processing = v.job?.state === 'Processing'
      // Tasks that carry no progress give the prediction nothing: they are not read for it again.
      if (processing) v.noProgress = t.progress === undefined
      if (t.progress !== undefined) {
        v.progress = t.progress
        const sample = { ...sampledAt(asked, o.now()), progress: t.progress }
        if (processing) v.pace = nextPace(v.pace, sample, v.job?.startTime?.getTime())
      }
      v.errorDetails = t.errorDetails
      // Only a read that answered makes the details final: after a failed one they are asked for again.
      v.errorsRead = v.job?.state === 'Error'
    } catch (error) {
      // Progress is a nicety: a failed task read must not end the wait, but a cancel must.
      if (error instanceof AbortedError) throw error
    } finally {
      v.progressSampledAt = o.now()
    }
  }
  return { progressReads: progress.length }
}

/**
 * A progress read is a nicety: it is given one poll interval at most (PROGRESS_READ_MIN_MS when polling
 * faster), never the whole wait, so that a slow answer does not keep a job that ended from being seen.
 */
function progressReadCall(w: Wait): CallOptions {
  const { o } = w
  const now = o.now()
  return {
    retryUntil: Math.min(w.deadline, now + o.intervalMs),
    endBy: Math.min(o.endBy ?? Infinity, now + Math.max(o.intervalMs, PROGRESS_READ_MIN_MS)),
    signal: o.signal
  }
}
