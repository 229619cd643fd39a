import { type BearerTokens, type CallOptions, retryUntilOf } from '../transport/call.js'
import { type Http, type HttpResponse, requestIdOf, TRANSIENT_STATUS } from '../transport/http.js'
import { type FirstAnswer, logRetries, retryDelay } from '../transport/retry.js'
import { abortedBy, type ErrorSource, jobService, OutOfTime, ServiceError, UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import { isWebPage, serverMessage } from '../text.js'
import { formatDuration } from '../time.js'
import {
  answerShaped,
  commonFailure,
  failedAnswer,
  followRedirect,
  isJson,
  notTheApi,
  refuseUntrusted,
  withWhere,
  type GuardedRequest,
  type ServiceDialect,
  wrongEndpointBudget
} from './answers.js'

export type { FailedAnswer, GuardedRequest, ServiceDialect } from './answers.js'

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

export interface GuardedOptions extends ClientDeps {
  dialect: ServiceDialect
  /** Host names or `.domains` that may receive the token, each on port 443 unless it ends in `:port`. */
  trustedHosts: readonly string[]
  /** The URL whose plain http allows plain http on loopback (v2's api-url); unset, each request's own URL. */
  first?: URL
}

export class GuardedExchange {
  private count = 0
  readonly source: ErrorSource
  /** A wrong endpoint is given two minutes (answers.ts); a Retry-After holds for every request; the retry's line. */
  private readonly firstAnswer: FirstAnswer
  private readonly quiet: QuietTime
  private readonly onRetry: ReturnType<typeof logRetries>

  constructor(private readonly o: GuardedOptions) {
    this.source = jobService(o.dialect.service)
    this.onRetry = logRetries(o.log, o.dialect.service)
    this.firstAnswer = wrongEndpointBudget(o.dialect, this.source)
    this.quiet = new QuietTime(o, this.source)
  }

  get requests(): number {
    return this.count
  }

  /**
   * One request, retried while the failure is transient (transport/retry.ts's rule); the loop is here, so that
   * a redirect holds for the later attempts. A parse error gains the status and request id.
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
    await this.quiet.wait(call)
    const res = await this.quiet.heeding(() => this.send(req, at, call))
    const { dialect } = this.o
    if (!this.firstAnswer.seen && !answerShaped(res)) throw notTheApi(dialect, this.source, req, res)
    let value: T
    try {
      value = parse(res)
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
      if (!this.firstAnswer.seen) throw notTheApi(dialect, this.source, req, res, error)
      throw withWhere(error, res, this.source)
    }
    this.firstAnswer.answer()
    return value
  }

  /**
   * One logical request: follows redirects itself (`at` keeps where they led, for a retry) and refreshes the
   * token once on 401.
   */
  private async send(req: GuardedRequest, at: { url: URL }, call: CallOptions): Promise<HttpResponse> {
    const { dialect, tokens } = this.o
    const first = this.o.first ?? req.url
    let refreshed = false
    for (let hop = 0; hop <= MAX_REDIRECTS;) {
      const url = at.url
      refuseUntrusted(url, first, this.o.trustedHosts, dialect, this.source)
      const res = await this.exchange(req, url, await tokens.getToken(false, call), call)
      if (REDIRECTS.has(res.status)) {
        at.url = followRedirect(res, url, first, req, this.o, this.source)
        hop++
        continue
      }
      if (res.status === 401 && tokens.canRefresh && !refreshed) {
        refreshed = true
        this.o.log.info(
          `${dialect.service} refused the token (401); getting a fresh one and trying once more.`
        )
        await tokens.getToken(true, call)
        continue
      }
      if ((res.status >= 200 && res.status < 300) || dialect.isAnswer?.(res, req.method)) return res
      // An outage (429, 5xx) or a refusal of the token is the service's own, whatever its body; another failure
      // is an answer when it is JSON. A web page, or a 404 the client cannot explain, is not the API yet.
      if (TRANSIENT_STATUS.has(res.status) || res.status === 401 || res.status === 403 || isJson(res.body))
        this.firstAnswer.answer()
      const answer = failedAnswer(dialect, req.method, res, url, refreshed)
      const explained = dialect.explain(answer)
      const webPage = isWebPage(res.body) || res.status === 404
      if (!this.firstAnswer.seen && !(explained instanceof UserError) && webPage)
        throw notTheApi(dialect, this.source, req, res)
      throw explained ?? commonFailure(answer, dialect, this.o.now(), this.source)
    }
    const last = serverMessage(at.url.href)
    throw new ServiceError(
      `${dialect.service} redirected more than ${MAX_REDIRECTS} times; last to ${last}`,
      {
        source: this.source
      }
    )
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
}

/**
 * The service's Retry-After holds for every request to it, not only the one it answered: a throttled Tasks
 * read keeps the next poll (and a cancel, an assets read) from going before the time it asked for.
 */
class QuietTime {
  /** No request before this (ms since epoch): the last Retry-After the service sent. */
  private until = 0

  constructor(
    private readonly o: Pick<GuardedOptions, 'now' | 'sleep' | 'log' | 'dialect'>,
    private readonly source: ErrorSource
  ) {}

  /** Waits out the quiet time; a call that may not retry so late is out of time at once, with no request sent. */
  async wait(call: CallOptions): Promise<void> {
    const wait = this.until - this.o.now()
    if (wait <= 0) return
    const service = this.o.dialect.service
    if (this.until > retryUntilOf(call)) {
      throw new OutOfTime(
        `${service} asked for no request for ${formatDuration(wait)} more (Retry-After), longer than this request may wait`,
        { source: this.source }
      )
    }
    this.o.log.debug(`${service} asked for ${formatDuration(wait)} more (Retry-After): waiting.`)
    await this.o.sleep(wait, call.signal)
    if (call.signal?.aborted) throw abortedBy(call.signal)
  }

  /** `send()`, remembering a Retry-After the service gave with its failure. */
  async heeding(send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    try {
      return await send()
    } catch (error) {
      if (error instanceof ServiceError && error.retryAfterMs !== undefined)
        this.until = Math.max(this.until, this.o.now() + error.retryAfterMs)
      throw error
    }
  }
}
