import { MediaServicesClient } from './v2/client.js'
import type { Settings } from '../settings/inputs.js'
import { errorDetailsOf, jobProgress } from './v2/parse.js'
import { V3JobsClient } from './v3/client.js'
import type { ProgressReader } from '../wait/waiter.js'
import type { CallOptions } from '../transport/call.js'
import type { ClientDeps } from '../transport/guarded.js'
import type { Job } from './model.js'

/**
 * Where jobs are read from, for the waiter and the cancel path: Media Services v2 (the default), or
 * v3-shaped job resources (ARM, MK.IO). Everything downstream sees the same Job model.
 */
export interface JobSource {
  /** What is waited for, in the intro line: "Media Services" or "v3". */
  readonly kind: string
  /** Who answers, in log lines: "Media Services", "Azure Resource Manager" or the host. */
  readonly service: string
  getJobs: (ids: readonly string[], signal: AbortSignal | undefined, deadline: number) => Promise<Job[]>
  /** v2 reads progress and errors from the tasks; v3 jobs carry them. */
  readTasks?: ProgressReader
  /** Undefined where the service has no documented cancel. */
  cancelJob?: (id: string, call: CallOptions) => Promise<void>
  readonly requests: number
  readonly apiRoot: string
}

export interface SourceDeps extends ClientDeps {
  /** The wait's hard stop: no exchange runs past it. */
  endBy: number
}

/** A task read is given one poll interval, and at least this long when polling faster. */
const TASK_READ_MIN_MS = 5_000

export function createJobSource(s: Settings, d: SourceDeps): JobSource {
  if (s.v3) {
    const client = new V3JobsClient({
      ...d,
      targets: s.v3.targets,
      arm: s.v3.arm,
      trustedHosts: s.trustedHosts
    })
    return {
      kind: 'v3',
      service: client.service,
      getJobs: (ids, signal, deadline) => client.getJobs(ids, { signal, deadline, endBy: d.endBy }),
      cancelJob: client.canCancel ? (id, call) => client.cancelJob(id, call) : undefined,
      get requests() {
        return client.requests
      },
      apiRoot: client.apiRoot
    }
  }
  const client = new MediaServicesClient({
    ...d,
    apiUrl: s.apiUrl,
    mediaResource: s.cloud.mediaResource,
    msVersion: s.msVersion,
    trustedHosts: s.trustedHosts
  })
  return {
    kind: 'Media Services',
    service: 'Media Services',
    getJobs: (ids, signal, deadline) => client.getJobs(ids, { signal, deadline, endBy: d.endBy }),
    readTasks: async (id, signal, deadline) => {
      // A task read is a nicety: give it one poll interval at most (5 s when polling faster), never the
      // whole wait, so that a slow Tasks answer does not keep a job that ended from being seen.
      const until = d.now() + Math.max(s.pollIntervalMs, TASK_READ_MIN_MS)
      const tasks = await client.getTasks(id, {
        signal,
        deadline: Math.min(deadline, d.now() + s.pollIntervalMs),
        endBy: Math.min(d.endBy, until)
      })
      return { progress: jobProgress(tasks), errorDetails: errorDetailsOf(tasks) }
    },
    cancelJob: (id, call) => client.cancelJob(id, call),
    get requests() {
      return client.requests
    },
    get apiRoot() {
      return client.apiRoot
    }
  }
}
