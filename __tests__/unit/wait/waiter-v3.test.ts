/** Jobs that carry their own progress and errors (v3): the waiter and the report use them, no task read. */
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, expect, it } from '@jest/globals'
import { waitForJobs } from '../../../src/wait/waiter.js'
import { withSource } from '../../../__fixtures__/wait.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import type { Job, JobState } from '../../../src/jobs/model.js'
import { V3_POLL_COST } from '../../../src/jobs/v3/client.js'
import { outputs } from '../../../src/report/outputs.js'
import { verdict } from '../../../src/report/verdict.js'

const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/a/transforms/t/jobs/j'

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
    expect(verdict(result, 60_000, V2_ORIGIN).message).toContain('ContentMalformed: hd: moov atom not found')
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
