import type { JobSource, PollCost, SourceDeps } from '../source.js'
import { JOBS_PER_REQUEST, MediaServicesClient } from './client.js'
import { errorDetailsOf, jobProgress } from './parse.js'

/** What a Media Services v2 job source needs to know. */
export interface V2SourceOptions {
  /** The v2 endpoint, ending in `/`. */
  apiUrl: URL
  /** The cloud's Media Services token resource, named in access hints. */
  mediaResource: string
  msVersion: string
  trustedHosts: readonly string[]
  /** A task read is given one poll interval. */
  pollIntervalMs: number
}

/** A task read is given one poll interval, and at least this long when polling faster. */
const TASK_READ_MIN_MS = 5_000

/** A Jobs query asks for up to 20 jobs; progress is a Tasks read per job. */
export const V2_POLL_COST: PollCost = {
  queries: openJobs => Math.ceil(openJobs / JOBS_PER_REQUEST),
  progress: 'reads'
}

/**
 * Media Services v2: Jobs queries for the state, Tasks reads for progress and error details, CancelJob, and
 * OutputMediaAssets for what a Finished job made.
 */
export function createV2Source(o: V2SourceOptions, d: SourceDeps): JobSource {
  const client = new MediaServicesClient({
    ...d,
    apiUrl: o.apiUrl,
    mediaResource: o.mediaResource,
    msVersion: o.msVersion,
    trustedHosts: o.trustedHosts
  })
  return {
    kind: 'Media Services',
    service: 'Media Services',
    getJobs: (ids, signal, deadline) => client.getJobs(ids, { signal, deadline, endBy: d.endBy }),
    cost: V2_POLL_COST,
    readTasks: async (id, signal, deadline) => {
      // A task read is a nicety: give it one poll interval at most (5 s when polling faster), never the
      // whole wait, so that a slow Tasks answer does not keep a job that ended from being seen.
      const until = d.now() + Math.max(o.pollIntervalMs, TASK_READ_MIN_MS)
      const tasks = await client.getTasks(id, {
        signal,
        deadline: Math.min(deadline, d.now() + o.pollIntervalMs),
        endBy: Math.min(d.endBy, until)
      })
      return { progress: jobProgress(tasks), errorDetails: errorDetailsOf(tasks) }
    },
    cancelJob: (id, call) => client.cancelJob(id, call),
    readOutputAssets: (id, call) => client.getOutputAssets(id, call),
    get requests() {
      return client.requests
    },
    get apiRoot() {
      return client.apiRoot
    }
  }
}
