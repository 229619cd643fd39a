/** The rule every job API shares: the jobs are named by exactly one API's input. */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../../src/errors.js'
import { readSettings } from '../../../src/settings/inputs.js'
import { CLIENT, inputReader, JOB_A, SECRET, TENANT } from '../../../__fixtures__/inputs.js'
import { rejectedWith } from '../../../__fixtures__/failure.js'

const RID =
  '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Media/mediaServices/acct/transforms/enc/jobs/job1'
const sp = { 'tenant-id': TENANT, 'client-id': CLIENT, 'client-secret': SECRET }

function inputError(inputs: Record<string, string>): Promise<UserError> {
  return rejectedWith(readSettings(inputReader(inputs)), UserError)
}

describe('job-id and job-url: exactly one', () => {
  it('both: an input error naming both', async () => {
    const e = await inputError({ ...sp, 'job-id': JOB_A, 'job-url': RID })
    expect(e.message).toMatch(/Inputs job-id and job-url are both given/)
  })

  it('neither: an input error naming both', async () => {
    const e = await inputError({ ...sp })
    expect(e.message).toMatch(/Input job-id or job-url is required/)
  })
})
