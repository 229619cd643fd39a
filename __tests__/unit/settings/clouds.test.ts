import { describe, it, expect } from '@jest/globals'
import { CLOUDS, findCloud } from '../../../src/settings/clouds.js'
import { hostInDomain } from '../../../src/transport/trust.js'

describe('the three clouds', () => {
  it.each([
    [
      'AzureCloud',
      'https://login.microsoftonline.com',
      'https://rest.media.azure.net',
      'api://AzureADTokenExchange'
    ],
    [
      'AzureChinaCloud',
      'https://login.chinacloudapi.cn',
      'https://rest.media.chinacloudapi.cn',
      'api://AzureADTokenExchangeChina'
    ],
    [
      'AzureUSGovernment',
      'https://login.microsoftonline.us',
      'https://rest.media.usgovcloudapi.net',
      'api://AzureADTokenExchangeUSGov'
    ]
  ] as const)('%s signs in at %s for %s with OIDC audience %s', (name, authority, resource, audience) => {
    expect(CLOUDS[name]).toMatchObject({
      name,
      authorityHost: authority,
      mediaResource: resource,
      oidcAudience: audience
    })
  })

  it('none has a default api-url: the global endpoints went with Media Services', () => {
    for (const cloud of Object.values(CLOUDS)) expect(cloud).not.toHaveProperty('apiUrl')
  })
})

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
