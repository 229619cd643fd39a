import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  credit,
  fixedPollCost,
  jobsQueries,
  MIN_GAP_MS,
  NEW_BUDGET,
  nextPollAt,
  type NextPollInput,
  type PollingPolicy,
  predictEnd,
  progressReadsDue
} from '../../../src/wait/schedule.js'
import type { JobView } from '../../../src/wait/view.js'
import { V2_POLL_COST } from '../../../src/jobs/v2/client.js'
import { V3_POLL_COST } from '../../../src/jobs/v3/client.js'
import { START } from '../../../__fixtures__/clock.js'
import { JOB_A, JOB_B } from '../../../__fixtures__/inputs.js'
import { view } from '../../../__fixtures__/jobs.js'
import { type Shape, simId, type SimJob, simulate, type SimRun } from '../../../__fixtures__/world.js'
import type { JobState } from '../../../src/jobs/model.js'

const S = 1000
const v2 = { cost: V2_POLL_COST, progressReadsPerPoll: 3 }

/** A Processing job whose progress was `p1` at t1 and `p2` at t2 (seconds after START), started at s. */
function processing(id: string, samples: [number, number][], startedS?: number): JobView {
  const at = ([t, p]: [number, number]) => ({ at: START + t * S, progress: p })
  return view(
    id,
    'Processing',
    { pace: { first: at(samples[0]), last: at(samples[samples.length - 1]) }, progressSampledAt: START },
    startedS === undefined ? {} : { startTime: new Date(START + startedS * S) }
  )
}

function input(views: JobView[], extra: Partial<NextPollInput> = {}): NextPollInput {
  return {
    policy: 'predictive',
    views,
    now: START,
    started: START,
    lastPoll: START,
    deadline: START + 3_600_000,
    intervalMs: 10 * S,
    budget: { earned: 100, spent: 0, ticks: 1 },
    cost: V2_POLL_COST,
    progressReadsPerPoll: 3,
    ...extra
  }
}

describe('predictEnd: when a Processing job should end, by our clock', () => {
  it('from two samples 10+ points apart: 20% -> 60% in 40 s ends 40 s later', () => {
    const p = predictEnd(
      processing(JOB_A, [
        [0, 20],
        [40, 60]
      ])
    )
    expect(p).toEqual({ endAt: START + 80 * S, totalMs: 100 * S })
  })

  it("from the service's StartTime with one sample: 25% after 10 s ends 30 s later", () => {
    const p = predictEnd(processing(JOB_A, [[10, 25]], 0))
    expect(p).toEqual({ endAt: START + 40 * S, totalMs: 40 * S })
  })

  it('prefers our own samples to StartTime, which a skewed clock would throw off', () => {
    // StartTime says 50 s before the first sample (clock skew); the samples say 1 point per second.
    const p = predictEnd(
      processing(
        JOB_A,
        [
          [0, 10],
          [20, 30]
        ],
        -50
      )
    )
    expect(p?.endAt).toBe(START + 90 * S)
  })

  it('from two samples under 10 points apart when there is no StartTime: 10% -> 15% in 10 s ends 170 s later', () => {
    const p = predictEnd(
      processing(JOB_A, [
        [0, 10],
        [10, 15]
      ])
    )
    expect(p).toEqual({ endAt: START + 180 * S, totalMs: 200 * S })
  })

  it('10 points gained is enough for the samples to win over StartTime', () => {
    // The samples: 1 point a second, 70 s left. StartTime 50 s before the first would say 140 s left.
    const p = predictEnd(
      processing(
        JOB_A,
        [
          [0, 20],
          [10, 30]
        ],
        -50
      )
    )
    expect(p).toEqual({ endAt: START + 80 * S, totalMs: 100 * S })
  })

  it('no prediction without progress, or for a job that is not Processing', () => {
    expect(predictEnd(processing(JOB_A, [[10, 0]]))).toBeUndefined()
    expect(predictEnd(view(JOB_A, 'Processing'))).toBeUndefined()
    expect(predictEnd(view(JOB_A, 'Queued'))).toBeUndefined()
  })

  it('a job at 100% ends at that sample, even without a StartTime', () => {
    expect(predictEnd(processing(JOB_A, [[30, 100]]))).toEqual({ endAt: START + 30 * S, totalMs: 0 })
  })

  it('under 10 points gained, StartTime wins over the samples', () => {
    // StartTime 10 s before the first sample: 25% in 20 s, 80 s in all. The samples would say 150 s left.
    const p = predictEnd(
      processing(
        JOB_A,
        [
          [0, 20],
          [10, 25]
        ],
        -10
      )
    )
    expect(p).toEqual({ endAt: START + 70 * S, totalMs: 80 * S })
  })

  it('two samples at the same instant give no pace: StartTime is used, or nothing without it', () => {
    const p = predictEnd(
      processing(
        JOB_A,
        [
          [10, 20],
          [10, 40]
        ],
        0
      )
    )
    expect(p).toEqual({ endAt: START + 25 * S, totalMs: 25 * S })
    expect(
      predictEnd(
        processing(JOB_A, [
          [10, 20],
          [10, 25]
        ])
      )
    ).toBeUndefined()
  })

  it('no prediction from samples that gained nothing, nor from StartTime at 0%', () => {
    expect(
      predictEnd(
        processing(JOB_A, [
          [0, 10],
          [10, 10]
        ])
      )
    ).toBeUndefined()
    expect(predictEnd(processing(JOB_A, [[10, 0]], 0))).toBeUndefined()
  })

  it("a sample taken at or before the service's StartTime (clock skew) gives no prediction from it", () => {
    expect(predictEnd(processing(JOB_A, [[10, 20]], 10))).toBeUndefined()
    expect(predictEnd(processing(JOB_A, [[10, 20]], 15))).toBeUndefined()
  })
})

describe('nextPollAt: the policy in single steps', () => {
  it('fixed: started + k × interval, whatever a poll took (no drift)', () => {
    const o = input([view(JOB_A, 'Processing')], { policy: 'fixed' })
    expect(nextPollAt({ ...o, now: START + 700, lastPoll: START })).toBe(START + 10 * S)
    expect(nextPollAt({ ...o, now: START + 20_300, lastPoll: START + 20 * S })).toBe(START + 30 * S)
    // A poll that overran the interval skips to the next tick instead of piling up.
    expect(nextPollAt({ ...o, now: START + 31 * S, lastPoll: START + 20 * S })).toBe(START + 40 * S)
    // A timer that fired a little late still keeps the next tick, even at a 1 s interval.
    const second = { ...o, intervalMs: S }
    expect(nextPollAt({ ...second, now: START + 1_150, lastPoll: START + 1_003 })).toBe(START + 2 * S)
  })

  it('predictive: about a quarter of the predicted remainder, at most one interval', () => {
    // 50% after 100 s: 100 s left, so wait the full interval (10 s), not 25 s.
    const now = START + 100 * S
    expect(nextPollAt(input([processing(JOB_A, [[100, 50]], 0)], { now, lastPoll: now }))).toBe(
      START + 100 * S + 10 * S
    )
    // 80% after 100 s: 25 s left, a quarter is 6.25 s.
    const at = nextPollAt(
      input([processing(JOB_A, [[100, 80]], 0)], { now: START + 100 * S, lastPoll: START + 100 * S })
    )
    expect(at).toBe(START + 106_250)
  })

  it('predictive: close to the end, it aims just past the predicted end', () => {
    // 99% after 99 s: 1 s left. A quarter of it is below the 1 s floor, so aim at the end plus a margin of
    // 1% of the whole run (1 s here, at most a tenth of the interval).
    const now = START + 99 * S
    const at = nextPollAt(input([processing(JOB_A, [[99, 99]], 0)], { now, lastPoll: now }))
    expect(at).toBe(now + 2 * S)
  })

  it('predictive: of two Processing jobs, it aims at the one that should end first', () => {
    // A: 80% after 80 s, 20 s left, a quarter is 5 s. B: 20% after 80 s, 320 s left, the interval (10 s).
    const now = START + 80 * S
    const a = processing(JOB_A, [[80, 80]], 0)
    const b = processing(JOB_B, [[80, 20]], 0)
    expect(nextPollAt(input([a, b], { now, lastPoll: now }))).toBe(now + 5 * S)
    expect(nextPollAt(input([b, a], { now, lastPoll: now }))).toBe(now + 5 * S)
  })

  it('predictive: the soonest end wins even when its run is the longer one', () => {
    // A: 95% after 380 s, 400 s in all, ends at 100 s. B: 20% after 20 s, 100 s in all, ends at 160 s.
    const now = START + 80 * S
    const a = processing(JOB_A, [[80, 95]], -300)
    const b = processing(JOB_B, [[80, 20]], 60)
    expect(nextPollAt(input([b, a], { now, lastPoll: now }))).toBe(now + 5 * S)
  })

  it('predictive: of two jobs predicted to end together, it aims past the surer one, whatever their order', () => {
    // Both end at 100 s: A after a 100 s run (margin 1 s), B after a 20 s one (margin 0.2 s).
    const now = START + 98_500
    const a = processing(JOB_A, [[98, 98]], 0)
    const b = processing(JOB_B, [[98, 90]], 80)
    expect(nextPollAt(input([a, b], { now, lastPoll: now }))).toBe(START + 100_200)
    expect(nextPollAt(input([b, a], { now, lastPoll: now }))).toBe(START + 100_200)
  })

  it('predictive: with room for a poll before the end and one just past it, the first comes after the floor', () => {
    // 98% after 98 s: 2 s left. A poll in 1 s, then one just past the end (at 101 s) 2 s after it.
    const now = START + 98 * S
    expect(nextPollAt(input([processing(JOB_A, [[98, 98]], 0)], { now, lastPoll: now }))).toBe(now + S)
  })

  it('predictive: an end predicted in the past but within its margin: the poll is just past the margin', () => {
    // 99% after 495 s: ends at 500 s, with a margin of 5 s (1% of the run; the interval allows 6 s).
    const now = START + 501 * S
    const o = input([processing(JOB_A, [[495, 99]], 0)], { now, lastPoll: now, intervalMs: 60 * S })
    expect(nextPollAt(o)).toBe(START + 505 * S)
  })

  it('predictive: the floor is a twentieth of the interval when that is over 1 s', () => {
    // 92% after 92 s: 8 s left. A quarter is 2 s, under the floor of 3 s at an interval of 60 s.
    const now = START + 92 * S
    const o = input([processing(JOB_A, [[92, 92]], 0)], { now, lastPoll: now, intervalMs: 60 * S })
    expect(nextPollAt(o)).toBe(now + 3 * S)
  })

  it('predictive: no back-off while a job that is not Queued or Scheduled is open', () => {
    const mixed = [view(JOB_A, 'Queued'), view(JOB_B, 'Canceling')]
    // A minute into the wait, all-Queued jobs would back off to 30 s; a Canceling one is polled each interval.
    const now = START + 60 * S
    expect(nextPollAt(input(mixed, { now, lastPoll: now }))).toBe(now + 10 * S)
  })

  it('predictive: while every job is Queued, one more poll an interval on, then 3 intervals apart', () => {
    const queued = [view(JOB_A, 'Queued'), view(JOB_B, 'Scheduled')]
    const after = (waitedS: number) =>
      nextPollAt(input(queued, { now: START + waitedS * S, lastPoll: START + waitedS * S }))! -
      (START + waitedS * S)
    expect(after(0)).toBe(10 * S)
    expect(after(10)).toBe(30 * S)
    expect(after(40)).toBe(30 * S)
    expect(after(600)).toBe(30 * S)
  })

  it('predictive: a job that has ended does not stop the back-off of the Queued ones', () => {
    const now = START + 60 * S
    const views = [view(JOB_A, 'Queued'), view(JOB_B, 'Finished')]
    expect(nextPollAt(input(views, { now, lastPoll: now }))).toBe(now + 30 * S)
  })

  it('predictive: not before the budget has earned the next Jobs query', () => {
    // The job should end any moment, but all that ticks 0..4 earned is spent: the poll waits for tick 5.
    const budget = { earned: 10, spent: 10, ticks: 5 }
    const now = START + 41 * S
    const o = input([processing(JOB_A, [[41, 99]], 0)], { budget, now, lastPoll: now })
    expect(nextPollAt({ ...o, budget: { ...budget, earned: 11 } })).toBe(now + S)
    expect(nextPollAt(o)).toBe(START + 50 * S)
  })

  it('the last poll is at the deadline, however close the poll before it; none after a poll at it', () => {
    const o = input([view(JOB_A, 'Processing')], { deadline: START + 5 * S })
    expect(nextPollAt(o)).toBe(START + 5 * S)
    expect(nextPollAt({ ...o, policy: 'fixed' })).toBe(START + 5 * S)
    // A timer 5 ms late at 4 s (the poll-interval 2 s, timeout 5 s): the poll at 5 s still comes.
    for (const policy of ['fixed', 'predictive'] as const)
      expect(
        nextPollAt({ ...o, policy, intervalMs: 2 * S, lastPoll: START + 4_005, now: START + 4_050 })
      ).toBe(START + 5 * S)
    expect(nextPollAt({ ...o, lastPoll: START + 4_500, now: START + 4_600 })).toBe(START + 5 * S)
    // A budget that has not earned the next poll before the deadline does not skip the one at it.
    const ending = processing(JOB_A, [
      [0, 10],
      [3, 97]
    ])
    const soon = { ...o, views: [ending], intervalMs: 2 * S, lastPoll: START + 3 * S, now: START + 3_050 }
    expect(nextPollAt(soon)).toBe(START + 4_050)
    expect(nextPollAt({ ...soon, budget: { earned: 4, spent: 4, ticks: 3 } })).toBe(START + 5 * S)
    expect(nextPollAt({ ...o, lastPoll: START + 5 * S, now: START + 5_050 })).toBeUndefined()
    expect(nextPollAt({ ...o, lastPoll: START + 5_020, now: START + 5_050, policy: 'fixed' })).toBeUndefined()
  })
})

describe('nextPollAt: progress in the job (v3), where a poll costs what a fixed one does', () => {
  // One job, poll-interval 2 s; polls at every tick so far: all that ticks 0..10 earned is spent.
  const I = 2 * S
  const atTick = (t: number, samples: [number, number][]) =>
    input([processing(JOB_A, samples)], {
      cost: V3_POLL_COST,
      intervalMs: I,
      now: START + t * S + 50,
      lastPoll: START + t * S,
      budget: { earned: t / 2 + 1, spent: t / 2 + 1, ticks: t / 2 + 1 }
    })
  // Started at 10 s, rising steadily, sampled at `t`: the samples say it ends at `endS`.
  const endingAt = (endS: number, t: number): [number, number][] => [
    [10, 0],
    [t, (100 * (t - 10)) / (endS - 10)]
  ]

  it('runs one poll ahead of the budget to land just past a predicted end before the next tick', () => {
    // Predicted at 43 s, past the next tick (38 s): no run-ahead, the poll is at that tick.
    expect(nextPollAt(atTick(36, endingAt(43, 36)))).toBe(START + 38 * S)
    // Predicted at 39.4 s, before the next tick (40 s): a poll 0.2 s past it (1% of the 29.4 s run, at
    // most a tenth of the interval), paid for by running one poll ahead.
    expect(nextPollAt(atTick(38, endingAt(39.4, 38)))).toBeCloseTo(START + 39_600, -1)
  })

  it('an end just after a tick, too close for a poll there and one after it: a poll between, then just past it', () => {
    // Predicted at 40.3 s: a poll at 40 s could not be followed by one at 40.5 s (1 s apart at least).
    expect(nextPollAt(atTick(38, endingAt(40.3, 38)))).toBe(START + 39 * S)
    // From the poll between, ahead by one: the next one, at 40.5 s, is paid for by the tick at 40 s.
    const next = atTick(38, endingAt(40.3, 39))
    const o = { ...next, now: START + 39_050, lastPoll: START + 39 * S }
    expect(nextPollAt({ ...o, budget: { ...o.budget, spent: o.budget.spent + 1 } })).toBeCloseTo(
      START + 40_500,
      -1
    )
  })

  it('runs ahead once: a poll already one ahead waits for the tick that pays for it', () => {
    const o = atTick(38, endingAt(39.4, 38))
    expect(nextPollAt({ ...o, budget: { ...o.budget, spent: o.budget.spent + 1 } })).toBe(START + 40 * S)
  })

  it('v2 never runs ahead: it saves on progress reads instead', () => {
    const o = atTick(38, endingAt(39.4, 38))
    expect(nextPollAt({ ...o, cost: V2_POLL_COST })).toBe(START + 40 * S)
  })

  it('runs ahead only when the budget holds a poll back: one it pays for when it is due stays there', () => {
    // Last poll at 38.5 s; the next, 1 s later, at 40 s, is paid for by the tick there. The end predicted
    // at 39.5 s (started 9.5 s, 95% at 38 s) would be seen 0.3 s sooner by running ahead.
    const o = input([processing(JOB_A, [[38, 95]], 9.5)], {
      cost: V3_POLL_COST,
      intervalMs: I,
      now: START + 39 * S,
      lastPoll: START + 38_500,
      budget: { earned: 20, spent: 20, ticks: 20 }
    })
    expect(nextPollAt(o)).toBe(START + 40 * S)
  })

  // Interval 10 s; the job started at 0 and is 75% done at 30 s: it ends at 40 s, seen 0.4 s past it.
  const endsAt40 = (firstPollS: number) =>
    input([processing(JOB_A, [[30, 75]], 0)], {
      cost: V3_POLL_COST,
      intervalMs: 10 * S,
      started: START + firstPollS * S,
      now: START + (firstPollS + 30) * S + 50,
      lastPoll: START + (firstPollS + 30) * S,
      budget: { earned: 4, spent: 4, ticks: 4 }
    })

  it('an end just past a tick is seen by the poll at that tick, with no poll between', () => {
    expect(nextPollAt(endsAt40(0.4))).toBe(START + 40_400)
  })

  it('an end a full MIN_GAP_MS after a tick: a poll at the tick and one after it, none between', () => {
    expect(nextPollAt(endsAt40(-0.6))).toBe(START + 39_400)
  })
})

describe('the request budget', () => {
  it('a poll costs what the source says: v2 asks 20 jobs per Jobs query, v3 makes one GET per job', () => {
    const views = [...Array(25)].map((_, i) => view(simId(i), i < 2 ? 'Processing' : 'Queued'))
    expect(jobsQueries(views, V2_POLL_COST)).toBe(2)
    expect(jobsQueries(views, V3_POLL_COST)).toBe(25)
    // v3 progress comes in the job: a fixed poll makes no progress read.
    expect(fixedPollCost(views, v2)).toBe(2 + 2)
    expect(fixedPollCost(views, { cost: V3_POLL_COST, progressReadsPerPoll: 3 })).toBe(25)
    expect(
      credit(NEW_BUDGET, views, 20 * S, 10 * S, { cost: V3_POLL_COST, progressReadsPerPoll: 3 }).earned
    ).toBe(75)
  })

  it('each tick of the fixed schedule earns one fixed poll: Jobs queries and up to 3 progress reads', () => {
    const views = [...Array(25)].map((_, i) => view(simId(i), i < 2 ? 'Processing' : 'Queued'))
    // 25 open jobs: 2 Jobs queries; 2 Processing: 2 reads. Ticks at 0, 10 and 20 s.
    expect(credit(NEW_BUDGET, views, 20 * S, 10 * S, v2)).toEqual({ earned: 12, spent: 0, ticks: 3 })
    expect(credit({ earned: 12, spent: 5, ticks: 3 }, views, 29 * S, 10 * S, v2).earned).toBe(12)
  })

  it('a credit that adds no tick leaves the budget as it is: a time already credited, or before the first tick', () => {
    const views = [view(JOB_A, 'Processing')]
    const b = { earned: 12, spent: 5, ticks: 3 }
    expect(credit(b, views, 29 * S, 10 * S, v2)).toBe(b)
    expect(credit(b, views, 5 * S, 10 * S, v2)).toBe(b)
    expect(credit(NEW_BUDGET, views, -10 * S, 10 * S, v2)).toBe(NEW_BUDGET)
  })

  it('jobs that have ended are no longer asked for', () => {
    const views = [
      view(JOB_A, 'Finished'),
      view(JOB_B, 'Error'),
      view(simId(1), 'Processing'),
      view(simId(2))
    ]
    expect(jobsQueries(views, V3_POLL_COST)).toBe(2)
    const many = [...Array(21)].map((_, i) => view(simId(i), i === 0 ? 'Canceled' : 'Queued'))
    expect(jobsQueries(many, V2_POLL_COST)).toBe(1)
  })
})

describe('progressReadsDue: task reads only as often as the prediction needs', () => {
  it('a job never read is read; one read 1 s ago with 30 s predicted left is not; at half the remainder it is', () => {
    expect(progressReadsDue([view(JOB_A, 'Processing')], START, 10 * S)).toHaveLength(1)
    const v = processing(JOB_A, [
      [0, 10],
      [10, 25]
    ])
    v.progressSampledAt = START + 10 * S
    // 1.5 points per second: 50 s left at the last sample; due 25 s after it.
    expect(progressReadsDue([v], START + 11 * S, 10 * S)).toHaveLength(0)
    expect(progressReadsDue([v], START + 35 * S, 10 * S)).toHaveLength(1)
  })

  it('a job with no prediction yet is read once an interval', () => {
    const read = (agoS: number) => view(JOB_A, 'Processing', { progressSampledAt: START - agoS * S })
    expect(progressReadsDue([read(5)], START, 10 * S)).toHaveLength(0)
    expect(progressReadsDue([read(10)], START, 10 * S)).toHaveLength(1)
  })

  it('the most needed first: the job read longest ago (in intervals) leads', () => {
    const read = (id: string, agoS: number) => view(id, 'Processing', { progressSampledAt: START - agoS * S })
    const due = progressReadsDue([read('a', 12), read('b', 32), read('c', 22)], START, 10 * S)
    expect(due.map(v => v.id)).toEqual(['b', 'c', 'a'])
  })
})

// -------------------------------------------------------------------------------------------------
// Property tests: the real waiter and scheduler against simulated jobs on a fake clock.

const sim = fc.record({
  queuedMs: fc.integer({ min: 0, max: 120_000 }),
  processingMs: fc.integer({ min: 0, max: 600_000 }),
  ends: fc.constantFrom<'Finished' | 'Error'>('Finished', 'Finished', 'Error'),
  noise: fc.integer({ min: 0, max: 8 }),
  skewMs: fc.integer({ min: -30_000, max: 30_000 })
})
const world = fc
  .array(sim, { minLength: 1, maxLength: 4 })
  .map(js => js.map((j, i) => ({ ...j, id: simId(i) })))
const intervalMs = fc.integer({ min: 1, max: 60 }).map(s => s * S)
// A poll makes at most 1 + 3 + 4 requests here: at 100 ms each it ends within the shortest interval.
const latencyMs = fc.integer({ min: 0, max: 100 })
// v2: Jobs queries of 20 ids and task reads for progress; v3: a GET per job, progress in its body.
const api = fc.constantFrom<'v2' | 'v3'>('v2', 'v3')

const gaps = (run: SimRun) =>
  run.polls.slice(1).map((p, i) => ({ gap: p.at - run.polls[i].at, before: run.polls[i] }))
const anyIn = (p: { seen: Map<string, JobState | undefined> }, states: JobState[]) =>
  [...p.seen.values()].some(s => s !== undefined && states.includes(s))
const allIn = (p: { seen: Map<string, JobState | undefined> }, states: JobState[]) =>
  [...p.seen.values()].every(s => s !== undefined && states.includes(s))

describe('predictive polling keeps its bounds (property-based)', () => {
  it('never two polls less than 1 s apart', async () => {
    await fc.assert(
      fc.asyncProperty(world, intervalMs, latencyMs, api, async (jobs, interval, latency, api) => {
        const run = await simulate(jobs, {
          policy: 'predictive',
          intervalMs: interval,
          latencyMs: latency,
          api
        })
        for (const { gap } of gaps(run)) expect(gap).toBeGreaterThanOrEqual(MIN_GAP_MS)
      })
    )
  })

  it('while a job is Processing, never longer than poll-interval between polls', async () => {
    await fc.assert(
      fc.asyncProperty(world, intervalMs, latencyMs, api, async (jobs, interval, latency, api) => {
        const run = await simulate(jobs, {
          policy: 'predictive',
          intervalMs: interval,
          latencyMs: latency,
          api
        })
        for (const { gap, before } of gaps(run))
          if (anyIn(before, ['Processing'])) expect(gap).toBeLessThanOrEqual(interval)
      })
    )
  })

  it('while every job is Queued, backs off to at most 3 × poll-interval, never below it', async () => {
    await fc.assert(
      fc.asyncProperty(world, intervalMs, latencyMs, api, async (jobs, interval, latency, api) => {
        const run = await simulate(jobs, {
          policy: 'predictive',
          intervalMs: interval,
          latencyMs: latency,
          api
        })
        for (const { gap, before } of gaps(run)) {
          expect(gap).toBeLessThanOrEqual(3 * interval)
          if (allIn(before, ['Queued', 'Scheduled'])) expect(gap).toBeGreaterThanOrEqual(interval)
        }
      })
    )
  })

  it('never more requests than fixed polling would have made by then (budget: Jobs queries + task reads)', async () => {
    await fc.assert(
      fc.asyncProperty(world, intervalMs, async (jobs, interval) => {
        const run = await simulate(jobs, { policy: 'predictive', intervalMs: interval })
        // What fixed polling makes at most per tick: the Jobs query and one progress read per job.
        const perTick = 1 + Math.min(3, jobs.length)
        // Error-detail reads are the same under both policies: one per job that ends in Error.
        const errorReads = jobs.filter(j => j.ends === 'Error').length
        let made = 0
        for (const t of [...run.jobsQueries, ...run.taskReads].sort((a, b) => a - b)) {
          made++
          expect(made).toBeLessThanOrEqual((Math.floor(t / interval) + 1) * perTick + errorReads)
        }
      })
    )
  })

  it('one job: over the whole wait, no more requests than fixed polling makes for the same job', async () => {
    await fc.assert(
      fc.asyncProperty(sim, intervalMs, async (j, interval) => {
        const jobs = [{ ...j, id: JOB_A }]
        const predictive = await simulate(jobs, { policy: 'predictive', intervalMs: interval })
        const fixed = await simulate(jobs, { policy: 'fixed', intervalMs: interval })
        expect(predictive.requests()).toBeLessThanOrEqual(fixed.requests())
      }),
      { numRuns: 500 }
    )
  })

  it('v3 (progress in the job): never more than one poll ahead of what fixed polling would have made by then', async () => {
    await fc.assert(
      fc.asyncProperty(world, intervalMs, latencyMs, async (jobs, interval, latency) => {
        const run = await simulate(jobs, {
          policy: 'predictive',
          intervalMs: interval,
          latencyMs: latency,
          api: 'v3'
        })
        // Fixed polling makes one GET per job per tick, and reads no task; one poll ahead is one GET per job.
        expect(run.taskReads).toEqual([])
        let made = 0
        for (const t of run.jobsQueries) {
          made++
          expect(made).toBeLessThanOrEqual((Math.floor(t / interval) + 1) * jobs.length + jobs.length)
        }
      })
    )
  })

  it('v3, one job: over the whole wait, at most one request more than fixed polling makes', async () => {
    await fc.assert(
      fc.asyncProperty(sim, intervalMs, async (j, interval) => {
        const jobs = [{ ...j, id: JOB_A }]
        const predictive = await simulate(jobs, { policy: 'predictive', intervalMs: interval, api: 'v3' })
        const fixed = await simulate(jobs, { policy: 'fixed', intervalMs: interval, api: 'v3' })
        expect(predictive.requests()).toBeLessThanOrEqual(fixed.requests() + 1)
      }),
      { numRuns: 500 }
    )
  })

  it('the deadline is kept: no poll after it, and a job still running is a timeout', async () => {
    await fc.assert(
      fc.asyncProperty(
        world,
        intervalMs,
        fc.integer({ min: 1, max: 600 }),
        async (jobs, interval, timeoutS) => {
          const timeoutMs = Math.max(interval, timeoutS * S)
          const run = await simulate(jobs, { policy: 'predictive', intervalMs: interval, timeoutMs })
          for (const p of run.polls) expect(p.at).toBeLessThanOrEqual(timeoutMs)
          if (jobs.every(j => j.queuedMs + j.processingMs > timeoutMs))
            expect(run.result.outcome).toBe('timeout')
        }
      )
    )
  })
})

describe('fixed polling keeps its schedule (property-based)', () => {
  it('polls at started + k × interval however long the requests take', async () => {
    await fc.assert(
      fc.asyncProperty(world, intervalMs, latencyMs, async (jobs, interval, latency) => {
        const run = await simulate(jobs, { policy: 'fixed', intervalMs: interval, latencyMs: latency })
        run.polls.forEach((p, k) => expect(p.at).toBe(k * interval))
      })
    )
  })
})

describe('the benchmark scenario, simulated: Queued 6 s, Processing about 30 s, poll-interval 2 s', () => {
  it('predictive sees the end within a quarter interval (median) with fewer requests than fixed', async () => {
    const latency = { predictive: [] as number[], fixed: [] as number[] }
    const perInterval = { predictive: [] as number[], fixed: [] as number[] }
    for (let i = 0; i < 20; i++) {
      const jobs: SimJob[] = [{ id: JOB_A, queuedMs: 6000, processingMs: 29_000 + i * 100, noise: 0.4 }]
      for (const policy of ['predictive', 'fixed'] as const) {
        const run = await simulate(jobs, { policy, intervalMs: 2 * S, latencyMs: 10 })
        expect(run.result.outcome).toBe('success')
        const seenAt = run.polls.at(-1)!.at
        latency[policy].push(seenAt - run.endOf(JOB_A))
        perInterval[policy].push(run.requests() / (seenAt / (2 * S)))
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]
    expect(median(latency.fixed)).toBeGreaterThan(500)
    expect(median(latency.predictive)).toBeLessThanOrEqual(500)
    expect(median(perInterval.predictive)).toBeLessThan(median(perInterval.fixed))
    expect(Math.max(...perInterval.predictive)).toBeLessThanOrEqual(1.9)
  })
})

describe('the v3 benchmark scenario, simulated: progress in the job, Queued 6 s, Processing about 30 s, poll-interval 2 s', () => {
  it('predictive sees the end within 0.15 × interval (median) at no more than 1.1 GETs per interval', async () => {
    const latency: number[] = []
    const perInterval: number[] = []
    for (let i = 0; i < 20; i++) {
      const jobs: SimJob[] = [{ id: JOB_A, queuedMs: 6000, processingMs: 29_000 + i * 100 }]
      const run = await simulate(jobs, { policy: 'predictive', intervalMs: 2 * S, latencyMs: 10, api: 'v3' })
      expect(run.result.outcome).toBe('success')
      const seenAt = run.polls.at(-1)!.at
      latency.push(seenAt - run.endOf(JOB_A))
      perInterval.push(run.requests() / (seenAt / (2 * S)))
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]
    expect(median(latency)).toBeLessThanOrEqual(0.15 * 2 * S)
    expect(median(perInterval)).toBeLessThanOrEqual(1.1)
    // Fixed polling makes 19 GETs in 18 intervals here; seeing the end sooner shortens the span, and the
    // poll ahead adds one.
    expect(Math.max(...perInterval)).toBeLessThanOrEqual(1.12)
  })
})

describe('the wait lasts until the timeout, whatever the interval, policy, budget or timer drift (property-based)', () => {
  const MAX_LATE_MS = 300
  const LATENCY_MS = 20
  // With 4 jobs a poll makes at most 1 Jobs query, 3 progress reads and 4 error-detail reads.
  const POLL_MS = 8 * LATENCY_MS
  const deadlineCase = fc
    .record({
      policy: fc.constantFrom<PollingPolicy>('fixed', 'predictive'),
      interval: fc.integer({ min: 1000, max: 30_000 }),
      beyondInterval: fc.integer({ min: 0, max: 120_000 }),
      // A timer may also wake a millisecond early by the wall clock.
      late: fc.array(fc.integer({ min: -1, max: MAX_LATE_MS }), { minLength: 1, maxLength: 8 }),
      latency: fc.integer({ min: 0, max: LATENCY_MS }),
      jobs: fc.array(
        fc.record({
          queuedShare: fc.double({ min: 0, max: 1, noNaN: true }),
          // When the job ends, from the deadline: mostly within the last interval before it.
          endShare: fc.double({ min: -1.2, max: 0.3, noNaN: true }),
          ends: fc.constantFrom<'Finished' | 'Error'>('Finished', 'Finished', 'Error'),
          noise: fc.integer({ min: 0, max: 8 })
        }),
        { minLength: 1, maxLength: 4 }
      )
    })
    .map(c => {
      const timeoutMs = c.interval + c.beyondInterval
      const jobs: SimJob[] = c.jobs.map((j, i) => {
        const end = Math.max(0, Math.round(timeoutMs + j.endShare * c.interval))
        const queuedMs = Math.floor(end * j.queuedShare)
        return { id: simId(i), queuedMs, processingMs: end - queuedMs, ends: j.ends, noise: j.noise }
      })
      return { ...c, timeoutMs, jobs }
    })

  it('no poll starts after the deadline but the last, which starts at it (within drift); a job that ended before it is seen', async () => {
    await fc.assert(
      fc.asyncProperty(deadlineCase, async c => {
        const run = await simulate(c.jobs, {
          policy: c.policy,
          intervalMs: c.interval,
          timeoutMs: c.timeoutMs,
          latencyMs: c.latency,
          lateMs: c.late
        })
        const last = run.polls.at(-1)!
        for (const p of run.polls.slice(0, -1)) expect(p.at).toBeLessThan(c.timeoutMs)
        expect(last.at).toBeLessThanOrEqual(c.timeoutMs + MAX_LATE_MS + POLL_MS)
        if (run.result.outcome === 'timeout') {
          // The wait went on to the deadline, and its last look was there.
          expect(last.at).toBeGreaterThanOrEqual(c.timeoutMs)
          expect(run.result.elapsedMs).toBeGreaterThanOrEqual(c.timeoutMs)
        }
        const ended = c.jobs.filter(j => run.endOf(j.id) <= c.timeoutMs)
        if (ended.length === c.jobs.length) expect(run.result.outcome).not.toBe('timeout')
        if (c.jobs.every(j => run.endOf(j.id) <= c.timeoutMs && j.ends === 'Finished'))
          expect(run.result.outcome).toBe('success')
      }),
      { numRuns: 400 }
    )
  })
})

// -------------------------------------------------------------------------------------------------
// Issue #25: polling close to its limit. The limit sees a job end the moment it does (0 × interval) at one
// request per interval; fixed polling sees it half an interval late on average.

/** How long after its end each job was first seen ended, in intervals. */
function lateness(run: SimRun, jobs: readonly SimJob[], intervalMs: number): number[] {
  return jobs.map(j => {
    const seen = run.polls.find(p => p.at >= run.endOf(j.id) && p.seen.get(j.id) !== 'Processing')
    return seen ? (seen.at - run.endOf(j.id)) / intervalMs : Infinity
  })
}
/** Requests per interval from the first poll to the last. */
const perInterval = (run: SimRun, intervalMs: number) => run.requests() / (run.polls.at(-1)!.at / intervalMs)
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]

describe('a steady v2 job is seen to end within 0.1 × interval at no more than 1.2 requests per interval', () => {
  const I = 2 * S
  /** Runs `n` waits of one job, the i-th `processingMs(i)` long: median lateness and requests per interval. */
  async function figures(n: number, queuedMs: number, processingMs: (i: number) => number, api: 'v2' | 'v3') {
    const late: number[] = []
    const rates: number[] = []
    const reads: number[] = []
    for (let i = 0; i < n; i++) {
      const jobs = [{ id: JOB_A, queuedMs, processingMs: processingMs(i) }]
      const run = await simulate(jobs, { policy: 'predictive', intervalMs: I, latencyMs: 10, api })
      expect(run.result.outcome).toBe('success')
      late.push(...lateness(run, jobs, I))
      rates.push(perInterval(run, I))
      reads.push(run.taskReads.length)
    }
    return { late: median(late), worst: Math.max(...late), rate: median(rates), reads: median(reads) }
  }

  it('30 s (the bench): within 0.1 × interval (median) at 1.2 requests per interval or fewer', async () => {
    // Ending at every phase of the schedule: 29 to 31 s.
    const f = await figures(20, 6000, i => 29_000 + i * 100, 'v2')
    expect(f.late).toBeLessThanOrEqual(0.1)
    expect(f.worst).toBeLessThanOrEqual(0.25)
    expect(f.rate).toBeLessThanOrEqual(1.2)
    // Three task reads: the first, one that brings the window to about a step, one that halves it.
    expect(f.reads).toBeLessThanOrEqual(3)
  })

  it('20 minutes, progress in 1% steps 11 to 12 s apart: within 0.1 × interval at about 1 request per interval', async () => {
    const f = await figures(10, 60_000, i => 1_140_000 + i * 1_700, 'v2')
    expect(f.late).toBeLessThanOrEqual(0.1)
    expect(f.worst).toBeLessThanOrEqual(0.25)
    expect(f.rate).toBeLessThanOrEqual(1.05)
  })

  it('2 hours, 1% steps 72 s apart: within 0.35 × interval, never past half an interval', async () => {
    const f = await figures(3, 60_000, i => 7_200_000 + i * 1_700, 'v2')
    expect(f.late).toBeLessThanOrEqual(0.35)
    expect(f.worst).toBeLessThanOrEqual(0.5)
    expect(f.rate).toBeLessThanOrEqual(1.01)
  })

  it('v3 no worse: 30 s within 0.15 × at 1.1 GETs per interval, 20 minutes and 2 hours within 0.1 ×', async () => {
    const short = await figures(20, 6000, i => 29_000 + i * 100, 'v3')
    expect(short.late).toBeLessThanOrEqual(0.15)
    expect(short.rate).toBeLessThanOrEqual(1.1)
    expect((await figures(10, 60_000, i => 1_140_000 + i * 1_700, 'v3')).late).toBeLessThanOrEqual(0.1)
    expect((await figures(3, 60_000, i => 7_200_000 + i * 1_700, 'v3')).late).toBeLessThanOrEqual(0.1)
  })

  it('several steady jobs in one wait: each seen within half an interval, 0.2 × at the median', async () => {
    const late: number[] = []
    for (let i = 0; i < 6; i++) {
      const jobs = [0, 1, 2, 3].map(k => ({
        id: simId(k),
        queuedMs: 3000 * k,
        processingMs: 40_000 + 17_000 * k + 300 * i
      }))
      const run = await simulate(jobs, { policy: 'predictive', intervalMs: I, latencyMs: 10 })
      late.push(...lateness(run, jobs, I))
    }
    // Steps of 0.4 to 0.9 s: a read's own half point is 0.2 to 0.45 s of the end, and each job gets one read
    // near its end (progressReadsDue).
    expect(median(late)).toBeLessThanOrEqual(0.2)
    expect(Math.max(...late)).toBeLessThanOrEqual(0.5)
  })

  it('ten 20-minute jobs in one wait (the soak, without its faults): each seen within half an interval', async () => {
    // Queued a minute, then ending 15 s apart from 19 minutes back: one job's reads are placed so that they
    // never push the poll that lands past another's end.
    const jobs = [...Array(10).keys()].map(i => ({
      id: simId(i),
      queuedMs: 60_000,
      processingMs: 1_080_000 - i * 15_000
    }))
    const run = await simulate(jobs, { policy: 'predictive', intervalMs: I, latencyMs: 10 })
    const late = lateness(run, jobs, I)
    expect(Math.max(...late)).toBeLessThanOrEqual(0.5)
    expect(median(late)).toBeLessThanOrEqual(0.15)
    // Their Jobs queries are one a poll, their reads about 12 a job: see docs/how-it-waits.md.
    expect(perInterval(run, I)).toBeLessThanOrEqual(1.25)
  })

  it('timers that wake up to 80 ms late: within 0.12 × interval (median) at 1.2 requests per interval', async () => {
    const late: number[] = []
    const rates: number[] = []
    for (let i = 0; i < 12; i++) {
      const jobs = [{ id: JOB_A, queuedMs: 6000, processingMs: 29_000 + i * 170 }]
      const lateMs = [0, 80, 13, 41, 67, 5].map(ms => (ms * (i + 1)) % 81)
      const run = await simulate(jobs, { policy: 'predictive', intervalMs: I, latencyMs: 10, lateMs })
      late.push(...lateness(run, jobs, I))
      rates.push(perInterval(run, I))
    }
    // Each poll lands up to 0.04 × interval late, the one that sees the end and the reads that split the
    // window alike: about 0.02 × interval more than on time, at the median.
    expect(median(late)).toBeLessThanOrEqual(0.12)
    expect(median(rates)).toBeLessThanOrEqual(1.2)
  })
})

describe('progress that is not steady: every job seen within an interval, at no more requests than fixed polling (property-based)', () => {
  const shaped = fc.record({
    queuedMs: fc.integer({ min: 0, max: 20_000 }),
    processingMs: fc.integer({ min: 1_000, max: 1_200_000 }),
    shape: fc.constantFrom<Shape>('steady', 'accelerating', 'stalling', 'jumping', 'backwards'),
    noise: fc.constantFrom(0, 0, 0.4, 3),
    skewMs: fc.constantFrom(0, 0, 800, -20_000),
    noProgress: fc.constantFrom(false, false, false, false, false, true)
  })

  it('a job seen running is seen ended at most an interval (and a request) after its end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(shaped, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 10 }),
        api,
        async (js, intervalS, api) => {
          const jobs = js.map((j, i) => ({ ...j, id: simId(i) }))
          const interval = intervalS * S
          const run = await simulate(jobs, { policy: 'predictive', intervalMs: interval, latencyMs: 10, api })
          // A poll makes at most 1 + 3 + 3 requests of 10 ms. A job never seen running ended while every
          // job was Queued, when polls back off to 3 intervals.
          lateness(run, jobs, interval).forEach((l, i) => {
            const seenRunning = run.polls.some(p => p.seen.get(jobs[i].id) === 'Processing')
            expect(l).toBeLessThanOrEqual((seenRunning ? 1 : 3) + 70 / interval)
          })
        }
      ),
      { numRuns: 60 }
    )
  })

  it('one job: no more requests than fixed polling makes for it, whatever its shape', async () => {
    await fc.assert(
      fc.asyncProperty(shaped, fc.integer({ min: 1, max: 10 }), async (j, intervalS) => {
        const jobs = [{ ...j, id: JOB_A }]
        const o = { intervalMs: intervalS * S, latencyMs: 10 }
        const predictive = await simulate(jobs, { ...o, policy: 'predictive' })
        const fixed = await simulate(jobs, { ...o, policy: 'fixed' })
        expect(predictive.requests()).toBeLessThanOrEqual(fixed.requests())
      }),
      { numRuns: 60 }
    )
  })

  it('tasks that carry no progress are read once, not at every poll', async () => {
    const jobs = [{ id: JOB_A, queuedMs: 0, processingMs: 600_000, noProgress: true }]
    const run = await simulate(jobs, { policy: 'predictive', intervalMs: 2 * S })
    expect(run.taskReads).toHaveLength(1)
  })
})
