import { describe, it, expect } from '@jest/globals'
import type { JobView } from '../../../src/wait/waiter.js'
import { START } from '../../../__fixtures__/clock.js'
import { JOB_A, JOB_B, JOB_C } from '../../../__fixtures__/inputs.js'
import { view, errorView } from '../../../__fixtures__/jobs.js'
import type { Job } from '../../../src/jobs/model.js'
import { aggregateLine, ChangeLog } from '../../../src/report/log.js'
import { predictEnd } from '../../../src/wait/schedule.js'
import { formatDuration } from '../../../src/time.js'
import { nextPace, type Pace } from '../../../src/wait/view.js'

const at = (iso: string): Date => new Date(`2024-05-01T${iso}Z`)
const JOB_D = 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000d'
const FULL_A = `${JOB_A} (encode trailer)`
const FULL_B = `${JOB_B} (encode trailer)`
const label = (id: string): string => `${id} (encode trailer)`
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

type Sample = (id: string, progress: number, seconds: number) => JobView

/**
 * Processing views as the waiter keeps them: each sample of a job's progress, `seconds` after START, moves
 * its pace (nextPace), which the log's estimate reads.
 */
function sampler(jobExtra: Partial<Job> = {}): Sample {
  const paces = new Map<string, Pace>()
  return (id, progress, seconds) => {
    const pace = nextPace(paces.get(id), { at: START + seconds * 1000, progress })
    paces.set(id, pace)
    return view(id, 'Processing', { progress, pace }, jobExtra)
  }
}

/** What the log prints for a poll `seconds` after the wait started (the clock at START + that). */
const poll = (log: ChangeLog, views: JobView[], seconds: number): string[] =>
  log.lines(views, seconds * 1000, START + seconds * 1000)

describe('ChangeLog: which job a line names', () => {
  it('a later line about a job whose name no other job has uses the name alone', () => {
    const log = new ChangeLog()
    expect(poll(log, [view(JOB_A, 'Queued')], 0)).toEqual([`[00:00] ${FULL_A}: Queued`])
    expect(poll(log, [view(JOB_A, 'Processing')], 10)).toEqual([
      '[00:10] "encode trailer": Queued -> Processing'
    ])
    expect(poll(log, [view(JOB_A, 'Processing', { progress: 30 })], 20)).toEqual([
      '[00:20] "encode trailer": Processing 30%'
    ])
  })

  it('with many jobs, the ending of a job not named before gives its id', () => {
    const log = new ChangeLog()
    const views = (a: 'Queued' | 'Finished'): JobView[] => [
      view(JOB_A, a, {}, { name: 'trailer' }),
      view(JOB_B, 'Queued', {}, { name: 'teaser' }),
      view(JOB_C, 'Queued', {}, { name: 'intro' }),
      view(JOB_D, 'Queued', {}, { name: 'credits' })
    ]
    expect(poll(log, views('Queued'), 0)).toEqual([
      '[00:00] 0/4 finished, 0 processing, 4 queued; mean progress 0%'
    ])
    expect(poll(log, views('Finished'), 10)).toEqual([
      `[00:10] ${JOB_A} (trailer): Queued -> Finished`,
      '[00:10] 1/4 finished, 0 processing, 3 queued; mean progress 25%'
    ])
  })

  it('two jobs sharing a name keep their ids in every line', () => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Queued'), view(JOB_B, 'Queued')], 0)
    expect(poll(log, [view(JOB_A, 'Processing'), view(JOB_B, 'Finished')], 10)).toEqual([
      `[00:10] ${FULL_A}: Queued -> Processing`,
      `[00:10] ${FULL_B}: Queued -> Finished`
    ])
  })

  it('jobs with different names are each named alone in later lines', () => {
    const log = new ChangeLog()
    const views = (state: 'Queued' | 'Processing'): JobView[] => [
      view(JOB_A, state, {}, { name: 'trailer' }),
      view(JOB_B, state, {}, { name: 'teaser' })
    ]
    poll(log, views('Queued'), 0)
    expect(poll(log, views('Processing'), 10)).toEqual([
      '[00:10] "trailer": Queued -> Processing',
      '[00:10] "teaser": Queued -> Processing'
    ])
  })
})

describe('ChangeLog: jobs not found', () => {
  it('a job no poll has asked about yet gets no line', () => {
    expect(poll(new ChangeLog(), [view(JOB_A, undefined, { missingPolls: 0 })], 0)).toEqual([])
  })

  it('a job not found yet is named by its id, and by its full label once found', () => {
    const log = new ChangeLog()
    expect(poll(log, [view(JOB_A, undefined, { missingPolls: 1 })], 0)).toEqual([
      `[00:00] ${JOB_A}: not found yet`
    ])
    expect(poll(log, [view(JOB_A, 'Queued')], 10)).toEqual([`[00:10] ${FULL_A}: not found yet -> Queued`])
  })
})

describe('ChangeLog: the progress in a state change', () => {
  it('a job entering Processing with a progress shows it, rounded down', () => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Queued')], 0)
    expect(poll(log, [view(JOB_A, 'Processing', { progress: 10.9 })], 10)).toEqual([
      '[00:10] "encode trailer": Queued -> Processing (10%)'
    ])
  })

  it('a job entering Processing without a progress shows no percentage', () => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Queued')], 0)
    expect(poll(log, [view(JOB_A, 'Processing')], 10)).toEqual([
      '[00:10] "encode trailer": Queued -> Processing'
    ])
  })

  it('a queued job whose tasks say 0% does not show it', () => {
    expect(poll(new ChangeLog(), [view(JOB_A, 'Queued', { progress: 0 })], 0)).toEqual([
      `[00:00] ${FULL_A}: Queued`
    ])
  })

  it('a job canceling shows no percentage, then nothing while its progress moves', () => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Processing', { progress: 50 })], 0)
    expect(poll(log, [view(JOB_A, 'Canceling', { progress: 50 })], 10)).toEqual([
      '[00:10] "encode trailer": Processing -> Canceling'
    ])
    expect(poll(log, [view(JOB_A, 'Canceling', { progress: 60 })], 20)).toEqual([])
  })

  it('a poll that brings no progress for a processing job prints nothing', () => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Processing', { progress: 40 })], 0)
    expect(poll(log, [view(JOB_A, 'Processing')], 10)).toEqual([])
  })
})

describe("ChangeLog: the remaining-time estimate is the scheduler's (predictEnd)", () => {
  /** A processing job sampled at 10% at 00:00, then at 40% at 01:00: 30 points a minute. */
  const sampled = (): { log: ChangeLog; sample: Sample } => {
    const log = new ChangeLog()
    const sample = sampler()
    poll(log, [sample(JOB_A, 10, 0)], 0)
    expect(poll(log, [sample(JOB_A, 40, 60)], 60)).toEqual([
      '[01:00] "encode trailer": Processing 40%, about 2m 00s left'
    ])
    return { log, sample }
  }

  it('time spent queued does not slow the estimate: the pace starts at the first sample while processing', () => {
    const log = new ChangeLog()
    const sample = sampler()
    poll(log, [view(JOB_A, 'Queued', { progress: 0 })], 0)
    poll(log, [sample(JOB_A, 10, 100)], 100)
    // 30 points in 60 s since the first processing sample; counting from 00:00 would say 4m 00s.
    expect(poll(log, [sample(JOB_A, 40, 160)], 160)).toEqual([
      '[02:40] "encode trailer": Processing 40%, about 2m 00s left'
    ])
  })

  it('a progress that went back to the first sample gives no estimate', () => {
    const { log, sample } = sampled()
    expect(poll(log, [sample(JOB_A, 10, 70)], 70)).toEqual(['[01:10] "encode trailer": Processing 10%'])
  })

  it('a progress that went back below the first sample gives no estimate', () => {
    const { log, sample } = sampled()
    expect(poll(log, [sample(JOB_A, 5, 70)], 70)).toEqual(['[01:10] "encode trailer": Processing 5%'])
  })

  it('a sample taken at the same instant as the first gives no estimate', () => {
    const log = new ChangeLog()
    const sample = sampler()
    poll(log, [sample(JOB_A, 10, 0)], 0)
    expect(poll(log, [sample(JOB_A, 40, 0)], 0)).toEqual(['[00:00] "encode trailer": Processing 40%'])
  })

  it('a sample taken on a clock that went back gives no estimate', () => {
    const log = new ChangeLog()
    const sample = sampler()
    poll(log, [sample(JOB_A, 10, 60)], 60)
    expect(poll(log, [sample(JOB_A, 40, 0)], 0)).toEqual(['[00:00] "encode trailer": Processing 40%'])
  })

  it('says what predictEnd says, with the StartTime as a first sample while its own are few', () => {
    const log = new ChangeLog()
    const sample = sampler({ startTime: new Date(START) })
    poll(log, [sample(JOB_A, 20, 60)], 60)
    const v = sample(JOB_A, 25, 70)
    // 25 % in 70 s since StartTime: about 280 s in all, 210 s left, within the band whole percents allow (the
    // log's own first-sample rate said 2m 30s).
    const left = predictEnd(v)!.endAt - (START + 70_000)
    expect(Math.abs(left - 210_000)).toBeLessThan(60_000)
    expect(poll(log, [v], 70)).toEqual([
      `[01:10] "encode trailer": Processing 25%, about ${formatDuration(left)} left`
    ])
  })

  it('keeps no rates of its own: a new log gives the estimate of a job whose pace the waiter has', () => {
    const sample = sampler()
    // Sampled at 10 % at 00:00 while the log was not looking.
    sample(JOB_A, 10, 0)
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Processing')], 0)
    expect(poll(log, [sample(JOB_A, 50, 80)], 80)).toEqual([
      '[01:20] "encode trailer": Processing 50%, about 1m 40s left'
    ])
  })

  it('a predicted end already passed gives no estimate', () => {
    const log = new ChangeLog()
    const sample = sampler()
    poll(log, [sample(JOB_A, 10, 0)], 0)
    // 10 % to 40 % in 60 s: the end was predicted for 03:00.
    expect(poll(log, [sample(JOB_A, 40, 60)], 200)).toEqual(['[03:20] "encode trailer": Processing 40%'])
  })
})

describe('ChangeLog: how a job ended', () => {
  const ended = (
    state: 'Finished' | 'Error' | 'Canceled',
    extra: Partial<JobView> = {},
    times = true
  ): string[] => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Processing')], 0)
    const jobExtra = times ? { startTime: at('12:00:00'), endTime: at('12:01:00') } : {}
    return poll(log, [view(JOB_A, state, extra, jobExtra)], 60)
  }
  const DETAILS = [
    { code: 'ErrorProcessingTask', message: 'no video track' },
    { code: 'ErrorDownloadingInputAssets', message: 'blob not found' }
  ]

  it('an error lists every detail, separated by semicolons', () => {
    expect(ended('Error', { errorDetails: DETAILS })).toEqual([
      '[01:00] "encode trailer": Processing -> Error (in 1m 00s, ErrorProcessingTask: no video track; ' +
        'ErrorDownloadingInputAssets: blob not found)'
    ])
  })

  it('an error without details or times says only that', () => {
    expect(ended('Error', {}, false)).toEqual(['[01:00] "encode trailer": Processing -> Error'])
  })

  it('a finished job says how long it took, and nothing of errors', () => {
    expect(ended('Finished')).toEqual(['[01:00] "encode trailer": Processing -> Finished (in 1m 00s)'])
  })

  it('a job that ended without times says how long it ran by its RunningDuration (ranMs)', () => {
    const log = new ChangeLog()
    poll(log, [view(JOB_A, 'Processing')], 0)
    expect(poll(log, [view(JOB_A, 'Finished', {}, { runningDuration: 39_605 })], 60)).toEqual([
      '[01:00] "encode trailer": Processing -> Finished (in 39s)'
    ])
  })

  it('a canceled job does not list the details its tasks left', () => {
    expect(ended('Canceled', { errorDetails: DETAILS })).toEqual([
      '[01:00] "encode trailer": Processing -> Canceled (in 1m 00s)'
    ])
  })
})

describe('ChangeLog: one line per job up to 3 jobs, one aggregate line from 4 (manyJobsAt)', () => {
  it('3 jobs still get their own lines and no aggregate', () => {
    const log = new ChangeLog()
    expect(poll(log, [view(JOB_A, 'Queued'), view(JOB_B, 'Queued'), view(JOB_C, 'Queued')], 0)).toEqual([
      `[00:00] ${FULL_A}: Queued`,
      `[00:00] ${FULL_B}: Queued`,
      `[00:00] ${JOB_C} (encode trailer): Queued`
    ])
  })

  it('manyJobsAt is the job count from which the log aggregates: 2 aggregates 2 jobs, not 1', () => {
    expect(poll(new ChangeLog(2), [view(JOB_A, 'Queued'), view(JOB_B, 'Queued')], 0)).toEqual([
      '[00:00] 0/2 finished, 0 processing, 2 queued; mean progress 0%'
    ])
    expect(poll(new ChangeLog(2), [view(JOB_A, 'Queued')], 0)).toEqual([`[00:00] ${FULL_A}: Queued`])
  })
})

describe('ChangeLog: what the log says after each poll', () => {
  /** One line, about the job (by id or name), saying `what`. */
  const about = (what: string | RegExp) =>
    expect.stringMatching(
      new RegExp(
        `^\\[\\d\\d:\\d\\d\\] .*(${JOB_A}|encode trailer).*: .*${typeof what === 'string' ? escape(what) : what.source}`
      )
    )

  it('prints each state change once, nothing for identical polls, then progress with an estimate', () => {
    const log = new ChangeLog()
    const q = view(JOB_A, 'Queued')
    expect(log.lines([q], 0, START)).toEqual([`[00:00] ${label(JOB_A)}: Queued`])
    expect(log.lines([q], 10_000, START + 10_000)).toEqual([])

    // Paced as the waiter paces a Processing job (wait/view.ts nextPace): the log reads predictEnd.
    const first = { at: START + 20_000, progress: 10 }
    const p10 = view(JOB_A, 'Processing', { progress: 10, pace: { first, last: first } })
    const toProcessing = log.lines([p10], 20_000, START + 20_000)
    expect(toProcessing).toEqual([about('Queued -> Processing')])
    expect(toProcessing[0]).toMatch(/^\[00:20\] /)
    expect(log.lines([p10], 30_000, START + 30_000)).toEqual([])

    // 30 points in 60 s: the remaining 60 points take about 2 minutes.
    const p40 = view(JOB_A, 'Processing', {
      progress: 40,
      pace: { first, last: { at: START + 80_000, progress: 40 } }
    })
    const progress = log.lines([p40], 80_000, START + 80_000)
    expect(progress).toEqual([about('Processing 40%')])
    expect(progress[0]).toMatch(/^\[01:20\] .*40%.*about 2m 00s left$/)
    expect(log.lines([p40], 90_000, START + 90_000)).toEqual([])

    const done = view(
      JOB_A,
      'Finished',
      { progress: 100 },
      { startTime: at('12:00:00'), endTime: at('12:02:30') }
    )
    expect(log.lines([done], 100_000, START + 100_000)).toEqual([about('Processing -> Finished (in 2m 30s)')])
    expect(log.lines([done], 110_000, START + 110_000)).toEqual([])
  })

  it('the first progress line has no estimate yet', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Processing')], 0, START)
    const lines = log.lines([view(JOB_A, 'Processing', { progress: 5.7 })], 10_000, START + 10_000)
    expect(lines).toEqual([about(/Processing 5%$/)])
  })

  it('a job ending in Error shows its error details', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Processing')], 0, START)
    const failed = view(
      JOB_A,
      'Error',
      { errorDetails: [{ code: 'ErrorProcessingTask', message: 'no video track' }] },
      { startTime: at('12:00:00'), endTime: at('12:01:00') }
    )
    expect(log.lines([failed], 60_000, START + 60_000)).toEqual([
      about('Processing -> Error (in 1m 00s, ErrorProcessingTask: no video track)')
    ])
  })

  it('two jobs with the same name can still be told apart in later lines', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Queued'), view(JOB_B, 'Queued')], 0, START)
    const lines = log.lines([view(JOB_A, 'Processing'), view(JOB_B, 'Finished')], 10_000, START + 10_000)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(JOB_A)
    expect(lines[1]).toContain(JOB_B)
  })

  it('a job not returned yet is said once', () => {
    const log = new ChangeLog()
    const missing = view(JOB_A, undefined, { missingPolls: 1 })
    expect(log.lines([missing], 0, START)).toEqual([`[00:00] ${JOB_A}: not found yet`])
    expect(log.lines([{ ...missing, missingPolls: 2 }], 10_000, START + 10_000)).toEqual([])
  })

  it('more than 3 jobs get one aggregate line, printed when it changes; only endings are named per job', () => {
    const log = new ChangeLog()
    const firstB = { at: START, progress: 50 }
    const views = (bProgress: number, seconds = 0): JobView[] => [
      view(JOB_A, 'Finished'),
      view(JOB_B, 'Processing', {
        progress: bProgress,
        pace: { first: firstB, last: { at: START + seconds * 1000, progress: bProgress } }
      }),
      view(JOB_C, 'Queued'),
      view(JOB_D, undefined, { missingPolls: 1 })
    ]
    const first = log.lines(views(50), 0, START)
    expect(first).toHaveLength(2)
    expect(first[0]).toBe(`[00:00] ${JOB_A} (encode trailer): Finished`)
    expect(first[1]).toBe('[00:00] 1/4 finished, 1 processing, 1 queued, 1 not found yet; mean progress 37%')
    expect(log.lines(views(50, 10), 10_000, START + 10_000)).toEqual([])
    // No per-job progress line with many jobs: only the aggregate moves, with the longest time-left estimate
    // (B: 50 % to 90 % in 20 s, so 10 % more in 5 s).
    expect(log.lines(views(90, 20), 20_000, START + 20_000)).toEqual([
      '[00:20] 1/4 finished, 1 processing, 1 queued, 1 not found yet; mean progress 47%; the slowest about 5s left'
    ])
  })

  it('aggregateLine counts Scheduled as queued and names the unusual states', () => {
    expect(
      aggregateLine([
        view(JOB_A, 'Scheduled'),
        view(JOB_B, 'Canceling'),
        view(JOB_C, 'Error'),
        view(JOB_D, 'Canceled')
      ])
    ).toBe('0/4 finished, 0 processing, 1 queued, 1 canceling, 1 error, 1 canceled; mean progress 0%')
  })
})

describe('ChangeLog: a job in a state outside the seven', () => {
  it('the log names the state the service gave, as it changes', () => {
    const paused = view(JOB_A, 'Unknown', {}, { name: 'clip', reportedState: 'Paused' })
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Processing', {}, { name: 'clip' })], 1000, 1000)
    expect(log.lines([paused], 2000, 2000)).toEqual(['[00:02] "clip": Processing -> Unknown ("Paused")'])
    expect(aggregateLine([paused, view(JOB_B, 'Finished')])).toBe(
      '1/2 finished, 0 processing, 0 queued, 1 in a state this action does not know; mean progress 50%'
    )
  })
})

describe('many failed jobs: the log stays readable', () => {
  it('a job with many long errors is one bounded log line', () => {
    const errors = Array.from({ length: 10 }, () => ({ code: 'E', message: 'x'.repeat(1000) }))
    const lines = new ChangeLog().lines([errorView(JOB_A, 'n', errors)], 5000, 0)
    expect(lines).toHaveLength(1)
    expect(lines[0].length).toBeLessThan(1200)
  })
})
