/** Per call: when to stop retrying, when every exchange must have ended, and what cancels the call. */
export type CallOptions = CallLimits & ({ retryUntil: number } | { retry: false })

/** What bounds every exchange of a call, retried or not. */
export interface CallLimits {
  /** No exchange runs past this (ms since epoch): the wait's hard stop, or a budget's end. Unset: only the per-request limit. */
  endBy?: number
  signal?: AbortSignal
}

/** The time after which no retry of the call starts; for `retry: false`, none ever does. */
export function retryUntilOf(call: CallOptions): number {
  return 'retryUntil' in call ? call.retryUntil : -Infinity
}

/**
 * A time budget of `ms` from now, the one way a budget is made (the wait's hard stop, the cancels', the output
 * assets'): calls within it retry and exchange until its end, and its signal aborts at the end ('timeout') or
 * with `parent` (the runner's cancel). Its timer holds no process open.
 */
export function within(
  ms: number,
  now: () => number,
  parent?: AbortSignal
): { retryUntil: number; endBy: number; signal: AbortSignal } {
  const end = now() + ms
  const timeout = AbortSignal.timeout(Math.max(0, ms))
  return { retryUntil: end, endBy: end, signal: parent ? AbortSignal.any([parent, timeout]) : timeout }
}

/** What a client needs of a token source (auth/ provides one): a client asks for tokens, never makes them. */
export interface BearerTokens {
  /** A valid token; `fresh` bypasses any cache (after a 401). */
  getToken(fresh: boolean, call: CallOptions): Promise<string>
  /** False for a given access-token: a 401 cannot be cured by asking again. */
  readonly canRefresh: boolean
  readonly description: string
}
