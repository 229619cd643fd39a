import type { CallOptions } from './call.js'
import { header, type Http, type HttpResponse } from './http.js'
import type { Logger } from '../logger.js'
import { serverName } from '../text.js'
/**
 * What every client that sends a token stands on: the statuses it follows and retries, the request id it
 * reports, and what it is given from outside. The guarded exchange itself grows here.
 */

/** What a client needs of a token source (auth/ provides one): transport asks for tokens, never makes them. */
export interface BearerTokens {
  /** A valid token; `fresh` bypasses any cache (after a 401). */
  getToken(fresh: boolean, call: CallOptions): Promise<string>
  /** False for a given access-token: a 401 cannot be cured by asking again. */
  readonly canRefresh: boolean
  readonly description: string
}

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

/** The statuses every client here follows itself, and those it retries (v2 and v3 alike). */
export const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

export const TRANSIENT_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** The service's request id, for support; a header is server text like any other. */
export function requestIdOf(res: HttpResponse): string | undefined {
  const id = header(res, 'x-ms-request-id')
  return id === undefined ? undefined : serverName(id)
}
