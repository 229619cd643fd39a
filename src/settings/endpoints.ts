/**
 * The inputs that decide where the token may go: api-url, authority-host and trusted-hosts (and the api-url's
 * cloud). Parsing, like inputs.ts; the clients use `httpsOrLoopback` for the same rule after a redirect. The
 * wildcard check alone is asynchronous: it loads the Public Suffix List when a wildcard is given.
 */
import { type Cloud, CLOUDS } from './clouds.js'
import { UserError } from '../errors.js'
import { HOSTNAME, quoted, refuseNonHost } from './values.js'
import { strangersUnder } from './public-suffix.js'
import { hostInDomain, httpsOrLoopback } from '../transport/trust.js'

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

export function parseAuthorityHost(value: string): URL {
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`)
  } catch {
    throw new UserError(
      `Input authority-host: ${quoted(value)} is not a URL. Expected e.g. https://login.microsoftonline.com.`,
      'authority-host'
    )
  }
  if (url.protocol !== 'https:') {
    throw new UserError(
      `Input authority-host must use https (Entra ID refuses anything else): ${quoted(value)}.`,
      'authority-host'
    )
  }
  // https://login.microsoftonline.com@other-host is other-host: the part before @ is a user name.
  if (url.username || url.password) {
    throw new UserError(
      `Input authority-host must not contain a user name or password (the host would be ${url.host}, not what precedes the @): ${quoted(value)}. Give the host only, e.g. https://login.microsoftonline.com.`,
      'authority-host'
    )
  }
  refuseNonHost(url, 'authority-host', value)
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

/**
 * trusted-hosts, as trust entries (`host`, `host:port`, `.domain`, `.domain:port`). A wildcard is refused when
 * it covers a whole top-level domain, an IP address, or anything a stranger can register (public-suffix.ts).
 */
export async function parseTrustedHosts(value: string): Promise<string[]> {
  const items = value.split(/[\s,;]/).filter(Boolean)
  const entries = items.map(parseTrustedHost)
  for (const [i, entry] of entries.entries()) {
    if (entry.wildcard) await refuseStrangers(items[i], entry.host)
  }
  return entries.map(e => `${e.wildcard ? '.' : ''}${e.host}${e.port === 443 ? '' : `:${e.port}`}`)
}

function parseTrustedHost(item: string): { host: string; port: number; wildcard: boolean } {
  let host = item.toLowerCase()
  if (/^[a-z]+:\/\//.test(host)) {
    try {
      const url = new URL(host)
      if (url.username || url.password) {
        throw new UserError(
          `Input trusted-hosts: ${quoted(item)} holds a user name or password. Give host names only.`,
          'trusted-hosts'
        )
      }
      host = trustEntry(url)
    } catch (error) {
      if (error instanceof UserError) throw error
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
      `Input trusted-hosts: ${quoted(item)} would trust a whole top-level domain with the token. Name your own domain, e.g. *.example.com.`,
      'trusted-hosts'
    )
  }
  if (!HOSTNAME.test(bare) || port < 1 || port > 65535) {
    throw new UserError(
      `Input trusted-hosts: ${quoted(item)} is not a host name. Give names like acct.example.com, *.example.com or 127.0.0.1:8443 (a name without a port means port 443).`,
      'trusted-hosts'
    )
  }
  // A top-level domain is never all digits: this is an address, and an address has no subdomains.
  if (wildcard && /\.\d+$/.test(bare)) {
    throw new UserError(
      `Input trusted-hosts: ${quoted(item)} is a wildcard over an IP address. Name the address itself, e.g. 127.0.0.1:8443.`,
      'trusted-hosts'
    )
  }
  return { host: bare, port, wildcard }
}

async function refuseStrangers(item: string, domain: string): Promise<void> {
  const strangers = await strangersUnder(domain)
  if (!strangers) return
  const who =
    strangers.kind === 'public'
      ? `hosts that anyone can register under ${strangers.suffix} (on the Public Suffix List)`
      : `hosts that anyone can create under ${strangers.suffix} (shared hosting)`
  throw new UserError(
    `Input trusted-hosts: ${quoted(item)} would trust ${who} with the token. Name your own host (e.g. myaccount.${strangers.suffix.replace(/^\*\./, 'region.')}) or a domain you own (e.g. *.media.example.com).`,
    'trusted-hosts'
  )
}

/** The cloud whose Media Services domains hold `host`, when it is another one than `cloud`. */
export function otherCloudOf(host: string, cloud: Cloud): Cloud | undefined {
  if (cloud.mediaDomains.some(d => hostInDomain(host, d))) return undefined
  return Object.values(CLOUDS).find(c => c.mediaDomains.some(d => hostInDomain(host, d)))
}
