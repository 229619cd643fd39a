import type { OutgoingHttpHeaders } from 'node:http'
import { baseFromLocation, cancelJobPath, jobsQuery, outputAssetsPath, tasksPath } from './paths.js'
import { mediaServicesDialect } from './dialect.js'
import { errorDetailsOf, jobProgress, parseJobs, parseOutputAssets, parseTasks, type Task } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import type { CallOptions } from '../../transport/call.js'
import { type ClientDeps, GuardedExchange, type GuardedRequest } from '../guarded.js'
import type { Job, OutputAsset } from '../model.js'
import type { JobSource, PollCost, Progress } from '../source.js'

export interface ClientOptions extends ClientDeps {
  apiUrl: URL
  /** The cloud's Media Services token resource, named in access hints. */
  mediaResource: string
  msVersion: string
  /** Host names, or domains with a leading dot, that may receive the token. */
  trustedHosts: readonly string[]
}

/** 20 ids make a query of about 1.5 KB: under the 2 KB query-string limit common to IIS front ends. */
export const JOBS_PER_REQUEST = 20
/** Jobs queries in flight at once: 1000 jobs (50 queries) take a few round trips, not fifty. */
export const CONCURRENT_JOBS_QUERIES = 4

/** A Jobs query asks for up to 20 jobs; progress is a Tasks read per job. */
export const V2_POLL_COST: PollCost = {
  queries: openJobs => Math.ceil(openJobs / JOBS_PER_REQUEST),
  progress: 'reads'
}

/**
 * Media Services v2 as a JobSource: Jobs queries for the state, Tasks reads for progress and error details,
 * CancelJob, and OutputMediaAssets for what a Finished job made. Its OData paths and headers and its wording
 * are here; the guarded exchange does the rest.
 */
export class MediaServicesClient implements JobSource {
  readonly service = 'Media Services'
  readonly cost = V2_POLL_COST
  private base: URL
  private readonly guarded: GuardedExchange

  constructor(private readonly o: ClientOptions) {
    this.base = new URL(o.apiUrl.href)
    const dialect = mediaServicesDialect(o.tokens.description, o.mediaResource)
    this.guarded = new GuardedExchange({ ...o, dialect, first: o.apiUrl })
  }

  /** The API root in use: the account's own endpoint once the service redirected us there. */
  get apiRoot(): string {
    return this.base.href
  }

  get requests(): number {
    return this.guarded.requests
  }

  /** The jobs among `ids` that the service knows, in batches of JOBS_PER_REQUEST, a few at a time. */
  async getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]> {
    const batches: string[][] = []
    for (let i = 0; i < ids.length; i += JOBS_PER_REQUEST) batches.push(ids.slice(i, i + JOBS_PER_REQUEST))
    // Up to 20 jobs, the usual case, are one query: asked directly.
    if (batches.length === 1) return this.get(jobsQuery(batches[0]), call, parseJobs)
    const answers = await mapLimit(batches, CONCURRENT_JOBS_QUERIES, batch =>
      this.get(jobsQuery(batch), call, parseJobs)
    )
    return answers.flat()
  }

  /** The job's tasks: its progress (their mean) and its error details. */
  async readProgress(id: string, call: CallOptions): Promise<Progress> {
    const tasks = await this.getTasks(id, call)
    return { progress: jobProgress(tasks), errorDetails: errorDetailsOf(tasks) }
  }

  async getTasks(id: string, call: CallOptions): Promise<Task[]> {
    return this.get(tasksPath(id), call, parseTasks)
  }

  readOutputAssets(id: string, call: CallOptions): Promise<OutputAsset[]> {
    return this.get(outputAssetsPath(id), call, parseOutputAssets)
  }

  async cancelJob(id: string, call: CallOptions): Promise<void> {
    await this.get(cancelJobPath(id), call, () => undefined)
  }

  /** A GET of `relative` under the API root, which a redirect moves for every later request. */
  private get<T>(relative: string, call: CallOptions, parse: (body: string) => T): Promise<T> {
    const request: GuardedRequest = {
      method: 'GET',
      url: new URL(relative, this.base),
      headers: HEADERS(this.o.msVersion),
      redirected: target => {
        const root = baseFromLocation(target, relative)
        const moved = root.href !== this.base.href
        if (moved) this.base = root
        return { next: new URL(relative, root), root: moved ? root : undefined }
      }
    }
    return this.guarded.request(request, call, res => parse(res.body))
  }
}

const HEADERS = (msVersion: string): OutgoingHttpHeaders => ({
  'x-ms-version': msVersion,
  Accept: 'application/json',
  'Accept-Charset': 'UTF-8',
  DataServiceVersion: '3.0',
  MaxDataServiceVersion: '3.0'
})
