import type { ErrorDetail, Job, OutputAsset } from './model.js'
import type { CallOptions } from '../transport/call.js'
import type { ClientDeps } from '../transport/guarded.js'

/**
 * Where jobs are read from, for the waiter and the cancel path: Media Services v2 (the default), or
 * v3-shaped job resources (ARM, MK.IO). Everything downstream sees the same Job model.
 */
export interface JobSource {
  /** What is waited for, in the intro line: "Media Services" or "v3". */
  readonly kind: string
  /** Who answers, in log lines: "Media Services", "Azure Resource Manager" or the host. */
  readonly service: string
  getJobs: (ids: readonly string[], signal: AbortSignal | undefined, deadline: number) => Promise<Job[]>
  /** v2 reads progress and errors from the tasks; v3 jobs carry them. */
  readTasks?: ProgressReader
  /** What a poll costs here, for the scheduler's request budget and its predictions. */
  readonly cost: PollCost
  /** Undefined where the service has no documented cancel. */
  cancelJob?: (id: string, call: CallOptions) => Promise<void>
  /**
   * One request for what a Finished job made (v2). Undefined where the job body already names its output
   * assets (v3): then `Job.outputAssets` holds them.
   */
  readOutputAssets?: (id: string, call: CallOptions) => Promise<OutputAsset[]>
  /** What the service said when it last answered that the job does not exist (v3's 404 body), neutralised. */
  notFoundText?: (id: string) => string | undefined
  readonly requests: number
  readonly apiRoot: string
}

/**
 * What one poll costs with a source, in requests: the scheduler knows no API, only this. Error-detail reads
 * are left out: both polling policies make the same ones.
 */
export interface PollCost {
  /** The requests that ask for this many open jobs' states. */
  queries(openJobs: number): number
  /**
   * Where a running job's progress comes from: `reads`, a task read per job, one request each (v2); or
   * `in-job`, with the job's state at no extra cost (v3).
   */
  readonly progress: 'reads' | 'in-job'
}

export interface ProgressReader {
  /** Reads the job's tasks: mean progress and error details. */
  (
    jobId: string,
    signal: AbortSignal | undefined,
    deadline: number
  ): Promise<{ progress?: number; errorDetails: ErrorDetail[] }>
}

/** What a job source is given from outside: the client's deps and the wait's hard stop. */
export interface SourceDeps extends ClientDeps {
  /** The wait's hard stop: no exchange runs past it. */
  endBy: number
}
