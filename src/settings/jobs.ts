/**
 * Inputs job-id (Media Services v2, with api-url and x-ms-version) and job-url (v3-shaped jobs, with arm-url):
 * exactly one of them, and only its own API's inputs are read. Pure parsing: throws UserError.
 */
import type { Cloud } from './clouds.js'
import { GUID } from './credentials.js'
import { otherCloudOf, parseApiUrl } from './endpoints.js'
import { UserError } from '../errors.js'
import { quoted } from './values.js'
import type { Inputs } from './input-names.js'
import { parseArmUrl, parseJobUrls, type V3Jobs } from './job-urls.js'

/** The jobs as read, before trusted-hosts and poll-interval complete their API's options. */
export type JobInputs =
  { api: 'v2'; ids: string[]; apiUrl: URL; msVersion: string } | { api: 'v3'; ids: string[]; v3: V3Jobs }

const JOB_ID = /^nb:jid:UUID:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
const MAX_JOBS = 1000
/** action.yml's default for x-ms-version, which the runner fills in for every run, job-url runs too. */
export const DEFAULT_MS_VERSION = '2.19'

/** Exactly one of job-id (v2) and job-url (v3), each with its own API's inputs. */
export function readJobs(inputs: Inputs, cloud: Cloud, warnings: string[]): JobInputs {
  const ids = inputs['job-id']
  const urls = inputs['job-url']
  if (ids && urls) {
    throw new UserError(
      'Inputs job-id and job-url are both given: give job-id for Media Services v2 jobs (nb:jid:UUID:…) or job-url for v3-shaped jobs (Azure Resource Manager, MK.IO), not both.',
      'job-url'
    )
  }
  if (!ids && !urls) {
    throw new UserError(
      'Input job-id or job-url is required: job-id for Media Services v2 job ids (nb:jid:UUID:<guid>), job-url for v3 job URLs or ARM resource ids (/subscriptions/…/transforms/<transform>/jobs/<job>).',
      'job-id'
    )
  }
  return urls ? readV3Jobs(inputs, cloud, warnings) : readV2Jobs(inputs, cloud, warnings)
}

function readV3Jobs(inputs: Inputs, cloud: Cloud, warnings: string[]): JobInputs {
  // The runner fills every input that has a default in action.yml: only another value is the user's choice.
  // api-url has no default there (the cloud's endpoint is chosen in code), so any value of it was given.
  const given = {
    'api-url': inputs['api-url'] !== '',
    'x-ms-version': inputs['x-ms-version'] !== '' && inputs['x-ms-version'] !== DEFAULT_MS_VERSION
  }
  for (const name of ['api-url', 'x-ms-version'] as const) {
    if (given[name]) warnings.push(`${name} is for job-id (Media Services v2); it is not used with job-url.`)
  }
  const v3 = parseJobUrls(inputs['job-url'], parseArmUrl(inputs['arm-url'], cloud))
  if (inputs['arm-url'] !== '' && !v3.arm) {
    warnings.push(
      `arm-url is not used: job-url names jobs on ${v3.host}, not on Azure Resource Manager at ${new URL(inputs['arm-url']).host}. Leave arm-url out, or give the jobs as resource ids (/subscriptions/…).`
    )
  }
  return { api: 'v3', ids: v3.targets.map(t => t.id), v3 }
}

function readV2Jobs(inputs: Inputs, cloud: Cloud, warnings: string[]): JobInputs {
  const ids = parseJobIds(inputs['job-id'])
  const apiUrl = parseApiUrl(inputs['api-url'], cloud)
  const msVersion = parseMsVersion(inputs['x-ms-version'] || DEFAULT_MS_VERSION)
  const other = otherCloudOf(apiUrl.hostname, cloud)
  if (other) {
    warnings.push(
      `api-url ${apiUrl.hostname} belongs to ${other.name}, but cloud is ${cloud.name}: the token would be for the wrong cloud. Set cloud: ${other.name}.`
    )
  }
  return { api: 'v2', ids, apiUrl, msVersion }
}

export function parseJobIds(text: string): string[] {
  const items = text.split(/[\s,;]+/).filter(Boolean)
  if (items.length === 0) {
    throw new UserError(
      'Input job-id is required: give one or more Media Services job ids (nb:jid:UUID:<guid>), separated by newlines, commas or spaces.',
      'job-id'
    )
  }
  // A Set keeps input order and makes the duplicate check linear: 1000 ids are checked once each.
  const ids = new Set<string>()
  for (const item of items) {
    const unquoted = item.replace(/^['"`]+|['"`]+$/g, '')
    if (unquoted !== item && (JOB_ID.test(unquoted) || GUID.test(unquoted))) {
      throw new UserError(
        `Input job-id: remove the quotes around ${unquoted} (give job-id: ${unquoted}, or several ids separated by newlines, commas or spaces).`,
        'job-id'
      )
    }
    const guid = JOB_ID.exec(item)?.[1] ?? (GUID.test(item) ? item : undefined)
    if (!guid) {
      throw new UserError(
        `Input job-id: ${quoted(item)} is not a Media Services job id. Expected nb:jid:UUID:<guid>, e.g. nb:jid:UUID:1f3c9a2e-0000-4000-8000-000000000000.`,
        'job-id'
      )
    }
    // The service keeps `UUID` upper case and the GUID lower case.
    const id = `nb:jid:UUID:${guid.toLowerCase()}`
    ids.add(id)
  }
  if (ids.size > MAX_JOBS) {
    throw new UserError(
      `Input job-id: ${ids.size} jobs given; at most ${MAX_JOBS} can be waited for at once.`,
      'job-id'
    )
  }
  return [...ids]
}

export function parseMsVersion(value: string): string {
  if (!/^2\.\d{1,2}$/.test(value)) {
    throw new UserError(
      `Input x-ms-version: ${quoted(value)} is not a Media Services v2 REST version. Use e.g. 2.19 (the newest).`,
      'x-ms-version'
    )
  }
  return value
}
