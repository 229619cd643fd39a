import { describe, it, expect } from '@jest/globals'
import { codeCell, summaryMarkdown } from '../../../src/report/summary.js'
import { ERROR_READS_PER_POLL, type JobView } from '../../../src/wait/waiter.js'
import { START } from '../../../__fixtures__/clock.js'
import { JOB_A, JOB_B, JOB_C } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import type { JobState } from '../../../src/jobs/model.js'
import { ENTRA_ID, GITHUB_OIDC, jobService, ServiceError, UserError } from '../../../src/errors.js'
import { aggregateLine, ChangeLog } from '../../../src/report/log.js'
import { aggregateState, jobRecord, outputs } from '../../../src/report/outputs.js'
import type { JobsOrigin } from '../../../src/report/naming.js'
import { verdict } from '../../../src/report/verdict.js'

const JOB_D = 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000d'
const at = (iso: string): Date => new Date(`2024-05-01T${iso}Z`)
const SIX_HOURS = 6 * 3_600_000
const label = (id: string): string => `${id} (encode trailer)`
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const finishedA = (): JobView =>
  view(
    JOB_A,
    'Finished',
    { progress: 100 },
    {
      name: 'trailer',
      runningDuration: 39605,
      startTime: at('12:00:05'),
      endTime: at('12:02:05')
    }
  )

describe('outputs for one job', () => {
  it('a finished job gives its state, duration (endTime − startTime, ranMs), times in ISO UTC, progress and the jobs JSON', () => {
    expect(outputs(waitResult('success', [finishedA()]))).toEqual({
      state: 'Finished',
      runningDuration: '120000',
      startTime: '2024-05-01T12:00:05.000Z',
      endTime: '2024-05-01T12:02:05.000Z',
      progress: '100',
      jobs: JSON.stringify([
        {
          id: JOB_A,
          name: 'trailer',
          state: 'Finished',
          runningDuration: 120000,
          progress: 100,
          startTime: '2024-05-01T12:00:05.000Z',
          endTime: '2024-05-01T12:02:05.000Z',
          errors: [],
          assets: []
        }
      ]),
      assets: '[]',
      'asset-name': '',
      'asset-id': ''
    })
  })

  it('a job that never started leaves the times empty', () => {
    const out = outputs(waitResult('timeout', [view(JOB_A, 'Queued')]))
    expect(out).toMatchObject({
      state: 'Queued',
      startTime: '',
      endTime: '',
      progress: '0',
      runningDuration: ''
    })
  })

  it('a Finished job with an endTime and no startTime (as MK.IO may send) has no running time: empty, not 0', () => {
    const done = view(
      JOB_A,
      'Finished',
      {},
      { startTime: undefined, endTime: new Date(START + 60_000), runningDuration: 0 }
    )
    const out = outputs(waitResult('success', [done]))
    expect(out.runningDuration).toBe('')
    expect(out.startTime).toBe('')
    expect(JSON.parse(out.jobs)[0].runningDuration).toBeNull()
  })

  it('a running time the service gave without a startTime (v2 RunningDuration) is kept', () => {
    const ran = view(JOB_A, 'Finished', {}, { startTime: undefined, runningDuration: 4200 })
    expect(outputs(waitResult('success', [ran])).runningDuration).toBe('4200')
  })

  it('a job not found has no duration and the state NotFound', () => {
    const out = outputs(waitResult('not-found', [view(JOB_A, undefined, { missingPolls: 3 })]))
    expect(out).toMatchObject({ state: 'NotFound', runningDuration: '', startTime: '', endTime: '' })
    expect(JSON.parse(out.jobs)).toEqual([
      {
        id: JOB_A,
        name: '',
        state: 'NotFound',
        runningDuration: null,
        progress: null,
        startTime: null,
        endTime: null,
        errors: [],
        assets: []
      }
    ])
  })
})

describe('outputs for several jobs', () => {
  const errorDetails = [{ code: 'ErrorProcessingTask', message: 'The input has no video track' }]
  const views = (): JobView[] => [
    finishedA(),
    view(
      JOB_B,
      'Error',
      { errorDetails },
      { runningDuration: 50_000, startTime: at('12:00:01'), endTime: at('12:03:00') }
    ),
    view(JOB_C, 'Processing', { progress: 100 / 3 }, { runningDuration: 1200, startTime: at('12:01:00') })
  ]

  it('state is the first failing one; duration the largest; start the earliest; end the latest', () => {
    const out = outputs(waitResult('failure', views()))
    expect(out.state).toBe('Error')
    // B ran 12:00:01 to 12:03:00; C, still running, 1200 ms by its RunningDuration.
    expect(out.runningDuration).toBe('179000')
    expect(out.startTime).toBe('2024-05-01T12:00:01.000Z')
    expect(out.endTime).toBe('2024-05-01T12:03:00.000Z')
  })

  it('progress is the mean of the jobs, a finished job counting 100 and one without tasks read 0', () => {
    expect(outputs(waitResult('failure', views())).progress).toBe('44.4')
  })

  it('the jobs JSON has one object per job with its errors', () => {
    const jobs = JSON.parse(outputs(waitResult('failure', views())).jobs)
    expect(jobs.map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([
      [JOB_A, 'Finished'],
      [JOB_B, 'Error'],
      [JOB_C, 'Processing']
    ])
    expect(jobs[1].errors).toEqual(errorDetails)
    expect(jobs[2]).toEqual({
      id: JOB_C,
      name: 'encode trailer',
      state: 'Processing',
      runningDuration: 1200,
      progress: 33.3,
      startTime: '2024-05-01T12:01:00.000Z',
      endTime: null,
      errors: [],
      assets: []
    })
  })

  it.each<[string, (JobState | undefined)[], string]>([
    ['all Finished', ['Finished', 'Finished'], 'Finished'],
    ['the first failing state in input order', ['Finished', 'Canceled', 'Error'], 'Canceled'],
    ['a failure wins over jobs still going', ['Processing', 'Error'], 'Error'],
    ['the least advanced of those still going', ['Finished', 'Processing', 'Queued'], 'Queued'],
    ['Scheduled is behind Processing', ['Processing', 'Scheduled'], 'Scheduled'],
    ['Canceling is ahead of Processing', ['Canceling', 'Processing'], 'Processing'],
    ['a job not seen yet', ['Finished', undefined], 'Unknown']
  ])('aggregate state: %s', (_rule, states, expected) => {
    const ids = [JOB_A, JOB_B, JOB_C]
    expect(aggregateState(states.map((s, i) => view(ids[i], s)))).toBe(expected)
  })

  it('a job missing from the service makes the aggregate NotFound', () => {
    expect(aggregateState([view(JOB_A, 'Processing'), view(JOB_B, undefined, { missingPolls: 1 })])).toBe(
      'NotFound'
    )
  })

  it('jobRecord rounds progress to one decimal', () => {
    expect(jobRecord(view(JOB_A, 'Processing', { progress: 12.345 })).progress).toBe(12.3)
  })
})

describe('ChangeLog: what the log says after each poll', () => {
  /** One line, about the job (by id or name), saying `what`. */
  const about = (what: string | RegExp) =>
    expect.stringMatching(
      new RegExp(
        `^\\[\\d\\d:\\d\\d\\] .*(${JOB_A}|encode trailer).*: .*${typeof what === 'string' ? escape(what) : what.source}`
      )
    )

  it('prints each state change once, nothing for identical polls, then progress with an estimate', () => {
    const log = new ChangeLog()
    const q = view(JOB_A, 'Queued')
    expect(log.lines([q], 0, START)).toEqual([`[00:00] ${label(JOB_A)}: Queued`])
    expect(log.lines([q], 10_000, START + 10_000)).toEqual([])

    // Paced as the waiter paces a Processing job (wait/view.ts nextPace): the log reads predictEnd.
    const first = { at: START + 20_000, progress: 10 }
    const p10 = view(JOB_A, 'Processing', { progress: 10, pace: { first, last: first } })
    const toProcessing = log.lines([p10], 20_000, START + 20_000)
    expect(toProcessing).toEqual([about('Queued -> Processing')])
    expect(toProcessing[0]).toMatch(/^\[00:20\] /)
    expect(log.lines([p10], 30_000, START + 30_000)).toEqual([])

    // 30 points in 60 s: the remaining 60 points take about 2 minutes.
    const p40 = view(JOB_A, 'Processing', {
      progress: 40,
      pace: { first, last: { at: START + 80_000, progress: 40 } }
    })
    const progress = log.lines([p40], 80_000, START + 80_000)
    expect(progress).toEqual([about('Processing 40%')])
    expect(progress[0]).toMatch(/^\[01:20\] .*40%.*about 2m 00s left$/)
    expect(log.lines([p40], 90_000, START + 90_000)).toEqual([])

    const done = view(
      JOB_A,
      'Finished',
      { progress: 100 },
      { startTime: at('12:00:00'), endTime: at('12:02:30') }
    )
    expect(log.lines([done], 100_000, START + 100_000)).toEqual([about('Processing -> Finished (in 2m 30s)')])
    expect(log.lines([done], 110_000, START + 110_000)).toEqual([])
  })

  it('the first progress line has no estimate yet', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Processing')], 0, START)
    const lines = log.lines([view(JOB_A, 'Processing', { progress: 5.7 })], 10_000, START + 10_000)
    expect(lines).toEqual([about(/Processing 5%$/)])
  })

  it('a job ending in Error shows its error details', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Processing')], 0, START)
    const failed = view(
      JOB_A,
      'Error',
      { errorDetails: [{ code: 'ErrorProcessingTask', message: 'no video track' }] },
      { startTime: at('12:00:00'), endTime: at('12:01:00') }
    )
    expect(log.lines([failed], 60_000, START + 60_000)).toEqual([
      about('Processing -> Error (in 1m 00s, ErrorProcessingTask: no video track)')
    ])
  })

  it('two jobs with the same name can still be told apart in later lines', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Queued'), view(JOB_B, 'Queued')], 0, START)
    const lines = log.lines([view(JOB_A, 'Processing'), view(JOB_B, 'Finished')], 10_000, START + 10_000)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(JOB_A)
    expect(lines[1]).toContain(JOB_B)
  })

  it('a job not returned yet is said once', () => {
    const log = new ChangeLog()
    const missing = view(JOB_A, undefined, { missingPolls: 1 })
    expect(log.lines([missing], 0, START)).toEqual([`[00:00] ${JOB_A}: not found yet`])
    expect(log.lines([{ ...missing, missingPolls: 2 }], 10_000, START + 10_000)).toEqual([])
  })

  it('more than 3 jobs get one aggregate line, printed when it changes; only endings are named per job', () => {
    const log = new ChangeLog()
    const firstB = { at: START, progress: 50 }
    const views = (bProgress: number, seconds = 0): JobView[] => [
      view(JOB_A, 'Finished'),
      view(JOB_B, 'Processing', {
        progress: bProgress,
        pace: { first: firstB, last: { at: START + seconds * 1000, progress: bProgress } }
      }),
      view(JOB_C, 'Queued'),
      view(JOB_D, undefined, { missingPolls: 1 })
    ]
    const first = log.lines(views(50), 0, START)
    expect(first).toHaveLength(2)
    expect(first[0]).toBe(`[00:00] ${JOB_A} (encode trailer): Finished`)
    expect(first[1]).toBe('[00:00] 1/4 finished, 1 processing, 1 queued, 1 not found yet; mean progress 37%')
    expect(log.lines(views(50, 10), 10_000, START + 10_000)).toEqual([])
    // No per-job progress line with many jobs: only the aggregate moves, with the longest time-left estimate
    // (B: 50 % to 90 % in 20 s, so 10 % more in 5 s).
    expect(log.lines(views(90, 20), 20_000, START + 20_000)).toEqual([
      '[00:20] 1/4 finished, 1 processing, 1 queued, 1 not found yet; mean progress 47%; the slowest about 5s left'
    ])
  })

  it('aggregateLine counts Scheduled as queued and names the unusual states', () => {
    expect(
      aggregateLine([
        view(JOB_A, 'Scheduled'),
        view(JOB_B, 'Canceling'),
        view(JOB_C, 'Error'),
        view(JOB_D, 'Canceled')
      ])
    ).toBe('0/4 finished, 0 processing, 1 queued, 1 canceling, 1 error, 1 canceled; mean progress 0%')
  })
})

describe('verdict: the closing line and the annotation title', () => {
  it('success for one job says its final state and how long it took', () => {
    expect(verdict(waitResult('success', [view(JOB_A, 'Finished')]), SIX_HOURS)).toEqual({
      ok: true,
      title: '',
      warning: false,
      message: `Job ${label(JOB_A)} ended Finished after 2m 05s.`
    })
  })

  it('a job that had ended before the first poll: it had already ended, and how long it ran', () => {
    const ran = { startTime: new Date('2024-05-01T11:00:00Z'), endTime: new Date('2024-05-01T11:00:47Z') }
    const done = [view(JOB_A, 'Finished', {}, ran)]
    expect(verdict(waitResult('success', done, { polls: 1, elapsedMs: 40 }), SIX_HOURS).message).toBe(
      `Job ${label(JOB_A)} had already ended Finished when the wait began (it ran 47s).`
    )
    // Without the times, the service's RunningDuration (milliseconds in practice).
    const noTimes = [view(JOB_A, 'Finished', {}, { runningDuration: 39_605 })]
    expect(verdict(waitResult('success', noTimes, { polls: 1 }), SIX_HOURS).message).toBe(
      `Job ${label(JOB_A)} had already ended Finished when the wait began (it ran 39s).`
    )
    const two = [view(JOB_A, 'Finished'), view(JOB_B, 'Finished')]
    expect(verdict(waitResult('success', two, { polls: 1 }), SIX_HOURS).message).toBe(
      '2 jobs had already ended when the wait began.'
    )
  })

  it('success for several jobs names those that did not finish (fail-on none)', () => {
    const v = verdict(waitResult('success', [view(JOB_A, 'Finished'), view(JOB_B, 'Error')]), SIX_HOURS)
    expect(v.ok).toBe(true)
    expect(v.warning).toBe(true)
    expect(v.message).toBe(
      `2 jobs ended after 2m 05s (${label(JOB_B)}: Error). The step passes because fail-on does not include Error.`
    )
  })

  it('with fail-on none, a job in Error passes the step as a warning, not as a success', () => {
    const v = verdict(waitResult('success', [view(JOB_A, 'Error')]), SIX_HOURS)
    expect(v).toEqual({
      ok: true,
      title: '',
      warning: true,
      message: `Job ${label(JOB_A)} ended Error after 2m 05s. The step passes because fail-on does not include Error.`
    })
    const md = summaryMarkdown(waitResult('success', [view(JOB_A, 'Error')]), v)
    expect(md).toMatch(/^### ⚠️ Media Services job\n/)
    expect(md).not.toContain('✅')
  })

  it('a job in Error fails with the error details', () => {
    const failed = view(JOB_A, 'Error', {
      errorDetails: [{ code: 'ErrorProcessingTask', message: 'no video track' }]
    })
    expect(verdict(waitResult('failure', [failed]), SIX_HOURS)).toEqual({
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
    const v = verdict(waitResult('failure', failed), SIX_HOURS)
    expect(v.message.match(/ended Error/g)).toHaveLength(ERROR_READS_PER_POLL)
    expect(v.message).toContain(`and ${200 - ERROR_READS_PER_POLL} more`)
    expect(v.message.match(/bad input \d/g)).toHaveLength(ERROR_READS_PER_POLL)
  })

  it('a Canceled job is said plainly', () => {
    expect(
      verdict(waitResult('failure', [view(JOB_A, 'Finished'), view(JOB_B, 'Canceled')]), SIX_HOURS)
    ).toEqual({
      ok: false,
      title: 'Media Services job canceled',
      message: `${label(JOB_B)} ended Canceled: it was canceled before it finished`
    })
  })

  it('with fail-on Finished, a Finished job fails the step with a message naming it', () => {
    const finished = view(JOB_A, 'Finished')
    const v = verdict(waitResult('failure', [finished], { failed: [finished] }), SIX_HOURS)
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
      SIX_HOURS
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
    const v = verdict(waitResult('timeout', views, { elapsedMs: SIX_HOURS + 40 }), SIX_HOURS)
    expect(v).toEqual({
      ok: false,
      title: 'Timed out waiting for Media Services',
      message: `timed out after 6h 00m waiting for ${label(JOB_B)} (Processing).`
    })
  })

  it('several jobs at a timeout: each open job with its own state, and a job that ended Error fail-on ignores named', () => {
    const views = [view(JOB_A, 'Error'), view(JOB_B, 'Processing'), view(JOB_C, 'Queued')]
    const v = verdict(waitResult('timeout', views, { elapsedMs: 30_000 }), 30_000)
    expect(v.message).toBe(
      `timed out after 30s waiting for ${label(JOB_B)} (Processing), ${label(JOB_C)} (Queued). ` +
        `Ignored by fail-on: ${label(JOB_A)} ended Error.`
    )
    expect(v.message).not.toMatch(/last state Error/)
  })

  it('one job at a timeout: its own state', () => {
    const v = verdict(waitResult('timeout', [view(JOB_B, 'Scheduled')], { elapsedMs: 30_000 }), 30_000)
    expect(v.message).toBe(`timed out after 30s waiting for ${label(JOB_B)}; last state Scheduled.`)
  })

  it.each(['canceled', 'error', 'not-found'] as const)(
    'a job ended Canceled that fail-on ignores is named on the %s path too',
    outcome => {
      const views = [view(JOB_A, 'Canceled'), view(JOB_B, 'Processing', { missingPolls: 0 })]
      const v = verdict(
        waitResult(outcome, views, { error: new Error('Media Services denied access (403)') }),
        SIX_HOURS
      )
      expect(v.ok).toBe(false)
      expect(v.message).toMatch(
        new RegExp(`\\. Ignored by fail-on: ${label(JOB_A).replace(/[()]/g, '\\$&')} ended Canceled\\.$`)
      )
    }
  )

  it('a failure names only the fail-on jobs as failed, and the others that ended badly as ignored', () => {
    const views = [view(JOB_A, 'Canceled'), view(JOB_B, 'Error')]
    const v = verdict(waitResult('failure', views, { failed: [views[1]] }), SIX_HOURS)
    expect(v.message).toMatch(new RegExp(`^${label(JOB_B).replace(/[()]/g, '\\$&')} ended Error`))
    expect(v.message).toMatch(/\. Ignored by fail-on: .* ended Canceled\.$/)
  })

  it('a cancel with several jobs names the open ones with their states', () => {
    const views = [view(JOB_A, 'Finished'), view(JOB_B, 'Processing')]
    expect(verdict(waitResult('canceled', views), SIX_HOURS).message).toBe(
      `The wait was canceled after 2m 05s, waiting for ${label(JOB_B)} (Processing).`
    )
  })

  it('a timeout says how long the wait really took, and the timeout when that differs', () => {
    const timedOut = (elapsedMs: number) =>
      verdict(waitResult('timeout', [view(JOB_A, 'Processing')], { elapsedMs }), 3_000).message
    expect(timedOut(3_020)).toMatch(/^timed out after 3s waiting for/)
    // A last poll that hung until the hard stop: the step took 8 s, not 3.
    expect(timedOut(8_010)).toMatch(/^timed out after 8s \(timeout 3s\) waiting for/)
  })

  it('a cancel says the wait was canceled', () => {
    expect(verdict(waitResult('canceled', [view(JOB_A, 'Queued')]), SIX_HOURS)).toEqual({
      ok: false,
      title: 'Wait canceled',
      message: 'The wait was canceled after 2m 05s; last state Queued.'
    })
  })

  it('an error passes its message on, under a title that says something failed', () => {
    const v = verdict(
      waitResult('error', [view(JOB_A)], { error: new Error('Media Services denied access (403)') }),
      SIX_HOURS
    )
    expect(v).toEqual({
      ok: false,
      title: expect.stringMatching(/failed/),
      message: 'Media Services denied access (403)'
    })
  })
})

describe('the title of a failed request comes from who failed, not from the wording', () => {
  const MKIO: JobsOrigin = { service: 'api.mk.io', input: 'job-url' }
  const titled = (error: Error, origin?: JobsOrigin): string =>
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

describe('verdict and summary of jobs on a v3-shaped service name that service', () => {
  const ARM: JobsOrigin = { service: 'Azure Resource Manager', input: 'job-url' }
  const MKIO: JobsOrigin = { service: 'api.mk.io', input: 'job-url' }
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

  it('a job not found: that service did not return it; only job-url is named', () => {
    const v = verdict(waitResult('not-found', [view(URL_A, undefined, { missingPolls: 3 })]), SIX_HOURS, MKIO)
    expect(v.title).toBe('Job on api.mk.io not found')
    expect(v.message).toMatch(/not found: api\.mk\.io did not return it in 13 polls\. Check job-url/)
    expect(v.message).not.toMatch(/job-id|api-url|Media Services/)
  })

  it('the summary heading', () => {
    const result = waitResult('success', [view(URL_A, 'Finished')])
    expect(summaryMarkdown(result, { ok: true, message: 'ok' }, MKIO).split('\n')[0]).toBe(
      '### ✅ Job on api.mk.io'
    )
    expect(summaryMarkdown(result, { ok: true, message: 'ok' }, ARM).split('\n')[0]).toBe(
      '### ✅ Job on Azure Resource Manager'
    )
  })
})

describe('summaryMarkdown: the step summary', () => {
  it('has the verdict and one table row per job with its state marker', () => {
    const result = waitResult('failure', [
      finishedA(),
      view(JOB_B, 'Error', { errorDetails: [{ code: 'ErrorProcessingTask', message: 'no video track' }] }),
      view(JOB_C, undefined, { missingPolls: 3 })
    ])
    const md = summaryMarkdown(result, { ok: false, message: 'it failed' })
    const lines = md.split('\n')
    expect(lines[0]).toBe('### ❌ Media Services jobs')
    expect(lines).toContain('it failed')
    expect(lines).toContain('| Job | Name | State | Progress | Start (UTC) | End (UTC) | Duration | Error |')
    expect(lines).toContain(
      `| \`${JOB_A}\` | trailer | ✅ Finished | 100% | 2024-05-01T12:00:05.000Z | 2024-05-01T12:02:05.000Z | 2m 00s |  |`
    )
    expect(lines).toContain(
      `| \`${JOB_B}\` | encode trailer | ❌ Error |  |  |  |  | ErrorProcessingTask\\: no video track |`
    )
    expect(lines).toContain(`| \`${JOB_C}\` |  | ❓ Not found |  |  |  |  |  |`)
    expect(lines.filter(l => l.startsWith('| `'))).toHaveLength(3)
  })

  it('escapes | and new lines in names, errors and the verdict so the table holds', () => {
    const result = waitResult('success', [
      view(
        JOB_A,
        'Finished',
        { errorDetails: [{ code: 'X', message: 'a|b\nc' }] },
        { name: 'promo | cut\n2' }
      )
    ])
    const md = summaryMarkdown(result, { ok: true, message: 'done | ok' })
    expect(md).toContain('### ✅ Media Services job\n')
    expect(md).toContain('done \\| ok')
    expect(md).toContain('| promo \\| cut 2 |')
    expect(md).toContain('| X\\: a\\|b c |')
  })

  it('a | in a job id is escaped inside its code span, so the row keeps its 8 cells', () => {
    const id = 'https://mkio.example/api/ams/s/transforms/t/jobs/a|b'
    const md = summaryMarkdown(waitResult('success', [view(id, 'Finished')]), { ok: true, message: 'ok' })
    const row = md.split('\n').find(l => l.includes('jobs/a'))!
    expect(row).toContain('| `https://mkio.example/api/ams/s/transforms/t/jobs/a\\|b` |')
    // GitHub splits a row on every | that has no backslash before it, in code spans too.
    expect(row.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(8)
  })

  it('a backtick in a job id cannot close its code span', () => {
    expect(codeCell('a`b')).toBe('``a`b``')
    expect(codeCell('`a')).toBe('`` `a ``')
  })

  it('a job still Processing shows its progress and a duration from RunningDuration', () => {
    const md = summaryMarkdown(
      waitResult('timeout', [
        view(JOB_A, 'Processing', { progress: 42.25 }, { startTime: at('12:00:00'), runningDuration: 90_000 })
      ]),
      { ok: false, message: 'timed out' }
    )
    expect(md).toContain('| ⏳ Processing | 42.3% | 2024-05-01T12:00:00.000Z |  | 1m 30s |')
  })
})
