/**
 * The inputs that decide where the token may go, parsed alone (inputs.test.ts reads them through the
 * whole settings).
 */
import { describe, it, expect } from '@jest/globals'
import { parseAuthorityHost, parseTrustedHosts } from '../../../src/settings/endpoints.js'
import { UserError } from '../../../src/errors.js'
import { rejectedWith, thrownBy } from '../../../__fixtures__/failure.js'

const refusal = (fn: () => unknown): UserError => thrownBy(fn, UserError)

describe('authority-host: a host, with or without https://', () => {
  it('a URL in the query of a host without a scheme is not taken for the scheme', () => {
    const e = refusal(() => parseAuthorityHost('login.example.com/?next=https://other.example.com'))
    expect(e.message).toMatch(/give the host only/)
  })

  it('a host without a scheme is https', () => {
    expect(parseAuthorityHost('login.example.com').href).toBe('https://login.example.com/')
  })
})

describe('trusted-hosts: names, ports and wildcards (public-suffix.test.ts holds the wildcards over strangers)', () => {
  const refused = (value: string): Promise<UserError> => rejectedWith(parseTrustedHosts(value), UserError)

  it('any mix of spaces, commas, semicolons and line breaks separates them', async () => {
    expect(await parseTrustedHosts(' a.example.com,,b.example.com ;\n\nc.example.com;')).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com'
    ])
  })

  it.each([
    ['a.example.com:1', 'a.example.com:1'],
    ['a.example.com:65535', 'a.example.com:65535'],
    ['a.example.com:443', 'a.example.com'],
    ['*.contoso-media.com', '.contoso-media.com'],
    ['.contoso-media.com:8443', '.contoso-media.com:8443'],
    ['https://acct.example.com:8443/api/', 'acct.example.com:8443']
  ])('%s is %s', async (value, entry) => {
    expect(await parseTrustedHosts(value)).toEqual([entry])
  })

  it.each(['a.example.com:0', 'a.example.com:65536', 'a.example.com:8443x', 'a.example.com:8443:1'])(
    '%s is not a host name and port',
    async value => {
      expect((await refused(value)).message).toMatch(/is not a host name/)
    }
  )

  it.each(['*.corp', '.internal', '*.com'])('%s would trust a whole top-level domain', async value => {
    const e = await refused(value)
    expect(e.input).toBe('trusted-hosts')
    expect(e.message).toBe(
      `Input trusted-hosts: '${value}' would trust a whole top-level domain with the token. Name your own domain, e.g. *.example.com.`
    )
  })

  it.each(['*.0.0.1:8443', '*.0.1', '.168.1.10', '*.1.2.3.4'])(
    '%s is a wildcard over an IP address',
    async value => {
      expect((await refused(value)).message).toBe(
        `Input trusted-hosts: '${value}' is a wildcard over an IP address. Name the address itself, e.g. 127.0.0.1:8443.`
      )
    }
  )

  it('a wildcard over strangers names the suffix and suggests a host or a domain of your own', async () => {
    expect((await refused('*.co.uk')).message).toBe(
      "Input trusted-hosts: '*.co.uk' would trust hosts that anyone can register under co.uk (on the Public Suffix List) with the token. Name your own host (e.g. myaccount.co.uk) or a domain you own (e.g. *.media.example.com)."
    )
    expect((await refused('*.westeurope.cloudapp.azure.com')).message).toBe(
      "Input trusted-hosts: '*.westeurope.cloudapp.azure.com' would trust hosts that anyone can create under *.cloudapp.azure.com (shared hosting) with the token. Name your own host (e.g. myaccount.region.cloudapp.azure.com) or a domain you own (e.g. *.media.example.com)."
    )
  })

  it('a URL with a user name or password is refused without showing them', async () => {
    const e = await refused('https://alice:hunter2@acct.example.com/')
    expect(e.message).not.toContain('hunter2')
    expect(e.message).not.toContain('alice')
    expect(e.message).toContain('its user name and password are not shown')
  })
})
