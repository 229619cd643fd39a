/** The pace of a Processing job: the samples predictive polling extrapolates from. */
import { describe, expect, it } from '@jest/globals'
import { isOpen, nextPace } from '../../../src/wait/view.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { view } from '../../../__fixtures__/jobs.js'

describe('nextPace', () => {
  const first = { at: 0, progress: 10 }
  const last = { at: 10_000, progress: 50 }

  it('the first sample starts a pace, and its band; with a StartTime before it, an anchored band too', () => {
    expect(nextPace(undefined, last)).toMatchObject({ first: last, last, samples: 1, anchored: undefined })
    expect(nextPace(undefined, last).band).toBeDefined()
    expect(nextPace(undefined, last, -5_000).anchored).toBeDefined()
    // A StartTime after the sample (the service's clock ahead of ours) cannot be a sample of 0 %.
    expect(nextPace(undefined, last, 20_000).anchored).toBeUndefined()
  })

  it('samples of a steady pace keep the band; one that leaves it ends the band (the pace is not steady)', () => {
    const steady = [10, 20, 30].map((p, i) => ({ at: i * 10_000, progress: p }))
    const pace = steady.reduce<ReturnType<typeof nextPace> | undefined>(
      (pc, s) => nextPace(pc, s, -10_000),
      undefined
    )!
    expect(pace).toMatchObject({ samples: 3 })
    expect(pace.anchored).toBeDefined()
    // 31% after 10 more seconds: no line within half a point of every sample reaches it.
    const jumped = nextPace(pace, { at: 30_000, progress: 31 })
    expect(jumped).toMatchObject({ band: undefined, anchored: undefined, samples: undefined })
    // And it stays ended until the progress goes back (a new pace).
    expect(nextPace(jumped, { at: 40_000, progress: 41 }).band).toBeUndefined()
    expect(nextPace(jumped, { at: 40_000, progress: 5 }).band).toBeDefined()
  })

  it('a sample that kept or gained progress extends it from the same first sample', () => {
    const same = { at: 20_000, progress: 50 }
    expect(nextPace({ first, last }, same)).toEqual({ first, last: same })
    const more = { at: 20_000, progress: 70 }
    expect(nextPace({ first, last }, more)).toEqual({ first, last: more })
  })

  it('a task whose progress went back (restarted) starts a new pace', () => {
    const back = { at: 20_000, progress: 30 }
    expect(nextPace({ first, last }, back)).toMatchObject({ first: back, last: back, samples: 1 })
  })
})

describe('isOpen', () => {
  it('a job not yet seen, or not in a final state, is open', () => {
    expect(isOpen(view(JOB_A))).toBe(true)
    expect(isOpen(view(JOB_A, 'Canceling'))).toBe(true)
    expect(isOpen(view(JOB_A, 'Finished'))).toBe(false)
  })
})
