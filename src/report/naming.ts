import { cut, MESSAGE_LIMIT } from '../text.js'
import { ERROR_READS_PER_POLL, type JobView } from '../wait/waiter.js'

/** How the report names jobs and where they are: shared by the log lines, the verdict and the summary. */

/**
 * Jobs named in the annotation, the verdict and the summary's verdict line; the rest are counted. As many as
 * the waiter reads error details for in a poll, so every job named has its errors.
 */
export const NAMED_JOBS = ERROR_READS_PER_POLL

/** Where the jobs are, for titles and headings: the service that answers, and the input that named them. */
export interface JobsOrigin {
  /** "Media Services" (v2), "Azure Resource Manager", or the job-url host (e.g. MK.IO's). */
  service: string
  input: 'job-id' | 'job-url'
}

export const MEDIA_SERVICES_V2: JobsOrigin = { service: 'Media Services', input: 'job-id' }

/** "Media Services job(s)" for v2; "Job(s) on <service>" for a v3-shaped job service, which may not be Microsoft's. */
export function jobsNoun(origin: JobsOrigin, plural: boolean): string {
  const jobs = plural ? 'jobs' : 'job'
  return origin.input === 'job-id'
    ? `${origin.service} ${jobs}`
    : `${plural ? 'Jobs' : 'Job'} on ${origin.service}`
}

export function label(v: JobView): string {
  const name = v.job?.name
  return name ? `${v.id} (${name})` : v.id
}

/** A job's error details on one line, as long as one error message may be. */
export function errorsOf(v: JobView): string {
  return cut(v.errorDetails.map(d => `${d.code}: ${d.message}`).join('; '), MESSAGE_LIMIT)
}
