import type { AuthSettings } from '../auth/token-source.js'
import type { Credential } from '../auth/credential.js'
import { type Cloud, CLOUDS, findCloud, unsupportedCloud } from '../clouds.js'
import { chooseCredential, type Creds, maskSecrets, parseCreds } from './credentials.js'
import { parseAuthorityHost, parseTrustedHosts } from './endpoints.js'
import { UserError } from '../errors.js'
import { quoted } from '../values.js'
import { type InputReader, type Inputs, readInputs } from './input-names.js'
import { readJobs } from './jobs.js'
import type { ApiJobs, JobApi } from '../jobs/api.js'
import { JOB_APIS } from '../jobs/apis.js'
import { parseFailOn, parsePolling, readTiming, runnerLimitWarning } from './timing.js'
import type { WaitOptions } from '../wait/waiter.js'

/** The jobs to wait for, as their job API read them, and every host their token may go to. */
export interface JobSettings extends ApiJobs {
  /** The API's own hosts and trusted-hosts. */
  trustedHosts: string[]
}

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
  /** The job APIs to choose from (jobs/apis.ts); a test may add its own. */
  apis?: readonly JobApi[]
}

/**
 * Reads and validates every input. Rejects with UserError naming the input and the fix; makes no request
 * (asynchronous only because a trusted-hosts wildcard loads the Public Suffix List).
 */
export async function readSettings(read: InputReader, options: ReadOptions = {}): Promise<Settings> {
  const apis = options.apis ?? JOB_APIS
  const { inputs, value } = readInputs(read, apis)
  // Mask first: an error below must never be able to carry a secret into the log.
  maskSecrets(inputs, options.mask)
  const creds = parseCreds(inputs.creds, options.mask)
  const cloud = readCloud(inputs.cloud, inputs.environment)
  const warnings: string[] = []
  // In this order, so that of several wrong inputs the same one is named first every time.
  const jobs = readJobs(apis, value, cloud, warnings)
  const authorityHost = parseAuthorityHost(inputs['authority-host'] || cloud.authorityHost)
  const timing = readTiming(inputs)
  const limit = runnerLimitWarning(timing.timeoutMs, options.env ?? {})
  if (limit) warnings.push(limit)
  const credential = readCredential(inputs, jobs, creds, cloud, options.env ?? {}, warnings)
  const trustedHosts = [
    ...new Set([...jobs.trustedHosts, ...(await parseTrustedHosts(inputs['trusted-hosts']))])
  ]
  const cancelOnAbort = readCancelOnAbort(inputs['cancel-on-abort'], jobs, warnings)
  return {
    jobs: { ...jobs, trustedHosts },
    // A service that signs in only with its own token has no Entra ID scope: access-token is then required.
    auth: { credential, authorityHost, scope: jobs.scope ?? '' },
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

/** A job service that does not sign in with Entra ID needs its own token. */
function readCredential(
  inputs: Inputs,
  jobs: ApiJobs,
  creds: Creds,
  cloud: Cloud,
  env: NodeJS.ProcessEnv,
  warnings: string[]
): Credential {
  if (jobs.scope === undefined && !inputs['access-token']) {
    throw new UserError(
      jobs.accessTokenRequired ?? 'Input access-token is required for these jobs.',
      'access-token'
    )
  }
  return chooseCredential(inputs, creds, cloud, env, warnings)
}

function readCancelOnAbort(text: string, jobs: ApiJobs, warnings: string[]): boolean {
  const cancelOnAbort = parseBoolean('cancel-on-abort', text || 'false')
  if (cancelOnAbort && jobs.cannotCancel) warnings.push(jobs.cannotCancel)
  return cancelOnAbort
}

export function parseBoolean(name: string, value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true
  if (/^(false|no|off|0)$/i.test(value)) return false
  throw new UserError(`Input ${name}: ${quoted(value)} is not a boolean. Use true or false.`, name)
}
