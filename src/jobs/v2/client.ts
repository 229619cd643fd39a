import type { OutgoingHttpHeaders } from 'node:http'
import { baseFromLocation, cancelJobPath, jobsQuery, outputAssetsPath, tasksPath } from './paths.js'
import { mediaServicesDialect } from './dialect.js'
import { parseJobs, parseOutputAssets, parseTasks, type Task } from './parse.js'
import { mapLimit } from '../../transport/pool.js'
import type { CallOptions } from '../../transport/call.js'
import { type ClientDeps, GuardedExchange, type GuardedRequest } from '../../transport/guarded.js'
import type { Job, OutputAsset } from '../model.js'

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

/** Media Services v2: its OData paths and headers, its wording; the guarded exchange does the rest. */
export class MediaServicesClient {
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
    const answers = await mapLimit(batches, CONCURRENT_JOBS_QUERIES, batch =>
      this.get(jobsQuery(batch), call, parseJobs)
    )
    return answers.flat()
  }

  async getTasks(id: string, call: CallOptions): Promise<Task[]> {
    return this.get(tasksPath(id), call, parseTasks)
  }

  async getOutputAssets(id: string, call: CallOptions): Promise<OutputAsset[]> {
    return this.get(outputAssetsPath(id), call, parseOutputAssets)
  }

  async cancelJob(id: string, call: CallOptions): Promise<void> {
    await this.get(cancelJobPath(id), call, () => undefined)
  }

  /** A GET of `relative` under the API root, which a redirect moves for every later request. */
  private get<T>(relative: string, call: CallOptions, parse: (body: string) => T): Promise<T> {
    const at = (): URL => new URL(relative, this.base)
    const request: GuardedRequest = {
      method: 'GET',
      get url() {
        return at()
      },
      headers: HEADERS(this.o.msVersion),
      redirected: target => {
        const root = baseFromLocation(target, relative)
        const moved = root.href !== this.base.href
        if (moved) this.base = root
        return { next: at(), root: moved ? root : undefined }
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
