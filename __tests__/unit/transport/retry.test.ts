import { getEventListeners } from 'node:events'
import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { AbortedError, OutOfTime, ServiceError, UserError } from '../../../src/errors.js'
import {
  backoffDelay,
  DEFAULT_RETRY,
  type RetryPolicy,
  sleep,
  withRetries
} from '../../../src/transport/retry.js'
import { fakeClock } from '../../../__fixtures__/clock.js'

const policy: RetryPolicy = { minDelayMs: 1000, maxDelayMs: 30_000 }
const busy = (retryAfterMs?: number): ServiceError =>
  new ServiceError('busy (503)', { status: 503, requestId: 'req-1', transient: true, retryAfterMs })

describe('backoffDelay: exponential with equal jitter, never sooner than Retry-After', () => {
  it('doubles with each attempt, between half and all of the step', () => {
    expect([1, 2, 3, 4].map(n => backoffDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000])
    expect([1, 2, 3, 4].map(n => backoffDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000])
  })

  it('stops growing at the maximum', () => {
    expect(backoffDelay(10, policy, () => 1)).toBe(30_000)
    expect(backoffDelay(10_000, policy, () => 1)).toBe(30_000)
  })

  it('waits at least as long as Retry-After says, even beyond the maximum', () => {
    expect(backoffDelay(1, policy, () => 0, 2000)).toBe(2000)
    expect(backoffDelay(1, policy, () => 1, 120_000)).toBe(120_000)
  })

  it('for any attempt, jitter and Retry-After: within bounds (property-based)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
        (attempt, r, retryAfter) => {
          const d = backoffDelay(attempt, DEFAULT_RETRY, () => r, retryAfter)
          expect(Number.isInteger(d)).toBe(true)
          expect(d).toBeGreaterThanOrEqual(retryAfter ?? 0)
          expect(d).toBeGreaterThan(0)
          if (retryAfter === undefined || retryAfter <= DEFAULT_RETRY.maxDelayMs) {
            expect(d).toBeLessThanOrEqual(DEFAULT_RETRY.maxDelayMs)
          }
          const step = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.minDelayMs * 2 ** (attempt - 1))
          expect(d).toBeGreaterThanOrEqual(step / 2)
        }
      )
    )
  })
})

describe('withRetries', () => {
  it('gives the first success after transient failures, waiting between tries', async () => {
    const clock = fakeClock()
    const failures = [busy(), busy()]
    let tries = 0
    const retries: number[] = []
    const value = await withRetries(
      async () => {
        tries++
        const f = failures.shift()
        if (f) throw f
        return 'ok'
      },
      {
        retryUntil: clock.now() + 60_000,
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
        onRetry: (_e, delay, attempt) => retries.push(attempt * 100_000 + delay)
      }
    )
    expect(value).toBe('ok')
    expect(tries).toBe(3)
    expect(clock.sleeps).toEqual([750, 1500])
    expect(retries).toEqual([100_750, 201_500])
  })

  it('does not retry an error the user must fix, or a service error that is not transient', async () => {
    const clock = fakeClock()
    for (const error of [
      new UserError('fix your input'),
      new ServiceError('not found', { status: 404 }),
      new Error('bug')
    ]) {
      let tries = 0
      const attempt = async (): Promise<never> => {
        tries++
        throw error
      }
      await expect(
        withRetries(attempt, { retryUntil: clock.now() + 60_000, now: clock.now, sleep: clock.sleep })
      ).rejects.toBe(error)
      expect(tries).toBe(1)
    }
    expect(clock.sleeps).toEqual([])
  })

  it('gives up when the next wait would pass the deadline, saying how many tries it made', async () => {
    const clock = fakeClock()
    const start = clock.now()
    const error = await withRetries(
      async () => {
        throw busy()
      },
      { retryUntil: start + 5000, now: clock.now, sleep: clock.sleep, random: () => 0.5 }
    ).catch((e: unknown) => e)
    // 750 + 1500 ms waited; the third wait (3000 ms) would end after the deadline.
    expect(clock.sleeps).toEqual([750, 1500])
    // Out of time, not refused: the waiter waits out what is left of the wait.
    expect(error).toBeInstanceOf(OutOfTime)
    expect((error as ServiceError).message).toBe(
      'busy (503) (gave up after 3 tries: the next retry would pass the timeout)'
    )
    expect((error as ServiceError).transient).toBe(false)
    expect((error as ServiceError).requestId).toBe('req-1')
    expect((error as ServiceError).status).toBe(503)
  })

  it('says "1 try" when even the first wait would pass the deadline, and does not wait', async () => {
    const clock = fakeClock()
    await expect(
      withRetries(
        async () => {
          throw busy(10_000)
        },
        { retryUntil: clock.now() + 5000, now: clock.now, sleep: clock.sleep }
      )
    ).rejects.toThrow('gave up after 1 try:')
    expect(clock.sleeps).toEqual([])
  })

  it('honours Retry-After and passes the abort signal to sleep', async () => {
    const controller = new AbortController()
    const signals: (AbortSignal | undefined)[] = []
    const clock = fakeClock()
    let first = true
    await withRetries(
      async () => {
        if (first) {
          first = false
          throw busy(7000)
        }
      },
      {
        retryUntil: clock.now() + 60_000,
        now: clock.now,
        sleep: async (ms, signal) => {
          signals.push(signal)
          await clock.sleep(ms)
        },
        signal: controller.signal,
        random: () => 0
      }
    )
    expect(clock.sleeps).toEqual([7000])
    expect(signals).toEqual([controller.signal])
  })

  describe('a cancel stops the retries at once', () => {
    it('makes no attempt when the runner canceled before the first', async () => {
      const clock = fakeClock()
      const controller = new AbortController()
      controller.abort('canceled')
      let tries = 0
      const error = await withRetries(
        async () => {
          tries++
          return 'ok'
        },
        { retryUntil: clock.now() + 60_000, now: clock.now, sleep: clock.sleep, signal: controller.signal }
      ).catch((e: unknown) => e)
      expect(error).toEqual(new AbortedError('canceled'))
      expect(tries).toBe(0)
    })

    it('makes no further attempt when the cancel came during the wait between tries', async () => {
      const clock = fakeClock()
      const controller = new AbortController()
      let tries = 0
      const error = await withRetries(
        async () => {
          tries++
          throw busy()
        },
        {
          retryUntil: clock.now() + 60_000,
          now: clock.now,
          // The runtime's sleep wakes on the abort: the cancel arrives while waiting.
          sleep: async ms => {
            await clock.sleep(ms)
            controller.abort('canceled')
          },
          signal: controller.signal,
          random: () => 0.5
        }
      ).catch((e: unknown) => e)
      expect(error).toEqual(new AbortedError('canceled'))
      expect(tries).toBe(1)
      expect(clock.sleeps).toEqual([750])
    })

    it('reports the cancel, not the failure it caused, when the attempt fails because of it', async () => {
      const clock = fakeClock()
      const controller = new AbortController()
      const error = await withRetries(
        async () => {
          controller.abort('timeout')
          throw busy()
        },
        { retryUntil: clock.now() + 60_000, now: clock.now, sleep: clock.sleep, signal: controller.signal }
      ).catch((e: unknown) => e)
      expect(error).toEqual(new AbortedError('timeout'))
      expect(clock.sleeps).toEqual([])
    })
  })
})

describe('sleep: the wait between polls and tries', () => {
  it('wakes at once when the runner cancels during it', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const waiting = sleep(60_000, controller.signal)
    setTimeout(() => controller.abort('canceled'), 10)
    await waiting
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('does not wait at all when the cancel came before it', async () => {
    const controller = new AbortController()
    controller.abort('canceled')
    const started = Date.now()
    await sleep(60_000, controller.signal)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('leaves no listener on the signal, whether the time ran out or a cancel woke it', async () => {
    // One signal serves the whole wait: a listener left per sleep would pile up over thousands of polls.
    const controller = new AbortController()
    for (let i = 0; i < 3; i++) await sleep(1, controller.signal)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    const waiting = sleep(60_000, controller.signal)
    controller.abort('canceled')
    await waiting
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('waits the time asked without a cancel', async () => {
    const started = Date.now()
    await sleep(30)
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
  })
})
