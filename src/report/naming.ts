import { cut, MESSAGE_LIMIT } from '../text.js'
import { ERROR_READS_PER_POLL, type JobView } from '../wait/waiter.js'
import type { JobsOrigin } from '../jobs/api.js'

export type { JobsOrigin } from '../jobs/api.js'

/** How the report names jobs and where they are: shared by the log lines, the verdict and the summary. */

/**
 * Jobs named in the annotation, the verdict and the summary's verdict line; the rest are counted. As many as
 * the waiter reads error details for in a poll, so every job named has its errors.
 */
export const NAMED_JOBS = ERROR_READS_PER_POLL

/** The jobs in titles and headings, as their job API names them ("Media Services job", "Jobs on api.mk.io"). */
export function jobsNoun(origin: JobsOrigin, plural: boolean): string {
  return plural ? origin.noun.many : origin.noun.one
}

export function label(v: JobView): string {
  const name = v.job?.name
  return name ? `${v.id} (${name})` : v.id
}

/** A job's error details on one line, as long as one error message may be. */
export function errorsOf(v: JobView): string {
  return cut(v.errorDetails.map(d => `${d.code}: ${d.message}`).join('; '), MESSAGE_LIMIT)
}
