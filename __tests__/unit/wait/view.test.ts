/** The pace of a Processing job: the samples predictive polling extrapolates from. */
import { describe, expect, it } from '@jest/globals'
import { isOpen, nextPace } from '../../../src/wait/view.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { view } from '../../../__fixtures__/jobs.js'

describe('nextPace', () => {
  const first = { at: 0, progress: 10 }
  const last = { at: 10_000, progress: 50 }

  it('the first sample starts a pace', () => {
    expect(nextPace(undefined, last)).toEqual({ first: last, last })
  })

  it('a sample that kept or gained progress extends it from the same first sample', () => {
    const same = { at: 20_000, progress: 50 }
    expect(nextPace({ first, last }, same)).toEqual({ first, last: same })
    const more = { at: 20_000, progress: 70 }
    expect(nextPace({ first, last }, more)).toEqual({ first, last: more })
  })

  it('a task whose progress went back (restarted) starts a new pace', () => {
    const back = { at: 20_000, progress: 30 }
    expect(nextPace({ first, last }, back)).toEqual({ first: back, last: back })
  })
})

describe('isOpen', () => {
  it('a job not yet seen, or not in a final state, is open', () => {
    expect(isOpen(view(JOB_A))).toBe(true)
    expect(isOpen(view(JOB_A, 'Canceling'))).toBe(true)
    expect(isOpen(view(JOB_A, 'Finished'))).toBe(false)
  })
})
