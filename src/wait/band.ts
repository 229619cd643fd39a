/**
 * What a job's progress samples say of its end, rounding included. Progress is read in whole percent: a
 * sample of 42 says the job was between 41.5 % and 42.5 % done when it was taken. A steady job's progress
 * is a line, progress(t) = a·τ + b (τ in seconds since the band's origin); the lines that pass within
 * HALF_STEP of every sample form a convex polygon in (a, b), and the job's end lies between the earliest
 * and the latest time at which one of those lines reaches 100 %. Each sample clips the polygon: a sample
 * taken just after the progress ticks over pins the line more than a hundred samples in between. A sample
 * no line can meet (noise, a stall, a jump) leaves the polygon empty: the pace is not steady.
 */

/** A progress value stands for everything within this many points of it (whole percent, rounded). */
export const HALF_STEP = 0.5
/** The most a running job shows: its tasks' progress reaches 100 when it ends. */
const LAST_STEP = 99
/** No job gains more than this many points a second: the polygon's first bound. */
const MAX_RATE = 1000
const EPS = 1e-9

export interface Band {
  /** Our clock, ms: τ is counted in seconds from here. */
  origin: number
  /** The polygon's corners, as [a (points per second), b (points at origin)]. */
  corners: readonly (readonly [number, number])[]
}

export interface Sample {
  at: number
  progress: number
  /** The progress was true at some moment `at - spread` to `at + spread` (the request's own time). */
  spread?: number
}

/** The band of one sample: every line within HALF_STEP of it, rising at most MAX_RATE. */
export function bandOf(s: Sample): Band {
  const box: [number, number][] = [
    [0, -HALF_STEP],
    [MAX_RATE, -HALF_STEP],
    [MAX_RATE, 100 + HALF_STEP],
    [0, 100 + HALF_STEP]
  ]
  return withSample({ origin: s.at, corners: box }, s) ?? { origin: s.at, corners: box }
}

/** The band narrowed by one more sample; undefined when no line of it meets the sample. */
export function withSample(band: Band, s: Sample): Band | undefined {
  const spread = s.spread ?? 0
  // A progress that only rises was at most `hi` at the earliest moment, at least `lo` at the latest.
  const early = (s.at - spread - band.origin) / 1000
  const late = (s.at + spread - band.origin) / 1000
  // A job still running has not reached 100 %, and shows at most 99 until it ends: 99 stands for all
  // the rest.
  const hi = s.progress >= LAST_STEP ? 100 : s.progress + HALF_STEP
  const lo = s.progress - HALF_STEP
  // a·τ + b ≤ hi, and -(a·τ + b) ≤ -lo.
  const upper = clip(band.corners, early, 1, hi)
  const both = clip(upper, -late, -1, -lo)
  return both.length === 0 ? undefined : { origin: band.origin, corners: both }
}

/** The polygon's part where α·a + β·b ≤ c (Sutherland-Hodgman, one edge). */
function clip(
  corners: readonly (readonly [number, number])[],
  alpha: number,
  beta: number,
  c: number
): [number, number][] {
  const out: [number, number][] = []
  const side = (p: readonly [number, number]) => alpha * p[0] + beta * p[1] - c
  for (let i = 0; i < corners.length; i++) {
    const p = corners[i]
    const q = corners[(i + 1) % corners.length]
    const sp = side(p)
    const sq = side(q)
    if (sp <= EPS) out.push([p[0], p[1]])
    if ((sp < -EPS && sq > EPS) || (sp > EPS && sq < -EPS)) {
      const t = sp / (sp - sq)
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])])
    }
  }
  return out
}

/** When (our clock) the lines of the band reach 100 %: the earliest and the latest; Infinity if one never does. */
export function endWindow(band: Band): { earliest: number; latest: number } {
  let earliest = Infinity
  let latest = -Infinity
  for (const [a, b] of band.corners) {
    const at = a > EPS ? band.origin + (1000 * (100 - b)) / a : Infinity
    earliest = Math.min(earliest, at)
    latest = Math.max(latest, at)
  }
  return { earliest, latest }
}

/** The least and the most progress the band allows at `at` (our clock). */
export function progressWindow(band: Band, at: number): { low: number; high: number } {
  const tau = (at - band.origin) / 1000
  const values = band.corners.map(([a, b]) => a * tau + b)
  return { low: Math.min(...values), high: Math.max(...values) }
}

/**
 * The widest end window that a sample taken at `at` can leave: the band narrowed by each whole-percent
 * reading it allows then. A sample that splits the band evenly halves the window, whichever side it finds.
 */
export function widestAfter(band: Band, at: number): number {
  const { low, high } = progressWindow(band, at)
  let widest = 0
  const top = Math.min(LAST_STEP, Math.round(high))
  for (let r = Math.min(top, Math.max(0, Math.round(low))); r <= top; r++) {
    const narrowed = withSample(band, { at, progress: r })
    if (!narrowed) continue
    const w = endWindow(narrowed)
    widest = Math.max(widest, w.latest - w.earliest)
  }
  return widest
}

/** The band's middle pace, in points per second (the mean of its corners' rates). */
export function meanRate(band: Band): number {
  return band.corners.reduce((sum, [a]) => sum + a, 0) / Math.max(1, band.corners.length)
}
