/**
 * Where a token may go: the rules every client follows before it sends a token, after a redirect too.
 * Trust is per host and port: on one machine another port is another server.
 */

/**
 * A host a request cannot leave the machine for: `localhost` and the literal loopback addresses, the names
 * the HTTP client never sends through a proxy. Not `<name>.localhost`: a proxy would carry that in clear.
 * `host` as `URL.hostname` gives it: an IPv6 address in brackets.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase()
  return h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '[::1]'
}

/** The one transport rule for any URL the token may travel to: https, or plain http that stays on this machine. */
export function httpsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
}

/** True when `host` is `domain` or a subdomain of it (dot boundary, case-insensitive). */
export function hostInDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '')
  const d = domain.toLowerCase().replace(/^\./, '').replace(/\.$/, '')
  return h === d || h.endsWith(`.${d}`)
}

/** The port a URL reaches: its own, else the scheme's default. */
export function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'http:' ? '80' : '443')
}

/** A URL's trust entry: its host on exactly its port (`host` alone means 443), as trusted-hosts writes it. */
export function trustEntry(url: URL): string {
  const port = effectivePort(url)
  const host = url.hostname.toLowerCase()
  return port === '443' ? host : `${host}:${port}`
}

/**
 * Trust is per host and port: on one machine (the emulator, a test rig) another port is another server.
 * An entry `host` or `.domain` trusts https's default port only; `host:port` or `.domain:port` that port.
 * A string target is an https authority (`host` or `host:port`).
 */
export function isTrustedHost(target: URL | string, trusted: readonly string[]): boolean {
  const url = typeof target === 'string' ? new URL(`https://${target}`) : target
  const h = url.hostname.toLowerCase()
  const port = effectivePort(url)
  return trusted.some(entry => {
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!
    if ((m[2] ?? '443') !== port) return false
    return m[1].startsWith('.') ? hostInDomain(h, m[1]) : h === m[1]
  })
}

/**
 * Why the token may not go to `url`, or undefined when it may: only over https (or plain http to a loopback
 * host, when the first URL was plain http too), and only to a trusted host on a trusted port (another port on
 * the same host is another service). One rule for every client, v2 and v3.
 */
export function tokenRefusal(
  url: URL,
  first: URL,
  trusted: readonly string[]
): 'not-https' | 'untrusted' | undefined {
  // Plain http after an https start would be a downgrade, even on loopback.
  if (!httpsOrLoopback(url) || (url.protocol === 'http:' && first.protocol !== 'http:')) return 'not-https'
  return isTrustedHost(url, trusted) ? undefined : 'untrusted'
}
