import type { AuthSettings } from '../auth/token-source.js'
import type { Credential } from '../auth/credential.js'
import { type Cloud, CLOUDS, findCloud, unsupportedCloud } from './clouds.js'
import { chooseCredential, type Creds, maskSecrets, parseCreds } from './credentials.js'
import { parseAuthorityHost, parseTrustedHosts, trustEntry } from './endpoints.js'
import { UserError } from '../errors.js'
import { quoted } from './values.js'
import { type InputReader, type Inputs, readInputs } from './input-names.js'
import { type JobInputs, readJobs } from './jobs.js'
import type { V2SourceOptions } from '../jobs/v2/source.js'
import type { V3SourceOptions } from '../jobs/v3/source.js'
import { parseFailOn, parsePolling, readTiming, runnerLimitWarning, type Timing } from './timing.js'
import type { WaitOptions } from '../wait/waiter.js'

/**
 * The jobs to wait for, and their API's job source options. Inputs of one API (api-url and x-ms-version
 * are v2's) exist only in its branch.
 */
export type JobSettings =
  | { api: 'v2'; ids: string[]; options: V2SourceOptions }
  | { api: 'v3'; ids: string[]; options: V3SourceOptions }

/** How the waiter polls and when the wait fails: its own options, as the inputs give them. */
export type WaitSettings = Pick<WaitOptions, 'intervalMs' | 'timeoutMs' | 'policy' | 'failOn'>

/**
 * Everything the action needs, read and validated once, in each part's own option types. Nothing
 * downstream reads inputs.
 */
export interface Settings {
  jobs: JobSettings
  auth: AuthSettings
  wait: WaitSettings
  cancelOnAbort: boolean
  /** Non-fatal remarks about the inputs, logged by main. */
  warnings: string[]
}

export interface ReadOptions {
  /** Masks a secret in the runner's log (core.setSecret); called before anything else is checked. */
  mask?: (secret: string) => void
  /** The process environment, for the presence of GitHub's OIDC variables. */
  env?: NodeJS.ProcessEnv
}

/**
 * Reads and validates every input. Rejects with UserError naming the input and the fix; makes no request
 * (asynchronous only because a trusted-hosts wildcard loads the Public Suffix List).
 */
export async function readSettings(read: InputReader, options: ReadOptions = {}): Promise<Settings> {
  const inputs = readInputs(read)
  // Mask first: an error below must never be able to carry a secret into the log.
  maskSecrets(inputs, options.mask)
  const creds = parseCreds(inputs.creds, options.mask)
  const cloud = readCloud(inputs.cloud, inputs.environment)
  const warnings: string[] = []
  // In this order, so that of several wrong inputs the same one is named first every time.
  const jobs = readJobs(inputs, cloud, warnings)
  const authorityHost = parseAuthorityHost(inputs['authority-host'] || cloud.authorityHost)
  const timing = readTiming(inputs)
  const limit = runnerLimitWarning(timing.timeoutMs, options.env ?? {})
  if (limit) warnings.push(limit)
  const credential = readCredential(inputs, jobs, creds, cloud, options.env ?? {}, warnings)
  const trustedHosts = await readTrustedHosts(inputs['trusted-hosts'], jobs, cloud)
  const cancelOnAbort = readCancelOnAbort(inputs['cancel-on-abort'], jobs, warnings)
  return {
    jobs: jobSettings(jobs, cloud, trustedHosts, timing),
    auth: {
      credential,
      authorityHost,
      scope: jobs.api === 'v3' && jobs.v3.arm ? cloud.armScope : `${cloud.mediaResource}/.default`
    },
    wait: {
      ...timing,
      policy: parsePolling(inputs.polling || 'predictive'),
      failOn: parseFailOn(inputs['fail-on'])
    },
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
      `Input ${input}: ${quoted(name)} ${why ? `cannot be used: ${why}` : 'is not a cloud'}. Use one of: ${Object.keys(CLOUDS).join(', ')} (any case).`,
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

/** Only Resource Manager hosts sign in with Entra ID: any other job-url host needs its own token. */
function readCredential(
  inputs: Inputs,
  jobs: JobInputs,
  creds: Creds,
  cloud: Cloud,
  env: NodeJS.ProcessEnv,
  warnings: string[]
): Credential {
  if (jobs.api === 'v3' && !jobs.v3.arm && !inputs['access-token']) {
    throw new UserError(
      `Input access-token is required for job-url on ${jobs.v3.host}: only Azure Resource Manager hosts sign in with Entra ID. Give the service's API token (for MK.IO, a personal API token) as a secret.`,
      'access-token'
    )
  }
  return chooseCredential(inputs, creds, cloud, env, warnings)
}

/** v3: the token goes to the jobs' host on its port and to trusted-hosts; the Media Services domains are v2's. */
async function readTrustedHosts(text: string, jobs: JobInputs, cloud: Cloud): Promise<string[]> {
  const own =
    jobs.api === 'v3'
      ? [trustEntry(new URL(`${jobs.v3.targets[0].url.origin}/`))]
      : [trustEntry(jobs.apiUrl), ...cloud.mediaDomains.map(d => `.${d}`)]
  return [...new Set([...own, ...(await parseTrustedHosts(text))])]
}

function readCancelOnAbort(text: string, jobs: JobInputs, warnings: string[]): boolean {
  const cancelOnAbort = parseBoolean('cancel-on-abort', text || 'false')
  if (jobs.api === 'v3' && !jobs.v3.arm && cancelOnAbort) {
    warnings.push(
      `cancel-on-abort is not supported for jobs on ${jobs.v3.host} (only Azure Resource Manager's cancelJob is documented): a canceled or timed-out wait leaves the jobs running.`
    )
  }
  return cancelOnAbort
}

/** Each API's job source options, completed with the hosts that may receive the token. */
function jobSettings(jobs: JobInputs, cloud: Cloud, trustedHosts: string[], timing: Timing): JobSettings {
  if (jobs.api === 'v3') {
    const { targets, arm, endpointInput } = jobs.v3
    return { api: 'v3', ids: jobs.ids, options: { targets, arm, endpointInput, trustedHosts } }
  }
  const { apiUrl, msVersion } = jobs
  return {
    api: 'v2',
    ids: jobs.ids,
    options: {
      apiUrl,
      mediaResource: cloud.mediaResource,
      msVersion,
      trustedHosts,
      pollIntervalMs: timing.intervalMs
    }
  }
}

export function parseBoolean(name: string, value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true
  if (/^(false|no|off|0)$/i.test(value)) return false
  throw new UserError(`Input ${name}: ${quoted(value)} is not a boolean. Use true or false.`, name)
}
