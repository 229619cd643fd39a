import { type ErrorDetail, type Job, type JobState, isFinal } from '../jobs/model.js'
import { type Band, bandOf, type Sample, withSample } from './band.js'

/** Progress at a time of our clock (never the server's: clocks differ): the band's own sample. */
export type ProgressSample = Sample

/** The first and the latest progress seen while the job was Processing, and what all of them say of its pace. */
export interface Pace {
  first: ProgressSample
  last: ProgressSample
  /** The steady paces every sample since `first` allows (band.ts); none once a sample left them. */
  band?: Band
  /** The same with the service's StartTime as a sample of 0 %, while that agrees with ours (no clock skew). */
  anchored?: Band
  /** Samples in the band, the StartTime not counted. */
  samples?: number
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
  /** A progress read answered, but its tasks carry no progress: no read is made for the prediction again. */
  noProgress?: boolean
}

/** A job not yet seen, or seen in a state that is not final, is asked for again. */
export const isOpen = (v: JobView): boolean => !(v.job && isFinal(v.job.state))

/**
 * The pace with one more sample. A task that went back (restarted) starts a new pace; a sample that no
 * steady pace of the band allows ends the band (the progress is not steady). `startAt` is the service's
 * StartTime (our clock may differ from it: the anchored band is dropped once it disagrees).
 */
export function nextPace(pace: Pace | undefined, sample: ProgressSample, startAt?: number): Pace {
  if (!pace || sample.progress < pace.last.progress) {
    const band = bandOf(sample)
    const anchored = startAt === undefined ? undefined : withSample(band, { at: startAt, progress: 0 })
    return { first: sample, last: sample, band, anchored, samples: 1 }
  }
  // Once a sample left the band, the pace is not steady: the prediction extrapolates, as it always did.
  const band = pace.band && withSample(pace.band, sample)
  return {
    first: pace.first,
    last: sample,
    band,
    anchored: band && pace.anchored && withSample(pace.anchored, sample),
    samples: band ? (pace.samples ?? 1) + 1 : undefined
  }
}
