/** One debug line per resolved setting, never a secret (describe.ts). */
import { describe, expect, it } from '@jest/globals'
import { settingLines } from '../../../src/settings/describe.js'
import { readSettings } from '../../../src/settings/inputs.js'
import { clientCertificatePem } from '../../../__fixtures__/certificate.js'
import { inputReader, JOB_A, SECRET, secretInputs } from '../../../__fixtures__/inputs.js'

const lines = async (inputs: Record<string, string>) => settingLines(await readSettings(inputReader(inputs)))

describe('settingLines', () => {
  it('gives every resolved setting, defaults included, and the secret as ***', async () => {
    const text = (await lines(secretInputs())).join('\n')
    expect(text).not.toContain(SECRET)
    expect(text).toContain('Setting sign-in: client secret *** for client')
    expect(text).toMatch(/^Setting jobs: 1 Media Services \(nb:jid:UUID:/m)
    expect(text).toMatch(/^Setting trusted hosts: .*\.media\.azure\.net/m)
    expect(text).toMatch(/^Setting timeout: 5h 30m/m)
    expect(text).toMatch(/^Setting fail on: Error, Canceled$/m)
    expect(text).toMatch(/^Setting cancel on abort: false$/m)
  })

  it('shows neither a given token nor a certificate’s key', async () => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.given.token'
    const given = (
      await lines({ 'job-id': JOB_A, 'api-url': secretInputs()['api-url'], 'access-token': token })
    ).join('\n')
    expect(given).not.toContain(token)
    expect(given).toContain('Setting sign-in: the given access-token ***')
    const pem = clientCertificatePem()
    const cert = (await lines({ ...secretInputs(), 'client-secret': '', 'client-certificate': pem })).join(
      '\n'
    )
    expect(cert).not.toContain('PRIVATE KEY')
    expect(cert).toMatch(/Setting sign-in: certificate [0-9A-F]{64} \(.*, key \*\*\*\)/)
  })

  it('names up to 3 jobs and counts the rest', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `nb:jid:UUID:00000000-0000-4000-8000-00000000000${i}`)
    const [jobs] = await lines({ ...secretInputs(), 'job-id': ids.join(' ') })
    expect(jobs).toBe(`Setting jobs: 5 Media Services (${ids.slice(0, 3).join(', ')} and 2 more)`)
  })
})
