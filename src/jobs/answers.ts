/**
 * What the guarded exchange (guarded.ts) makes of an answer: where the token may go and where a redirect
 * leads, a failure in the service's words, an answer that is not the API's, and the wrong-endpoint budget.
 */
import type { OutgoingHttpHeaders } from 'node:http'
import { header, type HttpResponse, requestIdOf, retryAfterMs, TRANSIENT_STATUS } from '../transport/http.js'
import { FirstAnswer } from '../transport/retry.js'
import { tokenRefusal } from '../transport/trust.js'
import { type ErrorSource, ServiceError, UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import { bodyKind, serverMessage, serverName, withoutBom } from '../text.js'
import { formatDuration } from '../time.js'

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

/**
 * Until the service has answered once in its own shape, a wrong endpoint shows as failures to reach it or as
 * answers that are not the API (a web page, a 404 outside it): both are retried like an outage, but for two
 * minutes at most, and then named as the input to check.
 */
export function wrongEndpointBudget(dialect: ServiceDialect, source: ErrorSource): FirstAnswer {
  const { service, urlInput } = dialect
  return new FirstAnswer(
    (error, triedMs) =>
      new UserError(
        `Input ${urlInput}: ${service} has not answered as its API does for ${formatDuration(triedMs)} (${error.message}). Check ${urlInput}: it must be the service's endpoint.`,
        urlInput,
        source
      ),
    // Not reached, or reached and not the API. A sign-in that fails says so itself: not counted here.
    error =>
      (error.source === undefined || error.source.kind === 'service') &&
      (error.status === undefined || error instanceof NotTheApi)
  )
}

/** The token goes only over https (or http on loopback, when the first URL was so) and to trusted hosts. */
export function refuseUntrusted(
  url: URL,
  first: URL,
  trustedHosts: readonly string[],
  dialect: ServiceDialect,
  source: ErrorSource
): void {
  const refusal = tokenRefusal(url, first, trustedHosts)
  if (refusal === 'not-https') {
    throw new UserError(
      `Refused a redirect to ${serverName(`${url.protocol}//${url.host}`)}: the token is only sent over https.`,
      dialect.urlInput,
      source
    )
  }
  if (refusal === 'untrusted') {
    throw new UserError(dialect.untrustedHost(serverName(url.host)), 'trusted-hosts', source)
  }
}

/** The next URL after a redirect, once the token may go there; a moved API root is said once. */
export function followRedirect(
  res: HttpResponse,
  from: URL,
  first: URL,
  req: GuardedRequest,
  o: { dialect: ServiceDialect; trustedHosts: readonly string[]; log: Logger },
  source: ErrorSource
): URL {
  const service = o.dialect.service
  const target = locationOf(res, from, service, source)
  refuseUntrusted(target, first, o.trustedHosts, o.dialect, source)
  const { next, root } = req.redirected?.(target) ?? { next: target }
  if (root) {
    o.log.info(`${service} redirected to ${serverMessage(root.href)}; later requests go there directly.`)
  } else if (!req.redirected) {
    o.log.info(`${service} redirected to ${serverMessage(target.origin + target.pathname)}.`)
  }
  return next
}

/**
 * An answer before any in the API's shape that is not the API's either (a web page, a 404 outside the API):
 * retried like an outage, and counted with the failures to reach the service against the first-answer budget.
 */
export function notTheApi(
  dialect: ServiceDialect,
  source: ErrorSource,
  req: GuardedRequest,
  res: HttpResponse,
  error?: ServiceError
): NotTheApi {
  const requestId = requestIdOf(res)
  const where = requestId ? ` (x-ms-request-id ${requestId})` : ''
  const said = error ? undefined : dialect.errorText(res.body)
  const what = error
    ? `${error.message} (HTTP ${res.status}${requestId ? `, x-ms-request-id ${requestId}` : ''})`
    : `${req.method} ${serverName(dialect.resourceName(req.url))} answered HTTP ${res.status} with ${bodyKind(res.body)}${said ? `: ${said}` : ''}${where}`
  return new NotTheApi(what, { status: res.status, requestId, transient: true, source })
}

/** An answer that is not the API's, before the API has answered at all. */
export class NotTheApi extends ServiceError {}

/** A body the API could have sent: JSON, or empty on a 2xx (which its parser judges). */
export function answerShaped(res: HttpResponse): boolean {
  const ok = res.status >= 200 && res.status < 300
  return isJson(res.body) || (ok && res.body.trim() === '')
}

export function isJson(body: string): boolean {
  try {
    JSON.parse(withoutBom(body))
    return true
  } catch {
    return false
  }
}

/** A parse error, with the status and request id only the exchange knows. */
export function withWhere(error: ServiceError, res: HttpResponse, source: ErrorSource): ServiceError {
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

export function failedAnswer(
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
export function commonFailure(
  a: FailedAnswer,
  dialect: ServiceDialect,
  now: number,
  source: ErrorSource
): Error {
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
