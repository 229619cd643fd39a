/** Each published body in __fixtures__/bodies.ts, read by the parser that meets it. */
import { describe, expect, it } from '@jest/globals'
import {
  ARM_CANCEL_JOB,
  ARM_JOB_CANCELING,
  ARM_JOB_FINISHED,
  ARM_JOB_FINISHED_OUTPUT_FAILED,
  ARM_JOB_PROCESSING,
  ARM_NOT_FOUND,
  MKIO_UNAUTHORIZED,
  V2_OUTPUT_ASSETS,
  V2_OUTPUT_ASSETS_NULLS,
  V2_VERBOSE_JOB
} from '../../../__fixtures__/bodies.js'
import { parseJobs, parseOutputAssets } from '../../../src/jobs/v2/parse.js'
import { parseV3JobBody, v3ErrorCode, v3ErrorText } from '../../../src/jobs/v3/parse.js'

const KEY = 'job-url'

describe('Resource Manager job bodies (Encoding.json examples, azure-cli recording)', () => {
  it('jobs-list-all.json job2: Processing with a startTime only; the output is Processing at 50 %', () => {
    const j = parseV3JobBody(ARM_JOB_PROCESSING, KEY)
    expect(j).toMatchObject({ name: 'job2', state: 'Processing', progress: 50, runningDuration: 0 })
    expect(j.startTime?.toISOString()).toBe('2021-07-12T10:34:29.691Z')
    expect(j.endTime).toBeUndefined()
    expect(j.outputAssets).toEqual([
      { name: 'job2-OutputAsset', label: 'example-custom-label', state: 'Processing' }
    ])
  })

  it('jobs-list-all.json job3: Finished, ten minutes, its one output Finished', () => {
    const j = parseV3JobBody(ARM_JOB_FINISHED, KEY)
    expect(j).toMatchObject({ name: 'job3', state: 'Finished', progress: 100, runningDuration: 600_000 })
    expect(j.outputAssets).toEqual([
      { name: 'job3-OutputAsset', label: 'example-custom-label', state: 'Finished' }
    ])
  })

  it('test_ams_job.yaml: a Canceling job (CRLF-laid JSON) whose output keeps its own state, Processing', () => {
    const j = parseV3JobBody(ARM_JOB_CANCELING, KEY)
    expect(j).toMatchObject({ name: 'job000007', state: 'Canceling', progress: 0 })
    expect(j.outputAssets).toEqual([{ name: 'asset000005', label: 'outputLabel', state: 'Processing' }])
  })

  it("test_ams_job.yaml: a 404's own code and message are read", () => {
    expect(v3ErrorCode(ARM_NOT_FOUND)).toBe('NotFound')
    expect(v3ErrorText(ARM_NOT_FOUND)).toBe('NotFound: The requested resource was not found.')
  })

  it('test_ams_job.yaml: cancelJob answers an empty body, which says nothing', () => {
    expect(v3ErrorText(ARM_CANCEL_JOB)).toBeUndefined()
    expect(v3ErrorCode(ARM_CANCEL_JOB)).toBeUndefined()
  })

  it('shaped from the spec: a Finished job keeps the state and error of the output that failed', () => {
    const j = parseV3JobBody(ARM_JOB_FINISHED_OUTPUT_FAILED, KEY)
    expect(j.state).toBe('Finished')
    expect(j.outputAssets).toEqual([
      { name: 'job4-video', label: 'video', state: 'Finished' },
      {
        name: 'job4-thumbnails',
        label: 'thumbnails',
        state: 'Error',
        error:
          'ContentUnsupported: There was a problem with the input content. (Content error; DoNotRetry: correct the cause, then resubmit the job)'
      }
    ])
    expect(j.errorDetails).toEqual([
      {
        code: 'ContentUnsupported',
        message:
          'thumbnails: There was a problem with the input content. (Content error; DoNotRetry: correct the cause, then resubmit the job)'
      }
    ])
  })
})

describe('MK.IO error bodies', () => {
  it('{error: {code, detail}, ref, status}: code and detail are read', () => {
    expect(v3ErrorText(MKIO_UNAUTHORIZED)).toBe('Unauthorized: Invalid or expired API token.')
    expect(v3ErrorCode(MKIO_UNAUTHORIZED)).toBe('Unauthorized')
  })
})

describe('Media Services v2 bodies (media-services-rest-get-started.md)', () => {
  it('the verbose Job: ISO dates with Z and 7 fraction digits, StartTime null, State 0', () => {
    const [j] = parseJobs(V2_VERBOSE_JOB)
    expect(j).toMatchObject({
      id: 'nb:jid:UUID:71d2dd33-efdf-ec43-8ea1-136a110bd42c',
      name: 'NewTestJob',
      state: 'Queued',
      runningDuration: 0
    })
    expect(j.created?.toISOString()).toBe('2015-01-19T08:04:34.328Z')
    expect(j.startTime).toBeUndefined()
  })

  it('OutputMediaAssets, minimal metadata', () => {
    expect(parseOutputAssets(V2_OUTPUT_ASSETS)).toEqual([
      {
        id: 'nb:cid:UUID:71d2dd33-efdf-ec43-8ea1-136a110bd42c',
        name: 'Multibitrate MP4s',
        storageAccount: 'storagetestaccount001',
        uri: 'https://storagetestaccount001.blob.core.windows.net/asset-71d2dd33-efdf-ec43-8ea1-136a110bd42c'
      }
    ])
  })

  it('an asset whose Uri and StorageAccountName are null: both left out, not "null"', () => {
    expect(parseOutputAssets(V2_OUTPUT_ASSETS_NULLS)).toEqual([
      { id: 'nb:cid:UUID:71d2dd33-efdf-ec43-8ea1-136a110bd42c', name: 'Multibitrate MP4s' }
    ])
  })
})
