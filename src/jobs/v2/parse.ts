import { ServiceError } from '../../errors.js'
import { serverMessage, serverName } from '../../text.js'
import {
  type ErrorDetail,
  type Job,
  MAX_ERROR_DETAILS,
  MAX_OUTPUT_ASSETS,
  meanProgress,
  type OutputAsset,
  parseState
} from '../model.js'
import { type Entity, describe, errorTextOf, isEntity, parseDate, parseJson, text } from '../json.js'

export interface Task {
  id: string
  name: string
  /** 0 to 100. */
  progress: number
  runningDuration: number
  startTime?: Date
  endTime?: Date
  errorDetails: ErrorDetail[]
}

type Json = unknown

/**
 * The entities of a collection or single-entity response in either JSON shape:
 * minimal metadata `{"value":[…]}` / `{…entity}`, verbose `{"d":{"results":[…]}}` / `{"d":[…]}` / `{"d":{…}}`.
 */
export function entitiesOf(doc: Json, what: string): Entity[] {
  const unwrap = (doc: Json): Json[] | undefined => {
    let v = doc
    // `d` nests at most twice (`{"d":{"results":…}}`); a deeper nesting is not a Media Services answer.
    for (let depth = 0; depth < 4; depth++) {
      if (Array.isArray(v)) return v
      if (!isEntity(v)) return undefined
      if (Array.isArray(v.value)) return v.value
      if (Array.isArray(v.results)) return v.results
      if ('Id' in v) return [v]
      v = v.d
    }
    return undefined
  }
  const list = unwrap(doc)
  if (!list || !list.every(isEntity)) {
    throw new ServiceError(`Media Services answered ${what} with JSON of an unexpected shape`, {
      transient: true
    })
  }
  return list
}

/** Verbose nested collections are wrapped: `{"__metadata":…,"results":[…]}`. */
function collection(v: Json): Entity[] {
  const list = Array.isArray(v) ? v : isEntity(v) && Array.isArray(v.results) ? v.results : []
  return list.filter(isEntity)
}

function number(v: Json): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN
  return Number.isFinite(n) ? n : 0
}

/** A duration cannot be negative: a negative or unreadable one counts as 0. */
function duration(v: Json): number {
  return Math.max(0, number(v))
}

/**
 * A v2 job id as inputs.ts writes it (`nb:jid:UUID:` and the GUID in lower case), whatever case the service
 * answers in: the waiter matches ids exactly, and a GUID has no case.
 */
export function canonicalJobId(id: string): string {
  const m = /^nb:jid:uuid:([0-9a-f-]{36})$/i.exec(id)
  return m ? `nb:jid:UUID:${m[1].toLowerCase()}` : id
}

/** Names, ids and error texts are neutralised here, where they enter: everything downstream is safe to print. */
export function parseJob(e: Entity): Job {
  const id = canonicalJobId(serverName(text(e.Id)))
  const state = parseState(e.State)
  if (!id || !state) {
    throw new ServiceError(
      `Media Services returned a job without a valid Id and State (Id ${describe(e.Id)}, State ${describe(e.State)})`,
      { transient: true }
    )
  }
  return {
    id,
    name: serverName(text(e.Name)),
    state,
    runningDuration: duration(e.RunningDuration),
    created: parseDate(e.Created),
    lastModified: parseDate(e.LastModified),
    startTime: parseDate(e.StartTime),
    endTime: parseDate(e.EndTime)
  }
}

export function parseTask(e: Entity): Task {
  return {
    id: serverName(text(e.Id)),
    name: serverName(text(e.Name)),
    progress: Math.min(100, Math.max(0, number(e.Progress))),
    runningDuration: duration(e.RunningDuration),
    startTime: parseDate(e.StartTime),
    endTime: parseDate(e.EndTime),
    errorDetails: collection(e.ErrorDetails)
      .slice(0, MAX_ERROR_DETAILS)
      .map(d => ({ code: serverName(text(d.Code)), message: serverMessage(text(d.Message)) }))
  }
}

export function parseJobs(body: string): Job[] {
  return entitiesOf(parseJson(body, 'the Jobs query'), 'the Jobs query').map(parseJob)
}

export function parseTasks(body: string): Task[] {
  return entitiesOf(parseJson(body, 'the Tasks query'), 'the Tasks query').map(parseTask)
}

/**
 * An Asset entity as an output asset: `Id`, `Name`, and where given `StorageAccountName` and `Uri`. An
 * entity with neither Id nor Name says nothing and is left out.
 */
export function parseAsset(e: Entity): OutputAsset | undefined {
  const id = serverName(text(e.Id))
  const name = serverName(text(e.Name))
  if (!id && !name) return undefined
  const storageAccount = serverName(text(e.StorageAccountName))
  const uri = containerUri(text(e.Uri))
  return {
    ...(id ? { id } : {}),
    name,
    ...(storageAccount ? { storageAccount } : {}),
    ...(uri ? { uri } : {})
  }
}

/**
 * The container's URL without query, fragment or credentials: a SAS in it (which the documented Uri does
 * not carry) must not reach an output. Undefined when it is not an http(s) URL.
 */
export function containerUri(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  url.search = ''
  url.hash = ''
  url.username = ''
  url.password = ''
  return serverMessage(url.href) || undefined
}

export function parseOutputAssets(body: string): OutputAsset[] {
  const what = 'the OutputMediaAssets query'
  return entitiesOf(parseJson(body, what), what)
    .map(parseAsset)
    .filter((a): a is OutputAsset => a !== undefined)
    .slice(0, MAX_OUTPUT_ASSETS)
}

/** A job's error details: those of its tasks, at most MAX_ERROR_DETAILS (the first say what went wrong). */
export function errorDetailsOf(tasks: readonly Task[]): ErrorDetail[] {
  return tasks.flatMap(t => t.errorDetails).slice(0, MAX_ERROR_DETAILS)
}

/** Overall job progress as the v2 SDK computes it: the mean of its tasks' Progress. */
export function jobProgress(tasks: readonly Task[]): number | undefined {
  return meanProgress(tasks.map(t => t.progress))
}

/**
 * The service's error text from an error body: OData `odata.error`/`error`, Entra ID `error_description`,
 * or the title of a gateway's HTML page. Undefined when there is nothing readable.
 */
export function serviceErrorText(body: string): string | undefined {
  return errorTextOf(body, doc => {
    const err = doc['odata.error'] ?? doc.error
    if (isEntity(err)) {
      const msg = isEntity(err.message) ? err.message.value : err.message
      return [text(err.code), text(msg)].filter(Boolean).join(': ') || undefined
    }
    if (typeof doc.error_description === 'string') return doc.error_description
    if (typeof doc.error === 'string') return doc.error
    return undefined
  })
}
