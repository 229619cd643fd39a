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

/**
 * A state the service named that is none of JOB_STATES: v3's JobState is an extensible enum
 * (`modelAsString`), so a new one may appear. Never final: the wait keeps asking, and the report names
 * what the service said (`Job.reportedState`).
 */
export const UNKNOWN_STATE = 'Unknown'

export type JobState = (typeof JOB_STATES)[number] | typeof UNKNOWN_STATE

export const FINAL_STATES: ReadonlySet<JobState> = new Set(['Finished', 'Error', 'Canceled'])

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.has(state)
}

/** How far a job that has not ended got; used to pick the "least advanced" state of several jobs. */
export const PROGRESS_RANK: Readonly<Record<JobState, number>> = {
  // Nothing is known of how far a job in a state we do not know got.
  Unknown: 0,
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
  /** What the service called the state when it is none of JOB_STATES (then `state` is Unknown), neutralised. */
  reportedState?: string
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
  /**
   * v3: the output's own state, which a Finished job does not sum up (a transform output with
   * `onError: ContinueJob` may fail while the job finishes). Not part of the `assets` output.
   */
  state?: JobState
  /** v3: the output's error on one line (codes and messages, neutralised). Not part of the `assets` output. */
  error?: string
}

/** Output assets kept per job: a job makes a handful; a server that lists thousands says no more. */
export const MAX_OUTPUT_ASSETS = 100

/**
 * Accepts the Int32 v2 sends (as a number or its digits), and a state name (case-insensitive). Only the
 * seven states: never Unknown.
 */
export function parseState(value: unknown): JobState | undefined {
  if (typeof value === 'number') return JOB_STATES.find((_, i) => i === value)
  if (typeof value !== 'string') return undefined
  return stateNamed(value) ?? JOB_STATES.find((_, i) => String(i) === value)
}

/** One of the seven states by its name (case-insensitive), as v3 gives them: digits are not a name. */
export function stateNamed(value: string): JobState | undefined {
  const name = value.toLowerCase()
  return JOB_STATES.find(s => s.toLowerCase() === name)
}

/**
 * A job's state as the report shows it: the state, or for a state the action does not know, what the
 * service called it.
 */
export function stateText(job: Pick<Job, 'state' | 'reportedState'>): string {
  return job.state === UNKNOWN_STATE && job.reportedState
    ? `${UNKNOWN_STATE} ("${job.reportedState}")`
    : job.state
}

/**
 * How long a job ran, by the service, in milliseconds: EndTime − StartTime when both are known (never
 * negative), else the service's RunningDuration when it is above 0 (v2 may give one without the times),
 * else undefined: not known (a job that has not started, or a service that leaves its times out). The
 * verdict, the log, the step summary and the `runningDuration` output all say this one number.
 */
export function ranMs(job: Pick<Job, 'startTime' | 'endTime' | 'runningDuration'>): number | undefined {
  if (job.startTime && job.endTime) return Math.max(0, job.endTime.getTime() - job.startTime.getTime())
  return job.runningDuration > 0 ? job.runningDuration : undefined
}

/**
 * The mean of progress values (0 to 100), as the SDKs sum up a job's progress from its tasks (v2) or
 * outputs (v3), and as the report sums up several jobs'; undefined when there is none.
 */
export function meanProgress(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((sum, p) => sum + p, 0) / values.length : undefined
}
