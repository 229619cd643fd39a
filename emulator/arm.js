// @ts-check
/**
 * v3-shaped job services for the e2e tests: Azure Resource Manager (Media Services v3 jobs, api-version
 * 2022-07-01, Entra ID tokens) and an MK.IO-shaped service (a personal API token as Bearer). One
 * listener each, plus "evil" (must never be contacted), all on 127.0.0.1 with random ports.
 * Test-only code, written from the public ARM spec (Encoding.json) and MK.IO's .NET SDK, and shaped like
 * recorded answers: Azure/azure-cli's test_ams_job.yaml (a 404 is `{"error":{"code":"NotFound","message":
 * "The requested resource was not found."}}`, cancelJob a 200 with an empty body, an output keeps its own
 * state while the job is Canceling) and the spec's examples (an output has no times until it starts). MK.IO's
 * refusals are `{"error":{"code","detail"},"ref","status"}` (its error response as hmcts/pre-api's
 * MkErrorResponse reads it); its job errors carry no `details`.
 */
import http from 'node:http'
import https from 'node:https'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { JobStore, snapshot, cancel, isFinal } from './jobs.js'
import { readBody, sendJson, send, safeDecode, uuid, listen, closeAll } from './util.js'

const CERTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'certs')
const API_VERSION = '2022-07-01'
const ARM_JOB =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Media\/mediaServices\/([^/]+)\/transforms\/([^/]+)\/jobs\/([^/]+?)(\/cancelJob)?$/i
/** The SDK's `api/ams/{subscription}/…` and the documented `api/v1/projects/{project}/media/…`. */
const MKIO_JOB =
  /^\/api\/(?:ams\/[^/]+|v1\/projects\/[^/]+\/media)\/transforms\/([^/]+)\/jobs\/([^/]+?)(\/cancelJob)?$/i

/**
 * Resource Manager resource names are case-insensitive; MK.IO's paths are taken as given (…/jobs/clip and
 * …/jobs/CLIP are two jobs), as on any host that is not Resource Manager.
 * @param {string} api
 * @param {string} name
 */
function jobKey(api, name) {
  return `${api}:${api === 'arm' ? name.toLowerCase() : name}`
}

/**
 * @typedef {'arm' | 'mkio' | 'evil'} Api
 * @typedef {{ code: string, message: string, category?: string, retry?: string,
 *   details?: { code: string, message: string }[] }} V3Error
 * @typedef {{ name?: string, timeline?: import('./jobs.js').Step[], outputs?: number, missing?: boolean,
 *   clockFromFirstPoll?: boolean, assetNames?: string[], endTimeOnly?: boolean,
 *   outputStates?: (string | undefined)[], error?: V3Error }} V3JobSpec
 *   outputStates: the state each output ends in once the job has ended (default: the job's), e.g. a
 *   Finished job with an output in Error (`onError: ContinueJob`); an output scripted Error carries `error`.
 *   endTimeOnly: the job never reports a startTime (only endTime once it ends).
 * @typedef {{ error: V3Error, path: string, assetNames?: string[], outputStates?: (string | undefined)[] }} V3Extra
 * @typedef {{ api: Api, method: string, path: string, authorization: string | undefined, status: number, at: number }} V3Request
 */

/**
 * @param {{ isIssuedToken: (token: string) => boolean, mkioToken?: string, armOverHttp?: boolean,
 *   ports?: Partial<Record<Api, number>> }} options
 *   isIssuedToken: whether Entra ID (the main emulator, started with the ARM scope) issued the token.
 *   armOverHttp: serve Resource Manager over plain http (the action allows it on loopback), e.g. to check
 *   that an https sign-in followed by http polls works.
 *   ports: fixed ports (npm run emulator --port), so that job URLs stay the same across restarts; else random.
 */
export async function startArmEmulator(options) {
  const mkioToken = options.mkioToken ?? 'mkio-personal-token-0f9e8d7c6b5a'
  const store = new JobStore()
  /** @type {Map<string, V3Extra>} */
  const extra = new Map()
  /** @type {V3Request[]} */
  const requests = []
  /** @type {{ api: Api, left: number, kind: 'throttle' | 'redirect', retryAfterSec?: number }[]} */
  const faults = []
  const tls = {
    key: fs.readFileSync(path.join(CERTS, 'server-key.pem')),
    cert: fs.readFileSync(path.join(CERTS, 'server.pem'))
  }
  /** @type {Record<Api, string>} */
  const origins = /** @type {any} */ ({})
  /** @type {(http.Server | https.Server)[]} */
  const servers = []
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()

  for (const api of /** @type {Api[]} */ (['arm', 'mkio', 'evil'])) {
    /** @type {http.RequestListener} */
    const listener = (req, res) => {
      handle(api, req, res).catch(() => send(res, 500, { 'Content-Type': 'text/plain' }, 'emulator error'))
    }
    const plain = api === 'arm' && options.armOverHttp === true
    const server = plain ? http.createServer(listener) : https.createServer(tls, listener)
    server.on('connection', (/** @type {import('node:net').Socket} */ s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    server.on('tlsClientError', () => {})
    servers.push(server)
    try {
      origins[api] = `${plain ? 'http' : 'https'}://127.0.0.1:${await listen(server, options.ports?.[api])}`
    } catch (error) {
      await closeAll(servers)
      throw error
    }
  }

  /**
   * @param {Api} api
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(api, req, res) {
    /** @type {V3Request} */
    const rec = {
      api,
      method: req.method || 'GET',
      path: req.url || '/',
      authorization: req.headers.authorization,
      status: 0,
      at: Date.now()
    }
    requests.push(rec)
    Object.assign(res, { emuRecord: rec })
    res.setHeader('x-ms-request-id', uuid())
    await readBody(req)
    const url = new URL(req.url || '/', origins[api])
    const mkioError = (
      /** @type {number} */ status,
      /** @type {string} */ code,
      /** @type {string} */ detail
    ) => sendJson(res, status, { error: { code, detail }, ref: uuid(), status })
    const error = (
      /** @type {number} */ status,
      /** @type {string} */ code,
      /** @type {string} */ message,
      headers = {}
    ) => sendJson(res, status, { error: { code, message } }, headers)
    if (api === 'evil') return error(418, 'Evil', 'This host must never receive a request.')

    const fault = faults.find(f => f.api === api && f.left > 0)
    if (fault) {
      fault.left--
      if (fault.kind === 'throttle') {
        const retryAfter = String(fault.retryAfterSec ?? 1)
        return error(429, 'TooManyRequests', 'The request is being throttled.', { 'Retry-After': retryAfter })
      }
      return send(res, 307, { Location: `${origins.evil}${req.url}` })
    }

    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization || ''))
    if (api === 'arm') {
      if (!auth || !options.isIssuedToken(auth[1])) {
        return error(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
          'WWW-Authenticate':
            'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token"'
        })
      }
      const version = url.searchParams.get('api-version')
      if (!version)
        return error(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.'
        )
      if (version !== API_VERSION)
        return error(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid.`)
    } else if (!auth || auth[1] !== mkioToken) {
      return mkioError(401, 'Unauthorized', 'Invalid or expired API token.')
    }

    const m = (api === 'arm' ? ARM_JOB : MKIO_JOB).exec(safeDecode(url.pathname))
    const key = m ? jobKey(api, api === 'arm' ? m[5] : m[2]) : ''
    const job = m ? store.visible(key) : undefined
    const isCancel = Boolean(m && m[m.length - 1])
    if (!job) {
      return api === 'arm'
        ? error(404, 'NotFound', 'The requested resource was not found.')
        : mkioError(404, 'NotFound', `Job '${(m ? m[2] : url.pathname).slice(0, 200)}' was not found.`)
    }
    if (isCancel) {
      if (req.method !== 'POST') return error(405, 'MethodNotAllowed', 'cancelJob takes POST.')
      cancel(job)
      return send(res, 200, {})
    }
    if (req.method !== 'GET') return error(405, 'MethodNotAllowed', 'Jobs are read with GET.')
    return sendJson(res, 200, jobBody(job, extra.get(key)))
  }

  /**
   * The state an output reports: the job's while it runs; once the job has ended, the one scripted for it
   * (else the job's). While the job is Canceling an output that started stays Processing (as recorded).
   * @param {import('./jobs.js').JobRecord} job
   * @param {V3Extra | undefined} more
   * @param {number} i
   * @returns {string}
   */
  function outputState(job, more, i) {
    if (isFinal(job.state)) return more?.outputStates?.[i] ?? job.state
    if (job.state === 'Canceling') return job.startTime === null ? 'Queued' : 'Processing'
    return job.state
  }

  /**
   * @param {import('./jobs.js').JobRecord} job
   * @param {V3Extra | undefined} more
   */
  function jobBody(job, more) {
    const snap = snapshot(job, true)
    const iso = (/** @type {number | null} */ ms) => (ms === null ? undefined : new Date(ms).toISOString())
    const scripted = (/** @type {number} */ i) => more?.outputStates?.[i] !== undefined
    return {
      name: job.name,
      id: more?.path,
      type: 'Microsoft.Media/mediaservices/transforms/jobs',
      properties: {
        created: iso(job.created),
        state: snap.state,
        input: { '@odata.type': '#Microsoft.Media.JobInputAsset', assetName: `${job.name}-input` },
        lastModified: iso(job.lastModified),
        outputs: snap.progress.map((p, i) => {
          const state = outputState(job, more, i)
          // A job in Error without scripted outputs: its first output carries the error, as before.
          const failed = state === 'Error' && (scripted(i) || i === 0)
          return {
            '@odata.type': '#Microsoft.Media.JobOutputAsset',
            assetName: more?.assetNames?.[i] ?? `${job.name}-output-${i}`,
            label: `output${i}`,
            state,
            progress: Math.round(p),
            // An output has a startTime once it started and an endTime once it ended (the spec's examples).
            startTime: state === 'Queued' || state === 'Scheduled' ? undefined : iso(job.startTime),
            endTime: isFinal(/** @type {any} */ (state)) ? iso(job.endTime) : undefined,
            error: failed ? more?.error : undefined
          }
        }),
        priority: 'Normal',
        correlationData: {},
        startTime: iso(job.startTime),
        endTime: iso(job.endTime)
      }
    }
  }

  /**
   * @param {Api} api
   * @param {V3JobSpec} spec
   * @param {(name: string) => string} pathOf
   */
  function add(api, spec, pathOf) {
    const name = spec.name ?? `job-${store.jobs.length + 1}`
    const key = jobKey(api, name)
    store.add({
      id: key,
      name,
      timeline: spec.timeline,
      tasks: spec.outputs ?? spec.assetNames?.length ?? spec.outputStates?.length ?? 1,
      missing: spec.missing,
      clockFromFirstPoll: spec.clockFromFirstPoll,
      endTimeOnly: spec.endTimeOnly
    })
    const p = pathOf(name)
    // ARM's JobError has details; MK.IO's job errors as its SDK reads them do not.
    const details = api === 'arm' ? [{ code: 'InvalidInput', message: 'moov atom not found' }] : undefined
    extra.set(key, {
      path: p,
      assetNames: spec.assetNames,
      outputStates: spec.outputStates,
      error: {
        category: 'Content',
        retry: 'DoNotRetry',
        ...(spec.error ?? {
          code: 'ContentMalformed',
          message: 'The input content is malformed.',
          ...(details ? { details } : {})
        })
      }
    })
    return p
  }

  return {
    urls: { arm: origins.arm, mkio: origins.mkio, evil: origins.evil },
    mkioToken,
    /** Adds an ARM job; returns its resource id (/subscriptions/…/jobs/<name>). */
    addArmJob: (/** @type {V3JobSpec} */ spec = {}) =>
      add(
        'arm',
        spec,
        n =>
          `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/media-rg/providers/Microsoft.Media/mediaServices/emuacct/transforms/encode/jobs/${n}`
      ),
    /** Adds an MK.IO job; returns its full URL. */
    addMkioJob: (/** @type {V3JobSpec} */ spec = {}) =>
      `${origins.mkio}${add('mkio', spec, n => `/api/ams/emu-sub/transforms/encode/jobs/${n}`)}`,
    /** @param {'arm' | 'mkio'} api @param {string} name */
    job: (api, name) => {
      const j = store.byId.get(jobKey(api, name))
      if (!j) throw new Error(`emulator: no ${api} job ${name}`)
      return j
    },
    requests,
    /** The next `times` requests to `api` get 429 with Retry-After. */
    throttle: (/** @type {Api} */ api, times = 1, retryAfterSec = 1) =>
      void faults.push({ api, left: times, kind: 'throttle', retryAfterSec }),
    /** The next `times` requests to `api` are redirected (307) to the evil host. */
    redirectToEvil: (/** @type {Api} */ api, times = 1) =>
      void faults.push({ api, left: times, kind: 'redirect' }),
    close: async () => {
      const closed = servers.map(s => new Promise(resolve => s.close(() => resolve(undefined))))
      for (const s of sockets) s.destroy()
      await Promise.all(closed)
    }
  }
}
