import type { OutgoingHttpHeaders } from 'node:http'
import { jobService, UserError } from '../../errors.js'
import { parseJobs, parseTasks, serviceErrorText, type Task } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import { serverMessage } from '../../text.js'
import type { CallOptions } from '../../transport/call.js'
import {
  type ClientDeps,
  type FailedAnswer,
  GuardedExchange,
  type GuardedRequest,
  type ServiceDialect
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

const SERVICE = 'Media Services'

/** Media Services v2: its OData paths and headers, its wording; the guarded exchange does the rest. */
export class MediaServicesClient {
  private base: URL
  private readonly guarded: GuardedExchange

  constructor(private readonly o: ClientOptions) {
    this.base = new URL(o.apiUrl.href)
    this.guarded = new GuardedExchange({ ...o, dialect: this.dialect(), first: o.apiUrl })
  }

  /** The API root in use: the account's own endpoint once the service redirected us there. */
  get apiRoot(): string {
    return this.base.href
  }

  get requests(): number {
    return this.guarded.requests
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

  /** A GET of `relative` under the API root, which a redirect moves for every later request. */
  private get<T>(relative: string, call: CallOptions, parse: (body: string) => T): Promise<T> {
    const at = (): URL => new URL(relative, this.base)
    const request: GuardedRequest = {
      method: 'GET',
      get url() {
        return at()
      },
      headers: HEADERS(this.o.msVersion),
      redirected: target => {
        const root = baseFromLocation(target, relative)
        const moved = root.href !== this.base.href
        if (moved) this.base = root
        return { next: at(), root: moved ? root : undefined }
      }
    }
    return this.guarded.request(request, call, res => parse(res.body))
  }

  private dialect(): ServiceDialect {
    const o = this.o
    return {
      service: SERVICE,
      urlInput: 'api-url',
      untrustedHost: where =>
        `Refused to send the token to ${where}: Media Services redirected there, and it is not a trusted Media Services host and port. If it is your account's endpoint, set api-url to it or add ${where} to trusted-hosts.`,
      errorText: serviceErrorText,
      resourceName: url => url.pathname.replace(/^.*\//, '').slice(0, 40) || url.pathname,
      explain: a => explain(a, o)
    }
  }
}

const HEADERS = (msVersion: string): OutgoingHttpHeaders => ({
  'x-ms-version': msVersion,
  Accept: 'application/json',
  'Accept-Charset': 'UTF-8',
  DataServiceVersion: '3.0',
  MaxDataServiceVersion: '3.0'
})

/** Media Services' own words for a refusal, and the hints for a wrong api-url or x-ms-version. */
function explain({ res, url, refreshed, detail, said }: FailedAnswer, o: ClientOptions): Error | undefined {
  const source = jobService(SERVICE)
  if (res.status === 401) {
    const why = refreshed
      ? "even with a fresh token. Check that the service principal has a role (e.g. Contributor) on the Media Services account, that tenant-id is the account's tenant, and that api-url is this account's endpoint"
      : `for ${o.tokens.description}. It may have expired or be for another resource (get it for ${o.mediaResource})`
    return new UserError(`Media Services refused access (401) ${why}${detail}`, undefined, source)
  }
  if (res.status === 403) {
    return new UserError(
      `Media Services denied access (403)${detail}. Give the service principal a role (e.g. Contributor) on the Media Services account.`,
      undefined,
      source
    )
  }
  if (res.status === 404 && url.pathname.endsWith('/Jobs()')) {
    return new UserError(
      `Media Services has no Jobs collection at ${serverMessage(url.origin + url.pathname.slice(0, -'Jobs()'.length))} (404)${detail}. Check api-url: the v2 endpoint ends in /api/.`,
      'api-url',
      source
    )
  }
  if (res.status === 400 && /x-ms-version|version/i.test(said ?? '')) {
    return new UserError(
      `Media Services rejected the request (400)${detail}. Check x-ms-version (2.19 is the newest).`,
      'x-ms-version',
      source
    )
  }
  return undefined
}
