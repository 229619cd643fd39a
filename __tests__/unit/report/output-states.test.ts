/**
 * What v3 bodies say beyond the job's state: an output's own state in a Finished job (issue #22.17), and a
 * job state outside the seven (#22.20), as the outputs, the log, the verdict and the summary show them.
 */
import { v3Origin } from '../../../src/jobs/v3/api.js'
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, expect, it } from '@jest/globals'
import { JOB_A, JOB_B } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import type { OutputAsset } from '../../../src/jobs/model.js'
import { ChangeLog, aggregateLine } from '../../../src/report/log.js'
import { lastStateText, outputs, unfinishedOutputsWarning } from '../../../src/report/outputs.js'
import { summaryMarkdown } from '../../../src/report/summary.js'
import { verdict } from '../../../src/report/verdict.js'

const VIDEO: OutputAsset = { name: 'job4-video', label: 'video', state: 'Finished' }
const THUMBS: OutputAsset = {
  name: 'job4-thumbnails',
  label: 'thumbnails',
  state: 'Error',
  error: 'ContentUnsupported: There was a problem with the input content. (Content error; DoNotRetry: …)'
}

describe('a Finished job with an output in Error (onError: ContinueJob)', () => {
  const result = waitResult('success', [view(JOB_A, 'Finished', {}, { outputAssets: [VIDEO, THUMBS] })])

  it('leaves the failed output out of assets, asset-name and jobs; the one made is the only asset', () => {
    const out = outputs(result)
    expect(JSON.parse(out.assets)).toEqual([{ job: JOB_A, name: 'job4-video', label: 'video' }])
    expect(out['asset-name']).toBe('job4-video')
    expect(JSON.parse(out.jobs)[0].assets).toEqual([{ name: 'job4-video', label: 'video' }])
    expect(summaryMarkdown(result, { ok: true, message: 'ok' }, V2_ORIGIN)).not.toContain('job4-thumbnails')
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
  const paused = view(JOB_A, 'Unknown', {}, { name: 'clip', reportedState: 'Paused' })

  it('the log names the state the service gave, as it changes', () => {
    const log = new ChangeLog()
    log.lines([view(JOB_A, 'Processing', {}, { name: 'clip' })], 1000, 1000)
    expect(log.lines([paused], 2000, 2000)).toEqual(['[00:02] "clip": Processing -> Unknown ("Paused")'])
    expect(aggregateLine([paused, view(JOB_B, 'Finished')])).toBe(
      '1/2 finished, 0 processing, 0 queued, 1 in a state this action does not know; mean progress 50%'
    )
  })

  it('a timeout names it as the last state; the jobs output keeps the name, times and reportedState', () => {
    const result = waitResult('timeout', [paused])
    expect(lastStateText(result.views)).toBe('Unknown ("Paused")')
    expect(verdict(result, 125_000, v3Origin('Azure Resource Manager')).message).toContain(
      'last state Unknown ("Paused").'
    )
    const out = outputs(result)
    expect(out.state).toBe('Unknown')
    expect(JSON.parse(out.jobs)[0]).toMatchObject({ name: 'clip', state: 'Unknown', reportedState: 'Paused' })
    expect(summaryMarkdown(result, { ok: false, message: 'x' }, V2_ORIGIN)).toContain(
      '| ❓ Unknown ("Paused") |'
    )
  })

  it('a job never seen is Unknown without a name, even beside one in a state we do not know', () => {
    expect(lastStateText([view(JOB_B), paused])).toBe('Unknown')
    expect(lastStateText([paused, view(JOB_B)])).toBe('Unknown ("Paused")')
  })
})

describe('a job the service says does not exist (#22.21)', () => {
  const origin = v3Origin('Azure Resource Manager')

  it("the not-found verdict gives the service's own code and message", () => {
    const gone = view(JOB_A, undefined, {
      missingPolls: 3,
      notFoundText: 'NotFound: The requested resource was not found.'
    })
    expect(verdict(waitResult('not-found', [gone]), 60_000, origin).message).toBe(
      `job ${JOB_A} not found: Azure Resource Manager did not return it in 13 polls (it answered NotFound: The requested resource was not found.). Check job-url (jobs older than 90 days are deleted).`
    )
  })

  it('without words from the service, the verdict is as before', () => {
    const gone = view(JOB_A, undefined, { missingPolls: 3 })
    expect(verdict(waitResult('not-found', [gone]), 60_000, origin).message).toBe(
      `job ${JOB_A} not found: Azure Resource Manager did not return it in 13 polls. Check job-url (jobs older than 90 days are deleted).`
    )
  })
})
