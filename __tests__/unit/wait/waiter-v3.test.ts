/** Jobs that carry their own progress and errors (v3): the waiter and the report use them, no task read. */
import { describe, expect, it } from '@jest/globals'
import { outputs, verdict } from '../../../src/report/report.js'
import { waitForJobs } from '../../../src/wait/waiter.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import type { Job, JobState } from '../../../src/jobs/model.js'
import { V3_POLL_COST } from '../../../src/jobs/v3/source.js'

const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/a/transforms/t/jobs/j'

function v3Job(state: JobState, progress?: number, errors: Job['errorDetails'] = []): Job {
  return { id: ID, name: 'j', state, runningDuration: 0, progress, errorDetails: errors }
}

async function waitThrough(answers: Job[]) {
  const clock = fakeClock()
  let n = 0
  const seen: (number | undefined)[] = []
  const result = await waitForJobs({
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
    expect(verdict(result, 60_000).message).toContain('ContentMalformed: hd: moov atom not found')
  })
})
