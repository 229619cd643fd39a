/** The inputs of a Media Services v2 step: api-url, and the cloud its host belongs to. */
import { describe, it, expect } from '@jest/globals'
import { CLOUDS } from '../../../../src/clouds.js'
import { otherCloudOf, parseApiUrl } from '../../../../src/jobs/v2/inputs.js'
import { UserError } from '../../../../src/errors.js'
import { thrownBy } from '../../../../__fixtures__/failure.js'

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
