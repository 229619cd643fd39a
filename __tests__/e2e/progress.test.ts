/**
 * What a person watching the step sees: progress while a job runs, quiet polls when nothing changes,
 * request details only with debug logging, a failure annotation that says why, and a step summary.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './emulators.js'
import { runAction, secretInputs } from './harness.js'

const emu = useEmulator()

describe('while a job runs', () => {
  it('logs progress when it changes, with elapsed time and an estimate of what is left', async () => {
    const id = emu.addJob({
      name: 'encode',
      timeline: [
        { state: 'Queued', polls: 3 },
        { state: 'Processing', polls: 1, progress: 20 },
        { state: 'Processing', polls: 1, progress: 50 },
        { state: 'Processing', polls: 1, progress: 50 },
        { state: 'Processing', polls: 1, progress: 80 },
        { state: 'Finished' }
      ]
    })
    // Fixed polling reads the tasks at every poll, so every change of this poll-by-poll script is seen.
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, polling: 'fixed' } })
    expect(run.code).toBe(0)
    const log = run.lines
    // Three identical Queued polls: one line.
    expect(log.filter(l => /Queued/.test(l))).toHaveLength(2) // "Queued" and "Queued -> Processing"
    expect(log).toContainEqual(expect.stringMatching(/^\[00:0\d\] "encode": Queued -> Processing \(20%\)$/))
    expect(log).toContainEqual(
      expect.stringMatching(/^\[00:0\d\] "encode": Processing 50%, about \d+(\.\d)?s left$/)
    )
    expect(log.filter(l => l.includes('Processing 50%'))).toHaveLength(1)
    expect(log).toContainEqual(expect.stringMatching(/Processing 80%/))
    expect(run.outputs.progress).toBe('100')
    expect(run.outputs.startTime).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/)
    const [job] = JSON.parse(run.outputs.jobs)
    expect(job).toMatchObject({ id, progress: 100, errors: [] })
  })

  it('keeps request details for debug logging: method, URL, status, duration and request id', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id },
      env: { RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    const debug = run.stdout.split('\n').filter(l => l.startsWith('::debug::GET '))
    expect(debug.length).toBeGreaterThan(0)
    expect(debug[0].startsWith(`::debug::GET ${emu.urls.account}Jobs()?$filter=`)).toBe(true)
    expect(debug[0]).toMatch(/ -> 200 in \d+ ms \(x-ms-request-id [0-9a-f-]{36}\)$/)
    expect(run.lines.some(l => l.startsWith('GET '))).toBe(false)
  })

  it('shows one aggregate line instead of a progress line per job when there are many', async () => {
    const ids = Array.from({ length: 6 }, (_, i) =>
      emu.addJob({
        name: `rendition-${i}`,
        timeline: [
          { state: 'Queued', polls: 1 + (i % 2) },
          // Long enough to be read: a job's first task read comes two intervals after its StartTime.
          { state: 'Processing', polls: 4, progress: 30 + i },
          { state: 'Finished' }
        ]
      })
    )
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': ids.join('\n') } })
    expect(run.code).toBe(0)
    const aggregate = run.lines.filter(l =>
      /\d+\/6 finished, \d+ processing, \d+ queued; mean progress \d+%/.test(l)
    )
    expect(aggregate.length).toBeGreaterThan(1)
    expect(aggregate.at(-1)).toContain('6/6 finished')
    expect(run.lines.filter(l => /: Processing \d+%/.test(l))).toEqual([])
    // Task reads are bounded per poll: at most three per poll whatever the number of jobs.
    const polls = emu.requests.filter(r => r.server === 'account' && r.path.includes('Jobs()')).length
    const taskReads = emu.requests.filter(r => r.server === 'account' && r.path.includes('/Tasks')).length
    expect(taskReads).toBeLessThanOrEqual(3 * polls)
    expect(taskReads).toBeGreaterThan(0)
  })
})

describe('when it ends', () => {
  it('puts the task error details in a titled annotation, the outputs and the summary', async () => {
    const id = emu.addJob({
      name: 'bad-input',
      timeline: [{ state: 'Processing', polls: 1, progress: 10 }, { state: 'Error' }],
      errorDetails: [
        { Code: 'ErrorDownloadingInputAssetMalformedContent', Message: 'The input asset is malformed.' }
      ]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^::error title=Media Services job failed::.*ended Error.*ErrorDownloadingInputAssetMalformedContent: The input asset is malformed\./
      )
    ])
    const [job] = JSON.parse(run.outputs.jobs)
    expect(job.errors).toEqual([
      { code: 'ErrorDownloadingInputAssetMalformedContent', message: 'The input asset is malformed.' }
    ])
    expect(run.summary).toContain(
      '| Job | Name | State | Progress | Start (UTC) | End (UTC) | Duration | Error |'
    )
    expect(run.summary).toMatch(
      /\| `nb:jid:UUID:[^`]+` \| bad-input \| ❌ Error \|.*ErrorDownloadingInputAssetMalformedContent\\: The input asset is malformed\. \|/
    )
  })

  it('writes the summary on success', async () => {
    const id = emu.addJob({ name: 'ok', timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.summary).toMatch(/^### ✅ Media Services job\n/)
    expect(run.summary).toMatch(/\| ok \| ✅ Finished \| 100% \|/)
  })

  it('writes the summary on timeout, with the state the job was left in', async () => {
    const id = emu.addJob({ name: 'slow', timeline: [{ state: 'Processing', progress: 42 }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '3s' } })
    expect(run.code).toBe(1)
    expect(run.summary).toMatch(/^### ❌ Media Services job\n/)
    expect(run.summary).toContain('timed out')
    expect(run.summary).toMatch(/\| slow \| ⏳ Processing \| 42% \|/)
    expect(run.outputs.progress).toBe('42')
  })

  it('writes the summary when the runner cancels', async () => {
    const id = emu.addJob({ name: 'slow', timeline: [{ state: 'Processing', progress: 5 }] })
    let sent = false
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, 'poll-interval': '30s' },
      onOutput: (text, child) => {
        if (!sent && text.includes('Processing')) {
          sent = true
          child.kill('SIGINT')
        }
      }
    })
    expect(run.summary).toContain('canceled')
    expect(run.summary).toMatch(/\| slow \| ⏳ Processing \|/)
  })
})
