import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { clockStamp, formatDuration, parseDuration } from '../../../src/time.js'

describe('parseDuration: durations as people write them in a workflow', () => {
  it.each([
    ['15', 15_000],
    ['15s', 15_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['1.25h', 4_500_000],
    ['0.125s', 125],
    ['500ms', 500],
    ['0.5s', 500],
    ['1d', 86_400_000],
    ['  10S ', 10_000],
    ['2m30s', 150_000],
    ['0', 0],
    ['2 hours', 7_200_000],
    ['90min', 5_400_000],
    ['1 hour 30 minutes', 5_400_000],
    ['45 sec', 45_000],
    ['2hrs', 7_200_000],
    ['10 Minutes', 600_000],
    ['1 day', 86_400_000],
    ['250 msec', 250]
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each([
    '',
    '   ',
    'abc',
    '2 months',
    '10 mo',
    '1 hour and 30 minutes',
    '-5s',
    '1.5.5',
    's',
    '10x',
    '1h-30m',
    '.5s',
    '1e3'
  ])('%j is not a duration', text => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it('a number too large to represent is not a duration (not Infinity)', () => {
    // A timeout of Infinity ms would reach setTimeout, which fires an overflowing delay after 1 ms.
    expect(parseDuration('9'.repeat(400))).toBeUndefined()
    expect(parseDuration(`${'9'.repeat(400)}d`)).toBeUndefined()
  })

  it('never throws, and gives undefined or a finite non-negative whole number of ms', () => {
    const durationLike = fc.stringMatching(/^(\d{1,3}(\.\d{1,2})?(ms|s|m|h|d)? ?){1,4}$/)
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), durationLike), text => {
        const ms = parseDuration(text)
        if (ms === undefined) return
        expect(Number.isFinite(ms)).toBe(true)
        expect(Number.isInteger(ms)).toBe(true)
        expect(ms).toBeGreaterThanOrEqual(0)
      })
    )
  })

  it('reads back what formatDuration prints, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_599_000 }), seconds => {
        const ms = Math.floor(seconds / 1000) * 1000
        expect(parseDuration(formatDuration(ms))).toBe(ms)
      })
    )
  })
})

describe('formatDuration: short, at most two parts', () => {
  it.each([
    [0, '0s'],
    [250, '0.3s'],
    [999, '1.0s'],
    [1_000, '1s'],
    [42_000, '42s'],
    [59_999, '59s'],
    [60_000, '1m 00s'],
    [185_000, '3m 05s'],
    [3_600_000, '1h 00m'],
    [7_380_000, '2h 03m'],
    [21_600_000, '6h 00m'],
    [86_399_999, '23h 59m'],
    [86_400_000, '1d 00h'],
    [93_600_000, '1d 02h'],
    [-5, '0s'],
    [Number.NaN, '0s'],
    [Number.POSITIVE_INFINITY, '0s']
  ])('%d ms prints as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('clockStamp: elapsed time as a log prefix', () => {
  it.each([
    [0, '00:00'],
    [9_999, '00:09'],
    [65_000, '01:05'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [37_230_000, '10:20:30'],
    [-1_000, '00:00']
  ])('%d ms is [%s]', (ms, stamp) => {
    expect(clockStamp(ms)).toBe(stamp)
  })
})
