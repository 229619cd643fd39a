/**
 * The inputs that decide where the token may go besides each job API's own (jobs/v2/inputs.ts and
 * jobs/v3/inputs.ts): authority-host and trusted-hosts. The clients use transport/trust.ts for the same rules
 * after a redirect. The wildcard check alone is asynchronous: it loads the Public Suffix List when a wildcard
 * is given.
 */
import { UserError } from '../errors.js'
import { HOSTNAME, quoted, refuseNonHost } from '../values.js'
import { strangersUnder } from './public-suffix.js'
import { trustEntry } from '../transport/trust.js'

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
