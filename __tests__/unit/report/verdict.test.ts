/** The verdict (verdict.ts): the closing line and the annotation title of every outcome. */
import { describe, it, expect } from '@jest/globals'
import { JOB_A, JOB_B, JOB_C } from '../../../__fixtures__/inputs.js'
import { view, waitResult, errorView, numberedJobId as jobId } from '../../../__fixtures__/jobs.js'
import { ENTRA_ID, GITHUB_OIDC, INPUT, jobService, ServiceError, UserError } from '../../../src/errors.js'
import { ERROR_READS_PER_POLL } from '../../../src/wait/waiter.js'
import type { JobsOrigin } from '../../../src/report/naming.js'
import { V2_ORIGIN, V2_ORIGIN as MEDIA_SERVICES_V2 } from '../../../src/jobs/v2/api.js'
import { v3Origin } from '../../../src/jobs/v3/api.js'
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

describe('verdict: the closing line and the annotation title', () => {
  it('success for one job says its final state and how long it took', () => {
    expect(verdict(waitResult('success', [view(JOB_A, 'Finished')]), SIX_HOURS, V2_ORIGIN)).toEqual({
      ok: true,
      title: '',
      warning: false,
      message: `Job ${label(JOB_A)} ended Finished after 2m 05s.`
    })
  })

  it('a job that had ended before the first poll: it had already ended, and how long it ran', () => {
    const ran = { startTime: new Date('2024-05-01T11:00:00Z'), endTime: new Date('2024-05-01T11:00:47Z') }
    const done = [view(JOB_A, 'Finished', {}, ran)]
    expect(
      verdict(waitResult('success', done, { polls: 1, elapsedMs: 40 }), SIX_HOURS, V2_ORIGIN).message
    ).toBe(`Job ${label(JOB_A)} had already ended Finished when the wait began (it ran 47s).`)
    // Without the times, the service's RunningDuration (milliseconds in practice).
    const noTimes = [view(JOB_A, 'Finished', {}, { runningDuration: 39_605 })]
    expect(verdict(waitResult('success', noTimes, { polls: 1 }), SIX_HOURS, V2_ORIGIN).message).toBe(
      `Job ${label(JOB_A)} had already ended Finished when the wait began (it ran 39s).`
    )
    const two = [view(JOB_A, 'Finished'), view(JOB_B, 'Finished')]
    expect(verdict(waitResult('success', two, { polls: 1 }), SIX_HOURS, V2_ORIGIN).message).toBe(
      '2 jobs had already ended when the wait began.'
    )
  })

  it('success for several jobs names those that did not finish (fail-on none)', () => {
    const v = verdict(
      waitResult('success', [view(JOB_A, 'Finished'), view(JOB_B, 'Error')]),
      SIX_HOURS,
      V2_ORIGIN
    )
    expect(v.ok).toBe(true)
    expect(v.warning).toBe(true)
    expect(v.message).toBe(
      `2 jobs ended after 2m 05s (${label(JOB_B)}: Error). The step passes because fail-on does not include Error.`
    )
  })

  it('with fail-on none, a job in Error passes the step as a warning, not as a success', () => {
    const v = verdict(waitResult('success', [view(JOB_A, 'Error')]), SIX_HOURS, V2_ORIGIN)
    expect(v).toEqual({
      ok: true,
      title: '',
      warning: true,
      message: `Job ${label(JOB_A)} ended Error after 2m 05s. The step passes because fail-on does not include Error.`
    })
  })

  it('a job in Error fails with the error details', () => {
    const failed = view(JOB_A, 'Error', {
      errorDetails: [{ code: 'ErrorProcessingTask', message: 'no video track' }]
    })
    expect(verdict(waitResult('failure', [failed]), SIX_HOURS, V2_ORIGIN)).toEqual({
      ok: false,
      title: 'Media Services job failed',
      message: `${label(JOB_A)} ended Error. ErrorProcessingTask: no video track`
    })
  })

  it('200 jobs failing together: the verdict names the 10 whose errors were read and counts the rest', () => {
    const failed = [...Array(200)].map((_, i) =>
      view(`nb:jid:UUID:1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`, 'Error', {
        errorDetails:
          i < ERROR_READS_PER_POLL ? [{ code: 'ErrorProcessingTask', message: `bad input ${i}` }] : []
      })
    )
    const v = verdict(waitResult('failure', failed), SIX_HOURS, V2_ORIGIN)
    expect(v.message.match(/ended Error/g)).toHaveLength(ERROR_READS_PER_POLL)
    expect(v.message).toContain(`and ${200 - ERROR_READS_PER_POLL} more`)
    expect(v.message.match(/bad input \d/g)).toHaveLength(ERROR_READS_PER_POLL)
  })

  it('a Canceled job is said plainly', () => {
    expect(
      verdict(waitResult('failure', [view(JOB_A, 'Finished'), view(JOB_B, 'Canceled')]), SIX_HOURS, V2_ORIGIN)
    ).toEqual({
      ok: false,
      title: 'Media Services job canceled',
      message: `${label(JOB_B)} ended Canceled: it was canceled before it finished`
    })
  })

  it('with fail-on Finished, a Finished job fails the step with a message naming it', () => {
    const finished = view(JOB_A, 'Finished')
    const v = verdict(waitResult('failure', [finished], { failed: [finished] }), SIX_HOURS, V2_ORIGIN)
    expect(v.ok).toBe(false)
    expect(v.message).toContain(JOB_A)
    expect(v.message).toMatch(/Finished/)
    expect(v.title).not.toMatch(/canceled/)
  })

  it('a job not found says so, with what to check', () => {
    const v = verdict(
      waitResult('not-found', [view(JOB_A, 'Processing'), view(JOB_B, undefined, { missingPolls: 3 })], {
        polls: 3
      }),
      SIX_HOURS,
      V2_ORIGIN
    )
    expect(v.ok).toBe(false)
    expect(v.title).toBe('Media Services job not found')
    expect(v.message).toMatch(
      new RegExp(`^job ${JOB_B} not found: Media Services did not return it in 3 polls`)
    )
    expect(v.message).toMatch(/Check job-id and api-url\.$/)
    expect(v.message).not.toContain('job-url')
  })

  it('a timeout says timed out, what it waited for, and the last state', () => {
    const views = [view(JOB_A, 'Finished'), view(JOB_B, 'Processing')]
    const v = verdict(waitResult('timeout', views, { elapsedMs: SIX_HOURS + 40 }), SIX_HOURS, V2_ORIGIN)
    expect(v).toEqual({
      ok: false,
      title: 'Timed out waiting for Media Services',
      message: `timed out after 6h 00m waiting for ${label(JOB_B)} (Processing).`
    })
  })

  it('several jobs at a timeout: each open job with its own state, and a job that ended Error fail-on ignores named', () => {
    const views = [view(JOB_A, 'Error'), view(JOB_B, 'Processing'), view(JOB_C, 'Queued')]
    const v = verdict(waitResult('timeout', views, { elapsedMs: 30_000 }), 30_000, V2_ORIGIN)
    expect(v.message).toBe(
      `timed out after 30s waiting for ${label(JOB_B)} (Processing), ${label(JOB_C)} (Queued). ` +
        `Ignored by fail-on: ${label(JOB_A)} ended Error.`
    )
    expect(v.message).not.toMatch(/last state Error/)
  })

  it('one job at a timeout: its own state', () => {
    const v = verdict(
      waitResult('timeout', [view(JOB_B, 'Scheduled')], { elapsedMs: 30_000 }),
      30_000,
      V2_ORIGIN
    )
    expect(v.message).toBe(`timed out after 30s waiting for ${label(JOB_B)}; last state Scheduled.`)
  })

  it.each(['canceled', 'error', 'not-found'] as const)(
    'a job ended Canceled that fail-on ignores is named on the %s path too',
    outcome => {
      const views = [view(JOB_A, 'Canceled'), view(JOB_B, 'Processing', { missingPolls: 0 })]
      const v = verdict(
        waitResult(outcome, views, { error: new Error('Media Services denied access (403)') }),
        SIX_HOURS,
        V2_ORIGIN
      )
      expect(v.ok).toBe(false)
      expect(v.message).toMatch(
        new RegExp(`\\. Ignored by fail-on: ${label(JOB_A).replace(/[()]/g, '\\$&')} ended Canceled\\.$`)
      )
    }
  )

  it('a failure names only the fail-on jobs as failed, and the others that ended badly as ignored', () => {
    const views = [view(JOB_A, 'Canceled'), view(JOB_B, 'Error')]
    const v = verdict(waitResult('failure', views, { failed: [views[1]] }), SIX_HOURS, V2_ORIGIN)
    expect(v.message).toMatch(new RegExp(`^${label(JOB_B).replace(/[()]/g, '\\$&')} ended Error`))
    expect(v.message).toMatch(/\. Ignored by fail-on: .* ended Canceled\.$/)
  })

  it('a cancel with several jobs names the open ones with their states', () => {
    const views = [view(JOB_A, 'Finished'), view(JOB_B, 'Processing')]
    expect(verdict(waitResult('canceled', views), SIX_HOURS, V2_ORIGIN).message).toBe(
      `The wait was canceled after 2m 05s, waiting for ${label(JOB_B)} (Processing).`
    )
  })

  it('a timeout says how long the wait really took, and the timeout when that differs', () => {
    const timedOut = (elapsedMs: number) =>
      verdict(waitResult('timeout', [view(JOB_A, 'Processing')], { elapsedMs }), 3_000, V2_ORIGIN).message
    expect(timedOut(3_020)).toMatch(/^timed out after 3s waiting for/)
    // A last poll that hung until the hard stop: the step took 8 s, not 3.
    expect(timedOut(8_010)).toMatch(/^timed out after 8s \(timeout 3s\) waiting for/)
  })

  it('a cancel says the wait was canceled', () => {
    expect(verdict(waitResult('canceled', [view(JOB_A, 'Queued')]), SIX_HOURS, V2_ORIGIN)).toEqual({
      ok: false,
      title: 'Wait canceled',
      message: 'The wait was canceled after 2m 05s; last state Queued.'
    })
  })

  it('an error passes its message on, under a title that says something failed', () => {
    const v = verdict(
      waitResult('error', [view(JOB_A)], { error: new Error('Media Services denied access (403)') }),
      SIX_HOURS,
      V2_ORIGIN
    )
    expect(v).toEqual({
      ok: false,
      title: expect.stringMatching(/failed/),
      message: 'Media Services denied access (403)'
    })
  })
})

describe('the title of a failed request comes from who failed, not from the wording', () => {
  const MKIO: JobsOrigin = v3Origin('api.mk.io')
  const titled = (error: Error, origin: JobsOrigin = V2_ORIGIN): string =>
    verdict(waitResult('error', [view(JOB_A)], { error }), SIX_HOURS, origin).title

  it('Entra ID and GitHub OIDC: sign-in, whatever the message starts with', () => {
    expect(titled(new ServiceError('token request answered 503', { source: ENTRA_ID }))).toBe(
      'Sign-in failed'
    )
    expect(titled(new UserError('no ACTIONS_ID_TOKEN_REQUEST_URL', 'client-id', GITHUB_OIDC))).toBe(
      'Sign-in failed'
    )
  })

  it('a job service that says "Entra ID" is still that service', () => {
    const said = new UserError(
      'Entra ID tokens are not accepted here (401)',
      'access-token',
      jobService('api.mk.io')
    )
    expect(titled(said, MKIO)).toBe('api.mk.io request failed')
  })

  it('an error that names no source: the service the wait asked', () => {
    expect(titled(new Error('Entra ID sign-in failed'), MKIO)).toBe('api.mk.io request failed')
  })
})

describe('the verdict of jobs on a v3-shaped service names that service', () => {
  const MKIO: JobsOrigin = v3Origin('api.mk.io')
  const URL_A = 'https://api.mk.io/api/ams/s/transforms/t/jobs/a'

  it('a timeout: waiting for Azure Resource Manager, or for the host', () => {
    const result = waitResult('timeout', [view(URL_A, 'Processing')])
    expect(verdict(result, SIX_HOURS, ARM).title).toBe('Timed out waiting for Azure Resource Manager')
    expect(verdict(result, SIX_HOURS, MKIO).title).toBe('Timed out waiting for api.mk.io')
  })

  it('a request that failed', () => {
    const result = waitResult('error', [view(URL_A)], { error: new Error('api.mk.io denied access (403)') })
    expect(verdict(result, SIX_HOURS, MKIO).title).toBe('api.mk.io request failed')
  })

  it('a failed job', () => {
    const result = waitResult('failure', [view(URL_A, 'Error')])
    expect(verdict(result, SIX_HOURS, MKIO).title).toBe('Job on api.mk.io failed')
    expect(verdict(result, SIX_HOURS, ARM).title).toBe('Job on Azure Resource Manager failed')
  })

  it('a job in a state outside the seven: a timeout names it as the last state', () => {
    const paused = view(URL_A, 'Unknown', {}, { name: 'clip', reportedState: 'Paused' })
    expect(verdict(waitResult('timeout', [paused]), 125_000, ARM).message).toContain(
      'last state Unknown ("Paused").'
    )
  })

  it('a job not found: that service did not return it; only job-url is named', () => {
    const v = verdict(waitResult('not-found', [view(URL_A, undefined, { missingPolls: 3 })]), SIX_HOURS, MKIO)
    expect(v.title).toBe('Job on api.mk.io not found')
    expect(v.message).toMatch(/not found: api\.mk\.io did not return it in 13 polls\. Check job-url/)
    expect(v.message).not.toMatch(/job-id|api-url|Media Services/)
  })
})

describe('a job the service says does not exist (#22.21)', () => {
  const origin = v3Origin('Azure Resource Manager')

  it("the not-found verdict gives the service's own code and message", () => {
    const gone = view(JOB_A, undefined, {
      missingPolls: 3,
      notFoundText: 'NotFound: The requested resource was not found.'
    })
    expect(verdict(waitResult('not-found', [gone]), 60_000, origin).message).toBe(
      `job ${JOB_A} not found: Azure Resource Manager did not return it in 13 polls (it answered NotFound: The requested resource was not found.). Check job-url (jobs older than 90 days are deleted).`
    )
  })

  it('without words from the service, the verdict is as before', () => {
    const gone = view(JOB_A, undefined, { missingPolls: 3 })
    expect(verdict(waitResult('not-found', [gone]), 60_000, origin).message).toBe(
      `job ${JOB_A} not found: Azure Resource Manager did not return it in 13 polls. Check job-url (jobs older than 90 days are deleted).`
    )
  })
})

describe('many failed jobs: the annotation stays readable', () => {
  it('names the first 10 failed jobs and their errors, and counts the rest', () => {
    const views = Array.from({ length: 250 }, (_, i) =>
      errorView(jobId(i), `job ${i}`, [{ code: 'E', message: 'm'.repeat(1000) }])
    )
    const v = verdict(waitResult('failure', views), 60_000, V2_ORIGIN)
    expect(v.message).toContain(`${jobId(9)} (job 9) ended Error and 240 more`)
    expect(v.message).not.toContain(jobId(10))
    expect(v.message.match(/E: m+/g)).toHaveLength(10)
    expect(v.message.length).toBeLessThan(15_000)
  })

  it('a timeout names 10 of the jobs still going', () => {
    const views = Array.from({ length: 30 }, (_, i) => view(jobId(i), 'Processing'))
    const v = verdict(waitResult('timeout', views), 60_000, V2_ORIGIN)
    expect(v.message).toMatch(
      /^timed out after .* waiting for .*\(encode trailer\) \(Processing\), .* and 20 more\.$/
    )
  })
})
