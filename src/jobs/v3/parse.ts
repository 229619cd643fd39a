import { ServiceError } from '../../errors.js'
import { cut, MESSAGE_LIMIT, serverMessage, serverName, withoutBom } from '../../text.js'
import {
  type ErrorDetail,
  type Job,
  type JobState,
  MAX_ERROR_DETAILS,
  MAX_OUTPUT_ASSETS,
  meanProgress,
  type OutputAsset,
  stateNamed,
  UNKNOWN_STATE
} from '../model.js'
import { type Entity, describe, errorTextOf, isEntity, parseDate, parseJson, text } from '../json.js'

/**
 * The v3 job resource, as Azure Resource Manager (Encoding.json, api-version 2022-07-01) and MK.IO's SDK
 * (JobSchema) describe it:
 *   {name, id, type, properties: {state, created, lastModified, startTime, endTime, priority, input,
 *    outputs: [{"@odata.type", assetName, label, state, progress, startTime, endTime,
 *               error: {code, message, category, retry, details: [{code, message}]}}]}}
 * `state` is a string (Queued … Canceling, the v2 names), an extensible enum: a name outside these is read
 * as Unknown, and digits are no name (v2's Int32 is not v3's). The job's state does not sum up its outputs'
 * (`onError: ContinueJob`): each output has its own. `progress` is an int32 the spec calls an
 * estimate: "If the JobOutput is in a Processing state, this contains the Job completion percentage."
 * There is no RunningDuration: endTime − startTime stands in for it.
 */

/** A percentage from the service, clamped to 0–100; undefined when it is not a finite number. */
function percent(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : undefined
}

/**
 * One output's error as detail lines: the error itself, then each of its `details` (ARM sends them;
 * MK.IO may not). A detail that only repeats the error is dropped. Server text is neutralised here,
 * where it enters.
 */
export function outputErrors(error: unknown, label: string): ErrorDetail[] {
  if (!isEntity(error)) return []
  const code = text(error.code)
  const message = text(error.message) || text(error.detail)
  const line = (c: string, m: string): ErrorDetail => ({
    code: serverName(c) || 'Error',
    message: serverMessage(label ? `${label}: ${m}` : m)
  })
  const lines: ErrorDetail[] = []
  if (code || message) lines.push(line(code, message))
  const details = Array.isArray(error.details) ? error.details.filter(isEntity) : []
  for (const d of details) {
    // The cap counts lines shown, not details read: details that say nothing or repeat the error do not
    // take the place of one that says something.
    if (lines.length === MAX_ERROR_DETAILS) break
    const dc = text(d.code)
    const dm = text(d.message)
    if (!dc && !dm) continue
    if (dc === code && dm === message) continue
    lines.push(line(dc || code, dm))
  }
  const advice = retryAdvice(error)
  if (lines.length && advice) {
    // The advice is the point of the line: a long message gives way to it.
    lines[0] = { ...lines[0], message: `${cut(lines[0].message, MESSAGE_LIMIT - advice.length)}${advice}` }
  }
  return lines
}

/**
 * What the service says of retrying a failed output (JobError `category` and `retry`, Encoding.json), as
 * a suffix of its error line: ` (Content error; DoNotRetry: …)`. Empty when it says neither.
 */
export function retryAdvice(error: Entity): string {
  const category = serverName(text(error.category)).slice(0, 40)
  const retry = serverName(text(error.retry)).slice(0, 40)
  const what =
    retry === 'DoNotRetry'
      ? 'DoNotRetry: correct the cause, then resubmit the job'
      : retry === 'MayRetry'
        ? 'MayRetry: the same job may succeed if resubmitted later'
        : retry
  const parts = [category ? `${category} error` : '', what].filter(Boolean)
  return parts.length ? ` (${parts.join('; ')})` : ''
}

/** A state as v3 names it: one of the seven by name, Unknown for another name; undefined when not a name. */
function v3State(v: unknown): { state: JobState; reportedState?: string } | undefined {
  const given = typeof v === 'string' ? serverName(v) : ''
  if (!given) return undefined
  const known = stateNamed(given)
  return known ? { state: known } : { state: UNKNOWN_STATE, reportedState: given }
}

/**
 * A v3 job body as the job model every other part of the action uses. `id` is the key the caller asked
 * for (the job's URL), not the body's `id`, so that the waiter matches the answer to the request.
 * `service` (Azure Resource Manager, or the host) is who answered, named in the error.
 */
export function parseV3Job(doc: unknown, id: string, service = 'The job service'): Job {
  const props = isEntity(doc) && isEntity(doc.properties) ? doc.properties : undefined
  const state = props ? v3State(props.state) : undefined
  if (!isEntity(doc) || !props || !state) {
    const got = isEntity(doc) && isEntity(doc.properties) ? doc.properties.state : undefined
    throw new ServiceError(
      `${service} answered the job request without a valid properties.state (properties.state ${describe(got)})`,
      { transient: true }
    )
  }
  const outputs = Array.isArray(props.outputs) ? props.outputs.filter(isEntity) : []
  const progresses = outputs.map(o => percent(o.progress)).filter((p): p is number => p !== undefined)
  const startTime = parseDate(props.startTime)
  const endTime = parseDate(props.endTime)
  const errorDetails = outputs
    .flatMap(o => outputErrors(o.error, serverName(text(o.label))))
    .slice(0, MAX_ERROR_DETAILS)
  return {
    id,
    name: serverName(text(doc.name)),
    ...state,
    runningDuration: startTime && endTime ? Math.max(0, endTime.getTime() - startTime.getTime()) : 0,
    created: parseDate(props.created),
    lastModified: parseDate(props.lastModified),
    startTime,
    endTime,
    // The v3 SDKs show overall progress as the mean of the outputs', as v2 did with tasks.
    progress: meanProgress(progresses),
    errorDetails,
    outputAssets: outputAssets(outputs)
  }
}

/**
 * The assets the outputs write to, by `assetName` (and `label`): v3 jobs give no asset id here. Each keeps
 * its output's own state and error, for the report to tell an asset made from one that failed.
 */
export function outputAssets(outputs: readonly Entity[]): OutputAsset[] {
  const assets: OutputAsset[] = []
  for (const o of outputs) {
    if (assets.length === MAX_OUTPUT_ASSETS) break
    const name = serverName(text(o.assetName))
    if (!name) continue
    const label = serverName(text(o.label))
    const state = v3State(o.state)?.state
    const error = cut(
      outputErrors(o.error, '')
        .map(d => `${d.code}: ${d.message}`)
        .join('; '),
      MESSAGE_LIMIT
    )
    assets.push({
      name,
      ...(label ? { label } : {}),
      ...(state ? { state } : {}),
      ...(error ? { error } : {})
    })
  }
  return assets
}

export function parseV3JobBody(body: string, id: string, service?: string): Job {
  return parseV3Job(parseJson(body, 'the job request', service), id, service)
}

/**
 * The text of a v3 error body: ARM's `{"error":{"code","message"}}`, MK.IO's `{"error":{"detail"}}` or
 * `{"error":"…"}`, or a gateway's `{"message":"…"}`. Undefined when there is nothing readable.
 */
export function v3ErrorText(body: string): string | undefined {
  return errorTextOf(body, doc => {
    const err = doc.error
    if (typeof err === 'string') return err || undefined
    if (!isEntity(err)) return text(doc.message) || undefined
    return [text(err.code), text(err.message) || text(err.detail)].filter(Boolean).join(': ') || undefined
  })
}

/** The error code of a v3 error body, e.g. ResourceNotFound or AuthorizationFailed. */
export function v3ErrorCode(body: string): string | undefined {
  try {
    const doc: unknown = JSON.parse(withoutBom(body))
    return isEntity(doc) && isEntity(doc.error) ? serverName(text(doc.error.code)) || undefined : undefined
  } catch {
    return undefined
  }
}
