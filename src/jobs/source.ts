import type { ErrorDetail, Job, OutputAsset } from './model.js'
import type { CallOptions } from '../transport/call.js'

/**
 * Where jobs are read from, for the waiter and what follows it: each job API's client (jobs/v2, jobs/v3)
 * is one. Every call takes the same CallOptions; everything downstream sees the same Job model.
 */
export interface JobSource {
  /** Who answers, in log lines: "Media Services", "Azure Resource Manager" or the host. */
  readonly service: string
  /** One poll: the jobs among `ids` the service returns (a job it does not know is left out). */
  getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]>
  /** Where jobs do not carry their progress and errors (v2 reads its tasks): one request per job. */
  readProgress?(jobId: string, call: CallOptions): Promise<Progress>
  /** What a poll costs here, for the scheduler's request budget and its predictions. */
  readonly cost: PollCost
  /** Undefined where the service has no documented cancel. */
  cancelJob?(id: string, call: CallOptions): Promise<void>
  /**
   * One request for what a Finished job made (v2). Undefined where the job body already names its output
   * assets (v3): then `Job.outputAssets` holds them.
   */
  readOutputAssets?(id: string, call: CallOptions): Promise<OutputAsset[]>
  /** What the service said when it last answered that the job does not exist (v3's 404 body), neutralised. */
  notFoundText?(id: string): string | undefined
  /** Requests sent so far, for the debug line at the end. */
  readonly requests: number
  readonly apiRoot: string
}

/** A job's progress and error details, read where the job does not carry them. */
export interface Progress {
  progress?: number
  errorDetails: ErrorDetail[]
}

/**
 * What one poll costs with a source, in requests: the scheduler knows no API, only this. Error-detail reads
 * are left out: both polling policies make the same ones.
 */
export interface PollCost {
  /** The requests that ask for this many open jobs' states. */
  queries(openJobs: number): number
  /**
   * Where a running job's progress comes from: `reads`, a progress read per job, one request each (v2); or
   * `in-job`, with the job's state at no extra cost (v3).
   */
  readonly progress: 'reads' | 'in-job'
}
