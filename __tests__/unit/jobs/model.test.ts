import { describe, it, expect } from '@jest/globals'
import { meanProgress, ranMs } from '../../../src/jobs/model.js'

const at = (s: number): Date => new Date(Date.UTC(2024, 4, 1, 12, 0, s))

describe('ranMs: how long a job ran, by the service', () => {
  it.each<[string, { startTime?: Date; endTime?: Date; runningDuration: number }, number | undefined]>([
    [
      'EndTime − StartTime when both are known',
      { startTime: at(5), endTime: at(52), runningDuration: 0 },
      47_000
    ],
    [
      'EndTime − StartTime before the service’s RunningDuration',
      { startTime: at(0), endTime: at(47), runningDuration: 39_605 },
      47_000
    ],
    ['0 when it ended as it started', { startTime: at(5), endTime: at(5), runningDuration: 0 }, 0],
    [
      'never negative (an EndTime before StartTime)',
      { startTime: at(9), endTime: at(5), runningDuration: 0 },
      0
    ],
    ['RunningDuration without the times (v2)', { runningDuration: 4200 }, 4200],
    [
      'RunningDuration while running (StartTime, no EndTime)',
      { startTime: at(0), runningDuration: 1200 },
      1200
    ],
    ['unknown: started, no EndTime, RunningDuration 0', { startTime: at(0), runningDuration: 0 }, undefined],
    ['unknown: an EndTime without StartTime (MK.IO)', { endTime: at(60), runningDuration: 0 }, undefined],
    ['unknown: not started', { runningDuration: 0 }, undefined]
  ])('%s', (_, job, expected) => {
    expect(ranMs(job)).toBe(expected)
  })
})

describe('meanProgress: the mean of progress values', () => {
  it.each<[readonly number[], number | undefined]>([
    [[], undefined],
    [[40], 40],
    [[0, 100], 50],
    [[10, 20, 60], 30],
    [[100, 100 / 3], (100 + 100 / 3) / 2]
  ])('%j -> %p', (values, expected) => {
    expect(meanProgress(values)).toBe(expected)
  })
})
