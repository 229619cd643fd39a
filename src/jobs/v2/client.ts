import { ServiceError, UserError } from '../../errors.js'
import { header, type HttpResponse, retryAfterMs } from '../../transport/http.js'
import { parseJobs, parseTasks, serviceErrorText, type Task } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import { logRetries, withRetries } from '../../transport/retry.js'
import { serverMessage, serverName } from '../../text.js'
import { tokenRefusal } from '../../transport/trust.js'
import type { CallOptions } from '../../transport/call.js'
import {
  type ClientDeps,
  MAX_REDIRECTS,
  REDIRECTS,
  requestIdOf,
  TRANSIENT_STATUS
} from '../../transport/guarded.js'
import type { Job } from '../model.js'

export interface ClientOptions extends ClientDeps {
  apiUrl: URL
  /** The cloud's Media Services token resource, named in access hints. */
  mediaResource: string
  msVersion: string
  /** Host names, or domains with a leading dot, that may receive the token. */
  trustedHosts: readonly string[]
}

/** 20 ids make a query of about 1.5 KB: under the 2 KB query-string limit common to IIS front ends. */
export const JOBS_PER_REQUEST = 20
/** Jobs queries in flight at once: 1000 jobs (50 queries) take a few round trips, not fifty. */
export const CONCURRENT_JOBS_QUERIES = 4

/** OData string literal: single quotes are doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

export function jobsQuery(ids: readonly string[]): string {
  const filter = ids.map(id => `Id eq ${odataString(id)}`).join(' or ')
  return `Jobs()?$filter=${encodeURIComponent(filter)}&$top=${ids.length}`
}

export function tasksPath(id: string): string {
  return `Jobs(${encodeURIComponent(odataString(id))})/Tasks`
}

export function cancelJobPath(id: string): string {
  return `CancelJob?jobid=${encodeURIComponent(odataString(id))}`
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * The new API root after a redirect. The global host answers `GET /api/` with the account's root; some
 * answers carry the full resource URL instead: then the requested relative path is cut off its end.
 */
export function baseFromLocation(target: URL, relative: string): URL {
  // Compare decoded paths: `Jobs('nb%3Ajid…')` and `Jobs('nb:jid…')` are the same resource.
  const relPath = decode(new URL(relative, 'https://x/').pathname.slice(1)).toLowerCase()
  const base = new URL(target.href)
  base.search = ''
  base.hash = ''
  const path = decode(base.pathname)
  if (relPath && path.toLowerCase().endsWith(relPath) && path.length > relPath.length) {
    base.pathname = path.slice(0, path.length - relPath.length)
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  return base
}

/** HTTP to Media Services v2: headers, redirects kept under our control, token refresh, retries. */
export class MediaServicesClient {
  private base: URL
  private requestCount = 0

  constructor(private readonly o: ClientOptions) {
    this.base = new URL(o.apiUrl.href)
  }

  /** The API root in use: the account's own endpoint once the service redirected us there. */
  get apiRoot(): string {
    return this.base.href
  }

  get requests(): number {
    return this.requestCount
  }

  /** The jobs among `ids` that the service knows, in batches of JOBS_PER_REQUEST, a few at a time. */
  async getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]> {
    const batches: string[][] = []
    for (let i = 0; i < ids.length; i += JOBS_PER_REQUEST) batches.push(ids.slice(i, i + JOBS_PER_REQUEST))
    const answers = await mapLimit(batches, CONCURRENT_JOBS_QUERIES, batch =>
      this.get(jobsQuery(batch), call, parseJobs)
    )
    return answers.flat()
  }

  async getTasks(id: string, call: CallOptions): Promise<Task[]> {
    return this.get(tasksPath(id), call, parseTasks)
  }

  async cancelJob(id: string, call: CallOptions): Promise<void> {
    await this.get(cancelJobPath(id), call, () => undefined)
  }

  private get<T>(relative: string, call: CallOptions, parse: (body: string) => T): Promise<T> {
    return withRetries(
      async () => {
        const res = await this.send(relative, call)
        try {
          return parse(res.body)
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error
          const requestId = requestIdOf(res)
          const where = `HTTP ${res.status}${requestId ? `, x-ms-request-id ${requestId}` : ''}`
          throw new ServiceError(`${error.message} (${where})`, res.status, requestId, error.transient)
        }
      },
      {
        deadline: call.deadline,
        signal: call.signal,
        now: this.o.now,
        sleep: this.o.sleep,
        random: this.o.random,
        onRetry: logRetries(this.o.log, 'Media Services')
      }
    )
  }

  /** One logical request: follows redirects itself and refreshes the token once on 401. */
  private async send(relative: string, call: CallOptions): Promise<HttpResponse> {
    let refreshed = false
    for (let hop = 0; hop <= MAX_REDIRECTS;) {
      const url = new URL(relative, this.base)
      this.assertMayReceiveToken(url)
      const res = await this.exchange(url, await this.o.tokens.getToken(false, call), call)
      if (REDIRECTS.has(res.status)) {
        this.follow(res, url, relative)
        hop++
        continue
      }
      if (res.status === 401 && this.o.tokens.canRefresh && !refreshed) {
        refreshed = true
        this.o.log.info('Media Services refused the token (401); getting a fresh one and trying once more.')
        await this.o.tokens.getToken(true, call)
        continue
      }
      if (res.status >= 200 && res.status < 300) return res
      throw this.failure(res, url, refreshed)
    }
    throw new ServiceError(
      `Media Services redirected more than ${MAX_REDIRECTS} times; last API root ${serverMessage(this.base.href)}`
    )
  }

  private async exchange(url: URL, token: string, call: CallOptions): Promise<HttpResponse> {
    const started = this.o.now()
    this.requestCount++
    const res = await this.o.http.request(
      'GET',
      url.href,
      {
        Authorization: `Bearer ${token}`,
        'x-ms-version': this.o.msVersion,
        Accept: 'application/json',
        'Accept-Charset': 'UTF-8',
        DataServiceVersion: '3.0',
        MaxDataServiceVersion: '3.0'
      },
      undefined,
      { signal: call.signal, deadline: call.endBy }
    )
    const requestId = requestIdOf(res)
    this.o.log.debug(
      `GET ${url.href} -> ${res.status} in ${this.o.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
    )
    return res
  }

  private follow(res: HttpResponse, from: URL, relative: string): void {
    const location = header(res, 'location')
    if (!location) {
      throw new ServiceError(
        `Media Services answered ${res.status} without a Location header`,
        res.status,
        requestIdOf(res)
      )
    }
    let target: URL
    try {
      target = new URL(location, from)
    } catch {
      throw new ServiceError(
        `Media Services redirected to an unreadable Location`,
        res.status,
        requestIdOf(res)
      )
    }
    this.assertMayReceiveToken(target)
    const next = baseFromLocation(target, relative)
    if (next.href !== this.base.href) {
      this.o.log.info(
        `Media Services redirected to ${serverMessage(next.href)}; later requests go there directly.`
      )
      this.base = next
    }
  }

  /** The token goes only over https (or http on loopback) and only to trusted hosts. */
  private assertMayReceiveToken(url: URL): void {
    const refusal = tokenRefusal(url, this.o.apiUrl, this.o.trustedHosts)
    if (refusal === 'not-https') {
      throw new UserError(
        `Refused a redirect to ${serverName(`${url.protocol}//${url.host}`)}: the token is only sent over https.`,
        'api-url'
      )
    }
    if (refusal === 'untrusted') {
      const where = serverName(url.port ? `${url.hostname}:${url.port}` : url.hostname)
      throw new UserError(
        `Refused to send the token to ${where}: Media Services redirected there, and it is not a trusted Media Services host and port. If it is your account's endpoint, set api-url to it or add ${where} to trusted-hosts.`,
        'trusted-hosts'
      )
    }
  }

  private failure(res: HttpResponse, url: URL, refreshed: boolean): Error {
    const requestId = requestIdOf(res)
    const said = serviceErrorText(res.body)
    const detail = `${said ? `: ${said}` : ''}${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
    const what = `GET ${serverName(url.pathname.replace(/^.*\//, '').slice(0, 40) || url.pathname)}`
    if (res.status === 401) {
      const why = refreshed
        ? "even with a fresh token. Check that the service principal has a role (e.g. Contributor) on the Media Services account, that tenant-id is the account's tenant, and that api-url is this account's endpoint"
        : `for ${this.o.tokens.description}. It may have expired or be for another resource (get it for ${this.o.mediaResource})`
      return new UserError(`Media Services refused access (401) ${why}${detail}`)
    }
    if (res.status === 403) {
      return new UserError(
        `Media Services denied access (403)${detail}. Give the service principal a role (e.g. Contributor) on the Media Services account.`
      )
    }
    if (res.status === 404 && url.pathname.endsWith('/Jobs()')) {
      return new UserError(
        `Media Services has no Jobs collection at ${serverMessage(url.origin + url.pathname.slice(0, -'Jobs()'.length))} (404)${detail}. Check api-url: the v2 endpoint ends in /api/.`,
        'api-url'
      )
    }
    if (res.status === 400 && /x-ms-version|version/i.test(said ?? '')) {
      return new UserError(
        `Media Services rejected the request (400)${detail}. Check x-ms-version (2.19 is the newest).`,
        'x-ms-version'
      )
    }
    const transient = TRANSIENT_STATUS.has(res.status)
    const label =
      res.status === 503 ? 'busy (503)' : res.status === 429 ? 'throttling (429)' : `HTTP ${res.status}`
    return new ServiceError(
      `${what} answered ${label}${detail}`,
      res.status,
      requestId,
      transient,
      retryAfterMs(header(res, 'retry-after'), this.o.now())
    )
  }
}
