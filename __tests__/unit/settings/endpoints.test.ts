/**
 * The inputs that decide where the token may go, parsed alone (inputs.test.ts reads them through the
 * whole settings).
 */
import { describe, it, expect } from '@jest/globals'
import { CLOUDS } from '../../../src/settings/clouds.js'
import {
  otherCloudOf,
  parseApiUrl,
  parseAuthorityHost,
  parseTrustedHosts
} from '../../../src/settings/endpoints.js'
import { UserError } from '../../../src/errors.js'
import { thrownBy } from '../../../__fixtures__/failure.js'

const refusal = (fn: () => unknown): UserError => thrownBy(fn, UserError)

describe('api-url: https, or plain http to loopback only', () => {
  it.each(['ftp://127.0.0.1/api/', 'ws://localhost/api/', 'http://example.com/api/'])(
    '%s is refused',
    value => {
      const e = refusal(() => parseApiUrl(value, CLOUDS.AzureCloud))
      expect(e.input).toBe('api-url')
      expect(e.message).toMatch(/must use https/)
    }
  )

  it.each(['http://127.0.0.1:8443/api/', 'https://example.com/api/'])('%s is accepted', value => {
    expect(parseApiUrl(value, CLOUDS.AzureCloud).href).toBe(value)
  })
})

describe('authority-host: a host, with or without https://', () => {
  it('a URL in the query of a host without a scheme is not taken for the scheme', () => {
    const e = refusal(() => parseAuthorityHost('login.example.com/?next=https://other.example.com'))
    expect(e.message).toMatch(/give the host only/)
  })

  it('a host without a scheme is https', () => {
    expect(parseAuthorityHost('login.example.com').href).toBe('https://login.example.com/')
  })
})

describe('trusted-hosts: names, ports and wildcards', () => {
  it('any mix of spaces, commas, semicolons and line breaks separates them', () => {
    expect(parseTrustedHosts(' a.example.com,,b.example.com ;\n\nc.example.com;')).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com'
    ])
  })

  it.each([
    ['a.example.com:1', 'a.example.com:1'],
    ['a.example.com:65535', 'a.example.com:65535'],
    ['a.example.com:443', 'a.example.com']
  ])('%s is %s', (value, entry) => {
    expect(parseTrustedHosts(value)).toEqual([entry])
  })

  it.each(['a.example.com:0', 'a.example.com:65536', 'a.example.com:8443x', 'a.example.com:8443:1'])(
    '%s is not a host name and port',
    value => {
      expect(refusal(() => parseTrustedHosts(value)).message).toMatch(/is not a host name/)
    }
  )

  it.each(['*.corp', '.internal', '*.com'])('%s would trust a whole top-level domain', value => {
    const e = refusal(() => parseTrustedHosts(value))
    expect(e.input).toBe('trusted-hosts')
    expect(e.message).toBe(
      `Input trusted-hosts: '${value}' would trust a whole top-level domain with the token. Name your own domain, e.g. *.example.com.`
    )
  })

  it('a wildcard over strangers suggests a domain of your own in the same place', () => {
    expect(refusal(() => parseTrustedHosts('*.co.uk')).message).toBe(
      "Input trusted-hosts: '*.co.uk' would trust every domain registered under co.uk (a public suffix) with the token. Name your own domain or host, e.g. *.example.co.uk or myaccount.co.uk."
    )
    expect(refusal(() => parseTrustedHosts('*.github.io')).message).toBe(
      "Input trusted-hosts: '*.github.io' would trust hosts anyone can create under github.io (shared hosting) with the token. Name your own domain or host, e.g. *.example.com or myaccount.github.io."
    )
  })
})

describe('otherCloudOf: a Media Services host of another cloud than the one chosen', () => {
  it.each([
    ['acct.restv2.westeurope.media.azure.net', 'AzureChinaCloud', 'AzureCloud'],
    ['acct.media.windows.net', 'AzureUSGovernment', 'AzureCloud'],
    ['acct.restv2.chinaeast.media.chinacloudapi.cn', 'AzureCloud', 'AzureChinaCloud']
  ] as const)('%s with %s is in %s', (host, chosen, other) => {
    expect(otherCloudOf(host, CLOUDS[chosen])?.name).toBe(other)
  })

  it('is undefined for a host of the chosen cloud, or of none', () => {
    expect(otherCloudOf('acct.media.windows.net', CLOUDS.AzureCloud)).toBeUndefined()
    expect(otherCloudOf('127.0.0.1', CLOUDS.AzureCloud)).toBeUndefined()
  })
})
