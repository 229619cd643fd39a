import { AbortedError, errorMessage, UserError } from './errors.js'
import { ErrorDetail, isFinal, Job, JobState } from './job.js'

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

export interface ProgressReader {
  /** Reads the job's tasks: mean progress and error details. */
  (
    jobId: string,
    signal: AbortSignal | undefined,
    deadline: number
  ): Promise<{ progress?: number; errorDetails: ErrorDetail[] }>
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
  intervalMs: number
  timeoutMs: number
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  signal?: AbortSignal
  /** After each poll (and its task reads), with the views as they are now. */
  onPoll?: (views: readonly JobView[], elapsedMs: number) => void
}

/** The polling loop. Small on purpose: the policy is `classify` and the options. */
export async function waitForJobs(o: WaitOptions): Promise<WaitResult> {
  const started = o.now()
  const deadline = started + o.timeoutMs
  const views: JobView[] = o.ids.map(id => ({ id, errorDetails: [], missingPolls: 0 }))
  let polls = 0
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
      const open = views.filter(v => !(v.job && isFinal(v.job.state)))
      const jobs = await o.getJobs(
        open.map(v => v.id),
        o.signal,
        deadline
      )
      polls++
      const byId = new Map(jobs.map(j => [j.id.toLowerCase(), j]))
      for (const v of open) {
        const job = byId.get(v.id.toLowerCase())
        if (job) {
          v.job = job
          v.missingPolls = 0
          if (job.state === 'Finished') v.progress = 100
        } else if (!v.job) {
          v.missingPolls++
        }
      }
      if (o.readTasks) await readSomeTasks(views, o, deadline)
      o.onPoll?.(views, o.now() - started)

      const verdict = classify(views, o.failOn)
      if (verdict.status === 'failure') return result('failure', undefined, verdict.failed)
      if (verdict.status !== 'retry') return result(verdict.status)
      const remaining = deadline - o.now()
      if (remaining <= 0) return result('timeout')
      // The last sleep ends at the deadline and is followed by one last poll: a job that ended in the
      // final interval is reported as it ended, not as timed out.
      await o.sleep(Math.min(o.intervalMs, remaining), o.signal)
      if (o.signal?.aborted) return result(o.signal.reason === 'timeout' ? 'timeout' : 'canceled')
    }
  } catch (error) {
    if (error instanceof AbortedError) return result(error.reason === 'timeout' ? 'timeout' : 'canceled')
    const e = error instanceof Error ? error : new Error(errorMessage(error))
    // The last poll failing at the deadline is still a timeout; its error says what was going on.
    return result(o.now() >= deadline && !(e instanceof UserError) ? 'timeout' : 'error', e)
  }
}

/**
 * Bounded task reads: every job that just ended in Error (for its ErrorDetails), then the Processing jobs
 * read least recently, up to `taskReadsPerPoll` in all.
 */
async function readSomeTasks(views: JobView[], o: WaitOptions, deadline: number): Promise<void> {
  const budget = o.taskReadsPerPoll ?? 3
  const errored = views.filter(v => v.job?.state === 'Error' && !v.errorsRead)
  const processing = views
    .filter(v => v.job?.state === 'Processing')
    .sort((a, b) => (a.tasksReadAt ?? -Infinity) - (b.tasksReadAt ?? -Infinity))
  const chosen = [...errored, ...processing.slice(0, Math.max(0, budget - errored.length))]
  for (const v of chosen) {
    try {
      const t = await o.readTasks!(v.id, o.signal, deadline)
      if (t.progress !== undefined) v.progress = t.progress
      v.errorDetails = t.errorDetails
    } catch (error) {
      // Progress is a nicety: a failed task read must not end the wait, but a cancel must.
      if (error instanceof AbortedError) throw error
    } finally {
      v.tasksReadAt = o.now()
      v.errorsRead = v.job?.state === 'Error'
    }
  }
}
