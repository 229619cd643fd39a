/**
 * The token's trust rules as pure functions (the clients' tests send real redirects through them:
 * jobs/v2/client.test.ts, jobs/guarded.test.ts).
 */
import { describe, it, expect } from '@jest/globals'
import { checkBypass } from '@actions/http-client/lib/proxy'
import { hostInDomain, isLoopbackHost, isTrustedHost, tokenRefusal } from '../../../src/transport/trust.js'

describe('isLoopbackHost: names and addresses that stay on this machine', () => {
  it.each([
    ['localhost', true],
    ['LocalHost', true],
    ['app.localhost', false],
    ['localhost.', false],
    ['127.0.0.1', true],
    ['127.10.200.30', true],
    ['[::1]', true],
    ['localhost.evil.test', false],
    ['evillocalhost', false],
    ['1127.0.0.1', false],
    ['127.0.0.1.evil.test', false],
    ['127.0.0', false],
    ['[::2]', false],
    ['example.com', false]
  ])('%s: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })

  it('every loopback host is one the HTTP client never sends through a proxy, so plain http stays on this machine', () => {
    const saved = { ...process.env }
    try {
      process.env.HTTP_PROXY = 'http://proxy.example.com:3128'
      delete process.env.NO_PROXY
      delete process.env.no_proxy
      for (const host of ['localhost', '127.0.0.1', '127.10.200.30', '[::1]']) {
        expect(isLoopbackHost(new URL(`http://${host}:8080/`).hostname)).toBe(true)
        expect(checkBypass(new URL(`http://${host}:8080/api/`))).toBe(true)
      }
      // What the HTTP client would send through the proxy is not loopback.
      expect(checkBypass(new URL('http://app.localhost:8080/api/'))).toBe(false)
      expect(isLoopbackHost('app.localhost')).toBe(false)
    } finally {
      process.env = saved
    }
  })

  it('takes the host as URL.hostname gives it', () => {
    expect(isLoopbackHost(new URL('http://[::1]:8080/').hostname)).toBe(true)
    expect(isLoopbackHost(new URL('http://127.1.2.3/').hostname)).toBe(true)
  })
})

describe('hostInDomain: the host itself or a subdomain, on a dot boundary', () => {
  it.each([
    ['media.azure.net', 'media.azure.net', true],
    ['acct.restv2.westeurope.media.azure.net', 'media.azure.net', true],
    ['ACCT.Media.Azure.Net', '.media.azure.net', true],
    ['acct.media.azure.net.', 'media.azure.net', true],
    ['notmedia.azure.net', 'media.azure.net', false],
    ['media.azure.net.attacker.com', 'media.azure.net', false],
    ['evilmedia.azure.net.attacker.com', 'media.azure.net', false],
    ['azure.net', 'media.azure.net', false]
  ])('%s in %s: %s', (host, domain, inside) => {
    expect(hostInDomain(host, domain)).toBe(inside)
  })
})

describe('hostInDomain: a domain written with a leading or trailing dot is the same domain', () => {
  it.each([
    ['acct.media.azure.net', 'media.azure.net.', true],
    ['acct.media.azure.net', '.media.azure.net.', true],
    ['media.azure.net', '.media.azure.net', true]
  ])('%s in %s: %s', (host, domain, inside) => {
    expect(hostInDomain(host, domain)).toBe(inside)
  })
})

describe('tokenRefusal: plain http only to loopback, and only when the first URL was plain http', () => {
  const trusted = ['127.0.0.1:8443', 'acct.example.com:80', '127.0.0.1:443']
  it.each<[string, string, string, ReturnType<typeof tokenRefusal>]>([
    [
      'plain http to a trusted host that is not loopback',
      'http://acct.example.com/api/',
      'http://127.0.0.1:8443/api/',
      'not-https'
    ],
    ['another scheme to loopback', 'ftp://127.0.0.1:8443/api/', 'http://127.0.0.1:8443/api/', 'not-https'],
    [
      'plain http to a name under .localhost',
      'http://app.localhost:8443/api/',
      'http://127.0.0.1:8443/api/',
      'not-https'
    ],
    [
      'plain http to IPv6 loopback, first http',
      'http://[::1]:8443/api/',
      'http://[::1]:8443/api/',
      'untrusted'
    ],
    [
      'plain http to loopback, first http, trusted',
      'http://127.0.0.1:8443/api/',
      'http://127.0.0.1:8443/api/',
      undefined
    ]
  ])('%s', (_what, url, first, refusal) => {
    expect(tokenRefusal(new URL(url), new URL(first), trusted)).toBe(refusal)
  })
})

describe('isTrustedHost: entries are host, host:port, .domain or .domain:port', () => {
  it.each<[string, string[], boolean]>([
    ['[::1]:8443', ['[::1]:8443'], true],
    ['[::1]', ['[::1]'], true],
    ['[::1]:8443', ['[::1]'], false],
    ['acct.example.com', ['ACCT.EXAMPLE.COM'], true],
    ['a.b.example.com:8443', ['.example.com:8443'], true],
    ['a.b.example.com', ['.example.com:8443'], false]
  ])('%s with %j: %s', (host, list, trusted) => {
    expect(isTrustedHost(host, list)).toBe(trusted)
  })
})
