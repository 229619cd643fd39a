/** The step's outputs (outputs.ts): each output, the jobs and assets JSON, the aggregate state and progress. */
import { describe, it, expect } from '@jest/globals'
import { START } from '../../../__fixtures__/clock.js'
import { JOB_A, JOB_B, JOB_C } from '../../../__fixtures__/inputs.js'
import { view, waitResult, errorView, numberedJobId as jobId } from '../../../__fixtures__/jobs.js'
import type { JobState, OutputAsset } from '../../../src/jobs/model.js'
import {
  aggregateState,
  jobRecord,
  type JobRecord,
  jobsJson,
  jobsProgress,
  lastStateText,
  OUTPUT_BYTES,
  outputs,
  unfinishedOutputsWarning
} from '../../../src/report/outputs.js'
import type { JobView } from '../../../src/wait/waiter.js'
import { at, finishedA, finishedWith, THUMBS, V2_ASSET, VIDEO } from '../../../__fixtures__/report.js'

const paused = (): JobView => view(JOB_A, 'Unknown', {}, { name: 'clip', reportedState: 'Paused' })

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

describe('outputs for one job', () => {
  it('a finished job gives its state, duration (endTime − startTime, ranMs), times in ISO UTC, progress and the jobs JSON', () => {
    expect(outputs(waitResult('success', [finishedA()]))).toEqual({
      state: 'Finished',
      runningDuration: '120000',
      startTime: '2024-05-01T12:00:05.000Z',
      endTime: '2024-05-01T12:02:05.000Z',
      progress: '100',
      jobs: JSON.stringify([
        {
          id: JOB_A,
          name: 'trailer',
          state: 'Finished',
          runningDuration: 120000,
          progress: 100,
          startTime: '2024-05-01T12:00:05.000Z',
          endTime: '2024-05-01T12:02:05.000Z',
          errors: [],
          assets: []
        }
      ]),
      assets: '[]',
      'asset-name': '',
      'asset-id': ''
    })
  })

  it('a job that never started leaves the times empty', () => {
    const out = outputs(waitResult('timeout', [view(JOB_A, 'Queued')]))
    expect(out).toMatchObject({
      state: 'Queued',
      startTime: '',
      endTime: '',
      progress: '0',
      runningDuration: ''
    })
  })

  it('a Finished job with an endTime and no startTime (as MK.IO may send) has no running time: empty, not 0', () => {
    const done = view(
      JOB_A,
      'Finished',
      {},
      { startTime: undefined, endTime: new Date(START + 60_000), runningDuration: 0 }
    )
    const out = outputs(waitResult('success', [done]))
    expect(out.runningDuration).toBe('')
    expect(out.startTime).toBe('')
    expect(JSON.parse(out.jobs)[0].runningDuration).toBeNull()
  })

  it('a running time the service gave without a startTime (v2 RunningDuration) is kept', () => {
    const ran = view(JOB_A, 'Finished', {}, { startTime: undefined, runningDuration: 4200 })
    expect(outputs(waitResult('success', [ran])).runningDuration).toBe('4200')
  })

  it('a job not found has no duration and the state NotFound', () => {
    const out = outputs(waitResult('not-found', [view(JOB_A, undefined, { missingPolls: 3 })]))
    expect(out).toMatchObject({ state: 'NotFound', runningDuration: '', startTime: '', endTime: '' })
    expect(JSON.parse(out.jobs)).toEqual([
      {
        id: JOB_A,
        name: '',
        state: 'NotFound',
        runningDuration: null,
        progress: null,
        startTime: null,
        endTime: null,
        errors: [],
        assets: []
      }
    ])
  })
})

describe('outputs for several jobs', () => {
  const errorDetails = [{ code: 'ErrorProcessingTask', message: 'The input has no video track' }]
  const views = (): JobView[] => [
    finishedA(),
    view(
      JOB_B,
      'Error',
      { errorDetails },
      { runningDuration: 50_000, startTime: at('12:00:01'), endTime: at('12:03:00') }
    ),
    view(JOB_C, 'Processing', { progress: 100 / 3 }, { runningDuration: 1200, startTime: at('12:01:00') })
  ]

  it('state is the first failing one; duration the largest; start the earliest; end the latest', () => {
    const out = outputs(waitResult('failure', views()))
    expect(out.state).toBe('Error')
    // B ran 12:00:01 to 12:03:00; C, still running, 1200 ms by its RunningDuration.
    expect(out.runningDuration).toBe('179000')
    expect(out.startTime).toBe('2024-05-01T12:00:01.000Z')
    expect(out.endTime).toBe('2024-05-01T12:03:00.000Z')
  })

  it('progress is the mean of the jobs, a finished job counting 100 and one without tasks read 0', () => {
    expect(outputs(waitResult('failure', views())).progress).toBe('44.4')
  })

  it('the jobs JSON has one object per job with its errors', () => {
    const jobs = JSON.parse(outputs(waitResult('failure', views())).jobs)
    expect(jobs.map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([
      [JOB_A, 'Finished'],
      [JOB_B, 'Error'],
      [JOB_C, 'Processing']
    ])
    expect(jobs[1].errors).toEqual(errorDetails)
    expect(jobs[2]).toEqual({
      id: JOB_C,
      name: 'encode trailer',
      state: 'Processing',
      runningDuration: 1200,
      progress: 33.3,
      startTime: '2024-05-01T12:01:00.000Z',
      endTime: null,
      errors: [],
      assets: []
    })
  })

  it.each<[string, (JobState | undefined)[], string]>([
    ['all Finished', ['Finished', 'Finished'], 'Finished'],
    ['the first failing state in input order', ['Finished', 'Canceled', 'Error'], 'Canceled'],
    ['a failure wins over jobs still going', ['Processing', 'Error'], 'Error'],
    ['the least advanced of those still going', ['Finished', 'Processing', 'Queued'], 'Queued'],
    ['Scheduled is behind Processing', ['Processing', 'Scheduled'], 'Scheduled'],
    ['Canceling is ahead of Processing', ['Canceling', 'Processing'], 'Processing'],
    ['a job not seen yet', ['Finished', undefined], 'Unknown']
  ])('aggregate state: %s', (_rule, states, expected) => {
    const ids = [JOB_A, JOB_B, JOB_C]
    expect(aggregateState(states.map((s, i) => view(ids[i], s)))).toBe(expected)
  })

  it('a job missing from the service makes the aggregate NotFound', () => {
    expect(aggregateState([view(JOB_A, 'Processing'), view(JOB_B, undefined, { missingPolls: 1 })])).toBe(
      'NotFound'
    )
  })

  it('jobRecord rounds progress to one decimal', () => {
    expect(jobRecord(view(JOB_A, 'Processing', { progress: 12.345 })).progress).toBe(12.3)
  })
})

describe('the assets outputs', () => {
  it('one finished job with one asset: assets, asset-name and asset-id', () => {
    const out = outputs(waitResult('success', [finishedWith(JOB_A, [V2_ASSET])]))
    expect(JSON.parse(out.assets)).toEqual([{ job: JOB_A, ...V2_ASSET }])
    expect(out['asset-name']).toBe('trailer-output')
    expect(out['asset-id']).toBe(V2_ASSET.id)
    expect(JSON.parse(out.jobs)[0].assets).toEqual([V2_ASSET])
  })

  it('a v3 asset has a name and a label, no id: asset-id stays empty and no field is made up', () => {
    const out = outputs(waitResult('success', [finishedWith(JOB_A, [{ name: 'out-1', label: 'hd' }])]))
    expect(out.assets).toBe(JSON.stringify([{ job: JOB_A, name: 'out-1', label: 'hd' }]))
    expect(out['asset-name']).toBe('out-1')
    expect(out['asset-id']).toBe('')
  })

  it('several assets, across jobs in input order: no single asset-name', () => {
    const b = { ...V2_ASSET, id: 'nb:cid:UUID:b', name: 'b-out' }
    const out = outputs(waitResult('success', [finishedWith(JOB_A, [V2_ASSET]), finishedWith(JOB_B, [b])]))
    expect(JSON.parse(out.assets).map((a: { job: string; name: string }) => [a.job, a.name])).toEqual([
      [JOB_A, 'trailer-output'],
      [JOB_B, 'b-out']
    ])
    expect(out['asset-name']).toBe('')
    expect(out['asset-id']).toBe('')
  })

  it('a job that did not finish hands over no asset, even when its body named one', () => {
    const failed = view(JOB_B, 'Error', {}, { outputAssets: [{ name: 'half-made' }] })
    const out = outputs(waitResult('failure', [finishedWith(JOB_A, [V2_ASSET]), failed]))
    expect(JSON.parse(out.assets)).toHaveLength(1)
    expect(out['asset-name']).toBe('trailer-output')
    expect(JSON.parse(out.jobs)[1].assets).toEqual([])
  })

  it('assets whose read failed are left out: []', () => {
    const out = outputs(waitResult('success', [finishedWith(JOB_A)]))
    expect(out.assets).toBe('[]')
    expect(out['asset-name']).toBe('')
  })

  it('stays valid JSON under 1 MB, with the truncated marker', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...V2_ASSET, name: `${i}-${'é'.repeat(199)}` }))
    const views = Array.from({ length: 40 }, (_, i) => finishedWith(`${JOB_A}-${i}`, many))
    const out = outputs(waitResult('success', views))
    expect(Buffer.byteLength(out.assets)).toBeLessThanOrEqual(OUTPUT_BYTES)
    const list = JSON.parse(out.assets)
    expect(list.at(-1)).toEqual({ truncated: true, omitted: 4000 - (list.length - 1) })
    expect(list.length).toBeGreaterThan(1000)
    expect(jobsJson([{ a: 1 }], 10)).toBe('[{"a":1}]')
  })
})

describe('a Finished job with an output in Error (onError: ContinueJob)', () => {
  const result = waitResult('success', [view(JOB_A, 'Finished', {}, { outputAssets: [VIDEO, THUMBS] })])

  it('leaves the failed output out of assets, asset-name and jobs; the one made is the only asset', () => {
    const out = outputs(result)
    expect(JSON.parse(out.assets)).toEqual([{ job: JOB_A, name: 'job4-video', label: 'video' }])
    expect(out['asset-name']).toBe('job4-video')
    expect(JSON.parse(out.jobs)[0].assets).toEqual([{ name: 'job4-video', label: 'video' }])
  })

  it('one warning names the job, the output label, its asset, its state and its error', () => {
    expect(unfinishedOutputsWarning(result.views)).toBe(
      `An output of a Finished job did not finish, and its asset is left out of assets and asset-name: ${JOB_A}: output "thumbnails" (asset job4-thumbnails) ended Error: ${THUMBS.error}`
    )
  })

  it('several: counted, the first three named; an output without a label is named by its asset', () => {
    const bad = (n: number): OutputAsset => ({ name: `a${n}`, state: 'Canceled' })
    const views = [
      view(JOB_A, 'Finished', {}, { outputAssets: [bad(1), bad(2)] }),
      view(JOB_B, 'Finished', {}, { outputAssets: [bad(3), bad(4)] })
    ]
    expect(unfinishedOutputsWarning(views)).toBe(
      `4 outputs of a Finished job did not finish, and their assets are left out of assets and asset-name: ${JOB_A}: the output to asset a1 ended Canceled; ${JOB_A}: the output to asset a2 ended Canceled; ${JOB_B}: the output to asset a3 ended Canceled and 1 more`
    )
  })

  it('no warning when every output finished or did not say (v2, MK.IO), nor for a job that did not finish', () => {
    const quiet = [
      view(JOB_A, 'Finished', {}, { outputAssets: [VIDEO, { name: 'v2-asset', id: 'nb:cid:UUID:1' }] }),
      view(JOB_B, 'Error', {}, { outputAssets: [THUMBS] })
    ]
    expect(unfinishedOutputsWarning(quiet)).toBeUndefined()
  })
})

describe('a job in a state outside the seven', () => {
  it('a timeout names it as the last state; the jobs output keeps the name, times and reportedState', () => {
    const result = waitResult('timeout', [paused()])
    expect(lastStateText(result.views)).toBe('Unknown ("Paused")')
    const out = outputs(result)
    expect(out.state).toBe('Unknown')
    expect(JSON.parse(out.jobs)[0]).toMatchObject({ name: 'clip', state: 'Unknown', reportedState: 'Paused' })
  })

  it('a job never seen is Unknown without a name, even beside one in a state we do not know', () => {
    expect(lastStateText([view(JOB_B), paused()])).toBe('Unknown')
    expect(lastStateText([paused(), view(JOB_B)])).toBe('Unknown ("Paused")')
  })
})

describe('the jobs output stays valid JSON under 1 MB', () => {
  const record = (i: number, message: string): JobRecord => ({
    id: jobId(i),
    name: 'n',
    state: 'Error',
    runningDuration: 1,
    progress: null,
    startTime: null,
    endTime: null,
    errors: [{ code: 'E', message }],
    assets: []
  })

  it('all records while they fit', () => {
    const records = [record(1, 'a'), record(2, 'b')]
    expect(JSON.parse(jobsJson(records))).toEqual(records)
  })

  it('the first records that fit, then a marker with the number left out', () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i, '"é'.repeat(500)))
    const json = jobsJson(records)
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(1_000_000)
    const parsed = JSON.parse(json) as unknown[]
    const marker = parsed.at(-1) as { truncated: boolean; omitted: number }
    expect(marker).toEqual({ truncated: true, omitted: expect.any(Number) })
    expect(parsed.length - 1 + marker.omitted).toBe(1000)
    expect(parsed.slice(0, -1)).toEqual(records.slice(0, parsed.length - 1))
  })

  it('outputs() uses it, and a hostile name is there as neutralised text', () => {
    const out = outputs(waitResult('failure', [errorView(JOB_A, 'a ::error::b', [])]))
    expect(JSON.parse(out.jobs)[0].name).toBe('a ::error::b')
  })
})
