import type { Cloud } from '../clouds.js'
import type { ClientDeps } from './guarded.js'
import type { JobSource } from './source.js'

/**
 * A job API, described once: the input that names its jobs, the inputs only it reads, and how they become
 * the jobs to wait for and the JobSource that reads them. settings/ and main.ts choose one from the registry
 * (jobs/apis.ts) and ask it everything they need: neither holds a branch on which API it is.
 */
export interface JobApi {
  /** The API's name, in warnings about its inputs: "Media Services v2". */
  readonly name: string
  /** The input that names this API's jobs and so selects it: `job-id`, `job-url`. */
  readonly input: string
  /** What that input takes, when no job input is given: "Media Services v2 job ids (nb:jid:UUID:<guid>)". */
  readonly takes: string
  /** Its jobs in a few words, when two job inputs are given: "Media Services v2 jobs (nb:jid:UUID:…)". */
  readonly jobs: string
  /**
   * The other inputs only this API reads, each with its default in action.yml (which the runner fills in for
   * every run): given with another API's jobs, they are named in a warning.
   */
  readonly ownInputs: readonly { name: string; default?: string }[]
  /** Reads this API's inputs into its jobs. Throws UserError naming the input; pushes warnings for the log. */
  read(inputs: InputValues, cloud: Cloud, warnings: string[]): ApiJobs
}

/** An input's value as given, trimmed; '' when unset. */
export type InputValues = (name: string) => string

/** One API's jobs as its inputs named them: what settings and main need, and how to make its JobSource. */
export interface ApiJobs {
  /** The job ids in input order, canonical (as the service names them): the waiter matches them exactly. */
  ids: string[]
  /** What is waited for, in the intro line: "Media Services" (job …), "v3" (jobs). */
  kind: string
  /** Where the jobs are, in the intro line. */
  endpoint: string
  /** How the report names the jobs and where to look when one is not found. */
  origin: JobsOrigin
  /** The Entra ID token scope; undefined where the service signs in only with its own token. */
  scope?: string
  /** Why access-token is required here, where `scope` is undefined. */
  accessTokenRequired?: string
  /** Trust entries (`host`, `host:port`, `.domain`) that may receive the token, besides trusted-hosts. */
  trustedHosts: string[]
  /** Why cancel-on-abort cannot be honoured here; undefined where the service has a documented cancel. */
  cannotCancel?: string
  /** The API's own options for its client, as read from the inputs (shown by tests; used by createSource). */
  options: object
  /** The JobSource for these jobs, given the parts main built and every host the token may go to. */
  createSource(deps: SourceDeps): JobSource
}

/** What a job source is given from outside: the client's deps and every host that may receive the token. */
export interface SourceDeps extends ClientDeps {
  /** Trust entries: the API's own hosts and trusted-hosts. */
  trustedHosts: readonly string[]
}

/** How the report names the jobs and where they are: the only thing report/ knows of the API. */
export interface JobsOrigin {
  /** Who answers: "Media Services" (v2), "Azure Resource Manager", or the job-url host (e.g. MK.IO's). */
  service: string
  /** The jobs in titles and headings: "Media Services job"/"…jobs", or "Job on <host>"/"Jobs on <host>". */
  noun: { one: string; many: string }
  /** The verdict's advice when a job is not found: "Check job-id and api-url." */
  notFoundHint: string
}

/** Jobs waited for at once, at most: 1000 v2 ids are 50 Jobs queries a poll; 1000 v3 jobs, 1000 GETs. */
export const MAX_JOBS = 1000
