import type { PollCost } from '../jobs/source.js'
import { type Band, endWindow, HALF_STEP, meanRate, progressWindow, widestAfter } from './band.js'
import { type JobView, isOpen, type Pace } from './view.js'

/**
 * When to poll next, and whose tasks to read: pure functions of what the waiter saw, so that every bound
 * is a property test. `fixed` polls on the schedule started + k × interval. `predictive` predicts each
 * Processing job's end from its task progress and polls about a quarter of the predicted remainder later,
 * so that a job is seen to end soon after it does, within the request budget of fixed polling.
 */
export type PollingPolicy = 'predictive' | 'fixed'

/** Never two polls closer than this, whatever the prediction says; only the last, at the deadline, may be. */
export const MIN_GAP_MS = 1000
/** How late a timer may fire for a poll to still count as the one at its tick of the schedule. */
export const TICK_SLACK_MS = 100
/** Predictive: wait this share of the predicted remainder... */
const SHARE_OF_REMAINDER = 0.25
/** ...but at least this share of the interval... */
const FLOOR_SHARE = 0.05
/** ...and while every job is Queued or Scheduled, from the third poll on, this many intervals apart. */
const QUEUED_BACKOFF = 3
/** Progress is read at least every this many intervals, for the log, while the pace is not steady. */
const LOG_EVERY = 5
/** A steady pace's end is looked for this long past its latest end (at most a twentieth of the interval). */
const STEADY_MARGIN_MS = 20
/** Polls are moved to land on a steady pace's end from this many intervals before it. */
const ALIGN_INTERVALS = 2
/** A job's first progress read comes this many intervals after its StartTime. */
const FIRST_READ = 2
/** A steady pace's end window is narrowed by progress reads until it is this share of the interval. */
const WINDOW_SHARE = 0.1
/**
 * Steps shorter than the interval: the window is narrowed from this many intervals before its earliest
 * end (a read there brings it to about a step, one at the next poll halves it, the poll after lands).
 */
const FAST_NEAR = 1.6
/** Steps longer than the interval: steps probed before a steady pace's end beyond the reads it needs. */
const SPARE_STEPS = 5
/** Steps longer than the interval: a read narrows when the progress it may find is split by a step this evenly. */
const MIN_CUT = 0.25
/** A running job shows 99 from this progress on, whatever it is: no step above it can be seen. */
const LAST_SHOWN = 98.5
/** Shorter: a read narrows a steady window when whatever it finds leaves at most this share of it... */
const GOOD_SPLIT = 0.75
/** ...and the poll is moved to the latest time that leaves at most this share of it more than the best. */
const SPLIT_SLACK = 0.1
/** Times tried for that poll. */
const SPLIT_TIMES = 24

/**
 * The request budget of a predictive wait: each tick of the fixed schedule earns what a fixed poll would
 * cost then (its Jobs queries and progress reads, as the jobs were last seen); polls spend it. Error-detail
 * reads are left out: both policies make the same ones.
 */
export interface Budget {
  earned: number
  spent: number
  /** Ticks 0 .. ticks-1 of the schedule have been credited. */
  ticks: number
}

export const NEW_BUDGET: Budget = { earned: 0, spent: 0, ticks: 0 }

/** What a poll costs with this source, and how many progress reads a poll may make. */
export interface Costing {
  cost: PollCost
  progressReadsPerPoll: number
}

/** The requests one poll makes to ask for the jobs still open. */
export function jobsQueries(views: readonly JobView[], cost: PollCost): number {
  return cost.queries(views.filter(isOpen).length)
}

/** What one poll of fixed polling costs with the jobs as they are: its queries and progress reads. */
export function fixedPollCost(views: readonly JobView[], c: Costing): number {
  const processing = views.filter(v => v.job?.state === 'Processing').length
  const reads = c.cost.progress === 'reads' ? Math.min(c.progressReadsPerPoll, processing) : 0
  return jobsQueries(views, c.cost) + reads
}

/** Credits the schedule's ticks up to `elapsedMs` (since the first poll) at the cost of a fixed poll now. */
export function credit(
  b: Budget,
  views: readonly JobView[],
  elapsedMs: number,
  intervalMs: number,
  c: Costing
): Budget {
  // Before the first tick (the poll at it stands for it), this is 0 or less: nothing to credit.
  const ticks = Math.floor(elapsedMs / intervalMs) + 1
  if (ticks <= b.ticks) return b
  return { ...b, ticks, earned: b.earned + (ticks - b.ticks) * fixedPollCost(views, c) }
}

type Window = NonNullable<Prediction['window']>

export interface Prediction {
  /** When (our clock) the job should end. */
  endAt: number
  /** How long it runs in all, by the same prediction: its error scales with this. */
  totalMs: number
  /** A steady pace's: the end lies between these (band.ts), and `endAt` is their middle. */
  window?: { earliest: number; latest: number }
}

/**
 * A Processing job's end. While its progress keeps a steady pace, between the earliest and the latest end
 * that every sample allows (band.ts, with the service's StartTime as a sample of 0 % while it agrees);
 * otherwise extrapolated linearly: from two samples of our own when they are 10 points apart (no clock
 * skew), else from the service's StartTime and the latest sample. The one estimate of time left: the polls
 * aim at it, and the log's "about 2m 00s left" is its distance from now.
 */
export function predictEnd(v: JobView): Prediction | undefined {
  const pace = v.pace
  if (v.job?.state !== 'Processing' || !pace) return undefined
  return steadyEnd(pace) ?? extrapolatedEnd(v, pace)
}

/** The end window of a steady pace, once every line of its band reaches 100 %. */
function steadyEnd(pace: Pace): Prediction | undefined {
  const band = pace.anchored ?? pace.band
  if (!band) return undefined
  const window = endWindow(band)
  if (!Number.isFinite(window.latest)) return undefined
  return {
    endAt: (window.earliest + window.latest) / 2,
    totalMs: Math.round(100_000 / meanRate(band)),
    window
  }
}

function extrapolatedEnd(v: JobView, pace: Pace): Prediction | undefined {
  const { first, last } = pace
  if (last.progress >= 100) return { endAt: last.at, totalMs: 0 }
  const gained = last.progress - first.progress
  if (gained >= 10 && last.at > first.at) {
    const perMs = gained / (last.at - first.at)
    return { endAt: last.at + (100 - last.progress) / perMs, totalMs: 100 / perMs }
  }
  const start = v.job?.startTime?.getTime()
  if (start !== undefined && last.progress > 0 && last.at > start) {
    const totalMs = ((last.at - start) * 100) / last.progress
    return { endAt: start + totalMs, totalMs }
  }
  if (gained > 0 && last.at > first.at) {
    const perMs = gained / (last.at - first.at)
    return { endAt: last.at + (100 - last.progress) / perMs, totalMs: 100 / perMs }
  }
  return undefined
}

export interface NextPollInput extends Costing {
  policy: PollingPolicy
  views: readonly JobView[]
  /** Our clock: now, when the wait's first poll started, when the last poll started, the deadline. */
  now: number
  started: number
  lastPoll: number
  deadline: number
  intervalMs: number
  /** Predictive only: what is left of the fixed-polling budget. */
  budget: Budget
}

/** When (our clock) to poll next; undefined once a poll has started at or after the deadline. */
export function nextPollAt(o: NextPollInput): number | undefined {
  const I = o.intervalMs
  let at: number
  if (o.policy === 'fixed') {
    // Fixed rate: started + k × interval, the tick after the last poll's (which a timer may have started a
    // little late), or the first one still ahead when a poll overran the interval.
    const lastTick = Math.floor((o.lastPoll - o.started + TICK_SLACK_MS) / I)
    at = o.started + Math.max(lastTick + 1, Math.ceil((o.now - o.started) / I)) * I
  } else {
    // predictiveAt keeps MIN_GAP_MS after the last poll: its floor is at least that, and so is the interval.
    at = withinBudget(o, Math.max(o.now, predictiveAt(o)))
  }
  if (o.lastPoll >= o.deadline) return undefined
  // The wait lasts until the deadline: one last poll there sees a job that ended in the last interval. A
  // late timer, the budget or the interval must not skip it, so it may come sooner than MIN_GAP_MS after
  // the poll before (once a wait); a poll that overran the deadline is followed by one at once (`at` is
  // never before now).
  return Math.min(at, Math.max(o.deadline, o.now))
}

/**
 * Not before the budget has earned the next poll's queries. Where progress comes in the job, a fixed poll
 * costs no more than a predictive one, so nothing is saved to poll early with: there a poll may run one poll
 * ahead of the budget, once, to land just past a predicted end (and the polls after it stay one ahead).
 */
function withinBudget(o: NextPollInput, at: number): number {
  const ahead = Math.max(0, o.budget.spent - o.budget.earned)
  const runAhead = o.cost.progress === 'in-job'
  // Once ahead, never further: each poll waits for the tick that pays for it.
  const paidAt = paidBy(o, runAhead ? ahead : 0)
  if (at >= paidAt) return at
  const aimed = runAhead && ahead === 0 ? aimedAt(o, paidAt) : undefined
  return aimed ?? paidAt
}

/** The tick of the schedule by which the budget has earned the next poll, given `credit` requests of it. */
function paidBy(o: NextPollInput, credit: number): number {
  // Owing nothing, this is a tick already credited, at or before the last poll: no later than any poll
  // to come.
  const owed = o.budget.spent + jobsQueries(o.views, o.cost) - o.budget.earned - credit
  const perTick = Math.max(1, fixedPollCost(o.views, o))
  return o.started + (o.budget.ticks - 1 + Math.ceil(owed / perTick)) * o.intervalMs
}

/**
 * A poll before `paidAt` that sees the soonest predicted end: just past it, when it comes before `paidAt`;
 * or, when it comes less than MIN_GAP_MS after `paidAt` (too close for a poll there and one after it), a poll
 * between, so that the next one can land just past the end. Undefined when neither helps.
 */
function aimedAt(o: NextPollInput, paidAt: number): number | undefined {
  const soonest = soonestEnd(o.views)
  if (!soonest) return undefined
  const earliest = Math.max(o.now, o.lastPoll + MIN_GAP_MS)
  const end = Math.max(earliest, justPast(soonest, o.intervalMs))
  if (end <= paidAt) return end
  // The poll between is MIN_GAP_MS or more before the end: were the end closer to the earliest poll,
  // predictiveAt would have aimed at it, and `at` would not be before paidAt.
  return end < paidAt + MIN_GAP_MS ? Math.max(earliest, end - o.intervalMs) : undefined
}

/**
 * When to look for a predicted end: just past the latest end of a steady pace's window; else 1% of the
 * whole run past it, 100 ms to a tenth of the interval.
 */
function justPast(p: Prediction, intervalMs: number): number {
  if (p.window) return p.window.latest + steadyMargin(intervalMs)
  return p.endAt + clamp(0.01 * p.totalMs, 100, 0.1 * intervalMs)
}

/** How far past a steady pace's latest end to look: the time its samples' clocks may be off, at most. */
function steadyMargin(intervalMs: number): number {
  return Math.min(STEADY_MARGIN_MS, 0.05 * intervalMs)
}

/** The soonest predicted end of the Processing jobs (only they have one), if any has one. */
function soonestEnd(views: readonly JobView[]): Prediction | undefined {
  return (
    views
      .map(predictEnd)
      .filter((p): p is Prediction => p !== undefined)
      // Of two that end together, the surer (the shorter run, the smaller margin), whatever the jobs' order.
      .reduce<Prediction | undefined>(
        (a, p) => (a && (a.endAt - p.endAt || a.totalMs - p.totalMs) <= 0 ? a : p),
        undefined
      )
  )
}

function predictiveAt(o: NextPollInput): number {
  const I = o.intervalMs
  const open = o.views.filter(isOpen)
  const processing = open.filter(v => v.job?.state === 'Processing')
  if (processing.length > 0) {
    const floor = Math.max(MIN_GAP_MS, FLOOR_SHARE * I)
    let delay = I
    const soonest = soonestEnd(processing)
    // A steady pace is trusted until its window has passed: one poll lands just past its latest end.
    if (soonest?.window && o.now <= justPast(soonest, I)) {
      const target = justPast(soonest, I)
      const at = steadyAt(o, target, soonest.window)
      // A poll moved to where a read narrows a window, when that comes within the interval and leaves room
      // for the poll at the target.
      const from = Math.max(o.now, o.lastPoll + MIN_GAP_MS)
      const probe = probeAt(processing, { from, lastPoll: o.lastPoll, target }, I)
      return probe !== undefined && probe <= Math.min(o.lastPoll + I, target - MIN_GAP_MS) ? probe : at
    }
    if (soonest) {
      const remaining = soonest.endAt - o.now
      delay = clamp(remaining * SHARE_OF_REMAINDER, floor, I)
      // Close to the end, or past it, aim just past the predicted end (its margin of error) rather than a
      // poll before and one after it.
      if (remaining - delay < floor) delay = clamp(justPast(soonest, I) - o.now, floor, I)
    }
    // While a job is Processing, never longer than the interval between polls.
    return Math.min(o.now + delay, o.lastPoll + I)
  }
  // Some job is open (else the wait would have ended).
  if (open.every(v => v.job?.state === 'Queued' || v.job?.state === 'Scheduled')) {
    // Nothing runs yet: one more look an interval on, in case a job was about to start; then the jobs
    // wait their turn, and a poll says no more than the StartTime a later one gives (the prediction counts
    // from it): QUEUED_BACKOFF intervals apart.
    return o.lastPoll + (sinceStart(o) > 0 ? QUEUED_BACKOFF * I : I)
  }
  return o.lastPoll + I
}

/**
 * The next poll of a schedule that keeps one poll landing on `target`: polls at target − k × interval, the
 * first of them after the last poll. Where that one would come too soon after the last poll (MIN_GAP_MS),
 * the poll comes as soon as it may when the target is two intervals away or less (the one after it then
 * lands on the target), else after a full interval.
 */
function steadyAt(o: NextPollInput, target: number, window: { earliest: number; latest: number }): number {
  const I = o.intervalMs
  const soonest = Math.max(o.now, o.lastPoll + MIN_GAP_MS)
  const latest = o.lastPoll + I
  // A window that reads will still narrow moves: the polls keep their schedule until it is near.
  const settled = window.latest - window.earliest <= WINDOW_SHARE * I
  if (!settled && target - o.now > ALIGN_INTERVALS * I) return latest
  const k = Math.max(0, Math.ceil((target - latest) / I))
  const at = target - k * I
  if (at >= soonest) return at
  return k <= ALIGN_INTERVALS ? Math.min(soonest, latest) : latest
}

function sinceStart(o: NextPollInput): number {
  return o.lastPoll - o.started
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}

/**
 * Predictive: the Processing jobs whose progress the prediction needs now, most needed first. Those never
 * sampled, those without a prediction, those whose pace is not yet steady (fewer than two samples that
 * agree) and those past the latest end their pace allowed: once an interval. A steady pace is trusted:
 * its job is read only near its end, while its end window is wider than WINDOW_SHARE of the interval,
 * and only when the read can narrow it (readNarrows). A pace that is not steady (noise, stalls, jumps) is
 * read when half of the remainder predicted at its last sample has passed, or LOG_EVERY intervals have.
 * A job whose tasks carry no progress is not read.
 */
export function progressReadsDue(views: readonly JobView[], now: number, intervalMs: number): JobView[] {
  return views
    .filter(v => v.job?.state === 'Processing' && !v.noProgress)
    .map(v => ({ v, need: readNeed(v, now, intervalMs) }))
    .filter(x => x.need >= 1)
    .sort((a, b) => b.need - a.need)
    .map(x => x.v)
}

/** How much a job's progress is needed now: 1 or more is a read. */
function readNeed(v: JobView, now: number, I: number): number {
  const since = now - (v.progressSampledAt ?? -Infinity)
  const start = v.job?.startTime?.getTime()
  // A job that has just started has no progress worth a read: its first read comes FIRST_READ intervals
  // after its StartTime (at once when that is unknown, or ahead of our clock).
  if (v.progressSampledAt === undefined)
    return start !== undefined && start <= now ? (now - start) / (FIRST_READ * I) : Infinity
  if (!v.pace) return since / I
  const p = predictEnd(v)
  // No prediction yet (no progress so far): read again when it has run as long again, LOG_EVERY intervals
  // at most.
  const ranBefore = v.pace.last.at - Math.min(start ?? Infinity, v.pace.first.at)
  if (!p) return since / clamp(ranBefore, I, LOG_EVERY * I)
  if (p.window) {
    const steady = (v.pace.samples ?? 0) + (v.pace.anchored ? 1 : 0) >= 2
    if (now > justPast(p, I) || !steady) return since / I
    return readNarrows(v.pace, p.window, now, I) ? 1 + since / I : 0
  }
  // The log shows progress at least every few intervals, even when the prediction needs no sample.
  return Math.max(since / Math.max(1, (p.endAt - v.pace.last.at) / 2), since / (LOG_EVERY * I))
}

/**
 * A steady pace needs a read now when its end window is still wide and its end near (narrowing), and the
 * read can narrow it. Steps shorter than the interval: whatever the read finds leaves at most GOOD_SPLIT of
 * the window (probeAt moves the poll to where it does). Longer: the progress it may find now is split by a
 * whole-percent step evenly enough (probeAt moves a poll to the middle of the time the next step is due).
 */
function readNarrows(pace: Pace, window: Window, now: number, I: number): boolean {
  const band = narrowing(pace, window, now, I)
  if (!band) return false
  if (stepMs(band) <= I) return widestAfter(band, now) <= GOOD_SPLIT * (window.latest - window.earliest)
  const { low, high } = progressWindow(band, now)
  // Past 98.5 % a running job shows 99 whatever it is: a read there tells nothing.
  if (low >= LAST_SHOWN) return false
  if (high - low >= 2) return true
  // The whole-percent steps inside (low, high): at most two, the range being under 2 points.
  const first = Math.floor(low + HALF_STEP) + HALF_STEP
  const evenness = (step: number) => (step < high ? Math.min(step - low, high - step) / (high - low) : 0)
  return Math.max(evenness(first), evenness(first + 1)) >= MIN_CUT
}

/** How long a whole-percent step lasts at the band's middle pace: shorter than the interval or not decides how reads narrow it. */
function stepMs(band: Band): number {
  return 1000 / meanRate(band)
}

/**
 * The band of a steady pace whose window reads should narrow now: still wide, and its end near. Steps
 * longer than the interval are probed one a step, each halving the window at best, with a few to spare;
 * shorter ones from FAST_NEAR intervals before the window.
 */
function narrowing(pace: Pace, window: Window, now: number, I: number): Band | undefined {
  const band = pace.anchored ?? pace.band
  const wide = window.latest - window.earliest
  const target = WINDOW_SHARE * I
  if (!band || wide <= target) return undefined
  const step = stepMs(band)
  const near = step > I ? (Math.log2(wide / target) + 1 + SPARE_STEPS) * step : FAST_NEAR * I
  return window.earliest - now > near ? undefined : band
}

/**
 * When a read would narrow a steady window best, for the job that needs it soonest; undefined when no
 * job's window needs narrowing (or, for short steps, no read can split it well).
 */
function probeAt(
  views: readonly JobView[],
  o: { from: number; lastPoll: number; target: number },
  I: number
): number | undefined {
  let at: number | undefined
  for (const v of views) {
    const p = predictEnd(v)
    const band = v.pace && p?.window && !v.noProgress && narrowing(v.pace, p.window, o.from, I)
    if (!band || !p?.window || meanRate(band) <= 0) continue
    const probe = stepMs(band) <= I ? splitAt(band, p.window, o, I) : crossingAt(band, o.from)
    if (probe !== undefined) at = Math.min(at ?? Infinity, probe)
  }
  return at
}

/**
 * Steps longer than the interval: when the middle of the band crosses the next whole-percent step after
 * `from` (a read then finds the step passed or not, ruling out half the window).
 */
function crossingAt(band: Band, from: number): number | undefined {
  const { low, high } = progressWindow(band, from)
  const step = Math.floor((low + high) / 2 + HALF_STEP) + HALF_STEP
  if (step > LAST_SHOWN) return undefined
  // The middle of the times the band's lines cross the step.
  const times = band.corners.filter(([a]) => a > 0).map(([a, b]) => band.origin + (1000 * (step - b)) / a)
  if (times.length === 0) return undefined
  return Math.max(from, (Math.min(...times) + Math.max(...times)) / 2)
}

/**
 * Steps shorter than the interval: the time the next poll can take without adding a poll before `target`
 * (the poll that lands just past the soonest end), and leaving room for that one, at which a read leaves
 * the narrowest window whatever it finds (the latest within SPLIT_SLACK of it: the target may only come
 * sooner); undefined when none leaves at most GOOD_SPLIT of it.
 */
function splitAt(
  band: Band,
  window: Window,
  o: { from: number; lastPoll: number; target: number },
  I: number
): number | undefined {
  const polls = Math.ceil((o.target - o.lastPoll) / I)
  if (polls <= 1) return undefined
  const from = Math.max(o.from, o.target - (polls - 1) * I)
  const until = Math.min(o.lastPoll + I, o.target - MIN_GAP_MS)
  if (from > until) return undefined
  const tried = [...Array(SPLIT_TIMES + 1).keys()].map(k => {
    const at = from + ((until - from) * k) / SPLIT_TIMES
    return { at, widest: widestAfter(band, at) }
  })
  const wide = window.latest - window.earliest
  const least = Math.min(...tried.map(t => t.widest))
  if (least > GOOD_SPLIT * wide) return undefined
  const good = tried.filter(t => t.widest <= least + SPLIT_SLACK * wide)
  return good.at(-1)?.at
}
