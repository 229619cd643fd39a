/**
 * Media Services v2's inputs: job-id (the jobs), api-url (where they are) and x-ms-version. Pure parsing:
 * throws UserError naming the input and the fix.
 */
import { type Cloud, CLOUDS } from '../../clouds.js'
import { UserError } from '../../errors.js'
import { hostInDomain, httpsOrLoopback } from '../../transport/trust.js'
import { GUID, quoted, refuseNonHost } from '../../values.js'
import { canonicalJobId } from './parse.js'

const JOB_ID = /^nb:jid:UUID:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
/** action.yml's default for x-ms-version, which the runner fills in for every run, job-url runs too. */
export const DEFAULT_MS_VERSION = '2.19'

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
    ids.add(canonicalJobId(`nb:jid:UUID:${guid}`))
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

export function parseApiUrl(value: string, cloud: Cloud): URL {
  // No default: the global endpoint (media.windows.net) went with the service, and a run that tried it
  // would fail on DNS, far from the missing input.
  if (!value) {
    throw new UserError(
      `Input api-url is required with job-id: give the v2 endpoint your jobs are on, an account endpoint like https://<account>.restv2.<region>.${cloud.mediaDomains[0]}/api/ (or the emulator's). There is no default: Azure Media Services was retired on 2024-06-30, and its global endpoint with it.`,
      'api-url'
    )
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UserError(
      `Input api-url: ${quoted(value)} is not a URL. Expected e.g. https://<account>.restv2.<region>.media.azure.net/api/.`,
      'api-url'
    )
  }
  if (url.username || url.password) {
    throw new UserError(
      `Input api-url must not contain a user name or password: ${quoted(value)}. Give the API root only; the sign-in takes its own inputs.`,
      'api-url'
    )
  }
  if (!httpsOrLoopback(url)) {
    throw new UserError(
      `Input api-url must use https (plain http only to localhost, 127.0.0.1 or [::1], which no proxy carries): ${quoted(value)}.`,
      'api-url'
    )
  }
  if (url.search || url.hash) {
    throw new UserError(
      `Input api-url must not contain a query or a fragment: give the API root only.`,
      'api-url'
    )
  }
  refuseNonHost(url, 'api-url', value)
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

/** The cloud whose Media Services domains hold `host`, when it is another one than `cloud`. */
export function otherCloudOf(host: string, cloud: Cloud): Cloud | undefined {
  if (cloud.mediaDomains.some(d => hostInDomain(host, d))) return undefined
  return Object.values(CLOUDS).find(c => c.mediaDomains.some(d => hostInDomain(host, d)))
}
