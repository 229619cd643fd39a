/** The outputs' edges: the aggregate state of jobs still going, the mean progress, and the 1 MB limit of `jobs`. */
import { describe, it, expect } from '@jest/globals'
import { JOB_A, JOB_B } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import { aggregateState, jobsJson, jobsProgress, outputs } from '../../../src/report/outputs.js'

describe('the aggregate state of jobs still going', () => {
  it('is the least advanced, whichever comes first in input order', () => {
    expect(aggregateState([view(JOB_A, 'Queued'), view(JOB_B, 'Processing')])).toBe('Queued')
    expect(aggregateState([view(JOB_A, 'Processing'), view(JOB_B, 'Queued')])).toBe('Queued')
  })
})

describe('the runningDuration output: ranMs, as the verdict, the log and the summary say it', () => {
  const started = new Date('2024-05-01T12:00:00Z')
  it('is empty, not 0, for a job still running that the service gives no running time for', () => {
    const running = view(JOB_A, 'Processing', {}, { startTime: started, runningDuration: 0 })
    const out = outputs(waitResult('timeout', [running]))
    expect(out.runningDuration).toBe('')
    expect(JSON.parse(out.jobs)[0].runningDuration).toBeNull()
  })

  it('is endTime − startTime once both are known, whatever RunningDuration says', () => {
    const ended = {
      startTime: started,
      endTime: new Date(started.getTime() + 47_000),
      runningDuration: 39_605
    }
    expect(outputs(waitResult('success', [view(JOB_A, 'Finished', {}, ended)])).runningDuration).toBe('47000')
  })
})

describe('the progress output', () => {
  it('counts a Finished job as 100 even when its tasks were not read', () => {
    expect(outputs(waitResult('success', [view(JOB_A, 'Finished')])).progress).toBe('100')
  })
})

describe('jobsProgress: the progress of several jobs (the progress output and the log aggregate line)', () => {
  it('is the mean, a Finished job counting 100 and one whose progress is not known 0', () => {
    const views = [
      view(JOB_A, 'Finished'),
      view(JOB_B, 'Processing', { progress: 50 }),
      view(JOB_B, 'Queued')
    ]
    expect(jobsProgress(views)).toBe(50)
    expect(jobsProgress([])).toBe(0)
  })
})

describe('the jobs JSON at its byte limit', () => {
  // Five records of 7 bytes: the whole array is 1 + 5 × 8 = 41 bytes; the marker for up to 9 left out is 30.
  const records = Array.from({ length: 5 }, (_, n) => ({ n }))
  const marker = (omitted: number): string => JSON.stringify({ truncated: true, omitted })

  it('is the whole array when it is exactly the limit', () => {
    const json = jobsJson(records, 41)
    expect(json).toBe(JSON.stringify(records))
    expect(Buffer.byteLength(json)).toBe(41)
  })

  it('one byte under the whole array: the records that fit with the marker, up to exactly the limit', () => {
    expect(jobsJson(records, 40)).toBe(`[{"n":0},${marker(4)}]`)
    expect(Buffer.byteLength(jobsJson(records, 40))).toBe(40)
    expect(jobsJson(records, 39)).toBe(`[${marker(5)}]`)
    expect(jobsJson(records, 33)).toBe(`[${marker(5)}]`)
  })

  it('under any limit that leaves room for the marker: never over it, and every record it has room for kept', () => {
    const mixed = [...records.slice(0, 4), { s: 'x'.repeat(40) }]
    for (const list of [records, mixed]) {
      const whole = Buffer.byteLength(JSON.stringify(list))
      for (let limit = 32; limit < whole; limit++) {
        const json = jobsJson(list, limit)
        const kept = (JSON.parse(json) as object[]).length - 1
        expect(Buffer.byteLength(json)).toBeLessThanOrEqual(limit)
        // The next record, with its comma, would have passed the limit.
        expect(Buffer.byteLength(json) + Buffer.byteLength(JSON.stringify(list[kept])) + 1).toBeGreaterThan(
          limit
        )
      }
    }
  })
})
