// @ts-check
/** OData JSON shapes of Media Services v2: minimal metadata and verbose. Test-only code. */
import { send } from './util.js'
import { isFinal } from './jobs.js'

const NS = 'Microsoft.Cloud.Media.Vod.Rest.Data.Models'
const CT_MINIMAL = 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8'
const CT_VERBOSE = 'application/json;odata=verbose;charset=utf-8'

/** @typedef {import('./media.js').MediaState} MediaState */
/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:http').ServerResponse} Res */

/**
 * @param {MediaState} st
 * @param {Req} req
 */
export function isVerbose(st, req) {
  if (st.shape !== 'auto') return st.shape === 'verbose'
  return /odata=verbose/i.test(String(req.headers.accept || ''))
}

/**
 * OData error in the shape matching the request.
 * @param {Res} res
 * @param {boolean} verbose
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
export function odataError(res, verbose, status, message, headers = {}) {
  const err = { code: '', message: { lang: 'en-US', value: message } }
  const body = verbose ? { error: err } : { 'odata.error': err }
  send(res, status, { 'Content-Type': verbose ? CT_VERBOSE : CT_MINIMAL, ...headers }, JSON.stringify(body))
}

/**
 * A date as Media Services wrote it (MicrosoftDocs/azure-docs, media-services-rest-get-started.md): minimal
 * metadata without a zone (`"Created":"2015-01-19T07:52:15.603"`); verbose as `\/Date(ms)\/` or, in the
 * recorded verbose Job, ISO in UTC with its `Z` (`"Created":"2015-01-19T08:04:34.3287057Z"`).
 * @param {MediaState} st
 * @param {number | null} ms
 * @param {boolean} verbose
 * @returns {string | null}
 */
export function date(st, ms, verbose) {
  if (ms === null) return null
  if (verbose && st.verboseDates === 'ms') return `/Date(${Math.round(ms)})/`
  const iso = new Date(ms).toISOString()
  return verbose ? iso : iso.replace(/Z$/, '')
}

/** @param {string} id */
export const keyOf = id => encodeURIComponent(id.replace(/'/g, "''"))

/**
 * @param {MediaState} st
 * @param {import('./jobs.js').Snapshot} snap
 * @param {boolean} verbose
 * @param {string} base
 */
export function jobEntity(st, snap, verbose, base) {
  const j = snap.job
  const uri = `${base}Jobs('${keyOf(j.id)}')`
  /** @type {Record<string, unknown>} */
  const e = {}
  if (verbose) e.__metadata = { id: uri, uri, type: `${NS}.Job` }
  Object.assign(e, {
    Id: j.id,
    Name: j.name,
    Created: date(st, j.created, verbose),
    LastModified: date(st, j.lastModified, verbose),
    EndTime: date(st, j.endTime, verbose),
    Priority: j.priority,
    RunningDuration: snap.runningDuration,
    StartTime: date(st, j.startTime, verbose),
    State: j.stateCode,
    TemplateId: null,
    JobNotificationSubscriptions: verbose
      ? { __metadata: { type: `Collection(${NS}.JobNotificationSubscription)` }, results: [] }
      : []
  })
  if (verbose) {
    for (const nav of ['InputMediaAssets', 'OutputMediaAssets', 'Tasks'])
      e[nav] = { __deferred: { uri: `${uri}/${nav}` } }
  }
  return e
}

/**
 * @param {MediaState} st
 * @param {import('./jobs.js').Snapshot} snap
 * @param {boolean} verbose
 * @param {string} base
 */
export function taskEntities(st, snap, verbose, base) {
  const j = snap.job
  const failed = j.state === 'Error'
  /** @param {string} type @param {unknown[]} results */
  const coll = (type, results) =>
    verbose ? { __metadata: { type: `Collection(${NS}.${type})` }, results } : results
  return j.taskIds.map((id, i) => {
    const uri = `${base}Tasks('${keyOf(id)}')`
    /** @type {Record<string, unknown>} */
    const e = {}
    if (verbose) e.__metadata = { id: uri, uri, type: `${NS}.Task` }
    Object.assign(e, {
      Id: id,
      Name: `${j.name} task ${i + 1}`,
      Configuration: 'Adaptive Streaming',
      EndTime: date(st, j.endTime, verbose),
      ErrorDetails: coll(
        'ErrorDetail',
        failed ? j.errorDetails.map(d => ({ Code: d.Code, Message: d.Message })) : []
      ),
      HistoricalEvents: coll(
        'TaskHistoricalEvent',
        j.history.map(h => ({ Code: h.Code, Message: h.Message, TimeStamp: date(st, h.TimeStamp, verbose) }))
      ),
      MediaProcessorId: 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56',
      Options: 0,
      PerfMessage: isFinal(j.state) ? `Processed in ${Math.round(snap.runningDuration)} ms` : null,
      Priority: j.priority,
      Progress: snap.progress[i],
      RunningDuration: snap.runningDuration,
      StartTime: date(st, j.startTime, verbose),
      State: j.stateCode,
      TaskBody: '<?xml version="1.0" encoding="utf-16"?><taskBody/>',
      InitializationVector: null,
      EncryptionKeyId: null,
      EncryptionScheme: null,
      EncryptionVersion: null
    })
    if (verbose) {
      for (const nav of ['InputMediaAssets', 'OutputMediaAssets'])
        e[nav] = { __deferred: { uri: `${uri}/${nav}` } }
    }
    return e
  })
}

/**
 * @param {Res} res
 * @param {boolean} verbose
 * @param {unknown} body
 */
export function sendOData(res, verbose, body) {
  // Verbose JSON escapes the slashes of \/Date(…)\/ literally.
  const text = JSON.stringify(body).replace(/"\/Date\((-?\d+)\)\/"/g, '"\\/Date($1)\\/"')
  send(res, 200, { 'Content-Type': verbose ? CT_VERBOSE : CT_MINIMAL, DataServiceVersion: '3.0;' }, text)
}

/**
 * The job's OutputMediaAssets: Asset entities, State 0 (Initialized: nothing has published them yet).
 * @param {MediaState} st
 * @param {import('./jobs.js').JobRecord} job
 * @param {boolean} verbose
 * @param {string} base
 */
export function assetEntities(st, job, verbose, base) {
  return job.outputAssets.map(a => {
    const uri = `${base}Assets('${keyOf(a.Id)}')`
    /** @type {Record<string, unknown>} */
    const e = {}
    if (verbose) e.__metadata = { id: uri, uri, type: `${NS}.Asset` }
    Object.assign(e, {
      Id: a.Id,
      State: 0,
      Created: date(st, job.created, verbose),
      LastModified: date(st, job.lastModified, verbose),
      AlternateId: null,
      Name: a.Name,
      Options: 0,
      FormatOption: 0,
      Uri: a.Uri,
      StorageAccountName: a.StorageAccountName
    })
    if (verbose) {
      for (const nav of ['Locators', 'ContentKeys', 'Files', 'ParentAssets', 'DeliveryPolicies'])
        e[nav] = { __deferred: { uri: `${uri}/${nav}` } }
    }
    return e
  })
}
