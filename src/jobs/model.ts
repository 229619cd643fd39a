/** The Job model every part shares: its states and what the waiter and the report know of a job. */

/** Job states in the order of their Int32 values in the v2 REST API. */
export const JOB_STATES = [
  'Queued',
  'Scheduled',
  'Processing',
  'Finished',
  'Error',
  'Canceled',
  'Canceling'
] as const

export type JobState = (typeof JOB_STATES)[number]

export const FINAL_STATES: ReadonlySet<JobState> = new Set(['Finished', 'Error', 'Canceled'])

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.has(state)
}

/** How far a job that has not ended got; used to pick the "least advanced" state of several jobs. */
export const PROGRESS_RANK: Readonly<Record<JobState, number>> = {
  Queued: 0,
  Scheduled: 1,
  Processing: 2,
  Canceling: 3,
  Finished: 4,
  Error: 4,
  Canceled: 4
}

/** Error details kept per task and per job: a task with thousands says no more than its first few. */
export const MAX_ERROR_DETAILS = 10

export interface ErrorDetail {
  code: string
  message: string
}

export interface Job {
  id: string
  name: string
  state: JobState
  /** The service's number as reported (milliseconds in practice; see the protocol notes). */
  runningDuration: number
  created?: Date
  lastModified?: Date
  startTime?: Date
  endTime?: Date
  /** 0 to 100, when the service reports progress with the job itself (v3); v2 reads it from the tasks. */
  progress?: number
  /** Error details, when the service reports them with the job itself (v3). */
  errorDetails?: ErrorDetail[]
  /**
   * What the job made: read from the job body (v3 names its outputs there), or once the job ended Finished
   * (v2 reads its OutputMediaAssets). Undefined when not known.
   */
  outputAssets?: OutputAsset[]
}

/**
 * An output asset of a job, as the service named it: a field it did not give is left out. Server text,
 * neutralised where it entered; `uri` is the storage container without any query (no SAS).
 */
export interface OutputAsset {
  /** v2's `nb:cid:UUID:…`; v3 jobs name their assets only. */
  id?: string
  name: string
  storageAccount?: string
  uri?: string
  /** v3's output label. */
  label?: string
}

/** Output assets kept per job: a job makes a handful; a server that lists thousands says no more. */
export const MAX_OUTPUT_ASSETS = 100

/** Accepts the Int32 the service sends (as a number or its digits), and a state name (case-insensitive). */
export function parseState(value: unknown): JobState | undefined {
  if (typeof value === 'number') return JOB_STATES.find((_, i) => i === value)
  if (typeof value !== 'string') return undefined
  const name = value.toLowerCase()
  return JOB_STATES.find((s, i) => s.toLowerCase() === name || String(i) === value)
}
