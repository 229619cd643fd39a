import { type ErrorDetail, type Job, type JobState, isFinal } from '../jobs/model.js'

/** Progress at a time of our clock (never the server's: clocks differ). */
export interface ProgressSample {
  at: number
  progress: number
}

/** The first and the latest progress seen while the job was Processing. */
export interface Pace {
  first: ProgressSample
  last: ProgressSample
}

/** What we know of one awaited job: what the waiter keeps and the scheduler and the report read. */
export interface JobView {
  id: string
  job?: Job
  /** Mean task progress, 0 to 100, when tasks were read or the job carried it. */
  progress?: number
  errorDetails: ErrorDetail[]
  /** Consecutive polls in which the service did not return the job. */
  missingPolls: number
  /** What the service said when it did not return the job (v3's 404 body), neutralised; set by the caller. */
  notFoundText?: string
  /** When (our clock) progress was last sampled: a task read, or a poll of a job that carries it. */
  progressSampledAt?: number
  /** The tasks were read after the job ended in Error, so errorDetails are final. */
  errorsRead?: boolean
  /** Progress samples while Processing, for predictive polling. */
  pace?: Pace
  /**
   * When (our clock) a poll first returned the job in each state: the timeline's times where the service
   * gives none (it gives created, startTime and endTime at most).
   */
  firstSeen?: Partial<Record<JobState, number>>
  /** When (our clock) a poll last returned the job: where the timeline stops a job that has not ended. */
  lastSeen?: number
}

/** A job not yet seen, or seen in a state that is not final, is asked for again. */
export const isOpen = (v: JobView): boolean => !(v.job && isFinal(v.job.state))

/** A task that went back (restarted) starts a new pace. */
export function nextPace(pace: Pace | undefined, sample: ProgressSample): Pace {
  if (!pace || sample.progress < pace.last.progress) return { first: sample, last: sample }
  return { first: pace.first, last: sample }
}
