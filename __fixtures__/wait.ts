import type { WaitOptions, WaitSource } from '../src/wait/waiter.js'

/** Waiter options written flat, as a test reads best: the source's calls beside the wait's settings. */
export type FlatWaitOptions = Omit<WaitOptions, 'source'> &
  Pick<WaitSource, 'getJobs' | 'cost'> &
  Partial<WaitSource>

/** The waiter's options, with the source's calls gathered into its `source`. */
export function withSource({ getJobs, readProgress, cost, ...rest }: FlatWaitOptions): WaitOptions {
  return { ...rest, source: { getJobs, readProgress, cost } }
}
