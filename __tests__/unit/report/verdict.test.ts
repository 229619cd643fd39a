/** The verdict's wording where several jobs or errors are joined, and the titles of failed requests. */
import { v3Origin } from '../../../src/jobs/v3/api.js'
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, it, expect } from '@jest/globals'
import { JOB_A, JOB_B } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import { INPUT, jobService, ServiceError, UserError } from '../../../src/errors.js'
import type { JobsOrigin } from '../../../src/report/naming.js'
import { V2_ORIGIN as MEDIA_SERVICES_V2 } from '../../../src/jobs/v2/api.js'
import { failureTitle, verdict } from '../../../src/report/verdict.js'

const SIX_HOURS = 6 * 3_600_000
const label = (id: string): string => `${id} (encode trailer)`
const ARM: JobsOrigin = v3Origin('Azure Resource Manager')

describe('the title of a failed request', () => {
  it('an input refused: Invalid input', () => {
    const refused = new UserError('job-id is not a job id', 'job-id')
    expect(verdict(waitResult('error', [view(JOB_A)], { error: refused }), SIX_HOURS, V2_ORIGIN).title).toBe(
      'Invalid input'
    )
    expect(failureTitle(INPUT, MEDIA_SERVICES_V2)).toBe('Invalid input')
  })

  it('a job service names itself, whichever service the wait was for', () => {
    expect(failureTitle(jobService('api.mk.io'), ARM)).toBe('api.mk.io request failed')
    const said = new ServiceError('answered 500', { source: jobService('api.mk.io') })
    expect(verdict(waitResult('error', [view(JOB_A)], { error: said }), SIX_HOURS, ARM).title).toBe(
      'api.mk.io request failed'
    )
  })
})

describe('an ending without an error to tell', () => {
  it('says unknown error', () => {
    expect(verdict(waitResult('error', [view(JOB_A)]), SIX_HOURS, V2_ORIGIN)).toEqual({
      ok: false,
      title: 'Media Services request failed',
      message: 'unknown error'
    })
  })
})

describe('a timeout whose last request failed', () => {
  it('says what that request answered', () => {
    const error = new ServiceError('Media Services answered 503')
    const v = verdict(waitResult('timeout', [view(JOB_A, 'Processing')], { error }), 125_000, V2_ORIGIN)
    expect(v.message).toBe(
      `timed out after 2m 05s waiting for ${label(JOB_A)}; last state Processing. Last request: Media Services answered 503`
    )
  })
})

describe('several jobs in one verdict', () => {
  it('passing with jobs in Error and Canceled: fail-on includes neither, said with "or"', () => {
    const v = verdict(
      waitResult('success', [view(JOB_A, 'Error'), view(JOB_B, 'Canceled')]),
      SIX_HOURS,
      V2_ORIGIN
    )
    expect(v.message).toBe(
      `2 jobs ended after 2m 05s (${label(JOB_A)}: Error, ${label(JOB_B)}: Canceled). The step passes because fail-on does not include Error or Canceled.`
    )
  })

  it('failing: each job’s ending and then each job’s errors, separated by semicolons', () => {
    const failed = [
      view(JOB_A, 'Error', { errorDetails: [{ code: 'E1', message: 'no video track' }] }),
      view(JOB_B, 'Error', { errorDetails: [{ code: 'E2', message: 'no audio track' }] })
    ]
    expect(verdict(waitResult('failure', failed), SIX_HOURS, V2_ORIGIN)).toEqual({
      ok: false,
      title: 'Media Services job failed',
      message: `${label(JOB_A)} ended Error; ${label(JOB_B)} ended Error. E1: no video track; E2: no audio track`
    })
  })

  it('a job in a fail-on state that is neither Error nor Canceled: the title says so', () => {
    const finished = view(JOB_A, 'Finished')
    const v = verdict(waitResult('failure', [finished], { failed: [finished] }), SIX_HOURS, V2_ORIGIN)
    expect(v).toEqual({
      ok: false,
      title: 'Media Services job ended in a fail-on state',
      message: `${label(JOB_A)} ended Finished`
    })
  })
})
