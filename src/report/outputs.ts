import { someOf } from '../text.js'
import type { JobView, WaitResult } from '../wait/waiter.js'
import {
  isFinal,
  type JobState,
  meanProgress,
  type OutputAsset,
  PROGRESS_RANK,
  ranMs,
  stateText
} from '../jobs/model.js'

/** The step's outputs: pure functions of the wait's result, each under GitHub's size limit. */

/** GitHub keeps an output only up to 1 MB; stay clear of it, in UTF-8 bytes. */
export const OUTPUT_BYTES = 1_000_000

/** The outputs action.yml declares, in the order they are set. */
export const OUTPUT_NAMES = [
  'state',
  'runningDuration',
  'startTime',
  'endTime',
  'progress',
  'jobs',
  'assets',
  'asset-name',
  'asset-id'
] as const

export type Outputs = Record<(typeof OUTPUT_NAMES)[number], string>

export interface JobRecord {
  id: string
  name: string
  state: JobState | 'NotFound' | 'Unknown'
  /** What the service called a state the action does not know (state Unknown). */
  reportedState?: string
  runningDuration: number | null
  progress: number | null
  startTime: string | null
  endTime: string | null
  errors: { code: string; message: string }[]
  /** What the job made, once it ended Finished; empty otherwise, or when they could not be read. */
  assets: OutputAsset[]
}

/** An output asset as the outputs give it: what the service named it, without its output's state and error. */
export type AssetFields = Omit<OutputAsset, 'state' | 'error'>

/** One entry of the `assets` output: an output asset and the job that made it. */
export type AssetRecord = { job: string } & AssetFields

/** An asset its output made: the output did not say otherwise (v2 and MK.IO may not say at all). */
const made = (a: OutputAsset): boolean => a.state === undefined || a.state === 'Finished'

/**
 * The output assets of a job that ended Finished, of the outputs that finished: none for any other job (an
 * Error job's are not a result), nor of an output that failed in a Finished job (`onError: ContinueJob`).
 */
export function finishedAssets(v: JobView): AssetFields[] {
  if (v.job?.state !== 'Finished') return []
  return (v.job.outputAssets ?? []).filter(made).map(({ state: _state, error: _error, ...fields }) => fields)
}

/**
 * The outputs of Finished jobs that did not finish (the job's state does not sum them up), as one warning
 * naming each one's label, asset and error; undefined when there is none.
 */
export function unfinishedOutputsWarning(views: readonly JobView[]): string | undefined {
  const failed = views.flatMap(v =>
    v.job?.state === 'Finished'
      ? (v.job.outputAssets ?? [])
          .filter(a => !made(a))
          .map(a => {
            const which = a.label ? `output "${a.label}" (asset ${a.name})` : `the output to asset ${a.name}`
            return `${v.id}: ${which} ended ${a.state}${a.error ? `: ${a.error}` : ''}`
          })
      : []
  )
  if (failed.length === 0) return undefined
  const n = failed.length
  return `${n === 1 ? 'An output' : `${n} outputs`} of a Finished job did not finish, and ${n === 1 ? 'its asset is' : 'their assets are'} left out of assets and asset-name: ${someOf(failed, 3, '; ')}`
}

/** Every finished job's output assets, job by job in input order, each with its job. */
export function assetRecords(views: readonly JobView[]): AssetRecord[] {
  return views.flatMap(v => finishedAssets(v).map(a => ({ job: v.id, ...a })))
}

export function jobRecord(v: JobView): JobRecord {
  const j = v.job
  return {
    id: v.id,
    name: j?.name ?? '',
    state: j ? j.state : v.missingPolls > 0 ? 'NotFound' : 'Unknown',
    ...(j?.reportedState ? { reportedState: j.reportedState } : {}),
    // Unknown is null (an empty output), not 0: the summary, the log and the verdict say the same ranMs.
    runningDuration: (j && ranMs(j)) ?? null,
    progress: v.progress === undefined ? null : round1(v.progress),
    startTime: j?.startTime?.toISOString() ?? null,
    endTime: j?.endTime?.toISOString() ?? null,
    errors: v.errorDetails,
    assets: finishedAssets(v)
  }
}

/**
 * The aggregate `state` of several jobs: the first failing state (Error or Canceled) in input order, else
 * Finished when all finished, else the least advanced state of those still going.
 */
export function aggregateState(views: readonly JobView[]): string {
  const records = views.map(jobRecord)
  const failed = records.find(r => r.state === 'Error' || r.state === 'Canceled')
  if (failed) return failed.state
  const notFound = records.find(r => r.state === 'NotFound' || r.state === 'Unknown')
  if (notFound) return notFound.state
  const states = views.map(v => v.job!.state)
  if (states.every(s => s === 'Finished')) return 'Finished'
  const open = states.filter(s => !isFinal(s))
  return open.sort((a, b) => PROGRESS_RANK[a] - PROGRESS_RANK[b])[0]
}

/**
 * The aggregate state as a sentence says it: with the name the service gave a state the action does not
 * know (`Unknown ("Paused")`), when that is what it comes to.
 */
export function lastStateText(views: readonly JobView[]): string {
  const state = aggregateState(views)
  // aggregateState names the first job it cannot place: a job in a state we do not know is one.
  const first = state === 'Unknown' ? views.find(v => jobRecord(v).state === 'Unknown') : undefined
  return first?.job ? stateText(first.job) : state
}

/**
 * The progress of several jobs: the mean of theirs, a Finished job counting 100 and one whose progress is not
 * known 0 (the `progress` output and the log's aggregate line).
 */
export function jobsProgress(views: readonly JobView[]): number {
  return meanProgress(views.map(v => (v.job?.state === 'Finished' ? 100 : (v.progress ?? 0)))) ?? 0
}

/** The outputs of a step whose inputs were refused: every output set, no job seen. */
export function noJobOutputs(): Outputs {
  return {
    state: '',
    runningDuration: '',
    startTime: '',
    endTime: '',
    progress: '',
    jobs: '[]',
    assets: '[]',
    'asset-name': '',
    'asset-id': ''
  }
}

export function outputs(result: WaitResult): Outputs {
  const records = result.views.map(jobRecord)
  const times = (k: 'startTime' | 'endTime'): string[] =>
    records
      .map(r => r[k])
      .filter((t): t is string => t !== null)
      .sort()
  const starts = times('startTime')
  const ends = times('endTime')
  const durations = records.map(r => r.runningDuration).filter((d): d is number => d !== null)
  const assets = assetRecords(result.views)
  // The common deploy waits for one encode that made one asset: then the next step needs no JSON.
  const only = assets.length === 1 ? assets[0] : undefined
  return {
    state: aggregateState(result.views),
    runningDuration: durations.length ? String(Math.max(...durations)) : '',
    startTime: starts[0] ?? '',
    endTime: ends.at(-1) ?? '',
    progress: String(round1(jobsProgress(result.views))),
    jobs: jobsJson(records),
    assets: jobsJson(assets),
    'asset-name': only?.name ?? '',
    'asset-id': only?.id ?? ''
  }
}

/**
 * The `jobs` (and `assets`) output: a JSON array of every record while it fits OUTPUT_BYTES. When it does
 * not, the records that fit come first (in job-id order), followed by one marker `{"truncated": true, "omitted": N}`.
 */
export function jobsJson(records: readonly object[], limit = OUTPUT_BYTES): string {
  const parts = records.map(r => JSON.stringify(r))
  const bytes = parts.reduce((sum, p) => sum + Buffer.byteLength(p) + 1, 1)
  if (bytes <= limit) return `[${parts.join(',')}]`
  const marker = (omitted: number): string => JSON.stringify({ truncated: true, omitted })
  // Each kept record costs its comma; the brackets and the marker (its count at most records.length) the rest.
  const room = limit - 2 - Buffer.byteLength(marker(records.length))
  let used = 0
  let kept = 0
  // Not every record fits (else the whole array would have returned), so the loop stops before the end of parts.
  while (used + Buffer.byteLength(parts[kept]) + 1 <= room) {
    used += Buffer.byteLength(parts[kept]) + 1
    kept++
  }
  return `[${[...parts.slice(0, kept), marker(records.length - kept)].join(',')}]`
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}
