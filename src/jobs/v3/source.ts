import type { JobSource, PollCost, SourceDeps } from '../source.js'
import { type JobTarget, V3JobsClient } from './client.js'

/** What a source of v3-shaped jobs needs to know. */
export interface V3SourceOptions {
  targets: readonly JobTarget[]
  /** The jobs are on Azure Resource Manager (Entra ID token, cancelJob). */
  arm: boolean
  /** The input to check when the host never answers as the API does (job-url, or arm-url for resource ids). */
  endpointInput?: string
  trustedHosts: readonly string[]
}

/** One GET per job, and its progress comes with it. */
export const V3_POLL_COST: PollCost = { queries: openJobs => openJobs, progress: 'in-job' }

/** v3-shaped jobs (Azure Resource Manager, MK.IO): one GET per job gives state, progress and errors. */
export function createV3Source(o: V3SourceOptions, d: SourceDeps): JobSource {
  const client = new V3JobsClient({ ...d, ...o })
  return {
    kind: 'v3',
    service: client.service,
    getJobs: (ids, signal, deadline) => client.getJobs(ids, { signal, deadline, endBy: d.endBy }),
    cost: V3_POLL_COST,
    cancelJob: client.canCancel ? (id, call) => client.cancelJob(id, call) : undefined,
    notFoundText: id => client.notFoundText(id),
    get requests() {
      return client.requests
    },
    apiRoot: client.apiRoot
  }
}
