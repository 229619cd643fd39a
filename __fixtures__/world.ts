import type { Job, JobState } from '../src/jobs/model.js'
import type { PollingPolicy } from '../src/wait/schedule.js'
import { type WaitResult, waitForJobs } from '../src/wait/waiter.js'
import { driftingClock } from './clock.js'
import { V2_POLL_COST } from '../src/jobs/v2/client.js'
import { V3_POLL_COST } from '../src/jobs/v3/client.js'
import { job } from './jobs.js'

/**
 * A simulated Media Services account on a fake clock: each job is Queued for a while, then Processing with
 * task progress rising steadily (plus noise), then ends. The waiter runs against it for real; every
 * request takes `latencyMs` of the fake clock. Used to prove the polling bounds without waiting.
 */
export interface SimJob {
  id: string
  queuedMs: number
  processingMs: number
  ends?: 'Finished' | 'Error'
  /** Progress noise in points (deterministic, ±). */
  noise?: number
  /** The service's clock minus ours: StartTime is off by this much. */
  skewMs?: number
  /** How progress rises over the Processing time (SHAPES; default steady). */
  shape?: Shape
  /** The tasks carry no progress at all. */
  noProgress?: boolean
}

/**
 * Progress (0 to 100, before rounding) at a share `f` (0 to 1) of the Processing time: steady, speeding
 * up, stalling half-way, jumping ahead, or going back (a task restarted).
 */
export const SHAPES = {
  steady: (f: number) => 100 * f,
  accelerating: (f: number) => 100 * f * f,
  stalling: (f: number) => (f < 0.3 ? (500 * f) / 3 : f < 0.7 ? 50 : 50 + (500 * (f - 0.7)) / 3),
  jumping: (f: number) => (f < 0.5 ? 100 * f : Math.min(100, 80 + 40 * (f - 0.5))),
  backwards: (f: number) => (f < 0.4 ? 125 * f : (100 * (f - 0.4)) / 0.6)
} as const
export type Shape = keyof typeof SHAPES

export interface SimOptions {
  policy: PollingPolicy
  /**
   * v2 (the default): Jobs queries of 20 ids, progress by task reads. v3: one GET per job, its progress and
   * errors in the answer, no task read.
   */
  api?: 'v2' | 'v3'
  intervalMs: number
  timeoutMs?: number
  latencyMs?: number
  /** How late each sleep wakes, in ms, taken in turn (cycled): a real timer's drift. Negative: early. */
  lateMs?: readonly number[]
}

export interface SimPoll {
  /** ms since the wait started */
  at: number
  seen: Map<string, JobState | undefined>
}

export interface SimRun {
  result: WaitResult
  polls: SimPoll[]
  /** ms since the wait started, one per request */
  jobsQueries: number[]
  taskReads: number[]
  requests: () => number
  /** When (ms since the wait started) a job ended, in the world. */
  endOf: (id: string) => number
}

export async function simulate(jobs: readonly SimJob[], o: SimOptions): Promise<SimRun> {
  const late = o.lateMs ?? [0]
  const clock = driftingClock(i => late[i % late.length])
  const started = clock.now()
  const latency = o.latencyMs ?? 0
  const byId = new Map(jobs.map(j => [j.id, j]))
  const endOf = (id: string): number => byId.get(id)!.queuedMs + byId.get(id)!.processingMs
  const stateAt = (j: SimJob, t: number): JobState =>
    t < j.queuedMs ? 'Queued' : t < endOf(j.id) ? 'Processing' : (j.ends ?? 'Finished')
  const polls: SimPoll[] = []
  const jobsQueries: number[] = []
  const taskReads: number[] = []

  const v3 = o.api === 'v3'
  const tasksAt = (j: SimJob, t: number) => {
    const state = stateAt(j, t)
    if (state !== 'Processing') {
      const errorDetails = state === 'Error' ? [{ code: 'ErrorProcessingTask', message: 'failed' }] : []
      return { progress: state === 'Queued' ? 0 : 100, errorDetails }
    }
    if (j.noProgress) return { progress: undefined, errorDetails: [] }
    const shaped = SHAPES[j.shape ?? 'steady']((t - j.queuedMs) / j.processingMs)
    const wobble = (j.noise ?? 0) * Math.sin(t / 997)
    return { progress: Math.round(Math.min(99, Math.max(0, shaped + wobble))), errorDetails: [] }
  }

  const getJobs = async (ids: readonly string[]): Promise<Job[]> => {
    const t = clock.now() - started
    for (let i = 0; i < ids.length; i += v3 ? 1 : 20) jobsQueries.push(t)
    clock.advance(latency)
    const seen = new Map(ids.map(id => [id, stateAt(byId.get(id)!, t)]))
    polls.push({ at: t, seen })
    return ids.map(id => {
      const j = byId.get(id)!
      const startTime = new Date(started + j.queuedMs + (j.skewMs ?? 0))
      return job(id, seen.get(id)!, v3 ? { startTime, ...tasksAt(j, t) } : { startTime })
    })
  }
  const readProgress = async (id: string) => {
    const t = clock.now() - started
    taskReads.push(t)
    clock.advance(latency)
    return tasksAt(byId.get(id)!, t)
  }

  const result = await waitForJobs({
    ids: jobs.map(j => j.id),
    source: {
      getJobs,
      readProgress: v3 ? undefined : readProgress,
      cost: v3 ? V3_POLL_COST : V2_POLL_COST
    },
    failOn: new Set<JobState>(['Error', 'Canceled']),
    policy: o.policy,
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs ?? 6 * 3_600_000,
    now: clock.now,
    sleep: clock.sleep
  })
  return {
    result,
    polls,
    jobsQueries,
    taskReads,
    requests: () => jobsQueries.length + taskReads.length,
    endOf
  }
}

/** Job ids for simulations. */
export const simId = (i: number): string =>
  `nb:jid:UUID:5e1b7a77-0000-4000-8000-${String(i).padStart(12, '0')}`
