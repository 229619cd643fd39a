import { describe, it, expect } from '@jest/globals'
import { outputAssetsPath } from '../../../../src/jobs/v2/paths.js'
import { JOB_A } from '../../../../__fixtures__/inputs.js'

describe('v2 OutputMediaAssets', () => {
  it('the path is the navigation property of the job, its key a quoted, encoded literal', () => {
    expect(outputAssetsPath(JOB_A)).toBe(`Jobs(${encodeURIComponent(`'${JOB_A}'`)})/OutputMediaAssets`)
  })
})
