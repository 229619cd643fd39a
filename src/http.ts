import { HttpClient } from '@actions/http-client'
import type { OutgoingHttpHeaders } from 'node:http'
import { AbortedError, ServiceError } from './errors.js'

/**
 * One HTTP stack for Media Services and Entra ID: @actions/http-client honours HTTPS_PROXY and NO_PROXY
 * and NODE_EXTRA_CA_CERTS. Redirects are never followed here: the caller decides where a token may go.
 */
export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface Http {
  request(
    method: 'GET' | 'POST',
    url: string,
    headers: OutgoingHttpHeaders,
    body?: string,
    signal?: AbortSignal
  ): Promise<HttpResponse>
  dispose(): void
}

/** Transport failures worth another try; anything else (TLS, DNS NXDOMAIN) needs a change by the user. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT'
])

export function createHttp(options: { requestTimeoutMs: number; userAgent?: string }): Http {
  const client = new HttpClient(options.userAgent ?? 'ams-job-wait', [], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: true,
    socketTimeout: options.requestTimeoutMs
  })
  return {
    async request(method, url, headers, body, signal) {
      if (signal?.aborted) throw new AbortedError(signal.reason === 'timeout' ? 'timeout' : 'canceled')
      const attempt = (async (): Promise<HttpResponse> => {
        try {
          const res = await client.request(method, url, body ?? null, headers)
          const text = await res.readBody()
          return { status: res.message.statusCode ?? 0, headers: res.message.headers, body: text }
        } catch (error) {
          throw transportError(error, url, options.requestTimeoutMs)
        }
      })()
      if (!signal) return attempt
      return raceAbort(attempt, signal)
    },
    dispose() {
      client.dispose()
    }
  }
}

/** Resolves with `work`, or rejects with AbortedError as soon as `signal` fires (the request is left behind). */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError(signal.reason === 'timeout' ? 'timeout' : 'canceled'))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      v => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      e => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}

function transportError(error: unknown, url: string, timeoutMs: number): ServiceError {
  const e = error as NodeJS.ErrnoException
  const host = safeHost(url)
  if (typeof e?.message === 'string' && e.message.startsWith('Request timeout')) {
    return new ServiceError(
      `no answer from ${host} within ${Math.round(timeoutMs / 1000)}s`,
      undefined,
      undefined,
      true
    )
  }
  const code = e?.code ?? ''
  if (code === 'ENOTFOUND') {
    return new ServiceError(
      `host ${host} could not be found (DNS): check the URL`,
      undefined,
      undefined,
      false
    )
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new ServiceError(
      `TLS to ${host} failed (${code}): the certificate is not trusted`,
      undefined,
      undefined,
      false
    )
  }
  return new ServiceError(
    `connection to ${host} failed (${code || e?.message || 'unknown error'})`,
    undefined,
    undefined,
    TRANSIENT_CODES.has(code) || code === '' || /socket hang up/i.test(e?.message ?? '')
  )
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the server'
  }
}

export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const v = value.trim()
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
