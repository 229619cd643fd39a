import { describe, it, expect } from '@jest/globals'
import { findCloud } from '../../../src/clouds.js'
import { hostInDomain } from '../../../src/transport/trust.js'

describe('findCloud', () => {
  it.each([
    ['AzureCloud', 'AzureCloud'],
    ['azurechinacloud', 'AzureChinaCloud'],
    [' AZUREUSGOVERNMENT ', 'AzureUSGovernment']
  ])('%j is %s', (text, name) => {
    expect(findCloud(text)?.name).toBe(name)
  })

  it.each(['', 'Azure', 'AzureGermanCloud', 'constructor', '__proto__'])('%j is no cloud', text => {
    expect(findCloud(text)).toBeUndefined()
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
