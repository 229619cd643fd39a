/**
 * Two kinds of failure, told apart because they need different fixes:
 * - UserError: the workflow must change something (an input, a credential, a role assignment).
 *   Its message names the input or the fix and is shown without a stack trace.
 * - ServiceError: Media Services or Entra ID misbehaved or refused; the message carries the
 *   HTTP status and the request id so the failure can be traced with Microsoft support.
 */
/**
 * Who a failure came from: the annotation's title is chosen from it, never from the message's wording.
 * `service` is a job service, by the name the user reads ("Media Services", "Azure Resource Manager", a host).
 */
export type ErrorSource =
  | { readonly kind: 'input' }
  | { readonly kind: 'entra-id' }
  | { readonly kind: 'github-oidc' }
  | { readonly kind: 'service'; readonly service: string }

export const INPUT: ErrorSource = { kind: 'input' }
export const ENTRA_ID: ErrorSource = { kind: 'entra-id' }
export const GITHUB_OIDC: ErrorSource = { kind: 'github-oidc' }
export const jobService = (service: string): ErrorSource => ({ kind: 'service', service })

export class UserError extends Error {
  override name = 'UserError'
  constructor(
    message: string,
    /** The input the user should change, when there is one. */
    readonly input?: string,
    /** An input unless said otherwise: a refusal by Entra ID or a job service is also the user's to fix. */
    readonly source: ErrorSource = INPUT
  ) {
    super(message)
  }
}

export interface ServiceErrorOptions {
  status?: number
  requestId?: string
  /** True when a later attempt may succeed (throttling, gateway errors, resets). */
  transient?: boolean
  /** Milliseconds the service asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number
  /** Unset for the transport's own failures: whoever called knows whom it asked. */
  source?: ErrorSource
}

export class ServiceError extends Error {
  override name = 'ServiceError'
  readonly status?: number
  readonly requestId?: string
  readonly transient: boolean
  readonly retryAfterMs?: number
  readonly source?: ErrorSource

  constructor(message: string, options: ServiceErrorOptions = {}) {
    super(message)
    this.status = options.status
    this.requestId = options.requestId
    this.transient = options.transient ?? false
    this.retryAfterMs = options.retryAfterMs
    this.source = options.source
  }
}

/**
 * A transient failure given up because the next try would pass the call's deadline: the service may well
 * answer later. The waiter reads it as "no answer in time" and waits out the time the wait has left.
 */
export class OutOfTime extends ServiceError {
  override name = 'OutOfTime'
}

/** Where `error` came from, when it says. */
export function sourceOf(error: unknown): ErrorSource | undefined {
  return error instanceof UserError || error instanceof ServiceError ? error.source : undefined
}

/** The wait was interrupted by the runner (cancel) or by the timeout. */
export class AbortedError extends Error {
  override name = 'AbortedError'
  constructor(readonly reason: 'canceled' | 'timeout') {
    super(reason === 'timeout' ? 'timed out' : 'canceled')
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The AbortedError for a signal that fired: 'timeout' when the wait's own timer aborted it. */
export function abortedBy(signal: AbortSignal): AbortedError {
  return new AbortedError(isTimeout(signal.reason) ? 'timeout' : 'canceled')
}

/** An abort reason that is a time limit: ours ('timeout'), or AbortSignal.timeout's TimeoutError. */
export function isTimeout(reason: unknown): boolean {
  // By name: AbortSignal.timeout's DOMException may come from another realm (a test's VM), where instanceof fails.
  return (
    reason === 'timeout' ||
    (typeof reason === 'object' && reason !== null && 'name' in reason && reason.name === 'TimeoutError')
  )
}
