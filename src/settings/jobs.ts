/**
 * The job inputs: exactly one job API's input (job-id, job-url, …) names the jobs, and only that API's own
 * inputs are read. Each API reads them itself (jobs/<api>/api.ts); here is only the choice and the rules
 * every API shares. Pure: throws UserError.
 */
import type { Cloud } from '../clouds.js'
import { UserError } from '../errors.js'
import { type ApiJobs, type InputValues, type JobApi, MAX_JOBS } from '../jobs/api.js'

/** The API whose input names the jobs, and its jobs as that API reads them. */
export function readJobs(
  apis: readonly JobApi[],
  value: InputValues,
  cloud: Cloud,
  warnings: string[]
): ApiJobs {
  const given = apis.filter(api => value(api.input) !== '')
  if (given.length > 1) {
    const [a, b] = given
    throw new UserError(
      `Inputs ${a.input} and ${b.input} are both given: give ${a.input} for ${a.jobs} or ${b.input} for ${b.jobs}, not both.`,
      b.input
    )
  }
  if (given.length === 0) {
    throw new UserError(
      `Input ${orList(apis.map(api => api.input))} is required: ${apis.map(api => `${api.input} for ${api.takes}`).join(', ')}.`,
      apis[0].input
    )
  }
  const api = given[0]
  warnOthersInputs(api, apis, value, warnings)
  const jobs = api.read(value, cloud, warnings)
  if (jobs.ids.length > MAX_JOBS) {
    throw new UserError(
      `Input ${api.input}: ${jobs.ids.length} jobs given; at most ${MAX_JOBS} can be waited for at once.`,
      api.input
    )
  }
  return jobs
}

/**
 * Another API's own inputs are not read: a value given for one is named. The runner fills every input that
 * has a default in action.yml, so only another value than the default is the user's.
 */
function warnOthersInputs(
  api: JobApi,
  apis: readonly JobApi[],
  value: InputValues,
  warnings: string[]
): void {
  const mine = new Set(api.ownInputs.map(i => i.name))
  for (const other of apis) {
    if (other === api) continue
    for (const own of other.ownInputs) {
      const v = value(own.name)
      if (mine.has(own.name) || v === '' || v === own.default) continue
      warnings.push(`${own.name} is for ${other.input} (${other.name}); it is not used with ${api.input}.`)
    }
  }
}

/** "a or b", "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}
