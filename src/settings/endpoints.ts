/**
 * The inputs that decide where the token may go: api-url, authority-host and trusted-hosts (and the api-url's
 * cloud). Pure parsing, like inputs.ts; the clients use `isLoopbackHost` for the same rule after a redirect.
 */
import { type Cloud, CLOUDS } from './clouds.js'
import { HOSTNAME } from './credentials.js'
import { UserError } from '../errors.js'
import { strangersUnder } from './public-suffixes.js'
import { hostInDomain, isLoopbackHost } from '../transport/trust.js'

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
      `Input api-url: '${value}' is not a URL. Expected e.g. https://<account>.restv2.<region>.media.azure.net/api/.`,
      'api-url'
    )
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UserError(
      `Input api-url must use https (plain http is only allowed for loopback hosts): '${value}'.`,
      'api-url'
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UserError(
      `Input api-url must not contain credentials, a query or a fragment: give the API root only.`,
      'api-url'
    )
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

export function parseAuthorityHost(value: string): URL {
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`)
  } catch {
    throw new UserError(
      `Input authority-host: '${value}' is not a URL. Expected e.g. https://login.microsoftonline.com.`,
      'authority-host'
    )
  }
  if (url.protocol !== 'https:') {
    throw new UserError(
      `Input authority-host must use https (Entra ID refuses anything else): '${value}'.`,
      'authority-host'
    )
  }
  // https://login.microsoftonline.com@other-host is other-host: the part before @ is a user name.
  if (url.username || url.password) {
    throw new UserError(
      `Input authority-host must not contain a user name or password (the host would be ${url.host}, not what precedes the @). Give the host only, e.g. https://login.microsoftonline.com.`,
      'authority-host'
    )
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new UserError(
      `Input authority-host: give the host only (e.g. https://login.microsoftonline.com); the tenant goes in tenant-id.`,
      'authority-host'
    )
  }
  return new URL(url.origin)
}

/** The api-url's own trust entry: its host on exactly its port (`host` alone means 443). */
export function trustEntry(url: URL): string {
  const port = url.port || (url.protocol === 'http:' ? '80' : '443')
  const host = url.hostname.toLowerCase()
  return port === '443' ? host : `${host}:${port}`
}

export function parseTrustedHosts(value: string): string[] {
  return value
    .split(/[\s,;]/)
    .filter(Boolean)
    .map(item => {
      let host = item.toLowerCase()
      if (/^[a-z]+:\/\//.test(host)) {
        try {
          host = trustEntry(new URL(host))
        } catch {
          /* reported below */
        }
      }
      const portMatch = /:(\d{1,5})$/.exec(host)
      const port = portMatch ? Number(portMatch[1]) : 443
      if (portMatch) host = host.slice(0, portMatch.index)
      const wildcard = host.startsWith('*.') || host.startsWith('.')
      const bare = host.replace(/^\*?\./, '')
      if (wildcard && !bare.includes('.')) {
        throw new UserError(
          `Input trusted-hosts: '${item}' would trust a whole top-level domain with the token. Name your own domain, e.g. *.example.com.`,
          'trusted-hosts'
        )
      }
      if (!HOSTNAME.test(bare) || port < 1 || port > 65535) {
        throw new UserError(
          `Input trusted-hosts: '${item}' is not a host name. Give names like acct.example.com, *.example.com or 127.0.0.1:8443 (a name without a port means port 443).`,
          'trusted-hosts'
        )
      }
      const strangers = wildcard ? strangersUnder(bare) : undefined
      if (strangers) {
        const who =
          strangers.kind === 'public'
            ? `every domain registered under ${strangers.suffix} (a public suffix)`
            : `hosts anyone can create under ${strangers.suffix} (shared hosting)`
        throw new UserError(
          `Input trusted-hosts: '${item}' would trust ${who} with the token. Name your own domain or host, e.g. *.example.${strangers.kind === 'public' ? strangers.suffix : 'com'} or myaccount.${strangers.suffix}.`,
          'trusted-hosts'
        )
      }
      return `${wildcard ? '.' : ''}${bare}${port === 443 ? '' : `:${port}`}`
    })
}

/** The cloud whose Media Services domains hold `host`, when it is another one than `cloud`. */
export function otherCloudOf(host: string, cloud: Cloud): Cloud | undefined {
  if (cloud.mediaDomains.some(d => hostInDomain(host, d))) return undefined
  return Object.values(CLOUDS).find(c => c.mediaDomains.some(d => hostInDomain(host, d)))
}
