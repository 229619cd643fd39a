/**
 * Two kinds of failure, told apart because they need different fixes:
 * - UserError: the workflow must change something (an input, a credential, a role assignment).
 *   Its message names the input or the fix and is shown without a stack trace.
 * - ServiceError: Media Services or Entra ID misbehaved or refused; the message carries the
 *   HTTP status and the request id so the failure can be traced with Microsoft support.
 */
export class UserError extends Error {
  override name = 'UserError'
  constructor(
    message: string,
    /** The input the user should change, when there is one. */
    readonly input?: string
  ) {
    super(message)
  }
}

export class ServiceError extends Error {
  override name = 'ServiceError'
  constructor(
    message: string,
    readonly status?: number,
    readonly requestId?: string,
    /** True when a later attempt may succeed (throttling, gateway errors, resets). */
    readonly transient = false,
    /** Milliseconds the service asked us to wait (Retry-After), when it said so. */
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
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
  return new AbortedError(signal.reason === 'timeout' ? 'timeout' : 'canceled')
}
