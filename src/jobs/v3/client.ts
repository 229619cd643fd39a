import { jobService, UserError } from '../../errors.js'
import { parseV3JobBody, v3ErrorCode, v3ErrorText } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import type { CallOptions } from '../../transport/call.js'
import {
  type ClientDeps,
  type FailedAnswer,
  GuardedExchange,
  type ServiceDialect
} from '../../transport/guarded.js'
import type { Job } from '../model.js'

/** One awaited v3 job: the id the user reads (resource id or URL) and the URL it is read from. */
export interface JobTarget {
  id: string
  url: URL
}

export interface V3ClientOptions extends ClientDeps {
  targets: readonly JobTarget[]
  /** Azure Resource Manager (Entra ID token, cancelJob) rather than another v3-shaped service. */
  arm: boolean
  /** Host names or `.domains` that may receive the token, each on port 443 unless it ends in `:port`. */
  trustedHosts: readonly string[]
}

/** A few jobs in flight at once: one GET per job, but not a burst that invites throttling. */
export const PARALLEL_GETS = 4

/**
 * v3-shaped job resources (Azure Resource Manager, MK.IO): one GET per job gives its state, progress and
 * errors. Redirects, tokens and retries go through the guarded exchange, under the same trust rules as v2.
 */
export class V3JobsClient {
  private readonly byId: Map<string, JobTarget>
  private readonly guarded: GuardedExchange
  readonly service: string

  constructor(private readonly o: V3ClientOptions) {
    this.byId = new Map(o.targets.map(t => [t.id, t]))
    this.service = o.arm ? 'Azure Resource Manager' : (o.targets[0]?.url.host ?? 'the job service')
    this.guarded = new GuardedExchange({ ...o, dialect: this.dialect() })
  }

  get requests(): number {
    return this.guarded.requests
  }

  get apiRoot(): string {
    return this.o.targets[0]?.url.origin ?? ''
  }

  /** Only ARM documents cancelJob (POST …/jobs/{j}/cancelJob, 200 with `{}`). */
  get canCancel(): boolean {
    return this.o.arm
  }

  /** The jobs among `ids` that exist; a 404 leaves a job out (the waiter counts it as not found). */
  async getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]> {
    const jobs = await mapLimit(ids, PARALLEL_GETS, id => this.getJob(id, call))
    return jobs.filter((j): j is Job => j !== undefined)
  }

  async cancelJob(id: string, call: CallOptions): Promise<void> {
    const url = new URL(this.target(id).url.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/cancelJob`
    const headers = { ...ACCEPT, 'Content-Type': 'application/json' }
    await this.guarded.request({ method: 'POST', url, headers, body: '{}' }, call, () => undefined)
  }

  private async getJob(id: string, call: CallOptions): Promise<Job | undefined> {
    const request = { method: 'GET', url: this.target(id).url, headers: ACCEPT } as const
    return this.guarded.request(request, call, res =>
      res.status === 404 ? undefined : parseV3JobBody(res.body, id, this.service)
    )
  }

  private target(id: string): JobTarget {
    const t = this.byId.get(id)
    if (!t) throw new Error(`no job URL for ${id}`)
    return t
  }

  private dialect(): ServiceDialect {
    return {
      service: this.service,
      urlInput: 'job-url',
      untrustedHost: where =>
        `Refused to send the token to ${where}: ${this.service} redirected there, and it is not the host of job-url. If it is yours, add it to trusted-hosts.`,
      errorText: v3ErrorText,
      resourceName: url => url.pathname.split('/').filter(Boolean).slice(-2).join('/').slice(0, 80),
      explain: a => this.explain(a),
      // A job that is gone is an answer, not a failure: the waiter counts it as not found.
      isAnswer: (res, method) => res.status === 404 && method === 'GET'
    }
  }

  /** The service's own words for a refusal, and the hint for a wrong api-version. */
  private explain({ res, refreshed, detail }: FailedAnswer): Error | undefined {
    const source = jobService(this.service)
    if (res.status === 401) {
      const why = refreshed
        ? 'even with a fresh token. Check that the service principal has a role on the Media Services account and that tenant-id is its tenant'
        : this.o.arm
          ? `for ${this.o.tokens.description}. It may have expired or be for another resource (get it for Azure Resource Manager)`
          : `for ${this.o.tokens.description}. Check access-token: it may have expired or be for another service`
      return new UserError(`${this.service} refused access (401) ${why}${detail}`, 'access-token', source)
    }
    if (res.status === 403) {
      const fix = this.o.arm
        ? 'Give the service principal a role (e.g. Media Services Contributor, or Contributor) on the Media Services account.'
        : 'Check that access-token may read these jobs.'
      return new UserError(`${this.service} denied access (403)${detail}. ${fix}`, undefined, source)
    }
    if (res.status === 400 && v3ErrorCode(res.body) === 'InvalidApiVersionParameter') {
      const message = `${this.service} rejected the api-version (400)${detail}. Fix job-url.`
      return new UserError(message, 'job-url', source)
    }
    return undefined
  }
}

const ACCEPT = { Accept: 'application/json' }
