/** Per call: when to stop retrying, when every exchange must have ended, and what cancels the call. */

/** Per call: when to stop retrying, when every exchange must have ended, and what cancels the call. */
export interface CallOptions {
  /** No retry starts after this (ms since epoch). */
  deadline: number
  /** No exchange runs past this: the wait's hard stop, or CancelJob's budget. Unset, only the per-request limit. */
  endBy?: number
  signal?: AbortSignal
}
