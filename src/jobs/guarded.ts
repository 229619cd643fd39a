import type { OutgoingHttpHeaders } from 'node:http'
import { type BearerTokens, type CallOptions, retryUntilOf } from '../transport/call.js'
import {
  header,
  type Http,
  type HttpResponse,
  requestIdOf,
  retryAfterMs,
  TRANSIENT_STATUS
} from '../transport/http.js'
import { FirstAnswer, logRetries, retryDelay } from '../transport/retry.js'
import { tokenRefusal } from '../transport/trust.js'
import { abortedBy, type ErrorSource, jobService, OutOfTime, ServiceError, UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import { bodyKind, isWebPage, serverMessage, serverName, withoutBom } from '../text.js'
import { formatDuration } from '../time.js'

/**
 * The guarded token exchange every jobs client (v2 and v3) sends through: where the token may go (after a
 * redirect too), the token itself and one refresh on 401, the bounded exchange, retries, the request id, and
 * server text cleaned before it reaches a log line or an error. A client keeps only its URLs, headers,
 * wording and parsing (its ServiceDialect).
 */

/** What every jobs client (v2 and v3) is given from outside. */
export interface ClientDeps {
  http: Http
  tokens: BearerTokens
  log: Logger
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
}

export const MAX_REDIRECTS = 5

/** The statuses every jobs client follows itself (v2 and v3 alike). */
export const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** One request as a client asks for it; the token is added here. */
export interface GuardedRequest {
  method: 'GET' | 'POST'
  /** Where the request goes first; a redirect moves it for its later attempts (and v2's root for later requests). */
  readonly url: URL
  headers: OutgoingHttpHeaders
  body?: string
  /**
   * Where the next hop goes after a redirect to `target` (already found trustworthy). Unset: to `target`.
   * v2 moves its API root for later requests too, and returns it as `root` when it changed.
   */
  redirected?(target: URL): { next: URL; root?: URL }
}

/** A failing answer, with what the service said and its request id, cleaned and ready to append. */
export interface FailedAnswer {
  method: string
  url: URL
  res: HttpResponse
  /** True when a fresh token was refused too. */
  refreshed: boolean
  /** `: <what the service said> (x-ms-request-id <id>)`, either part absent when unknown. */
  detail: string
  said?: string
}

/** A client's words: its name, the input a refused redirect names, and its reading of failures. */
export interface ServiceDialect {
  /** "Media Services", "Azure Resource Manager", or the job-url host: names it in log lines and errors. */
  readonly service: string
  /** The input that names the service's URL (api-url, job-url). */
  readonly urlInput: string
  /** Why `host` (cleaned) may not receive the token, and what to do about it. */
  untrustedHost(host: string): string
  /** What the service said in an error body, cleaned. */
  errorText(body: string): string | undefined
  /** How a failed request's resource is named: "Jobs()", "jobs/j1" (cleaned here). */
  resourceName(url: URL): string
  /** The client's own reading of a failure (401 and 403 wording, hints); undefined: the common one. */
  explain(answer: FailedAnswer): Error | undefined
  /** An answer that is no failure though not 2xx: v3's 404 to a GET. */
  isAnswer?(res: HttpResponse, method: string): boolean
}

export interface GuardedOptions extends ClientDeps {
  dialect: ServiceDialect
  /** Host names or `.domains` that may receive the token, each on port 443 unless it ends in `:port`. */
  trustedHosts: readonly string[]
  /** The URL whose plain http allows plain http on loopback (v2's api-url); unset, each request's own URL. */
  first?: URL
}

export class GuardedExchange {
  private count = 0
  /** No request before this (ms since epoch): the last Retry-After the service sent. */
  private quietUntil = 0
  readonly source: ErrorSource
  /**
   * Until the service has answered once in its own shape, a wrong endpoint shows as failures to reach it or
   * as answers that are not the API (a web page, a 404 outside it): both are retried like an outage, but
   * for two minutes at most, and then named as the input to check.
   */
  private readonly firstAnswer: FirstAnswer
  /** The retry's log line: "Media Services: busy (503); retrying in 2.0s (attempt 2)". */
  private readonly onRetry: ReturnType<typeof logRetries>

  constructor(private readonly o: GuardedOptions) {
    this.source = jobService(o.dialect.service)
    this.onRetry = logRetries(o.log, o.dialect.service)
    const { service, urlInput } = o.dialect
    this.firstAnswer = new FirstAnswer(
      (error, triedMs) =>
        new UserError(
          `Input ${urlInput}: ${service} has not answered as its API does for ${formatDuration(triedMs)} (${error.message}). Check ${urlInput}: it must be the service's endpoint.`,
          urlInput,
          this.source
        ),
      // Not reached, or reached and not the API. A sign-in that fails says so itself: not counted here.
      error =>
        (error.source === undefined || error.source.kind === 'service') &&
        (error.status === undefined || error instanceof NotTheApi)
    )
  }

  get requests(): number {
    return this.count
  }

  /**
   * One request, retried while the failure is transient (transport/retry.ts's rule); a parse error gains the
   * status and request id. The loop is here, not a callback of the retry: it keeps where a redirect sent the
   * request for its later attempts, and a steady request crosses no folder but to the token, the wire and its
   * parser.
   */
  async request<T>(req: GuardedRequest, call: CallOptions, parse: (res: HttpResponse) => T): Promise<T> {
    const at = { url: req.url }
    const { now, sleep, random } = this.o
    for (let n = 1; ; n++) {
      if (call.signal?.aborted) throw abortedBy(call.signal)
      try {
        return await this.attempt(req, at, call, parse)
      } catch (error) {
        const retry = { retryUntil: retryUntilOf(call), signal: call.signal, now, sleep, random }
        const delay = retryDelay(error, n, { ...retry, onRetry: this.onRetry, firstAnswer: this.firstAnswer })
        await sleep(delay, call.signal)
      }
    }
  }

  private async attempt<T>(
    req: GuardedRequest,
    at: { url: URL },
    call: CallOptions,
    parse: (res: HttpResponse) => T
  ): Promise<T> {
    await this.quiet(call)
    const res = await this.sendHeeding(req, at, call)
    if (!this.firstAnswer.seen && !answerShaped(res)) throw this.notTheApi(req, res)
    let value: T
    try {
      value = parse(res)
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
      if (!this.firstAnswer.seen) throw this.notTheApi(req, res, error)
      throw withWhere(error, res, this.source)
    }
    this.firstAnswer.answer()
    return value
  }

  /**
   * The service's Retry-After holds for every request to it, not only the one it answered: a throttled Tasks
   * read keeps the next poll (and a cancel, an assets read) from going before the time it asked for. A call
   * that may not retry so late is out of time at once, with no request sent.
   */
  private async quiet(call: CallOptions): Promise<void> {
    const wait = this.quietUntil - this.o.now()
    if (wait <= 0) return
    if (this.quietUntil > retryUntilOf(call)) {
      throw new OutOfTime(
        `${this.o.dialect.service} asked for no request for ${formatDuration(wait)} more (Retry-After), longer than this request may wait`,
        { source: this.source }
      )
    }
    this.o.log.debug(
      `${this.o.dialect.service} asked for ${formatDuration(wait)} more (Retry-After): waiting.`
    )
    await this.o.sleep(wait, call.signal)
    if (call.signal?.aborted) throw abortedBy(call.signal)
  }

  /** send(), remembering a Retry-After the service gave with its failure. */
  private async sendHeeding(req: GuardedRequest, at: { url: URL }, call: CallOptions): Promise<HttpResponse> {
    try {
      return await this.send(req, at, call)
    } catch (error) {
      if (error instanceof ServiceError && error.retryAfterMs !== undefined)
        this.quietUntil = Math.max(this.quietUntil, this.o.now() + error.retryAfterMs)
      throw error
    }
  }

  /**
   * An answer before any in the API's shape that is not the API's either (a web page, a 404 outside the API):
   * retried like an outage, and counted with the failures to reach the service against the first-answer budget.
   */
  private notTheApi(req: GuardedRequest, res: HttpResponse, error?: ServiceError): NotTheApi {
    const requestId = requestIdOf(res)
    const where = requestId ? ` (x-ms-request-id ${requestId})` : ''
    const said = error ? undefined : this.o.dialect.errorText(res.body)
    const what = error
      ? `${error.message} (HTTP ${res.status}${requestId ? `, x-ms-request-id ${requestId}` : ''})`
      : `${req.method} ${serverName(this.o.dialect.resourceName(req.url))} answered HTTP ${res.status} with ${bodyKind(res.body)}${said ? `: ${said}` : ''}${where}`
    return new NotTheApi(what, { status: res.status, requestId, transient: true, source: this.source })
  }

  /**
   * One logical request: follows redirects itself (`at` keeps where they led, for a retry) and refreshes the
   * token once on 401.
   */
  private async send(req: GuardedRequest, at: { url: URL }, call: CallOptions): Promise<HttpResponse> {
    const first = this.o.first ?? req.url
    const service = this.o.dialect.service
    let refreshed = false
    for (let hop = 0; hop <= MAX_REDIRECTS;) {
      const url = at.url
      this.assertMayReceiveToken(url, first)
      const res = await this.exchange(req, url, await this.o.tokens.getToken(false, call), call)
      if (REDIRECTS.has(res.status)) {
        at.url = this.follow(res, url, first, req)
        hop++
        continue
      }
      if (res.status === 401 && this.o.tokens.canRefresh && !refreshed) {
        refreshed = true
        this.o.log.info(`${service} refused the token (401); getting a fresh one and trying once more.`)
        await this.o.tokens.getToken(true, call)
        continue
      }
      if ((res.status >= 200 && res.status < 300) || this.o.dialect.isAnswer?.(res, req.method)) return res
      // An outage (429, 5xx) or a refusal of the token is the service's own, whatever its body; another failure
      // is an answer when it is JSON. A web page, or a 404 the client cannot explain, is not the API yet.
      if (TRANSIENT_STATUS.has(res.status) || res.status === 401 || res.status === 403 || isJson(res.body))
        this.firstAnswer.answer()
      const answer = failedAnswer(this.o.dialect, req.method, res, url, refreshed)
      const explained = this.o.dialect.explain(answer)
      if (
        !this.firstAnswer.seen &&
        !(explained instanceof UserError) &&
        (isWebPage(res.body) || res.status === 404)
      )
        throw this.notTheApi(req, res)
      throw explained ?? commonFailure(answer, this.o.dialect, this.o.now(), this.source)
    }
    const last = serverMessage(at.url.href)
    throw new ServiceError(`${service} redirected more than ${MAX_REDIRECTS} times; last to ${last}`, {
      source: this.source
    })
  }

  private async exchange(req: GuardedRequest, url: URL, token: string, call: CallOptions) {
    const started = this.o.now()
    this.count++
    const headers = { ...req.headers, Authorization: `Bearer ${token}` }
    const limits = { signal: call.signal, endBy: call.endBy }
    const res = await this.o.http.request(req.method, url.href, headers, req.body, limits)
    const requestId = requestIdOf(res)
    // A parsed URL is percent-encoded, controls included; a v2 Jobs query is longer than a cleaned message.
    this.o.log.debug(
      `${req.method} ${url.href} -> ${res.status} in ${this.o.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
    )
    return res
  }

  /** The next URL after a redirect, once the token may go there. */
  private follow(res: HttpResponse, from: URL, first: URL, req: GuardedRequest): URL {
    const service = this.o.dialect.service
    const target = locationOf(res, from, service, this.source)
    this.assertMayReceiveToken(target, first)
    const { next, root } = req.redirected?.(target) ?? { next: target }
    if (root) {
      this.o.log.info(
        `${service} redirected to ${serverMessage(root.href)}; later requests go there directly.`
      )
    } else if (!req.redirected) {
      this.o.log.info(`${service} redirected to ${serverMessage(target.origin + target.pathname)}.`)
    }
    return next
  }

  /** The token goes only over https (or http on loopback, when the first URL was so) and to trusted hosts. */
  private assertMayReceiveToken(url: URL, first: URL): void {
    const refusal = tokenRefusal(url, first, this.o.trustedHosts)
    if (refusal === 'not-https') {
      throw new UserError(
        `Refused a redirect to ${serverName(`${url.protocol}//${url.host}`)}: the token is only sent over https.`,
        this.o.dialect.urlInput,
        this.source
      )
    }
    if (refusal === 'untrusted') {
      throw new UserError(this.o.dialect.untrustedHost(serverName(url.host)), 'trusted-hosts', this.source)
    }
  }
}

/** An answer that is not the API's, before the API has answered at all. */
class NotTheApi extends ServiceError {}

/** A body the API could have sent: JSON, or empty on a 2xx (which its parser judges). */
function answerShaped(res: HttpResponse): boolean {
  const ok = res.status >= 200 && res.status < 300
  return isJson(res.body) || (ok && res.body.trim() === '')
}

function isJson(body: string): boolean {
  try {
    JSON.parse(withoutBom(body))
    return true
  } catch {
    return false
  }
}

/** A parse error, with the status and request id only the exchange knows. */
function withWhere(error: ServiceError, res: HttpResponse, source: ErrorSource): ServiceError {
  const requestId = requestIdOf(res)
  const where = `HTTP ${res.status}${requestId ? `, x-ms-request-id ${requestId}` : ''}`
  return new ServiceError(`${error.message} (${where})`, {
    status: res.status,
    requestId,
    transient: error.transient,
    source
  })
}

/** Where a redirect points, resolved against the URL it answered. */
function locationOf(res: HttpResponse, from: URL, service: string, source: ErrorSource): URL {
  const location = header(res, 'location')
  try {
    if (location) return new URL(location, from)
  } catch {
    // unreadable: said below
  }
  const why = location
    ? 'redirected to an unreadable Location'
    : `answered ${res.status} without a Location header`
  throw new ServiceError(`${service} ${why}`, { status: res.status, requestId: requestIdOf(res), source })
}

function failedAnswer(
  dialect: ServiceDialect,
  method: string,
  res: HttpResponse,
  url: URL,
  refreshed: boolean
): FailedAnswer {
  const requestId = requestIdOf(res)
  const said = dialect.errorText(res.body)
  const detail = `${said ? `: ${said}` : ''}${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
  return { method, url, res, refreshed, detail, said }
}

/** A failure no client explained: a ServiceError, transient for a status worth retrying. */
function commonFailure(a: FailedAnswer, dialect: ServiceDialect, now: number, source: ErrorSource): Error {
  const { res } = a
  const label =
    res.status === 503 ? 'busy (503)' : res.status === 429 ? 'throttling (429)' : `HTTP ${res.status}`
  return new ServiceError(
    `${a.method} ${serverName(dialect.resourceName(a.url))} answered ${label}${a.detail}`,
    {
      status: res.status,
      requestId: requestIdOf(res),
      transient: TRANSIENT_STATUS.has(res.status),
      retryAfterMs: retryAfterMs(header(res, 'retry-after'), now),
      source
    }
  )
}
