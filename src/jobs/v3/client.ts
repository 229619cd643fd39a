import { ServiceError, UserError } from '../../errors.js'
import { header, type HttpResponse, retryAfterMs } from '../../transport/http.js'
import { parseV3JobBody, v3ErrorCode, v3ErrorText } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import { logRetries, withRetries } from '../../transport/retry.js'
import type { CallOptions } from '../../transport/call.js'
import { type ClientDeps, MAX_REDIRECTS, REDIRECTS, TRANSIENT_STATUS } from '../../transport/guarded.js'
import { tokenRefusal } from '../../transport/trust.js'
import type { Job } from '../model.js'

/** One awaited v3 job: the id the user reads (resource id or URL) and the URL it is read from. */
export interface JobTarget {
  id: string
  url: URL
}

export interface V3ClientOptions extends ClientDeps {
  targets: readonly JobTarget[]
  /** Azure Resource Manager (Entra ID token, cancelJob) rather than another v3-shaped service. */
  arm: boolean
  /** Host names or `.domains` that may receive the token, each on port 443 unless it ends in `:port`. */
  trustedHosts: readonly string[]
}

/** A few jobs in flight at once: one GET per job, but not a burst that invites throttling. */
export const PARALLEL_GETS = 4

/**
 * HTTP to v3-shaped job resources (Azure Resource Manager, MK.IO): one GET per job gives its state,
 * progress and errors. Redirects are followed here, under the same trust rules as v2.
 */
export class V3JobsClient {
  private requestCount = 0
  private readonly byId: Map<string, JobTarget>
  readonly service: string

  constructor(private readonly o: V3ClientOptions) {
    this.byId = new Map(o.targets.map(t => [t.id, t]))
    this.service = o.arm ? 'Azure Resource Manager' : (o.targets[0]?.url.host ?? 'the job service')
  }

  get requests(): number {
    return this.requestCount
  }

  get apiRoot(): string {
    return this.o.targets[0]?.url.origin ?? ''
  }

  /** Only ARM documents cancelJob (POST …/jobs/{j}/cancelJob, 200 with `{}`). */
  get canCancel(): boolean {
    return this.o.arm
  }

  /** The jobs among `ids` that exist; a 404 leaves a job out (the waiter counts it as not found). */
  async getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]> {
    const jobs = await mapLimit(ids, PARALLEL_GETS, id => this.getJob(id, call))
    return jobs.filter((j): j is Job => j !== undefined)
  }

  async cancelJob(id: string, call: CallOptions): Promise<void> {
    const target = this.target(id)
    const url = new URL(target.url.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/cancelJob`
    await this.call('POST', url, call, () => undefined)
  }

  private async getJob(id: string, call: CallOptions): Promise<Job | undefined> {
    const target = this.target(id)
    return this.call('GET', target.url, call, res =>
      res.status === 404 ? undefined : parseV3JobBody(res.body, id, this.service)
    )
  }

  private target(id: string): JobTarget {
    const t = this.byId.get(id)
    if (!t) throw new Error(`no job URL for ${id}`)
    return t
  }

  private call<T>(
    method: 'GET' | 'POST',
    url: URL,
    call: CallOptions,
    parse: (res: HttpResponse) => T
  ): Promise<T> {
    return withRetries(
      async () => {
        const res = await this.send(method, url, call)
        try {
          return parse(res)
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error
          // The parser named the service; the status and request id are only known here.
          throw new ServiceError(
            `${error.message} (HTTP ${res.status}${requestId(res) ? `, x-ms-request-id ${requestId(res)}` : ''})`,
            res.status,
            requestId(res),
            error.transient
          )
        }
      },
      {
        deadline: call.deadline,
        signal: call.signal,
        now: this.o.now,
        sleep: this.o.sleep,
        random: this.o.random,
        onRetry: logRetries(this.o.log, this.service)
      }
    )
  }

  /** One logical request: follows redirects, refreshes the token once on 401; a 404 is an answer. */
  private async send(method: 'GET' | 'POST', first: URL, call: CallOptions): Promise<HttpResponse> {
    let url = first
    let refreshed = false
    for (let hop = 0; hop <= MAX_REDIRECTS;) {
      this.assertMayReceiveToken(url, first)
      const res = await this.exchange(method, url, await this.o.tokens.getToken(false, call), call)
      if (REDIRECTS.has(res.status)) {
        url = this.follow(res, url, first)
        hop++
        continue
      }
      if (res.status === 401 && this.o.tokens.canRefresh && !refreshed) {
        refreshed = true
        this.o.log.info(`${this.service} refused the token (401); getting a fresh one and trying once more.`)
        await this.o.tokens.getToken(true, call)
        continue
      }
      if ((res.status >= 200 && res.status < 300) || (res.status === 404 && method === 'GET')) return res
      throw this.failure(method, res, url, refreshed)
    }
    throw new ServiceError(`${this.service} redirected more than ${MAX_REDIRECTS} times`)
  }

  private async exchange(
    method: 'GET' | 'POST',
    url: URL,
    token: string,
    call: CallOptions
  ): Promise<HttpResponse> {
    const started = this.o.now()
    this.requestCount++
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' }
    const res = await this.o.http.request(
      method,
      url.href,
      method === 'POST' ? { ...headers, 'Content-Type': 'application/json' } : headers,
      method === 'POST' ? '{}' : undefined,
      { signal: call.signal, deadline: call.endBy }
    )
    this.o.log.debug(
      `${method} ${url.href} -> ${res.status} in ${this.o.now() - started} ms${requestIdText(res)}`
    )
    return res
  }

  private follow(res: HttpResponse, from: URL, first: URL): URL {
    const location = header(res, 'location')
    let target: URL | undefined
    try {
      target = location ? new URL(location, from) : undefined
    } catch {
      target = undefined
    }
    if (!target) {
      throw new ServiceError(
        `${this.service} answered ${res.status} without a readable Location`,
        res.status,
        requestId(res)
      )
    }
    this.assertMayReceiveToken(target, first)
    this.o.log.info(`${this.service} redirected to ${target.origin}${target.pathname}.`)
    return target
  }

  /** The token goes only over https (or http on loopback, when job-url was so) and only to trusted hosts. */
  private assertMayReceiveToken(url: URL, first: URL): void {
    const refusal = tokenRefusal(url, first, this.o.trustedHosts)
    if (refusal === 'not-https') {
      throw new UserError(
        `Refused a redirect to ${url.protocol}//${url.host}: the token is only sent over https.`,
        'job-url'
      )
    }
    if (refusal === 'untrusted') {
      throw new UserError(
        `Refused to send the token to ${url.host}: ${this.service} redirected there, and it is not the host of job-url. If it is yours, add it to trusted-hosts.`,
        'trusted-hosts'
      )
    }
  }

  private failure(method: string, res: HttpResponse, url: URL, refreshed: boolean): Error {
    const said = v3ErrorText(res.body)
    const detail = `${said ? `: ${said}` : ''}${requestIdText(res)}`
    const what = `${method} ${url.pathname.split('/').filter(Boolean).slice(-2).join('/').slice(0, 80)}`
    if (res.status === 401) {
      const why = refreshed
        ? 'even with a fresh token. Check that the service principal has a role on the Media Services account and that tenant-id is its tenant'
        : this.o.arm
          ? `for ${this.o.tokens.description}. It may have expired or be for another resource (get it for Azure Resource Manager)`
          : `for ${this.o.tokens.description}. Check access-token: it may have expired or be for another service`
      return new UserError(`${this.service} refused access (401) ${why}${detail}`, 'access-token')
    }
    if (res.status === 403) {
      return new UserError(
        `${this.service} denied access (403)${detail}. ${this.o.arm ? 'Give the service principal a role (e.g. Media Services Contributor, or Contributor) on the Media Services account.' : 'Check that access-token may read these jobs.'}`
      )
    }
    if (res.status === 400 && v3ErrorCode(res.body) === 'InvalidApiVersionParameter') {
      return new UserError(`${this.service} rejected the api-version (400)${detail}. Fix job-url.`, 'job-url')
    }
    const label =
      res.status === 503 ? 'busy (503)' : res.status === 429 ? 'throttling (429)' : `HTTP ${res.status}`
    return new ServiceError(
      `${what} answered ${label}${detail}`,
      res.status,
      requestId(res),
      TRANSIENT_STATUS.has(res.status),
      retryAfterMs(header(res, 'retry-after'), this.o.now())
    )
  }
}

function requestId(res: HttpResponse): string | undefined {
  return header(res, 'x-ms-request-id') ?? header(res, 'x-ms-correlation-request-id')
}

function requestIdText(res: HttpResponse): string {
  const id = requestId(res)
  return id ? ` (x-ms-request-id ${id})` : ''
}
