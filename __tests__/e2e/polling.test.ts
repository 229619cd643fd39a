/**
 * The polling input, end to end: predictive polling is on by default and sees a job end; `polling: fixed`
 * restores a poll (and a task read) every poll-interval. The bounds are proven in schedule.test.ts; the
 * speed is measured by bench/polling.js. Here: only generous bounds.
 */
import { describe, expect, it } from '@jest/globals'
import { emulatorToken, useEmulator } from './emulators.js'
import { runAction, secretInputs } from './harness.js'

const emu = useEmulator()

const forJob = (id: string) => {
  const mine = emu.requests.filter(
    r => (r.server === 'account' || r.server === 'global') && r.decodedPath.includes(id)
  )
  return {
    jobsQueries: mine.filter(r => /\/Jobs\(\)\?/.test(r.decodedPath)).length,
    taskReads: mine.filter(r => /\/Tasks/.test(r.decodedPath)).length
  }
}

describe('polling', () => {
  it('is predictive by default: it sees a job end, reading its tasks less often than it polls', async () => {
    const id = emu.addJob({
      name: 'encode',
      timeline: [{ state: 'Queued', ms: 1500 }, { state: 'Processing', ms: 8000 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, 'poll-interval': '2s' } })
    const seenAfter = Date.now() - emu.job(id).endTime!

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs.state).toBe('Finished')
    expect(run.lines.join('\n')).toContain('"encode": Processing -> Finished')
    // Within one poll-interval of the end, with headroom for a loaded machine.
    expect(seenAfter).toBeLessThan(2000 + 3000)
    const { jobsQueries, taskReads } = forJob(id)
    expect(taskReads).toBeGreaterThanOrEqual(1)
    expect(taskReads).toBeLessThan(jobsQueries)
  })

  it('polling: fixed is accepted, and reads the tasks at every poll while the job is Processing', async () => {
    const id = emu.addJob({
      timeline: [{ state: 'Processing', polls: 3, progress: 30 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, polling: 'fixed' } })

    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    expect(forJob(id)).toEqual({ jobsQueries: 4, taskReads: 3 })
  })

  it('an unknown policy is refused before any request, naming the input and its values', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, polling: 'smart' } })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^::error title=Invalid input::Input polling: 'smart'.*predictive.*fixed/)
    expect(emu.requests).toHaveLength(0)
  })
})

/** When the Jobs queries for a job reached the emulator (ms since the first). */
const pollTimes = (id: string): number[] => {
  const at = emu.requests
    .filter(r => r.server === 'account' && /\/Jobs\(\)\?/.test(r.decodedPath) && r.decodedPath.includes(id))
    .map(r => r.at)
  return at.map(t => t - at[0])
}

describe('the wait lasts until timeout, its last poll at the deadline (issue #14)', () => {
  it('poll-interval 1s, timeout 3s, a job that stays Processing: polls until 3 s and says how long it waited', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', progress: 0 }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, 'poll-interval': '1', timeout: '3' }
    })
    const at = pollTimes(id)

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/::timed out after 3s waiting for/)
    // The first poll also signs in; the last starts at the deadline, not a poll-interval before it.
    expect(at.at(-1)).toBeGreaterThan(2_700)
    // And none after it: one poll a tick at most (0, 1, 2 and the deadline at 3 s), counted rather than timed.
    expect(at.length).toBeLessThanOrEqual(4)
  })

  it.each(['predictive', 'fixed'])(
    '%s: poll-interval 2s, timeout 5s, a job that ends 4.5 s into the wait is seen by the poll at 5 s',
    async polling => {
      // 4.5 s after the first Jobs query: after the poll at 4 s, before the one at the deadline. A given token,
      // so that no sign-in (slow on a loaded machine) stands between the wait's start and that query.
      const token = await emulatorToken(emu)
      const { 'tenant-id': _t, 'client-id': _c, 'client-secret': _s, ...noSignIn } = secretInputs(emu)
      const id = emu.addJob({
        clockFromFirstPoll: true,
        timeline: [{ state: 'Processing', ms: 4_500, progress: 0 }, { state: 'Finished' }]
      })
      const run = await runAction({
        inputs: {
          ...noSignIn,
          'access-token': token,
          'job-id': id,
          'poll-interval': '2',
          timeout: '5',
          polling
        }
      })

      expect(run.errors).toEqual([])
      expect(run.code).toBe(0)
      expect(run.outputs.state).toBe('Finished')
      expect(run.lines.join('\n')).toContain('Processing -> Finished')
      expect(pollTimes(id).at(-1)).toBeGreaterThanOrEqual(4_500)
    }
  )
})
