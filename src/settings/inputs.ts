import { type Cloud, CLOUDS, findCloud, unsupportedCloud } from './clouds.js'
import { chooseCredential, GUID, parseCreds, secretParts } from './credentials.js'
import { otherCloudOf, parseApiUrl, parseAuthorityHost, parseTrustedHosts, trustEntry } from './endpoints.js'
import { UserError } from '../errors.js'
import { parseJobUrls, parseArmUrl, type V3Jobs } from './job-urls.js'
import type { PollingPolicy } from '../wait/schedule.js'
import { formatDuration, parseDuration } from '../time.js'
import type { Credential } from '../auth/credential.js'
import { FINAL_STATES, type JobState, parseState } from '../jobs/model.js'

/** Everything the action needs, read and validated once. Nothing downstream reads inputs. */
export interface Settings {
  /** What the waiter and the report call the jobs: v2 job ids, or the v3 jobs' resource ids or URLs. */
  jobIds: string[]
  /** Set when the jobs are v3-shaped resources (input job-url); v2 otherwise. */
  v3?: V3Jobs
  cloud: Cloud
  /** Media Services v2 endpoint, always ending in `/`. */
  apiUrl: URL
  /** Entra ID authority host (origin only). */
  authorityHost: URL
  /** Token scope: the cloud's Media Services resource (v2) or Resource Manager (v3 on ARM) + `/.default`. */
  scope: string
  credential: Credential
  msVersion: string
  pollIntervalMs: number
  polling: PollingPolicy
  timeoutMs: number
  failOn: ReadonlySet<JobState>
  /**
   * Hosts and domains (a leading dot means "and subdomains") that may receive the token, each on port 443
   * unless it ends in `:port`.
   */
  trustedHosts: string[]
  cancelOnAbort: boolean
  /** Non-fatal remarks about the inputs, logged by main. */
  warnings: string[]
}

export type InputReader = (name: string) => string

export const INPUT_NAMES = [
  'job-id',
  'job-url',
  'arm-url',
  'cloud',
  'environment',
  'tenant-id',
  'client-id',
  'client-secret',
  'client-certificate',
  'access-token',
  'creds',
  'audience',
  'api-url',
  'authority-host',
  'x-ms-version',
  'poll-interval',
  'polling',
  'timeout',
  'fail-on',
  'trusted-hosts',
  'cancel-on-abort'
] as const
export type InputName = (typeof INPUT_NAMES)[number]

const JOB_ID = /^nb:jid:UUID:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
const MIN_POLL_MS = 1000
/** Node's timers cannot wait longer (2^31-1 ms, about 24.8 days). */
const MAX_WAIT_MS = 24 * 86_400_000
const MAX_JOBS = 1000
/** Under GitHub's 6 h job limit on hosted runners, so the action ends itself with outputs and a summary. */
export const DEFAULT_TIMEOUT = '5h30m'
/** action.yml's default for x-ms-version, which the runner fills in for every run, job-url runs too. */
export const DEFAULT_MS_VERSION = '2.19'
const POLLING_POLICIES: readonly PollingPolicy[] = ['predictive', 'fixed']

export interface ReadOptions {
  /** Masks a secret in the runner's log (core.setSecret); called before anything else is checked. */
  mask?: (secret: string) => void
  /** The process environment, for the presence of GitHub's OIDC variables. */
  env?: NodeJS.ProcessEnv
}

/** Reads and validates every input. Throws UserError naming the input and the fix; makes no request. */
export function readSettings(read: InputReader, options: ReadOptions = {}): Settings {
  const env = options.env ?? {}
  const warnings: string[] = []
  // Typed by INPUT_NAMES: reading an input that action.yml does not declare does not compile.
  const get = (name: InputName): string => (read(name) ?? '').trim()

  // Mask first: an error below must never be able to carry a secret into the log.
  for (const name of ['client-secret', 'client-certificate', 'access-token'] as const) {
    const v = get(name)
    if (v) secretParts(v).forEach(p => options.mask?.(p))
  }
  const creds = parseCreds(get('creds'), options.mask)

  const cloud = readCloud(get('cloud'), get('environment'))

  const v3 = parseJobInputs(get, cloud, warnings)
  const jobIds = v3 ? v3.targets.map(t => t.id) : parseJobIds(get('job-id'))
  const apiUrl = v3 ? new URL(`${v3.targets[0].url.origin}/`) : parseApiUrl(get('api-url'), cloud)
  const authorityHost = parseAuthorityHost(get('authority-host') || cloud.authorityHost)
  const msVersion = parseMsVersion(get('x-ms-version') || DEFAULT_MS_VERSION)

  const pollIntervalMs = parseDurationInput('poll-interval', get('poll-interval') || '10s', MIN_POLL_MS)
  const timeoutMs = parseDurationInput('timeout', get('timeout') || DEFAULT_TIMEOUT, MIN_POLL_MS, MAX_WAIT_MS)
  if (pollIntervalMs > timeoutMs) {
    throw new UserError(
      `Input poll-interval (${formatDuration(pollIntervalMs)}) is longer than timeout (${formatDuration(timeoutMs)}): the wait would end before the second poll. Shorten poll-interval or lengthen timeout.`,
      'poll-interval'
    )
  }

  const other = v3 ? undefined : otherCloudOf(apiUrl.hostname, cloud)
  if (other) {
    warnings.push(
      `api-url ${apiUrl.hostname} belongs to ${other.name}, but cloud is ${cloud.name}: the token would be for the wrong cloud. Set cloud: ${other.name}.`
    )
  }
  if (v3 && !v3.arm && !get('access-token')) {
    throw new UserError(
      `Input access-token is required for job-url on ${v3.host}: only Azure Resource Manager hosts sign in with Entra ID. Give the service's API token (for MK.IO, a personal API token) as a secret.`,
      'access-token'
    )
  }
  const credential = chooseCredential(get, creds, cloud, env, warnings)
  // v3: the token goes to the jobs' host on its port and to trusted-hosts; the Media Services domains are v2's.
  const trustedHosts = [
    trustEntry(apiUrl),
    ...(v3 ? [] : cloud.mediaDomains.map(d => `.${d}`)),
    ...parseTrustedHosts(get('trusted-hosts'))
  ]
  const cancelOnAbort = parseBoolean('cancel-on-abort', get('cancel-on-abort') || 'false')
  if (v3 && !v3.arm && cancelOnAbort) {
    warnings.push(
      `cancel-on-abort is not supported for jobs on ${v3.host} (only Azure Resource Manager's cancelJob is documented): a canceled or timed-out wait leaves the jobs running.`
    )
  }

  return {
    jobIds,
    v3,
    cloud,
    apiUrl,
    authorityHost,
    scope: v3?.arm ? cloud.armScope : `${cloud.mediaResource}/.default`,
    credential,
    msVersion,
    pollIntervalMs,
    polling: parsePolling(get('polling') || 'predictive'),
    timeoutMs,
    failOn: parseFailOn(get('fail-on')),
    trustedHosts: [...new Set(trustedHosts)],
    cancelOnAbort,
    warnings
  }
}

/**
 * `cloud`, or its alias `environment` (azure/login's name for it); AzureCloud when neither is given.
 * Both given must name the same cloud: which one was meant cannot be guessed.
 */
export function readCloud(cloudText: string, environmentText: string): Cloud {
  const parse = (input: 'cloud' | 'environment', name: string): Cloud => {
    const found = findCloud(name)
    if (found) return found
    const why = unsupportedCloud(name)
    throw new UserError(
      `Input ${input}: '${name.slice(0, 40)}' ${why ? `cannot be used: ${why}` : 'is not a cloud'}. Use one of: ${Object.keys(CLOUDS).join(', ')} (any case).`,
      input
    )
  }
  const cloud = cloudText ? parse('cloud', cloudText) : undefined
  const environment = environmentText ? parse('environment', environmentText) : undefined
  if (cloud && environment && cloud !== environment) {
    throw new UserError(
      `Inputs cloud (${cloud.name}) and environment (${environment.name}) disagree: environment is another name for cloud. Keep one.`,
      'environment'
    )
  }
  return cloud ?? environment ?? CLOUDS.AzureCloud
}

/** Exactly one of job-id (v2) and job-url (v3): the v3 jobs, or undefined for v2. */
function parseJobInputs(
  get: (name: InputName) => string,
  cloud: Cloud,
  warnings: string[]
): V3Jobs | undefined {
  const ids = get('job-id')
  const urls = get('job-url')
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
  if (!urls) return undefined
  // The runner fills every input that has a default in action.yml: only another value is the user's choice.
  // api-url has no default there (the cloud's endpoint is chosen in code), so any value of it was given.
  const given = {
    'api-url': get('api-url') !== '',
    'x-ms-version': get('x-ms-version') !== '' && get('x-ms-version') !== DEFAULT_MS_VERSION
  }
  for (const name of ['api-url', 'x-ms-version'] as const) {
    if (given[name]) warnings.push(`${name} is for job-id (Media Services v2); it is not used with job-url.`)
  }
  return parseJobUrls(urls, parseArmUrl(get('arm-url'), cloud))
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
        `Input job-id: '${item.slice(0, 80)}' is not a Media Services job id. Expected nb:jid:UUID:<guid>, e.g. nb:jid:UUID:1f3c9a2e-0000-4000-8000-000000000000.`,
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

export function parsePolling(value: string): PollingPolicy {
  const policy = POLLING_POLICIES.find(p => p === value.toLowerCase())
  if (!policy) {
    throw new UserError(
      `Input polling: '${value}' is not a polling policy. Use predictive (the default) or fixed (every poll-interval).`,
      'polling'
    )
  }
  return policy
}

export function parseMsVersion(value: string): string {
  if (!/^2\.\d{1,2}$/.test(value)) {
    throw new UserError(
      `Input x-ms-version: '${value}' is not a Media Services v2 REST version. Use e.g. 2.19 (the newest).`,
      'x-ms-version'
    )
  }
  return value
}

export function parseDurationInput(name: string, value: string, minMs: number, maxMs = MAX_WAIT_MS): number {
  const ms = parseDuration(value)
  if (ms === undefined) {
    throw new UserError(
      `Input ${name}: '${value}' is not a duration. Use seconds (15), or units: 15s, 2m, 90min, 1h30m, 2 hours.`,
      name
    )
  }
  if (ms < minMs) {
    throw new UserError(`Input ${name} must be at least ${formatDuration(minMs)} (got '${value}').`, name)
  }
  if (ms > maxMs) {
    throw new UserError(`Input ${name} must be at most ${formatDuration(maxMs)} (got '${value}').`, name)
  }
  return ms
}

export function parseFailOn(value: string): ReadonlySet<JobState> {
  const text = value || 'Error, Canceled'
  if (/^none$/i.test(text)) return new Set()
  const states = new Set<JobState>()
  for (const item of text.split(/[\s,;]+/).filter(Boolean)) {
    const state = parseState(item)
    if (!state || /^\d+$/.test(item) || !FINAL_STATES.has(state)) {
      throw new UserError(
        `Input fail-on: '${item}' is not a final job state. Use any of Finished, Error, Canceled, or none.`,
        'fail-on'
      )
    }
    states.add(state)
  }
  if (states.size === 0) {
    throw new UserError(
      `Input fail-on: '${text}' names no state. Use any of Finished, Error, Canceled, or none.`,
      'fail-on'
    )
  }
  return states
}

export function parseBoolean(name: string, value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true
  if (/^(false|no|off|0)$/i.test(value)) return false
  throw new UserError(`Input ${name}: '${value}' is not a boolean. Use true or false.`, name)
}
