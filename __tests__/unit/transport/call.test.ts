/** Per-call limits (call.ts): retryUntil or an explicit retry: false, and within(), the one way a budget is made. */
import { describe, expect, it } from '@jest/globals'
import { retryUntilOf, within } from '../../../src/transport/call.js'
import { abortedBy, isTimeout } from '../../../src/errors.js'

describe('retryUntilOf', () => {
  it('is the call’s retryUntil, and for retry: false a time that has always passed', () => {
    expect(retryUntilOf({ retryUntil: 1234 })).toBe(1234)
    expect(retryUntilOf({ retry: false, endBy: 99 })).toBe(-Infinity)
  })
})

describe('within: a budget of ms from now', () => {
  it('ends its retries and its exchanges at now + ms, on the clock it is given', () => {
    const budget = within(5_000, () => 1_000_000)
    expect(budget.retryUntil).toBe(1_005_000)
    expect(budget.endBy).toBe(1_005_000)
    expect(budget.signal.aborted).toBe(false)
  })

  it('aborts at its end as a timeout', async () => {
    const { signal } = within(20, Date.now)
    await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }))
    expect(isTimeout(signal.reason)).toBe(true)
    expect(abortedBy(signal).reason).toBe('timeout')
  })

  it('aborts with its parent, as a cancel, long before its end', () => {
    const parent = new AbortController()
    const { signal } = within(60_000, Date.now, parent.signal)
    parent.abort('canceled')
    expect(signal.aborted).toBe(true)
    expect(abortedBy(signal).reason).toBe('canceled')
  })
})
