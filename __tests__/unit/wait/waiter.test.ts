import { describe, it, expect } from '@jest/globals'
import {
  AbortedError,
  ENTRA_ID,
  GITHUB_OIDC,
  jobService,
  OutOfTime,
  ServiceError,
  UserError
} from '../../../src/errors.js'
import {
  classify,
  ERROR_READS_PER_POLL,
  type JobView,
  NOT_FOUND_POLLS,
  waitForJobs
} from '../../../src/wait/waiter.js'
import { type FlatWaitOptions, withSource } from '../../../__fixtures__/wait.js'
import { driftingClock, fakeClock, type FakeClock, START } from '../../../__fixtures__/clock.js'
import { JOB_A, JOB_B, JOB_C } from '../../../__fixtures__/inputs.js'
import { job, view } from '../../../__fixtures__/jobs.js'
import type { ErrorDetail, Job, JobState } from '../../../src/jobs/model.js'
import { V2_POLL_COST } from '../../../src/jobs/v2/client.js'
import { TICK_SLACK_MS } from '../../../src/wait/schedule.js'
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { V3_POLL_COST } from '../../../src/jobs/v3/client.js'
import { outputs } from '../../../src/report/outputs.js'
import { verdict } from '../../../src/report/verdict.js'

const DEFAULT_FAIL_ON: ReadonlySet<JobState> = new Set<JobState>(['Error', 'Canceled'])

/**
 * The service as a script: poll n answers `polls[n]` (the last one repeats). A state map gives each
 * listed job that state; a job left out is not returned; an Error is thrown.
 */
function service(polls: (Record<string, JobState> | Error)[]) {
  const asked: string[][] = []
  const getJobs = async (ids: readonly string[]): Promise<Job[]> => {
    asked.push([...ids])
    const answer = polls[Math.min(asked.length - 1, polls.length - 1)]
    if (answer instanceof Error) throw answer
    return ids.filter(id => answer[id]).map(id => job(id, answer[id]))
  }
  return { getJobs, asked }
}

function tasks(progress: number | undefined, errorDetails: ErrorDetail[] = []) {
  const reads: string[] = []
  const readProgress = async (id: string) => {
    reads.push(id)
    return { progress, errorDetails }
  }
  return { readProgress, reads }
}

function wait(
  o: Partial<FlatWaitOptions> & Pick<FlatWaitOptions, 'ids' | 'getJobs'>,
  clock: FakeClock = fakeClock()
) {
  return waitForJobs(
    withSource({
      failOn: DEFAULT_FAIL_ON,
      policy: 'fixed',
      cost: V2_POLL_COST,
      intervalMs: 10_000,
      timeoutMs: 3_600_000,
      now: clock.now,
      sleep: clock.sleep,
      ...o
    })
  )
}

const state = (v: JobView): JobState | undefined => v.job?.state

describe('classify: one poll, judged', () => {
  it.each<[string, JobView[], ReadonlySet<JobState>, string]>([
    ['all Finished', [view(JOB_A, 'Finished'), view(JOB_B, 'Finished')], DEFAULT_FAIL_ON, 'success'],
    ['one still Processing', [view(JOB_A, 'Finished'), view(JOB_B, 'Processing')], DEFAULT_FAIL_ON, 'retry'],
    [
      'one Error while another runs',
      [view(JOB_A, 'Error'), view(JOB_B, 'Processing')],
      DEFAULT_FAIL_ON,
      'failure'
    ],
    ['Canceled', [view(JOB_A, 'Canceled')], DEFAULT_FAIL_ON, 'failure'],
    ['Canceling (not final yet)', [view(JOB_A, 'Canceling')], DEFAULT_FAIL_ON, 'retry'],
    ['Error with fail-on none', [view(JOB_A, 'Error')], new Set(), 'success'],
    ['Canceled with fail-on Error', [view(JOB_A, 'Canceled')], new Set(['Error']), 'success'],
    ['Finished with fail-on Finished', [view(JOB_A, 'Finished')], new Set(['Finished']), 'failure'],
    ['not returned twice', [view(JOB_A, undefined, { missingPolls: 2 })], DEFAULT_FAIL_ON, 'retry'],
    [
      `not returned ${NOT_FOUND_POLLS} times`,
      [view(JOB_A, undefined, { missingPolls: 3 })],
      DEFAULT_FAIL_ON,
      'not-found'
    ],
    [
      'not found beats a failure',
      [view(JOB_A, 'Error'), view(JOB_B, undefined, { missingPolls: 3 })],
      DEFAULT_FAIL_ON,
      'not-found'
    ]
  ])('%s: %s', (_scenario, views, failOn, status) => {
    expect(classify(views, failOn).status).toBe(status)
  })

  it('names the failed and the missing jobs', () => {
    const a = view(JOB_A, 'Error')
    const b = view(JOB_B, 'Processing')
    expect(classify([a, b], DEFAULT_FAIL_ON)).toEqual({ status: 'failure', failed: [a] })
    const c = view(JOB_C, undefined, { missingPolls: 5 })
    expect(classify([a, c], DEFAULT_FAIL_ON)).toEqual({ status: 'not-found', missing: [c] })
  })
})

describe('waitForJobs', () => {
  it('onPoll is given the time since the wait started, taken after the poll and its task reads', async () => {
    const clock = fakeClock()
    const { getJobs: answer } = service([{ [JOB_A]: 'Processing' }, { [JOB_A]: 'Finished' }])
    // Each poll takes 250 ms.
    const getJobs = async (ids: readonly string[]) => {
      clock.advance(250)
      return answer(ids)
    }
    const elapsed: number[] = []
    await wait({ ids: [JOB_A], getJobs, onPoll: (_views, ms) => elapsed.push(ms) }, clock)
    expect(elapsed).toEqual([250, 10_250])
  })

  it('Queued -> Processing -> Finished: success after three polls, one interval apart', async () => {
    const clock = fakeClock()
    const { getJobs } = service([{ [JOB_A]: 'Queued' }, { [JOB_A]: 'Processing' }, { [JOB_A]: 'Finished' }])
    const seen: (JobState | undefined)[] = []
    const result = await wait({ ids: [JOB_A], getJobs, onPoll: views => seen.push(state(views[0])) }, clock)
    expect(result.outcome).toBe('success')
    expect(result.polls).toBe(3)
    expect(seen).toEqual(['Queued', 'Processing', 'Finished'])
    expect(clock.sleeps).toEqual([10_000, 10_000])
    expect(result.elapsedMs).toBe(20_000)
    expect(result.views[0].progress).toBe(100)
  })

  it('keeps when each state was first seen and when the job was last seen, for the timeline', async () => {
    const clock = fakeClock()
    const { getJobs } = service([
      { [JOB_A]: 'Queued', [JOB_B]: 'Queued' },
      { [JOB_A]: 'Queued', [JOB_B]: 'Processing' },
      { [JOB_A]: 'Processing' },
      { [JOB_A]: 'Processing', [JOB_B]: 'Processing' }
    ])
    const result = await wait({ ids: [JOB_A, JOB_B], getJobs, timeoutMs: 30_000 }, clock)
    expect(result.outcome).toBe('timeout')
    const [a, b] = result.views
    expect(a.firstSeen).toEqual({ Queued: START, Processing: START + 20_000 })
    expect(a.lastSeen).toBe(START + 30_000)
    // A poll that did not return B leaves what was seen of it.
    expect(b.firstSeen).toEqual({ Queued: START, Processing: START + 10_000 })
    expect(b.lastSeen).toBe(START + 30_000)
  })

  it('a job in Error fails the wait at once, with the error details read from its tasks and no pace', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Queued' }, { [JOB_A]: 'Error' }])
    const details = [{ code: 'ErrorProcessingTask', message: 'The input has no video track' }]
    const { readProgress, reads } = tasks(100, details)
    const result = await wait({ ids: [JOB_A], getJobs, readProgress })
    expect(result.outcome).toBe('failure')
    expect(result.polls).toBe(2)
    expect(reads).toEqual([JOB_A])
    expect(result.views[0].errorDetails).toEqual(details)
    // A pace is progress while Processing: the read of a failed job's tasks starts none.
    expect(result.views[0].pace).toBeUndefined()
  })

  it('a job that was Processing and then ends in Error still gets its error details', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Processing' }, { [JOB_A]: 'Error' }])
    const details = [{ code: 'ErrorExecutingTaskUnsupportedFormat', message: 'Unsupported format' }]
    let read = 0
    const readProgress = async () =>
      ++read === 1 ? { progress: 40, errorDetails: [] } : { progress: 40, errorDetails: details }
    const result = await wait({ ids: [JOB_A], getJobs, readProgress })
    expect(result.outcome).toBe('failure')
    expect(result.views[0].errorDetails).toEqual(details)
  })

  it('with fail-on none, a task read that failed for a job in Error is asked for again at the next poll', async () => {
    const { getJobs } = service([
      { [JOB_A]: 'Error', [JOB_B]: 'Processing' },
      { [JOB_A]: 'Error', [JOB_B]: 'Processing' },
      { [JOB_A]: 'Error', [JOB_B]: 'Finished' }
    ])
    const details = [{ code: 'ErrorProcessingTask', message: 'The input has no video track' }]
    const errorReads: string[] = []
    const readProgress = async (id: string) => {
      if (id !== JOB_A) return { progress: 50, errorDetails: [] }
      errorReads.push(id)
      if (errorReads.length === 1) throw new ServiceError('the Tasks answer was cut off', { transient: true })
      return { progress: 100, errorDetails: details }
    }
    const result = await wait({ ids: [JOB_A, JOB_B], getJobs, readProgress, failOn: new Set() })
    expect(result.outcome).toBe('success')
    expect(errorReads).toEqual([JOB_A, JOB_A])
    expect(result.views[0].errorDetails).toEqual(details)
  })

  it('a Canceled job fails the wait', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Canceling' }, { [JOB_A]: 'Canceled' }])
    const result = await wait({ ids: [JOB_A], getJobs })
    expect(result.outcome).toBe('failure')
    expect(state(result.views[0])).toBe('Canceled')
  })

  it('with fail-on none, a job in Error ends the wait successfully', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Error' }])
    const result = await wait({ ids: [JOB_A], getJobs, failOn: new Set() })
    expect(result.outcome).toBe('success')
  })

  it('several jobs: the wait goes on while one is Processing, and finished jobs are not asked for again', async () => {
    const { getJobs, asked } = service([
      { [JOB_A]: 'Finished', [JOB_B]: 'Processing' },
      { [JOB_B]: 'Processing' },
      { [JOB_B]: 'Finished' }
    ])
    const result = await wait({ ids: [JOB_A, JOB_B], getJobs })
    expect(result.outcome).toBe('success')
    expect(asked).toEqual([[JOB_A, JOB_B], [JOB_B], [JOB_B]])
    expect(result.views.map(state)).toEqual(['Finished', 'Finished'])
  })

  it(`a job never returned is not found after ${NOT_FOUND_POLLS} polls`, async () => {
    const { getJobs } = service([{ [JOB_B]: 'Processing' }])
    const result = await wait({ ids: [JOB_A, JOB_B], getJobs })
    expect(result.outcome).toBe('not-found')
    expect(result.polls).toBe(NOT_FOUND_POLLS)
    expect(result.views[0]).toMatchObject({ id: JOB_A, missingPolls: NOT_FOUND_POLLS })
    expect(result.views[0].job).toBeUndefined()
  })

  it('a job that shows up after a poll or two (just created) is waited for', async () => {
    const { getJobs } = service([{}, {}, { [JOB_A]: 'Queued' }, { [JOB_A]: 'Finished' }])
    const result = await wait({ ids: [JOB_A], getJobs })
    expect(result.outcome).toBe('success')
    expect(result.views[0].missingPolls).toBe(0)
  })

  it('a job seen once and then missing from the answers is not called not found: the wait goes on with its last state', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Processing' }, {}])
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 60_000 })
    expect(result.outcome).toBe('timeout')
    expect(result.polls).toBeGreaterThan(NOT_FOUND_POLLS)
    expect(state(result.views[0])).toBe('Processing')
  })

  it('ids are matched exactly: the job source makes them canonical (job.ts), the waiter has no case rule', async () => {
    const getJobs = async (): Promise<Job[]> => [job(JOB_A.toUpperCase(), 'Finished')]
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 30_000 })
    expect(result.outcome).toBe('not-found')
  })

  it('a timeout ends the wait with the last state kept', async () => {
    const clock = fakeClock()
    const { getJobs } = service([{ [JOB_A]: 'Queued' }, { [JOB_A]: 'Processing' }])
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 30_000 }, clock)
    expect(result.outcome).toBe('timeout')
    expect(state(result.views[0])).toBe('Processing')
    expect(result.elapsedMs).toBe(30_000)
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000)
  })

  it('the last sleep is cut short to end at the timeout', async () => {
    const clock = fakeClock()
    const { getJobs } = service([{ [JOB_A]: 'Processing' }])
    await wait({ ids: [JOB_A], getJobs, timeoutMs: 25_000 }, clock)
    expect(clock.sleeps).toEqual([10_000, 10_000, 5_000])
  })

  it('polls once more at the deadline: a job that ended in the last interval is not reported as timed out', async () => {
    const clock = fakeClock()
    // poll-interval equal to timeout: one poll at the start, one at the deadline.
    const { getJobs, asked } = service([{ [JOB_A]: 'Processing' }, { [JOB_A]: 'Finished' }])
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 10_000, intervalMs: 10_000 }, clock)
    expect(result.outcome).toBe('success')
    expect(asked).toHaveLength(2)
    expect(clock.sleeps).toEqual([10_000])
  })

  it.each(['fixed', 'predictive'] as const)(
    '%s: with timers 5 ms late, poll-interval 2 s and timeout 5 s still poll at 5 s and see a job that ended at 4.6 s',
    async policy => {
      const clock = driftingClock(() => 5)
      const started = clock.now()
      const at: number[] = []
      const getJobs = async (ids: readonly string[]) => {
        at.push(clock.now() - started)
        return ids.map(id => job(id, clock.now() - started >= 4_600 ? 'Finished' : 'Processing'))
      }
      const result = await wait({ ids: [JOB_A], getJobs, policy, intervalMs: 2_000, timeoutMs: 5_000 }, clock)
      expect(result.outcome).toBe('success')
      // Polls at about 0, 2 and 4 s, and the last at the deadline (5 ms late, like the others).
      expect(at).toHaveLength(4)
      expect(at.at(-1)).toBe(5_005)
    }
  )

  it('with timers 5 ms late, poll-interval 1 s and timeout 3 s wait the whole 3 s, the last poll at the deadline', async () => {
    const clock = driftingClock(() => 5)
    const { getJobs, asked } = service([{ [JOB_A]: 'Processing' }])
    const result = await wait(
      { ids: [JOB_A], getJobs, policy: 'predictive', intervalMs: 1_000, timeoutMs: 3_000 },
      clock
    )
    expect(result.outcome).toBe('timeout')
    expect(result.elapsedMs).toBe(3_005)
    expect(asked).toHaveLength(4)
  })

  it('a timer that wakes 1 ms early does not start the last poll before the deadline (and poll twice)', async () => {
    const clock = driftingClock(() => -1)
    const { getJobs, asked } = service([{ [JOB_A]: 'Processing' }])
    const result = await wait({ ids: [JOB_A], getJobs, intervalMs: 2_000, timeoutMs: 5_000 }, clock)
    expect(result.outcome).toBe('timeout')
    expect(result.elapsedMs).toBeGreaterThanOrEqual(5_000)
    // 0, 2, 4 and the deadline.
    expect(asked).toHaveLength(4)
  })

  it('a timer that wakes early again when slept on still makes the poll it started the last one', async () => {
    // The sleep to the deadline wakes 2 ms early, and the sleep for the rest 1 ms early again.
    const clock = driftingClock(i => (i >= 2 ? -2 : 0))
    const { getJobs, asked } = service([{ [JOB_A]: 'Processing' }])
    const result = await wait({ ids: [JOB_A], getJobs, intervalMs: 2_000, timeoutMs: 5_000 }, clock)
    expect(result.outcome).toBe('timeout')
    expect(result.elapsedMs).toBe(4_999)
    // 0, 2, 4 and the one for the deadline.
    expect(asked).toHaveLength(4)
  })

  it('a last poll that fails at the deadline is a timeout that says what failed', async () => {
    const clock = fakeClock()
    const { getJobs } = service([
      { [JOB_A]: 'Processing' },
      new ServiceError('GET Jobs() answered busy (503)', { status: 503, requestId: 'rid-1', transient: true })
    ])
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 10_000, intervalMs: 10_000 }, clock)
    expect(result.outcome).toBe('timeout')
    expect(result.error?.message).toContain('busy (503)')
    expect(state(result.views[0])).toBe('Processing')
  })

  it('an outage in the last seconds (retries out of time) waits until the deadline and polls once more there', async () => {
    const clock = fakeClock()
    const outOfTime = new OutOfTime('GET Jobs() answered busy (503) (gave up after 2 tries: …)', {
      source: jobService('Media Services')
    })
    const { getJobs, asked } = service([{ [JOB_A]: 'Processing' }, outOfTime, { [JOB_A]: 'Finished' }])
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 30_000, intervalMs: 10_000 }, clock)
    // At 0 and 10 s (out of time), then at the deadline, 30 s: the job ended meanwhile.
    expect(asked).toHaveLength(3)
    expect(clock.now() - START).toBe(30_000)
    expect(result.outcome).toBe('success')
  })

  it('an outage in the last seconds that lasts: the wait ends at the deadline as timed out, with the last state', async () => {
    const clock = fakeClock()
    const outOfTime = new OutOfTime('GET Jobs() answered busy (503) (gave up after 2 tries: …)', {
      source: jobService('Media Services')
    })
    const { getJobs, asked } = service([{ [JOB_A]: 'Processing' }, outOfTime])
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 30_000, intervalMs: 10_000 }, clock)
    expect(asked).toHaveLength(3)
    expect(clock.now() - START).toBe(30_000)
    expect(result.outcome).toBe('timeout')
    expect(result.error).toBe(outOfTime)
    expect(state(result.views[0])).toBe('Processing')
  })

  it('a cancel from the runner during the sleep ends the wait as canceled', async () => {
    const controller = new AbortController()
    const clock = fakeClock(undefined, (_ms, i) => i === 1 && controller.abort('canceled'))
    const { getJobs } = service([{ [JOB_A]: 'Processing' }])
    const result = await wait({ ids: [JOB_A], getJobs, signal: controller.signal }, clock)
    expect(result.outcome).toBe('canceled')
    expect(result.polls).toBe(2)
    expect(state(result.views[0])).toBe('Processing')
  })

  it('the timeout signal during the sleep ends the wait as timeout, not canceled', async () => {
    const controller = new AbortController()
    const clock = fakeClock(undefined, (_ms, i) => i === 1 && controller.abort('timeout'))
    const { getJobs } = service([{ [JOB_A]: 'Processing' }])
    const result = await wait({ ids: [JOB_A], getJobs, signal: controller.signal }, clock)
    expect(result.outcome).toBe('timeout')
    expect(result.polls).toBe(2)
  })

  it('a cancel during a request ends the wait as canceled; the timeout signal as timeout', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Processing' }, new AbortedError('canceled')])
    expect((await wait({ ids: [JOB_A], getJobs })).outcome).toBe('canceled')
    const timedOut = service([new AbortedError('timeout')])
    expect((await wait({ ids: [JOB_A], getJobs: timedOut.getJobs })).outcome).toBe('timeout')
  })

  it('a service error before the deadline ends the wait as an error, not a timeout', async () => {
    const broken = new ServiceError('Media Services answered 500', { source: jobService('Media Services') })
    const { getJobs } = service([{ [JOB_A]: 'Processing' }, broken])
    const result = await wait({ ids: [JOB_A], getJobs })
    expect(result.outcome).toBe('error')
    expect(result.error).toBe(broken)
  })

  it('an error the user must fix ends the wait with that error', async () => {
    const denied = new UserError('Media Services denied access (403)')
    const { getJobs } = service([denied])
    const result = await wait({ ids: [JOB_A], getJobs })
    expect(result.outcome).toBe('error')
    expect(result.error).toBe(denied)
  })

  it.each([
    ['a sign-in that gave up', 'error', ENTRA_ID],
    ['GitHub OIDC that gave up', 'error', GITHUB_OIDC],
    ['the job service that gave up', 'timeout', jobService('Media Services')]
  ] as const)('%s at the deadline ends the wait as %s', async (_what, outcome, source) => {
    const clock = fakeClock()
    const gaveUp = new ServiceError('gave up after 4 tries', { source })
    // The request fails a moment after the deadline, as a retry that ran to the end does.
    const getJobs = async (): Promise<Job[]> => {
      await clock.sleep(60_001)
      throw gaveUp
    }
    const result = await wait({ ids: [JOB_A], getJobs, timeoutMs: 60_000 }, clock)
    expect(result.outcome).toBe(outcome)
    expect(result.error).toBe(gaveUp)
  })

  it('task reads per poll stay within progressReadsPerPoll and go round-robin over 10 Processing jobs', async () => {
    const ids = Array.from(
      { length: 10 },
      (_, i) => `nb:jid:UUID:00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`
    )
    const processing = Object.fromEntries(ids.map(id => [id, 'Processing' as JobState]))
    const { getJobs } = service([
      processing,
      processing,
      processing,
      processing,
      Object.fromEntries(ids.map(id => [id, 'Finished' as JobState]))
    ])
    const perPoll: string[][] = []
    const reads: string[] = []
    const readProgress = async (id: string) => {
      reads.push(id)
      return { progress: 50, errorDetails: [] }
    }
    const result = await wait({
      ids,
      getJobs,
      readProgress,
      progressReadsPerPoll: 3,
      onPoll: () => perPoll.push(reads.splice(0))
    })
    expect(result.outcome).toBe('success')
    expect(perPoll.map(p => p.length)).toEqual([3, 3, 3, 3, 0])
    expect(perPoll.slice(0, 4).flat()).toEqual([...ids, ids[0], ids[1]])
  })

  it("a poll that does not read a job's tasks keeps the progress read before", async () => {
    const { getJobs } = service([{ [JOB_A]: 'Processing', [JOB_B]: 'Processing' }])
    const readProgress = async (id: string) => ({ progress: id === JOB_A ? 40 : 60, errorDetails: [] })
    const seen: (number | undefined)[][] = []
    const clock = fakeClock()
    // One read a poll: A at the first, B at the second, which must leave A's 40 alone.
    await wait(
      {
        ids: [JOB_A, JOB_B],
        getJobs,
        readProgress,
        progressReadsPerPoll: 1,
        timeoutMs: 15_000,
        onPoll: views => seen.push(views.map(v => v.progress))
      },
      clock
    )
    expect(seen.slice(0, 2)).toEqual([
      [40, undefined],
      [40, 60]
    ])
  })

  it('by default at most 3 task reads are made per poll', async () => {
    const ids = [JOB_A, JOB_B, JOB_C, 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000d']
    const { getJobs } = service([
      Object.fromEntries(ids.map(id => [id, 'Processing' as JobState])),
      Object.fromEntries(ids.map(id => [id, 'Finished' as JobState]))
    ])
    const { readProgress, reads } = tasks(10)
    await wait({ ids, getJobs, readProgress })
    expect(reads).toHaveLength(3)
  })

  it('a failing task read does not end the wait', async () => {
    const { getJobs } = service([
      { [JOB_A]: 'Processing' },
      { [JOB_A]: 'Processing' },
      { [JOB_A]: 'Finished' }
    ])
    let reads = 0
    const readProgress = async () => {
      if (++reads === 1)
        throw new ServiceError('GET Tasks answered busy (503)', {
          status: 503,
          requestId: 'rid',
          transient: true
        })
      return { progress: 60, errorDetails: [] }
    }
    const progress: (number | undefined)[] = []
    const result = await wait({
      ids: [JOB_A],
      getJobs,
      readProgress,
      onPoll: v => progress.push(v[0].progress)
    })
    expect(result.outcome).toBe('success')
    expect(progress).toEqual([undefined, 60, 100])
  })

  it('a cancel during a task read ends the wait as canceled', async () => {
    const { getJobs } = service([{ [JOB_A]: 'Processing' }])
    const readProgress = async (): Promise<never> => {
      throw new AbortedError('canceled')
    }
    expect((await wait({ ids: [JOB_A], getJobs, readProgress })).outcome).toBe('canceled')
  })

  it('polls on a fixed-rate schedule: a slow poll does not push the next one back', async () => {
    const clock = fakeClock()
    const { getJobs } = service([
      { [JOB_A]: 'Processing' },
      { [JOB_A]: 'Processing' },
      { [JOB_A]: 'Finished' }
    ])
    const slow = async (ids: readonly string[]) => {
      clock.advance(700)
      return getJobs(ids)
    }
    const result = await wait({ ids: [JOB_A], getJobs: slow }, clock)
    expect(result.outcome).toBe('success')
    expect(clock.sleeps).toEqual([9_300, 9_300])
  })

  it(`when 200 jobs fail together, one poll reads the tasks of ${ERROR_READS_PER_POLL} of them, not 200 (issue 8)`, async () => {
    const ids = Array.from(
      { length: 200 },
      (_, i) => `nb:jid:UUID:1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`
    )
    const { getJobs } = service([
      Object.fromEntries(ids.map(id => [id, 'Processing' as JobState])),
      Object.fromEntries(ids.map(id => [id, 'Error' as JobState]))
    ])
    const perPoll: string[][] = []
    const { readProgress, reads } = tasks(50, [{ code: 'ErrorProcessingTask', message: 'failed' }])
    for (const policy of ['fixed', 'predictive'] as const) {
      perPoll.length = 0
      const result = await wait({
        ids,
        getJobs,
        readProgress,
        policy,
        onPoll: () => perPoll.push(reads.splice(0))
      })
      expect(result.outcome).toBe('failure')
      expect(result.failed).toHaveLength(200)
      expect(perPoll.at(-1)).toEqual(ids.slice(0, ERROR_READS_PER_POLL))
    }
  })

  it("predictive polling reads a job's tasks only when its predicted end needs it", async () => {
    const clock = fakeClock()
    // Processing from the first poll, 1% per second, by StartTime and by the task progress.
    const startTime = new Date(clock.now())
    let polls = 0
    const getJobs = async (ids: readonly string[]): Promise<Job[]> => {
      polls++
      const t = clock.now() - startTime.getTime()
      return ids.map(id => job(id, t >= 100_000 ? 'Finished' : 'Processing', { startTime }))
    }
    let reads = 0
    const readProgress = async () => {
      reads++
      return { progress: Math.floor((clock.now() - startTime.getTime()) / 1000), errorDetails: [] }
    }
    const result = await wait({ ids: [JOB_A], getJobs, readProgress, policy: 'predictive' }, clock)
    expect(result.outcome).toBe('success')
    // Every 10 s while Processing (never longer), a few more near the end; far fewer task reads than polls.
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(10_000)
    expect(polls).toBeGreaterThanOrEqual(11)
    expect(reads).toBeLessThanOrEqual(polls / 2)
    expect(result.elapsedMs - 100_000).toBeLessThanOrEqual(2_500)
  })

  it('where progress is read from the tasks, a progress in the Jobs answer is no sample: a job seen Processing is read at once', async () => {
    const getJobs = async (ids: readonly string[]) => ids.map(id => job(id, 'Processing', { progress: 30 }))
    const { readProgress, reads } = tasks(50)
    const perPoll: string[][] = []
    const result = await wait({
      ids: [JOB_A],
      getJobs,
      readProgress,
      policy: 'predictive',
      timeoutMs: 10_000,
      onPoll: () => perPoll.push(reads.splice(0))
    })
    expect(perPoll[0]).toEqual([JOB_A])
    expect(result.views[0].pace?.first.progress).toBe(50)
  })

  it.each([
    [
      TICK_SLACK_MS,
      'stands for its tick and earns what it sees: a job seen Processing there is read at once'
    ],
    [
      TICK_SLACK_MS + 1,
      'earned its tick at the jobs as seen before: a job seen Processing there is read later'
    ]
  ])('predictive: a poll whose timer fired %i ms late %s', async (late, _what) => {
    // The poll at the first tick is late by `late` ms; the job was Queued at the first poll.
    const clock = driftingClock(i => (i === 0 ? late : 0))
    const { getJobs } = service([{ [JOB_A]: 'Queued' }, { [JOB_A]: 'Processing' }])
    const { readProgress, reads } = tasks(10)
    const perPoll: string[][] = []
    await wait(
      {
        ids: [JOB_A],
        getJobs,
        readProgress,
        policy: 'predictive',
        timeoutMs: 60_000,
        onPoll: () => perPoll.push(reads.splice(0))
      },
      clock
    )
    expect(perPoll[1]).toEqual(late <= TICK_SLACK_MS ? [JOB_A] : [])
  })
})

/** Jobs that carry their own progress and errors (v3): the waiter and the report use them, no task read. */
describe('jobs that carry their own progress and errors (v3)', () => {
  const ID =
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/a/transforms/t/jobs/j'

  function v3Job(state: JobState, progress?: number, errors: Job['errorDetails'] = []): Job {
    return { id: ID, name: 'j', state, runningDuration: 0, progress, errorDetails: errors }
  }

  async function waitThrough(answers: Job[]) {
    const clock = fakeClock()
    let n = 0
    const seen: (number | undefined)[] = []
    const result = await waitForJobs(
      withSource({
        ids: [ID],
        getJobs: async () => [answers[Math.min(n++, answers.length - 1)]],
        failOn: new Set<JobState>(['Error', 'Canceled']),
        policy: 'predictive',
        cost: V3_POLL_COST,
        intervalMs: 1000,
        timeoutMs: 60_000,
        now: clock.now,
        sleep: clock.sleep,
        onPoll: views => seen.push(views[0].progress)
      })
    )
    return { result, seen }
  }

  describe('a job that reports progress and errors itself', () => {
    it('its progress is shown poll by poll, and 100 once it finished', async () => {
      const { result, seen } = await waitThrough([
        v3Job('Processing', 20),
        v3Job('Processing', 60),
        v3Job('Finished', 90)
      ])
      expect(seen).toEqual([20, 60, 100])
      expect(outputs(result).progress).toBe('100')
    })

    it('its errors reach the outputs and the verdict', async () => {
      const errors = [{ code: 'ContentMalformed', message: 'hd: moov atom not found' }]
      const { result } = await waitThrough([v3Job('Processing', 10), v3Job('Error', 40, errors)])
      expect(result.outcome).toBe('failure')
      expect(JSON.parse(outputs(result).jobs)[0].errors).toEqual(errors)
      expect(verdict(result, 60_000, V2_ORIGIN).message).toContain(
        'ContentMalformed: hd: moov atom not found'
      )
    })

    it('no task is read for its progress, even by fixed polling with a task reader given', async () => {
      const clock = fakeClock()
      const reads: string[] = []
      const result = await waitForJobs(
        withSource({
          ids: [ID],
          getJobs: async () => [v3Job('Processing', 40)],
          readProgress: async id => {
            reads.push(id)
            return { progress: 0, errorDetails: [] }
          },
          failOn: new Set<JobState>(['Error', 'Canceled']),
          policy: 'fixed',
          cost: V3_POLL_COST,
          intervalMs: 10_000,
          timeoutMs: 30_000,
          now: clock.now,
          sleep: clock.sleep
        })
      )
      expect(result.polls).toBe(4)
      expect(reads).toEqual([])
    })
  })

  describe('ids that differ only in case', () => {
    it('are two jobs, each given its own answer: the waiter matches ids exactly', async () => {
      const clip = 'https://mkio.example/api/ams/s/transforms/t/jobs/clip'
      const CLIP = 'https://mkio.example/api/ams/s/transforms/t/jobs/CLIP'
      const clock = fakeClock()
      const result = await waitForJobs(
        withSource({
          ids: [clip, CLIP],
          getJobs: async ids =>
            ids.map(id => ({ ...v3Job(id === clip ? 'Finished' : 'Error'), id, name: id.slice(-4) })),
          failOn: new Set<JobState>(['Error', 'Canceled']),
          policy: 'predictive',
          cost: V3_POLL_COST,
          intervalMs: 1000,
          timeoutMs: 60_000,
          now: clock.now,
          sleep: clock.sleep
        })
      )
      expect(result.outcome).toBe('failure')
      expect(result.views.map(v => [v.id, v.job?.state])).toEqual([
        [clip, 'Finished'],
        [CLIP, 'Error']
      ])
      expect(result.failed.map(v => v.id)).toEqual([CLIP])
    })
  })

  describe('progress in the job paces the prediction (predictive polling, no task read)', () => {
    it('each poll is a progress sample; a progress that went back starts a new pace', async () => {
      const clock = fakeClock()
      const answers = [20, 40, 10, 30].map(p => v3Job('Processing', p))
      let n = 0
      const paces: unknown[] = []
      const reads: string[] = []
      await waitForJobs(
        withSource({
          ids: [ID],
          getJobs: async () => [answers[n++] ?? v3Job('Finished', 100)],
          readProgress: async id => {
            reads.push(id)
            return { progress: 0, errorDetails: [] }
          },
          failOn: new Set<JobState>(['Error', 'Canceled']),
          policy: 'predictive',
          cost: V3_POLL_COST,
          intervalMs: 10_000,
          timeoutMs: 600_000,
          now: clock.now,
          sleep: clock.sleep,
          onPoll: (views, elapsed) =>
            paces.push({ elapsed, pace: views[0].pace, sampled: views[0].progressSampledAt })
        })
      )
      const t0 = clock.now() - (paces as { elapsed: number }[]).at(-1)!.elapsed
      const at = (i: number) => t0 + (paces as { elapsed: number }[])[i].elapsed
      expect(reads).toEqual([])
      expect(paces[1]).toMatchObject({
        pace: { first: { at: at(0), progress: 20 }, last: { at: at(1), progress: 40 } },
        sampled: at(1)
      })
      expect(paces[3]).toMatchObject({
        pace: { first: { at: at(2), progress: 10 }, last: { at: at(3), progress: 30 } }
      })
    })

    it('a steady job is seen soon after its end, not an interval later', async () => {
      // 5 points a second from the first poll: 100% at 20 s; poll-interval 8 s (ticks at 0, 8, 16, 24 s).
      const clock = fakeClock()
      const t0 = clock.now()
      const polls: number[] = []
      await waitForJobs(
        withSource({
          ids: [ID],
          getJobs: async () => {
            const t = clock.now() - t0
            polls.push(t)
            return [t >= 20_000 ? v3Job('Finished', 100) : v3Job('Processing', Math.floor(t / 200))]
          },
          failOn: new Set<JobState>(['Error', 'Canceled']),
          policy: 'predictive',
          cost: V3_POLL_COST,
          intervalMs: 8000,
          timeoutMs: 600_000,
          now: clock.now,
          sleep: clock.sleep
        })
      )
      expect(polls.at(-1)! - 20_000).toBeGreaterThanOrEqual(0)
      expect(polls.at(-1)! - 20_000).toBeLessThanOrEqual(800)
      // Fixed polling would make 4 polls (0, 8, 16, 24 s): one more at most.
      expect(polls.length).toBeLessThanOrEqual(5)
    })
  })
})
