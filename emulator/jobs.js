// @ts-check
/**
 * Job store for the Media Services emulator: scripted timelines that advance per observation
 * (a job appearing in a Jobs response) or per wall-clock milliseconds. Test-only code.
 */
import crypto from 'node:crypto'

/** Job.State values (Int32) of Media Services v2. */
export const STATES = /** @type {const} */ ({
  Queued: 0,
  Scheduled: 1,
  Processing: 2,
  Finished: 3,
  Error: 4,
  Canceled: 5,
  Canceling: 6
})
/** @typedef {keyof typeof STATES} StateName */
/**
 * @typedef {{ state: StateName, polls?: number, ms?: number, progress?: number | number[] }} Step
 * @typedef {{ Code: string, Message: string }} ErrorDetail
 * @typedef {{ Code: string, Message: string, TimeStamp: number }} HistoricalEvent
 * @typedef {{ Name?: string, StorageAccountName?: string | null, Uri?: string | null }} AssetSpec
 *   (null: the service gave none, as the Asset entity allows; the emulator makes them up when left out.)
 * @typedef {{ Id: string, Name: string, StorageAccountName: string | null, Uri: string | null }} Asset
 * @typedef {{ id?: string, name?: string, timeline?: Step[], tasks?: number, errorDetails?: ErrorDetail[],
 *   hiddenPolls?: number, missing?: boolean, priority?: number, clockFromFirstPoll?: boolean,
 *   outputAssets?: AssetSpec[], endTimeOnly?: boolean }} JobSpec
 *   (outputAssets: what the job makes, its OutputMediaAssets; one asset named `<job name>-output` when not given.
 *   endTimeOnly: the job never gets a StartTime, only an EndTime once it ends.)
 * @typedef {{ id: string, name: string, priority: number, timeline: Step[], stepIndex: number, stepBegan: number,
 *   stepPolls: number, observations: number, hiddenLeft: number, missing: boolean, state: StateName,
 *   stateCode: number, created: number, lastModified: number, startTime: number | null, endTime: number | null,
 *   lastProgress: number[], taskIds: string[], errorDetails: ErrorDetail[], history: HistoricalEvent[],
 *   cancelRequests: number, clockFromFirstPoll: boolean, outputAssets: Asset[], endTimeOnly: boolean }} JobRecord
 * @typedef {{ job: JobRecord, state: StateName, progress: number[], runningDuration: number, at: number }} Snapshot
 */

export const DEFAULT_ERROR_DETAILS = [
  {
    Code: 'ErrorProcessingTask',
    Message: 'An error has occurred. Stage: ApplyEncodeCommand. Code: 0x80004005.'
  }
]
const FINAL = new Set(['Finished', 'Error', 'Canceled'])

/** @param {StateName} s */
export const isFinal = s => FINAL.has(s)

export class JobStore {
  constructor() {
    /** @type {JobRecord[]} */
    this.jobs = []
    /** @type {Map<string, JobRecord>} */
    this.byId = new Map()
  }

  /**
   * @param {JobSpec} [spec]
   * @returns {string} the job id
   */
  add(spec = {}) {
    const id = spec.id ?? `nb:jid:UUID:${crypto.randomUUID()}`
    if (this.byId.has(id)) throw new Error(`job ${id} already exists`)
    const timeline = spec.timeline ?? [
      { state: 'Queued', polls: 1 },
      { state: 'Processing', polls: 2, progress: 50 },
      { state: 'Finished' }
    ]
    if (!Array.isArray(timeline) || timeline.length === 0)
      throw new Error('timeline must be a non-empty array')
    for (const step of timeline) {
      if (!(step.state in STATES)) throw new Error(`unknown job state ${step.state}`)
    }
    const now = Date.now()
    const taskCount = Math.max(1, spec.tasks ?? 1)
    const name = spec.name ?? `emu job ${this.jobs.length + 1}`
    /** @type {JobRecord} */
    const job = {
      id,
      name,
      priority: spec.priority ?? 0,
      timeline: timeline.map(s => ({ ...s })),
      stepIndex: 0,
      stepBegan: now,
      stepPolls: 0,
      observations: 0,
      hiddenLeft: spec.hiddenPolls ?? 0,
      missing: spec.missing === true,
      state: timeline[0].state,
      stateCode: STATES[timeline[0].state],
      created: now - 1000,
      lastModified: now - 1000,
      startTime: null,
      endTime: null,
      lastProgress: new Array(taskCount).fill(0),
      taskIds: Array.from({ length: taskCount }, () => `nb:tid:UUID:${crypto.randomUUID()}`),
      errorDetails: spec.errorDetails ?? DEFAULT_ERROR_DETAILS,
      history: [],
      cancelRequests: 0,
      clockFromFirstPoll: spec.clockFromFirstPoll === true,
      endTimeOnly: spec.endTimeOnly === true,
      outputAssets: (spec.outputAssets ?? [{}]).map(a => outputAsset(name, a))
    }
    enter(job, 0, now)
    this.jobs.push(job)
    this.byId.set(id, job)
    return id
  }

  /**
   * The job as a client may see it, or undefined when it does not exist (yet).
   * @param {string} id
   * @returns {JobRecord | undefined}
   */
  visible(id) {
    const job = this.byId.get(id)
    if (!job || job.missing) return undefined
    return job
  }
}

/**
 * An output asset as Media Services v2 keeps it: an asset id, and a container in the account's storage.
 * @param {string} jobName
 * @param {AssetSpec} a
 * @returns {Asset}
 */
function outputAsset(jobName, a) {
  const guid = crypto.randomUUID()
  const storage = a.StorageAccountName === undefined ? 'emumediastore' : a.StorageAccountName
  return {
    Id: `nb:cid:UUID:${guid}`,
    Name: a.Name ?? `${jobName}-output`,
    StorageAccountName: storage,
    Uri:
      a.Uri === undefined
        ? `https://${storage ?? 'emumediastore'}.blob.core.windows.net/asset-${guid}`
        : a.Uri
  }
}

/**
 * Enters step `index` at time `at`, updating dates and errors.
 * @param {JobRecord} job
 * @param {number} index
 * @param {number} at
 */
function enter(job, index, at) {
  const step = job.timeline[index]
  job.stepIndex = index
  job.stepBegan = at
  job.stepPolls = 0
  if (index > 0 && job.state === step.state) return
  job.state = step.state
  job.stateCode = STATES[step.state]
  job.lastModified = at
  const starts = job.startTime === null && !job.endTimeOnly
  if (step.state === 'Processing' && starts) job.startTime = at
  if (isFinal(step.state)) {
    if ((step.state === 'Finished' || step.state === 'Error') && starts) job.startTime = at
    if (job.endTime === null) job.endTime = at
    if (step.state === 'Finished') job.lastProgress = job.lastProgress.map(() => 100)
  }
  const messages = {
    Queued: 'Job is queued.',
    Scheduled: 'Task is scheduled.',
    Processing: 'Task is processing.',
    Finished: 'Task finished successfully.',
    Error: 'Task failed.',
    Canceled: 'Task was canceled.',
    Canceling: 'Task is being canceled.'
  }
  job.history.push({ Code: step.state, Message: messages[step.state], TimeStamp: at })
}

/**
 * Advances the timeline to `now`: steps with `ms` end by wall time; when `observing`, steps whose
 * `polls` are used up end too (lazily, so a Tasks read between observations sees the last state).
 * @param {JobRecord} job
 * @param {number} now
 * @param {boolean} observing
 */
export function advance(job, now, observing) {
  for (;;) {
    const step = job.timeline[job.stepIndex]
    if (job.stepIndex >= job.timeline.length - 1) return
    if (step.ms !== undefined && now - job.stepBegan >= step.ms) {
      enter(job, job.stepIndex + 1, job.stepBegan + step.ms)
      continue
    }
    if (observing && step.polls !== undefined && job.stepPolls >= step.polls) {
      enter(job, job.stepIndex + 1, now)
      continue
    }
    return
  }
}

/**
 * Progress per task for the current step.
 * @param {JobRecord} job
 * @param {number} now
 * @returns {number[]}
 */
function progressOf(job, now) {
  const step = job.timeline[job.stepIndex]
  const n = job.taskIds.length
  /** @param {number} p */
  const all = p => new Array(n).fill(p)
  if (step.progress !== undefined) {
    const p = step.progress
    return Array.isArray(p) ? Array.from({ length: n }, (_, i) => p[i] ?? p[p.length - 1] ?? 0) : all(p)
  }
  switch (step.state) {
    case 'Queued':
    case 'Scheduled':
      return all(0)
    case 'Finished':
      return all(100)
    case 'Processing': {
      let p
      if (step.polls !== undefined) p = (100 * (job.stepPolls + 1)) / (step.polls + 1)
      else if (step.ms !== undefined) p = (100 * (now - job.stepBegan)) / Math.max(1, step.ms)
      else p = 10 * (job.stepPolls + 1)
      return all(Math.min(99, Math.round(p)))
    }
    default:
      return job.lastProgress.slice()
  }
}

/**
 * Takes a snapshot of the job. With `observing`, it counts as an observation (consumes a poll).
 * @param {JobRecord} job
 * @param {boolean} observing
 * @returns {Snapshot}
 */
export function snapshot(job, observing) {
  const now = Date.now()
  // The first step's `ms` counted from the first observation: a job that ends a set time into the wait,
  // whatever the client's start-up took.
  if (observing && job.observations === 0 && job.clockFromFirstPoll && job.stepIndex === 0) {
    job.stepBegan = now
    if (job.startTime !== null) job.startTime = now
  }
  advance(job, now, observing)
  const progress = progressOf(job, now)
  if (job.state === 'Processing' || job.state === 'Finished') job.lastProgress = progress
  const runningDuration = job.startTime === null ? 0 : Math.max(0, (job.endTime ?? now) - job.startTime)
  if (observing) {
    job.stepPolls += 1
    job.observations += 1
  }
  return { job, state: job.state, progress, runningDuration, at: now }
}

/**
 * Starts canceling: Canceling for the next observation, then Canceled.
 * @param {JobRecord} job
 */
export function cancel(job) {
  const now = Date.now()
  advance(job, now, false)
  job.cancelRequests += 1
  if (isFinal(job.state) || job.state === 'Canceling') return
  job.timeline = [
    ...job.timeline.slice(0, job.stepIndex + 1),
    { state: 'Canceling', polls: 1 },
    { state: 'Canceled' }
  ]
  enter(job, job.stepIndex + 1, now)
}
