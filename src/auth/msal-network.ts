import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node'
import { AbortedError, errorMessage, ServiceError } from '../errors.js'
import type { Logger } from '../logger.js'
import { withoutBom } from '../text.js'
import { requestIdOf } from '../transport/guarded.js'
import { header, type Http, type RequestLimits, retryAfterMs, safeHost } from '../transport/http.js'

export interface LastExchange {
  status?: number
  requestId?: string
  retryAfterMs?: number
  transportError?: ServiceError | AbortedError
}

/**
 * MSAL's network module on our HTTP stack (proxy support, one TLS trust store). It remembers the last
 * exchange, because MSAL turns transport failures into a generic error that says nothing useful.
 */
export class RecordingNetworkClient implements INetworkModule {
  last?: LastExchange
  /** The limits of the acquire in progress: MSAL's interface has no room for them. */
  limits: RequestLimits = {}

  constructor(
    private readonly http: Http,
    private readonly log: Logger,
    private readonly now: () => number
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
    try {
      const res = await this.http.request(
        method,
        url,
        { ...(options?.headers ?? {}) },
        options?.body,
        this.limits
      )
      const requestId = requestIdOf(res)
      this.last = { status: res.status, requestId, retryAfterMs: undefined }
      this.last.retryAfterMs = retryAfterMs(header(res, 'retry-after'), this.now())
      this.log.debug(
        `${method} ${url.split('?')[0]} -> ${res.status} in ${this.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
      )
      let body: unknown
      try {
        body = JSON.parse(withoutBom(res.body))
      } catch {
        // A gateway's HTML page: say so in the shape MSAL reads errors from.
        body = {
          error: 'temporarily_unavailable',
          error_description: `HTTP ${res.status} from ${safeHost(url)} with a body that is not JSON`
        }
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
      return { headers, body: body as T, status: res.status }
    } catch (error) {
      this.last = {
        transportError:
          error instanceof ServiceError || error instanceof AbortedError
            ? error
            : new ServiceError(errorMessage(error), { transient: true })
      }
      this.log.debug(`${method} ${url.split('?')[0]} failed: ${this.last.transportError?.message}`)
      throw error
    }
  }
}
