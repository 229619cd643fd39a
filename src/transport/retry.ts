import { abortedBy, OutOfTime, ServiceError } from '../errors.js'

/** Backoff policy as data, in the manner of the AWS SDK waiters. */
export interface RetryPolicy {
  /** The first backoff step; with jitter the first wait is between half of it and all of it. */
  minDelayMs: number
  /** The largest step. */
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { minDelayMs: 1000, maxDelayMs: 30_000 }

/**
 * Until a service has answered once, failing to reach it at all (refused, DNS, TLS, reset: no HTTP status)
 * means a wrong endpoint more often than an outage: such failures are retried this long at most, from the
 * first of them. Once the service has answered, outages are ridden out until the wait's deadline.
 */
export const FIRST_ANSWER_WITHIN_MS = 120_000

/** Whether a service has answered yet, and what to say when it cannot be reached before the budget ends. */
export class FirstAnswer {
  private answered = false
  private firstFailureAt?: number

  constructor(
    /** The error that names the input to check, given the last failure and how long it was tried. */
    private readonly wrong: (error: ServiceError, triedMs: number) => Error,
    /** Which failures say the service was not reached: by default those with no HTTP status at all. */
    private readonly unreached: (error: ServiceError) => boolean = error => error.status === undefined,
    private readonly withinMs = FIRST_ANSWER_WITHIN_MS
  ) {}

  get seen(): boolean {
    return this.answered
  }

  /** The service answered (an HTTP status came back): from now on failures are outages. */
  answer(): void {
    this.answered = true
  }

  /** Throws the wrong-endpoint error for a failure to reach a service that never answered, once past the budget. */
  check(error: ServiceError, now: number, delayMs: number): void {
    if (this.answered || !this.unreached(error)) return
    this.firstFailureAt ??= now
    if (now + delayMs > this.firstFailureAt + this.withinMs)
      throw this.wrong(error, now - this.firstFailureAt)
  }
}

export interface RetryContext {
  /** Absolute time (ms since epoch) after which no retry may start or wait. */
  retryUntil: number
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  signal?: AbortSignal
  random?: () => number
  policy?: RetryPolicy
  /** Called before each wait, e.g. to log "busy, retrying in 4s". */
  onRetry?: (error: ServiceError, delayMs: number, attempt: number) => void
  /** Until the service answers, failures to reach it are retried for a bounded time only. */
  firstAnswer?: FirstAnswer
}

/**
 * Exponential backoff with "equal jitter": half of the step is fixed, half random, so a fleet of
 * waiting workflows spreads out but no retry is ever immediate. Never sooner than Retry-After.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number
): number {
  const step = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1))
  const jittered = step / 2 + (random() * step) / 2
  return Math.ceil(Math.max(jittered, retryAfterMs ?? 0))
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or the next wait would pass
 * `retryUntil`. The error thrown on giving up says how many tries were made. A cancel stops it before the
 * next attempt and wakes it from its wait (AbortedError).
 */
export async function withRetries<T>(attempt: () => Promise<T>, ctx: RetryContext): Promise<T> {
  for (let n = 1; ; n++) {
    if (ctx.signal?.aborted) throw abortedBy(ctx.signal)
    try {
      return await attempt()
    } catch (error) {
      await ctx.sleep(retryDelay(error, n, ctx), ctx.signal)
    }
  }
}

/**
 * The retry rule, for a loop that keeps its own state between attempts (the guarded exchange keeps the URL a
 * redirect moved it to): after failed attempt `n`, how long to wait before the next one. Throws instead when
 * there is none: a cancel, an error that is not transient, the first-answer budget spent, or a next try that
 * would start after `retryUntil` (OutOfTime).
 */
export function retryDelay(error: unknown, n: number, ctx: RetryContext): number {
  if (ctx.signal?.aborted) throw abortedBy(ctx.signal)
  if (!(error instanceof ServiceError) || !error.transient) throw error
  const delay = backoffDelay(n, ctx.policy ?? DEFAULT_RETRY, ctx.random ?? Math.random, error.retryAfterMs)
  ctx.firstAnswer?.check(error, ctx.now(), delay)
  if (ctx.now() + delay > ctx.retryUntil) {
    throw new OutOfTime(
      `${error.message} (gave up after ${n} ${n === 1 ? 'try' : 'tries'}: the next retry would pass the timeout)`,
      { status: error.status, requestId: error.requestId, source: error.source }
    )
  }
  ctx.onRetry?.(error, delay, n)
  return delay
}

/** The retry's log line, the same for every service: "Media Services: busy (503); retrying in 2.0s (attempt 2)". */
export function logRetries(log: { info(message: string): void }, service: string): RetryContext['onRetry'] {
  return (error, delayMs, attempt) =>
    log.info(
      // A message that names its service already ("Media Services answered … with an HTML page") says it once.
      `${error.message.startsWith(service) ? '' : `${service}: `}${error.message}; retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`
    )
}

/** A wait that a cancel ends at once, also when the cancel came before the wait began. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>(resolve => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done)
  })
}
