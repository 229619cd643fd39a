import { jobService, UserError } from '../../errors.js'
import { serviceErrorText } from './parse.js'
import { serverMessage } from '../../text.js'
import type { FailedAnswer, ServiceDialect } from '../guarded.js'

const SERVICE = 'Media Services'

/** Media Services v2's words: its refusals, and the hints for a wrong api-url or x-ms-version. */
export function mediaServicesDialect(tokenDescription: string, mediaResource: string): ServiceDialect {
  return {
    service: SERVICE,
    urlInput: 'api-url',
    untrustedHost: where =>
      `Refused to send the token to ${where}: Media Services redirected there, and it is not a trusted Media Services host and port. If it is your account's endpoint, set api-url to it or add ${where} to trusted-hosts.`,
    errorText: serviceErrorText,
    resourceName: url => url.pathname.replace(/^.*\//, '').slice(0, 40) || url.pathname,
    explain: answer => explain(answer, tokenDescription, mediaResource)
  }
}

function explain(
  { res, url, refreshed, detail, said }: FailedAnswer,
  tokenDescription: string,
  mediaResource: string
): Error | undefined {
  const source = jobService(SERVICE)
  if (res.status === 401) {
    const why = refreshed
      ? "even with a fresh token. Check that the service principal has a role (e.g. Contributor) on the Media Services account, that tenant-id is the account's tenant, and that api-url is this account's endpoint"
      : `for ${tokenDescription}. It may have expired or be for another resource (get it for ${mediaResource})`
    return new UserError(`Media Services refused access (401) ${why}${detail}`, undefined, source)
  }
  if (res.status === 403) {
    return new UserError(
      `Media Services denied access (403)${detail}. Give the service principal a role (e.g. Contributor) on the Media Services account.`,
      undefined,
      source
    )
  }
  if (res.status === 404 && url.pathname.endsWith('/Jobs()')) {
    return new UserError(
      `Media Services has no Jobs collection at ${serverMessage(url.origin + url.pathname.slice(0, -'Jobs()'.length))} (404)${detail}. Check api-url: the v2 endpoint ends in /api/.`,
      'api-url',
      source
    )
  }
  if (res.status === 400 && /x-ms-version|version/i.test(said ?? '')) {
    return new UserError(
      `Media Services rejected the request (400)${detail}. Check x-ms-version (2.19 is the newest).`,
      'x-ms-version',
      source
    )
  }
  return undefined
}
