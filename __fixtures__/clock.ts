/** A clock that only moves when the code under test sleeps: waits take no real time. */
export interface FakeClock {
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Every delay asked for, in order. */
  readonly sleeps: number[]
  advance: (ms: number) => void
}

export const START = Date.UTC(2024, 4, 1, 12, 0, 0)

export function fakeClock(start = START, onSleep?: (ms: number, sleepIndex: number) => void): FakeClock {
  let t = start
  const sleeps: number[] = []
  return {
    now: () => t,
    sleeps,
    advance: ms => {
      t += ms
    },
    sleep: async ms => {
      sleeps.push(ms)
      t += ms
      onSleep?.(ms, sleeps.length - 1)
    }
  }
}

/**
 * A fake clock whose timers wake `late(i)` ms late on the i-th sleep, as real timers do. Negative: early
 * by the wall clock, as Node's may be by a millisecond; a sleep of 1 ms or more still moves it 1 ms.
 */
export function driftingClock(late: (sleepIndex: number) => number, start = START): FakeClock {
  const clock: FakeClock = fakeClock(start, (ms, i) =>
    clock.advance(ms > 0 ? Math.max(1 - ms, late(i)) : Math.max(0, late(i)))
  )
  return clock
}
