import type { OutgoingHttpHeaders } from 'node:http'
import { abortedBy } from '../src/errors.js'
import type { Http, HttpResponse, RequestLimits } from '../src/transport/http.js'

export interface RecordedRequest {
  method: 'GET' | 'POST'
  url: string
  headers: OutgoingHttpHeaders
  body?: string
  limits?: RequestLimits
}

/** A scripted answer: a response, a transport failure to throw, or a function of the request. */
export type Reply = HttpResponse | Error | ((req: RecordedRequest) => HttpResponse | Error)

/**
 * An Http that records every request and answers from a script, in order; when the script runs out,
 * `fallback` answers (or the request fails loudly, so that a test never hangs on a missing reply).
 */
export class FakeHttp implements Http {
  readonly requests: RecordedRequest[] = []
  disposed = false
  private readonly script: Reply[]

  constructor(
    script: Reply[] = [],
    private readonly fallback?: Reply
  ) {
    this.script = [...script]
  }

  async request(
    method: 'GET' | 'POST',
    url: string,
    headers: OutgoingHttpHeaders,
    body?: string,
    limits: RequestLimits = {}
  ): Promise<HttpResponse> {
    const signal = limits.signal
    if (signal?.aborted) throw abortedBy(signal)
    const req: RecordedRequest = { method, url, headers: { ...headers }, body, limits }
    this.requests.push(req)
    const next = this.script.shift() ?? this.fallback
    if (next === undefined) throw new Error(`FakeHttp: no reply scripted for ${method} ${url}`)
    const res = typeof next === 'function' ? next(req) : next
    if (res instanceof Error) throw res
    return { ...res, headers: { ...res.headers } }
  }

  dispose(): void {
    this.disposed = true
  }

  /** Host names the requests went to, in order. */
  hosts(): string[] {
    return this.requests.map(r => new URL(r.url).hostname)
  }
}

/** A response; header names are lower case, as Node gives them. */
export function reply(status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  return { status, body, headers: lower }
}

export function jsonReply(status: number, doc: unknown, headers: Record<string, string> = {}): HttpResponse {
  return reply(status, JSON.stringify(doc), { 'content-type': 'application/json; charset=utf-8', ...headers })
}

/** Media Services' 301 from the global host to the account's own endpoint. */
export function redirect(location: string, status = 301): HttpResponse {
  return reply(status, '', { location })
}

/** Entra ID's answer to a client-credentials token request. */
export function tokenReply(accessToken = 'tok'): HttpResponse {
  return jsonReply(200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' })
}
