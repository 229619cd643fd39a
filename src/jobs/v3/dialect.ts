import { jobService, UserError } from '../../errors.js'
import { v3ErrorCode, v3ErrorText } from './parse.js'
import type { FailedAnswer, ServiceDialect } from '../guarded.js'

/**
 * A v3-shaped job service's words: its refusals (Azure Resource Manager signs in with Entra ID, another host
 * takes access-token), the hint for a wrong api-version, and a 404 to a GET that is an answer.
 */
export function v3Dialect(
  service: string,
  arm: boolean,
  tokenDescription: string,
  urlInput = 'job-url'
): ServiceDialect {
  return {
    service,
    urlInput,
    untrustedHost: where =>
      `Refused to send the token to ${where}: ${service} redirected there, and it is not the host of job-url. If it is yours, add it to trusted-hosts.`,
    errorText: v3ErrorText,
    resourceName: url => url.pathname.split('/').filter(Boolean).slice(-2).join('/').slice(0, 80),
    explain: answer => explain(answer, service, arm, tokenDescription),
    // A job that is gone is an answer, not a failure: the waiter counts it as not found.
    isAnswer: (res, method) => res.status === 404 && method === 'GET'
  }
}

function explain(
  { res, refreshed, detail }: FailedAnswer,
  service: string,
  arm: boolean,
  tokenDescription: string
): Error | undefined {
  const source = jobService(service)
  if (res.status === 401) {
    const why = refreshed
      ? 'even with a fresh token. Check that the service principal has a role on the Media Services account and that tenant-id is its tenant'
      : arm
        ? `for ${tokenDescription}. It may have expired or be for another resource (get it for Azure Resource Manager)`
        : `for ${tokenDescription}. Check access-token: it may have expired or be for another service`
    return new UserError(`${service} refused access (401) ${why}${detail}`, 'access-token', source)
  }
  if (res.status === 403) {
    const fix = arm
      ? 'Give the service principal a role (e.g. Media Services Contributor, or Contributor) on the Media Services account.'
      : 'Check that access-token may read these jobs.'
    return new UserError(`${service} denied access (403)${detail}. ${fix}`, undefined, source)
  }
  if (res.status === 400 && v3ErrorCode(res.body) === 'InvalidApiVersionParameter') {
    return new UserError(
      `${service} rejected the api-version (400)${detail}. Fix job-url.`,
      'job-url',
      source
    )
  }
  return undefined
}
