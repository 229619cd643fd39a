import { v3Dialect } from './dialect.js'
import { parseV3JobBody, v3ErrorText } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import type { CallOptions } from '../../transport/call.js'
import { type ClientDeps, GuardedExchange } from '../guarded.js'
import type { Job } from '../model.js'
import type { JobSource, PollCost } from '../source.js'

/** One awaited v3 job: the id the user reads (resource id or URL) and the URL it is read from. */
export interface JobTarget {
  id: string
  url: URL
}

export interface V3ClientOptions extends ClientDeps {
  targets: readonly JobTarget[]
  /** Azure Resource Manager (Entra ID token, cancelJob) rather than another v3-shaped service. */
  arm: boolean
  /** The input that names the host (job-url, or arm-url for ARM resource ids); job-url when unset. */
  endpointInput?: string
  /** Host names or `.domains` that may receive the token, each on port 443 unless it ends in `:port`. */
  trustedHosts: readonly string[]
}

/** A few jobs in flight at once: one GET per job, but not a burst that invites throttling. */
export const PARALLEL_GETS = 4

/** Who answers for v3 jobs, in log lines and titles: Azure Resource Manager, or the jobs' host. */
export function serviceOf(targets: readonly JobTarget[], arm: boolean): string {
  return arm ? 'Azure Resource Manager' : (targets[0]?.url.host ?? 'the job service')
}

/** One GET per job, and its progress comes with it. */
export const V3_POLL_COST: PollCost = { queries: openJobs => openJobs, progress: 'in-job' }

/**
 * v3-shaped job resources (Azure Resource Manager, MK.IO): one GET per job gives its state, progress and
 * errors. Redirects, tokens and retries go through the guarded exchange, under the same trust rules as v2.
 */
export class V3JobsClient implements JobSource {
  readonly cost = V3_POLL_COST
  /** Only ARM documents cancelJob (POST …/jobs/{j}/cancelJob, 200 with `{}`). */
  readonly cancelJob?: (id: string, call: CallOptions) => Promise<void>
  private readonly byId: Map<string, JobTarget>
  private readonly guarded: GuardedExchange
  /** What the service said in its last 404 for each job it did not return (code and message, neutralised). */
  private readonly gone = new Map<string, string>()
  readonly service: string

  constructor(private readonly o: V3ClientOptions) {
    this.byId = new Map(o.targets.map(t => [t.id, t]))
    this.service = serviceOf(o.targets, o.arm)
    this.guarded = new GuardedExchange({
      ...o,
      dialect: v3Dialect(this.service, o.arm, o.tokens.description, o.endpointInput)
    })
    if (o.arm) this.cancelJob = (id, call) => this.cancel(id, call)
  }

  get requests(): number {
    return this.guarded.requests
  }

  get apiRoot(): string {
    return this.o.targets[0]?.url.origin ?? ''
  }

  /** The jobs among `ids` that exist; a 404 leaves a job out (the waiter counts it as not found). */
  async getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]> {
    const jobs = await mapLimit(ids, PARALLEL_GETS, id => this.getJob(id, call))
    return jobs.filter((j): j is Job => j !== undefined)
  }

  private async cancel(id: string, call: CallOptions): Promise<void> {
    const url = new URL(this.target(id).url.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/cancelJob`
    const headers = { ...ACCEPT, 'Content-Type': 'application/json' }
    await this.guarded.request({ method: 'POST', url, headers, body: '{}' }, call, () => undefined)
  }

  private async getJob(id: string, call: CallOptions): Promise<Job | undefined> {
    const request = { method: 'GET', url: this.target(id).url, headers: ACCEPT } as const
    return this.guarded.request(request, call, res => {
      if (res.status === 404) {
        this.gone.set(id, v3ErrorText(res.body) ?? '')
        return undefined
      }
      this.gone.delete(id)
      return parseV3JobBody(res.body, id, this.service)
    })
  }

  /** The service's own words in its last 404 for the job (e.g. `NotFound: The requested resource was not found.`). */
  notFoundText(id: string): string | undefined {
    return this.gone.get(id) || undefined
  }

  private target(id: string): JobTarget {
    const t = this.byId.get(id)
    if (!t) throw new Error(`no job URL for ${id}`)
    return t
  }
}

const ACCEPT = { Accept: 'application/json' }
