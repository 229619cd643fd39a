import { describe, it, expect } from '@jest/globals'
import { findCloud } from '../../../src/clouds.js'

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
