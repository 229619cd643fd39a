/** The wait's time limits besides its timeout: one request's, and the hard stop's room for the last poll. */

/** One stuck request must not eat the wait: a quarter of it at most, between 5 and 30 seconds. */
export function requestTimeout(timeoutMs: number): number {
  return Math.min(30_000, Math.max(5_000, Math.floor(timeoutMs / 4)))
}
/**
 * The waiter's last poll starts at the timeout, so that a job that ended in the final interval is seen:
 * it and any request still running get this long, and then everything stops.
 */
export const LAST_POLL_MS = 5_000
