import { getProxyUrl, HttpClient } from '@actions/http-client'
import * as http from 'node:http'
import * as https from 'node:https'
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import type { Socket } from 'node:net'
import { abortedBy, ServiceError } from '../errors.js'
import type { CallLimits } from './call.js'
import { serverName } from '../text.js'
import { formatDuration } from '../time.js'

/**
 * One HTTP stack for Media Services, Entra ID and GitHub's OIDC service. @actions/http-client picks the
 * agent, so HTTPS_PROXY, NO_PROXY and NODE_EXTRA_CA_CERTS are honoured; the exchange itself is ours, so
 * that every request ends on time whatever the server does. Redirects are never followed here: the
 * caller decides where a token may go.
 */
export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** What bounds one exchange besides the per-request time limit: a cancel, and the time it must end by. */
export type RequestLimits = CallLimits

export interface Http {
  request(
    method: 'GET' | 'POST',
    url: string,
    headers: OutgoingHttpHeaders,
    body?: string,
    limits?: RequestLimits
  ): Promise<HttpResponse>
  dispose(): void
}

/** The statuses worth another try, for every service (jobs, Entra ID, GitHub's OIDC token). */
export const TRANSIENT_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** The service's request id, for support (ARM may give only its correlation id); a header is server text. */
export function requestIdOf(res: HttpResponse): string | undefined {
  const id = header(res, 'x-ms-request-id') ?? header(res, 'x-ms-correlation-request-id')
  return id === undefined ? undefined : serverName(id)
}

/** A Jobs page of 20 jobs is a few kB: anything near this is not an answer we can use. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024

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

export interface HttpOptions {
  /** The longest any one exchange may take, headers and body together. */
  requestTimeoutMs: number
  userAgent?: string
  maxResponseBytes?: number
  now?: () => number
}

export function createHttp(options: HttpOptions): Http {
  const userAgent = options.userAgent ?? 'ams-job-wait'
  const exchange: ExchangeSetup = {
    agents: agentsByRoute(userAgent),
    userAgent,
    now: options.now ?? Date.now,
    maxBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    // Every socket we ever used: dispose() destroys them, so nothing left behind holds the process open.
    sockets: new Set<Socket>()
  }
  return {
    request(method, url, headers, body, limits = {}) {
      const { signal, endBy } = limits
      if (signal?.aborted) return Promise.reject(abortedBy(signal))
      const host = safeHost(url)
      const limitMs = Math.min(options.requestTimeoutMs, (endBy ?? Infinity) - exchange.now())
      if (limitMs <= 0)
        return Promise.reject(new ServiceError(`no time left to ask ${host}`, { transient: true }))
      return new Promise<HttpResponse>((resolve, reject) => {
        const ending = boundedEnding(host, limitMs, signal, resolve, reject)
        send(exchange, { method, url, headers, body, host }, ending)
      })
    },
    dispose() {
      exchange.agents.dispose()
      for (const socket of exchange.sockets) socket.destroy()
      exchange.sockets.clear()
    }
  }
}

/** What every exchange of one Http shares. */
interface ExchangeSetup {
  agents: ReturnType<typeof agentsByRoute>
  userAgent: string
  now: () => number
  maxBytes: number
  sockets: Set<Socket>
}

/** One exchange's way to end, exactly once: its time limit, the caller's cancel, or its own ending. */
interface Ending {
  settle(error: Error | undefined, value?: HttpResponse): void
  /** Fires when the exchange failed: the request and its socket are destroyed with it. */
  readonly signal: AbortSignal
  /** Set once the headers came: a time-limit message then says the answer did not complete. */
  answered: boolean
}

/**
 * The exchange's limits as one signal: the caller's cancel, or its own time limit (AbortSignal.timeout, as
 * every budget here is made: transport/call.ts within()). The first to fire settles it, exactly once.
 */
function boundedEnding(
  host: string,
  limitMs: number,
  signal: AbortSignal | undefined,
  resolve: (value: HttpResponse) => void,
  reject: (error: Error) => void
): Ending {
  const exchange = new AbortController()
  const limit = AbortSignal.timeout(limitMs)
  const stop = signal ? AbortSignal.any([signal, limit]) : limit
  let done = false
  const ending: Ending = {
    signal: exchange.signal,
    answered: false,
    settle(error, value) {
      if (done) return
      done = true
      stop.removeEventListener('abort', onStop)
      if (!error) return resolve(value!)
      // A late byte must not keep anything alive.
      exchange.abort()
      reject(error)
    }
  }
  const onStop = (): void => {
    if (signal?.aborted) return ending.settle(abortedBy(signal))
    const s = formatDuration(limitMs < 1000 ? limitMs : Math.round(limitMs / 1000) * 1000)
    const message = ending.answered
      ? `the answer from ${host} did not complete within ${s}`
      : `no answer from ${host} within ${s}`
    ending.settle(new ServiceError(message, { transient: true }))
  }
  stop.addEventListener('abort', onStop, { once: true })
  return ending
}

interface Outgoing {
  method: 'GET' | 'POST'
  url: string
  headers: OutgoingHttpHeaders
  body?: string
  host: string
}

function send(setup: ExchangeSetup, out: Outgoing, ending: Ending): void {
  const settle = ending.settle
  let req: http.ClientRequest
  try {
    req = clientRequest(setup, out, ending.signal)
  } catch (error) {
    return settle(transportError(error, out.host))
  }
  // 'socket' fires for every request on a kept-alive socket: one listener per socket, not per request.
  req.on('socket', socket => {
    if (setup.sockets.has(socket)) return
    setup.sockets.add(socket)
    socket.once('close', () => setup.sockets.delete(socket))
  })
  req.on('error', error => settle(transportError(error, out.host)))
  req.on('response', res => {
    ending.answered = true
    readBody(res, out.host, setup.maxBytes, settle)
  })
  req.end(out.body)
}

function clientRequest(setup: ExchangeSetup, out: Outgoing, signal: AbortSignal): http.ClientRequest {
  const target = new URL(out.url)
  const headers: OutgoingHttpHeaders = { ...out.headers, 'user-agent': setup.userAgent }
  if (out.body !== undefined) headers['content-length'] = Buffer.byteLength(out.body, 'utf8')
  const https_ = target.protocol === 'https:'
  return (https_ ? https : http).request({
    // An IPv6 literal comes bracketed in a URL ([::1]) and bare to the socket.
    host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: target.port ? Number(target.port) : https_ ? 443 : 80,
    path: target.pathname + target.search,
    method: out.method,
    headers,
    agent: setup.agents.get(out.url),
    signal
  })
}

/**
 * The agent for each URL, from @actions/http-client so that its proxy rules apply. One HttpClient caches
 * a single agent (and a single proxy agent) whatever the URL, so an https agent would be handed to a later
 * http:// request (ERR_INVALID_PROTOCOL), or a direct one to a host NO_PROXY does not exempt: hence one
 * client per protocol and proxy.
 */
function agentsByRoute(userAgent: string): { get(url: string): http.Agent; dispose(): void } {
  const clients = new Map<string, HttpClient>()
  return {
    get(url) {
      const route = `${new URL(url).protocol} ${getProxyUrl(url)}`
      let client = clients.get(route)
      if (!client) {
        client = new HttpClient(userAgent, [], {
          allowRedirects: false,
          allowRetries: false,
          keepAlive: true
        })
        clients.set(route, client)
      }
      return client.getAgent(url)
    },
    dispose() {
      for (const client of clients.values()) client.dispose()
      clients.clear()
    }
  }
}

/** Resolves with `work`, or rejects with AbortedError as soon as `signal` fires. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedBy(signal))
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

/**
 * Reads the body as Buffers and decodes once. Settles on end; on a cut, an error or a close before the
 * end (transient, like a reset); or as soon as the body passes `maxBytes`, declared or streamed.
 */
function readBody(
  res: IncomingMessage,
  host: string,
  maxBytes: number,
  settle: (error: Error | undefined, value?: HttpResponse) => void
): void {
  const tooLarge = (): ServiceError =>
    new ServiceError(
      `the answer from ${host} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; abandoned`,
      { status: res.statusCode, transient: true }
    )
  const cut = (): ServiceError =>
    new ServiceError(`${host} closed the connection mid-answer`, { status: res.statusCode, transient: true })
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) return settle(tooLarge())
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > maxBytes) return settle(tooLarge())
    chunks.push(chunk)
  })
  res.on('end', () =>
    settle(undefined, {
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: Buffer.concat(chunks, size).toString('utf8')
    })
  )
  res.on('error', () => settle(cut()))
  res.on('aborted', () => settle(cut()))
  res.on('close', () => {
    if (!res.complete) settle(cut())
  })
}

function transportError(error: unknown, host: string): ServiceError {
  const e = error as NodeJS.ErrnoException
  const code = e?.code ?? ''
  if (code === 'ENOTFOUND') {
    return new ServiceError(`host ${host} could not be found (DNS): check the URL`)
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new ServiceError(`TLS to ${host} failed (${code}): the certificate is not trusted`)
  }
  if (code.startsWith('HPE_')) {
    // Node's HTTP parser refused what came back: a proxy or a network in between garbled it. Like a reset.
    return new ServiceError(`${host} sent a malformed HTTP response (${code})`, { transient: true })
  }
  return new ServiceError(`connection to ${host} failed (${code || e?.message || 'unknown error'})`, {
    transient: TRANSIENT_CODES.has(code) || code === '' || /socket hang up/i.test(e?.message ?? '')
  })
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
