import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node'
import { AbortedError, errorMessage, ServiceError, type UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import { type Http, type RequestLimits, requestIdOf } from '../transport/http.js'
import type { FirstAnswer } from '../transport/retry.js'
import { type Said, tokenReply } from './token-reply.js'

export interface LastExchange {
  /** What the last exchange failed with, read by us: MSAL would turn it into a generic error. */
  failure?: ServiceError | UserError | AbortedError
}

/**
 * MSAL's network module on our HTTP stack (proxy support, one TLS trust store). Every reply is read here
 * before MSAL sees it (token-reply.ts): MSAL gets a token or an exception, and the failure itself is kept in
 * `last`, because MSAL turns whatever it catches into a generic error that says nothing useful.
 */
export class RecordingNetworkClient implements INetworkModule {
  last?: LastExchange
  /** The limits of the acquire in progress: MSAL's interface has no room for them. */
  limits: RequestLimits = {}

  constructor(
    private readonly http: Http,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly reading: { description: string; fix: (said: Said) => string; firstAnswer: FirstAnswer }
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options)
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options)
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions
  ): Promise<NetworkResponse<T>> {
    const started = this.now()
    let res
    try {
      res = await this.http.request(method, url, { ...(options?.headers ?? {}) }, options?.body, this.limits)
    } catch (error) {
      const failure =
        error instanceof ServiceError || error instanceof AbortedError
          ? error
          : new ServiceError(errorMessage(error), { transient: true })
      this.last = { failure }
      this.log.debug(`${method} ${url.split('?')[0]} failed: ${failure.message}`)
      throw failure
    }
    this.reading.firstAnswer.answer()
    const requestId = requestIdOf(res)
    this.log.debug(
      `${method} ${url.split('?')[0]} -> ${res.status} in ${this.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
    )
    let body: Record<string, unknown>
    try {
      body = tokenReply(res, this.reading.description, this.now(), this.reading.fix)
    } catch (error) {
      this.last = { failure: error as ServiceError | UserError }
      throw error
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
    return { headers, body: body as T, status: res.status }
  }
}
