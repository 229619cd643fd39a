/** The band of steady paces that a job's rounded progress samples allow, and the end window it gives. */
import { describe, expect, it } from '@jest/globals'
import {
  type Band,
  bandOf,
  endWindow,
  progressWindow,
  widestAfter,
  withSample
} from '../../../src/wait/band.js'

const S = 1000
const fold = (samples: [number, number][]): Band | undefined =>
  samples
    .slice(1)
    .reduce<Band | undefined>(
      (b, [t, p]) => b && withSample(b, { at: t * S, progress: p }),
      bandOf({ at: samples[0][0] * S, progress: samples[0][1] })
    )

describe('the band of steady paces', () => {
  it('one sample bounds no end: the job may stall (latest Infinity)', () => {
    expect(endWindow(bandOf({ at: 0, progress: 40 })).latest).toBe(Infinity)
  })

  it('0% at 0 s and 50% at 10 s: the end lies between 19.7 s and 20.4 s (each sample ± half a point)', () => {
    const w = endWindow(
      fold([
        [0, 0],
        [10, 50]
      ])!
    )
    expect(w.earliest).toBeCloseTo(19_706, -1)
    expect(w.latest).toBeCloseTo(20_306, -1)
  })

  it('every sample that agrees narrows the window, and never moves it off the true end', () => {
    // A 100 s job, read every 7 s: rounded progress.
    const samples: [number, number][] = []
    let last = Infinity
    for (let t = 3; t < 100; t += 7) {
      samples.push([t, Math.round(t)])
      const w = endWindow(fold(samples)!)
      if (samples.length >= 2) {
        expect(w.earliest).toBeLessThanOrEqual(100 * S)
        expect(w.latest).toBeGreaterThanOrEqual(100 * S)
        expect(w.latest - w.earliest).toBeLessThanOrEqual(last)
        last = w.latest - w.earliest
      }
    }
    expect(last).toBeLessThan(1.5 * S)
  })

  it('a sample no steady pace meets empties it: a jump, a stall, progress that went back', () => {
    const steady: [number, number][] = [
      [0, 0],
      [10, 10]
    ]
    expect(fold([...steady, [20, 40]])).toBeUndefined()
    expect(fold([...steady, [40, 10]])).toBeUndefined()
    expect(fold([...steady, [20, 5]])).toBeUndefined()
    expect(fold([...steady, [20, 20]])).toBeDefined()
  })

  it('a running job shows 99 until it ends: 99 stands for everything above 98.5%', () => {
    // 1 point a second from 0: 99.8% at 99.8 s is still shown as 99.
    const b = fold([
      [0, 0],
      [50, 50],
      [99.8, 99]
    ])
    expect(b).toBeDefined()
    expect(endWindow(b!).latest).toBeGreaterThanOrEqual(99.8 * S)
  })

  it('progressWindow: the least and the most progress the band allows at a time', () => {
    const b = fold([
      [0, 0],
      [10, 50]
    ])!
    const { low, high } = progressWindow(b, 12 * S)
    expect(low).toBeLessThanOrEqual(60)
    expect(high).toBeGreaterThanOrEqual(60)
    expect(high - low).toBeLessThan(2)
  })

  it("a sample's spread: the progress was true some moment within it, and the window keeps the true end", () => {
    // 1 point a second from 0; a read that took 200 ms, timed at its middle, found 60.
    const exact = fold([
      [0, 0],
      [60, 60]
    ])!
    const spread = withSample(bandOf({ at: 0, progress: 0 }), { at: 60 * S, progress: 60, spread: 100 })!
    const w = endWindow(spread)
    const e = endWindow(exact)
    expect(w.latest - w.earliest).toBeGreaterThan(e.latest - e.earliest)
    expect(w.earliest).toBeLessThanOrEqual(e.earliest)
    expect(w.latest).toBeGreaterThanOrEqual(e.latest)
    // 78 % claimed at 80 s: no pace of the first two samples was there then, but one was a second sooner.
    const late = (spread?: number) =>
      withSample(
        fold([
          [0, 0],
          [50, 50]
        ])!,
        { at: 80 * S, progress: 78, spread }
      )
    expect(late()).toBeUndefined()
    expect(late(1000)).toBeDefined()
  })
})

describe('widestAfter: how wide a read leaves the end window, whatever it finds', () => {
  // 1 point a second from 0 (rounded samples at 0 s and 50 s): the end lies within about 2 s of 100 s.
  const band = fold([
    [0, 0],
    [50, 50]
  ])!
  const w = endWindow(band)
  const wide = w.latest - w.earliest

  it('is never wider than the window, and is what the narrowed band gives for the worst reading', () => {
    for (let t = 51; t < 99; t += 0.25) {
      const widest = widestAfter(band, t * S)
      expect(widest).toBeLessThanOrEqual(wide + 1e-6)
      const { low, high } = progressWindow(band, t * S)
      for (let r = Math.round(low); r <= Math.min(99, Math.round(high)); r++) {
        const narrowed = withSample(band, { at: t * S, progress: r })
        if (narrowed) {
          const n = endWindow(narrowed)
          expect(n.latest - n.earliest).toBeLessThanOrEqual(widest + 1e-6)
        }
      }
    }
  })

  it('some time near the end splits the window to half or less; past 98.5 % a read tells only what a poll does', () => {
    const near = [...Array(100).keys()].map(k => widestAfter(band, (90 + k * 0.05) * S))
    expect(Math.min(...near)).toBeLessThanOrEqual(0.55 * wide)
    // Every line of the band is past 98.5 % at 101.5 s: the read can only find 99, which says the job has
    // not ended yet.
    expect(progressWindow(band, 101.5 * S).low).toBeGreaterThan(98.5)
    expect(widestAfter(band, 101.5 * S)).toBeCloseTo(w.latest - 101.5 * S, 0)
  })
})
