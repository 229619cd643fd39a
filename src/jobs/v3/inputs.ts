/**
 * The inputs of v3-shaped jobs: job-url (job URLs or ARM resource ids) and arm-url (where resource ids
 * resolve). Pure parsing: throws UserError naming the input and the fix.
 */
import type { Cloud } from '../../clouds.js'
import { UserError } from '../../errors.js'
import { quoted, refuseNonHost } from '../../values.js'
import type { JobTarget } from './client.js'
import { httpsOrLoopback } from '../../transport/trust.js'

/** The ARM api-version of the Media Services v3 job resource (Encoding.json, stable/2022-07-01). */
export const ARM_API_VERSION = '2022-07-01'
/** `…/transforms/{transform}/jobs/{job}`, the v3 job resource path on ARM and MK.IO alike. */
const JOB_PATH = /\/transforms\/[^/]+\/jobs\/[^/]+\/?$/i

/** v3-shaped jobs to wait for (input job-url). */
export interface V3Jobs {
  targets: JobTarget[]
  /** The jobs are on Azure Resource Manager: Entra ID sign-in with the ARM scope, cancelJob. */
  arm: boolean
  /** The one host that may receive the token (job URLs must share it). */
  host: string
  /** The input that names that host: arm-url when job-url gave ARM resource ids, else job-url. */
  endpointInput: 'job-url' | 'arm-url'
}

/** Input arm-url: the Resource Manager endpoint (origin only); the cloud's by default. */
export function parseArmUrl(text: string, cloud: Cloud): URL {
  const value = text || cloud.armEndpoint
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UserError(
      `Input arm-url: ${quoted(value)} is not a URL. Expected e.g. ${cloud.armEndpoint}.`,
      'arm-url'
    )
  }
  if (!httpsOrLoopback(url)) {
    throw new UserError(`Input arm-url must use https: ${quoted(value)}.`, 'arm-url')
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new UserError(
      `Input arm-url: give the endpoint only, e.g. ${cloud.armEndpoint} (got ${quoted(value)}).`,
      'arm-url'
    )
  }
  refuseNonHost(url, 'arm-url', value)
  return new URL(url.origin)
}

/** One job-url item: a v3 job resource URL on https (or loopback), or an ARM resource id resolved against `arm`. */
function parseJobUrl(item: string, arm: URL): URL {
  // `nb:jid:…` parses as a URL (scheme nb:): say what it is rather than that it is not https.
  if (/^nb:jid:/i.test(item)) {
    throw new UserError(
      `Input job-url: ${quoted(item)} is a Media Services v2 job id; give it in job-id instead (job-url is for v3 job URLs and ARM resource ids).`,
      'job-url'
    )
  }
  let url: URL
  try {
    url = /^\/subscriptions\//i.test(item) ? new URL(item, arm) : new URL(item)
  } catch {
    throw new UserError(
      `Input job-url: ${quoted(item)} is not a URL. Give a job URL (https://…/transforms/<transform>/jobs/<job>) or an ARM resource id (/subscriptions/…).`,
      'job-url'
    )
  }
  if (!httpsOrLoopback(url)) {
    throw new UserError(`Input job-url must use https: ${quoted(item)}.`, 'job-url')
  }
  if (url.username || url.password || url.hash) {
    throw new UserError(
      `Input job-url must not contain credentials or a fragment: ${quoted(item)}. Give the token in access-token.`,
      'job-url'
    )
  }
  refuseNonHost(url, 'job-url', item)
  if (!JOB_PATH.test(url.pathname)) {
    throw new UserError(
      `Input job-url: ${quoted(item)} is not a v3 job resource. Expected …/transforms/<transform>/jobs/<job>, e.g. /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Media/mediaServices/<account>/transforms/<transform>/jobs/<job>.`,
      'job-url'
    )
  }
  return url
}

/**
 * Input job-url: full URLs of v3 job resources, or ARM resource ids (`/subscriptions/…`) resolved
 * against `arm`. ARM URLs get api-version 2022-07-01 when they have none. Pure: throws UserError.
 */
export function parseJobUrls(text: string, arm: URL): V3Jobs {
  const items = text.split(/[\s,]+/).filter(Boolean)
  const targets: JobTarget[] = []
  let origin: string | undefined
  let resourceIds = false
  for (const item of items) {
    resourceIds ||= /^\/subscriptions\//i.test(item)
    const url = parseJobUrl(item, arm)
    if (origin !== undefined && url.origin !== origin) {
      throw new UserError(
        `Input job-url: all jobs must be on one host (${new URL(origin).host} and ${url.host} given); use one step per host.`,
        'job-url'
      )
    }
    origin = url.origin
    url.pathname = url.pathname.replace(/\/+$/, '')
    const onArm = url.origin === arm.origin
    if (onArm && !url.searchParams.has('api-version')) url.searchParams.set('api-version', ARM_API_VERSION)
    const id = onArm ? url.pathname : `${url.origin}${url.pathname}`
    // Resource Manager ids are case-insensitive: one job, named as first given. Any other host's path is as
    // given (…/jobs/clip and …/jobs/CLIP are two jobs), so everything downstream matches ids exactly.
    const same = onArm
      ? (t: JobTarget) => t.id.toLowerCase() === id.toLowerCase()
      : (t: JobTarget) => t.id === id
    if (!targets.some(same)) targets.push({ id, url })
  }
  if (targets.length === 0) {
    throw new UserError('Input job-url is empty.', 'job-url')
  }
  const first = targets[0].url
  return {
    targets,
    arm: first.origin === arm.origin,
    host: first.hostname.toLowerCase(),
    endpointInput: resourceIds ? 'arm-url' : 'job-url'
  }
}
