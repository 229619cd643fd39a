import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { ServiceError } from '../../../../src/errors.js'
import { thrownBy } from '../../../../__fixtures__/failure.js'
import { isFinal, MAX_ERROR_DETAILS, MAX_OUTPUT_ASSETS, stateText } from '../../../../src/jobs/model.js'
import {
  outputErrors,
  parseV3Job,
  parseV3JobBody,
  v3ErrorCode,
  v3ErrorText
} from '../../../../src/jobs/v3/parse.js'
import {
  ARM_CANCEL_JOB,
  ARM_JOB_CANCELING,
  ARM_JOB_FINISHED,
  ARM_JOB_FINISHED_OUTPUT_FAILED,
  ARM_JOB_PROCESSING,
  ARM_NOT_FOUND,
  MKIO_UNAUTHORIZED
} from '../../../../__fixtures__/bodies.js'

const ID =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/acct/transforms/t/jobs/job1'

/** The body of examples/jobs-get-by-name.json (Encoding.json, 2022-07-01), trimmed to what we read. */
const specExample = {
  name: 'job1',
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/contosoresources/providers/Microsoft.Media/mediaservices/contosomedia/transforms/exampleTransform/jobs/job1',
  type: 'Microsoft.Media/mediaservices/transforms/jobs',
  properties: {
    created: '2021-06-01T00:00:00Z',
    state: 'Queued',
    input: { '@odata.type': '#Microsoft.Media.JobInputs', inputs: [] },
    lastModified: '2021-06-01T00:00:00Z',
    outputs: [
      {
        '@odata.type': '#Microsoft.Media.JobOutputAsset',
        state: 'Queued',
        progress: 0,
        label: 'example-custom-label',
        assetName: 'job1-OutputAsset'
      }
    ],
    priority: 'Low',
    correlationData: {}
  }
}

function job(properties: Record<string, unknown>, name = 'job1'): unknown {
  return { name, id: ID, type: 'Microsoft.Media/mediaservices/transforms/jobs', properties }
}

/** The error parseV3Job throws for `doc`. */
function refusal(doc: unknown, service?: string): ServiceError {
  return thrownBy(() => parseV3Job(doc, ID, service), ServiceError)
}

describe('a v3 job body becomes the common job model', () => {
  it("reads the spec's example: name, state, dates, progress of its one output", () => {
    const j = parseV3Job(specExample, ID)
    expect(j).toMatchObject({ id: ID, name: 'job1', state: 'Queued', runningDuration: 0, progress: 0 })
    expect(j.created?.toISOString()).toBe('2021-06-01T00:00:00.000Z')
    expect(j.startTime).toBeUndefined()
    expect(j.errorDetails).toEqual([])
  })

  it('keeps the id it was asked for, not the body id (whose casing ARM may change)', () => {
    expect(parseV3Job(specExample, 'my-key').id).toBe('my-key')
  })

  it('a finished job: runningDuration is endTime - startTime in milliseconds', () => {
    const j = parseV3Job(
      job({
        state: 'Finished',
        startTime: '2024-05-01T12:00:00Z',
        endTime: '2024-05-01T12:01:30.5Z',
        outputs: [{ state: 'Finished', progress: 100 }]
      }),
      ID
    )
    expect(j.state).toBe('Finished')
    expect(j.runningDuration).toBe(90_500)
    expect(j.endTime?.toISOString()).toBe('2024-05-01T12:01:30.500Z')
  })

  it('progress is the mean of the outputs', () => {
    const j = parseV3Job(
      job({ state: 'Processing', outputs: [{ progress: 20 }, { progress: 70 }, { state: 'Queued' }] }),
      ID
    )
    expect(j.progress).toBe(45)
  })

  it.each([
    ['40', 40],
    [' 40 ', 40],
    ['12.5', 12.5],
    ['', undefined],
    ['   ', undefined],
    ['forty', undefined],
    [null, undefined],
    [true, undefined],
    [[50], undefined],
    [{}, undefined]
  ])('an output progress of %j gives a job progress of %p', (progress, expected) => {
    expect(parseV3Job(job({ state: 'Processing', outputs: [{ progress }] }), ID).progress).toBe(expected)
  })

  it('state names are read case-insensitively; every v3 state is known', () => {
    for (const s of ['Queued', 'Scheduled', 'Processing', 'Finished', 'Error', 'Canceled', 'Canceling'])
      expect(parseV3Job(job({ state: s.toUpperCase() }), ID).state).toBe(s)
  })
})

describe('a state outside the seven (JobState is an extensible enum)', () => {
  const body = (state: string) =>
    job({
      state,
      startTime: '2024-05-01T12:00:00Z',
      outputs: [{ label: 'hd', assetName: 'out-hd', state, progress: 40 }]
    })

  it('keeps what is readable, and reads the state as Unknown, naming what the service said', () => {
    const j = parseV3Job(body('Paused'), ID)
    expect(j).toMatchObject({ name: 'job1', state: 'Unknown', reportedState: 'Paused', progress: 40 })
    expect(j.startTime?.toISOString()).toBe('2024-05-01T12:00:00.000Z')
    expect(j.outputAssets).toEqual([{ name: 'out-hd', label: 'hd', state: 'Unknown' }])
    expect(isFinal(j.state)).toBe(false)
    expect(stateText(j)).toBe('Unknown ("Paused")')
  })

  it.each([
    ['3', '3'],
    ['0', '0'],
    ['Done', 'Done'],
    ['Unknown', 'Unknown'],
    ['Fin\n::error::ished', 'Fin ::error::ished']
  ])(
    '%j is no state name: Unknown, named as neutralised text (digits are not v2 Int32s here)',
    (given, named) => {
      const j = parseV3Job(body(given), ID)
      expect(j.state).toBe('Unknown')
      expect(j.reportedState).toBe(named)
    }
  )
})

describe('errors of a job in Error', () => {
  it('ARM shape: the error of each output with its details, labelled by the output', () => {
    const j = parseV3Job(
      job({
        state: 'Error',
        outputs: [
          {
            label: 'hd',
            state: 'Error',
            error: {
              code: 'ContentMalformed',
              message: 'The input content is malformed.',
              category: 'Content',
              retry: 'DoNotRetry',
              details: [{ code: 'InvalidInput', message: 'moov atom not found' }]
            }
          },
          { label: 'sd', state: 'Finished', progress: 100 }
        ]
      }),
      ID
    )
    expect(j.errorDetails).toEqual([
      {
        code: 'ContentMalformed',
        message:
          'hd: The input content is malformed. (Content error; DoNotRetry: correct the cause, then resubmit the job)'
      },
      { code: 'InvalidInput', message: 'hd: moov atom not found' }
    ])
  })

  it.each([
    ['DoNotRetry', 'Content', ' (Content error; DoNotRetry: correct the cause, then resubmit the job)'],
    ['MayRetry', 'Service', ' (Service error; MayRetry: the same job may succeed if resubmitted later)'],
    ['SomeNewAdvice', 'Upload', ' (Upload error; SomeNewAdvice)'],
    [undefined, 'Account', ' (Account error)'],
    ['MayRetry', undefined, ' (MayRetry: the same job may succeed if resubmitted later)'],
    [undefined, undefined, '']
  ])("the service's retry advice %s (category %s) follows the error", (retry, category, advice) => {
    expect(outputErrors({ code: 'E', message: 'failed', retry, category }, 'hd')).toEqual([
      { code: 'E', message: `hd: failed${advice}` }
    ])
  })

  it('the advice survives a message cut to the limit; hostile advice is one bounded line', () => {
    const [long] = outputErrors({ code: 'E', message: 'm'.repeat(5000), retry: 'MayRetry' }, '')
    expect(long.message).toHaveLength(1000)
    expect(long.message).toMatch(/…\s\(MayRetry: the same job may succeed if resubmitted later\)$/)
    const [hostile] = outputErrors({ code: 'E', message: 'm', retry: 'x\n::error::y'.repeat(50) }, '')
    expect(hostile.message).not.toContain('\n')
    expect(hostile.message.length).toBeLessThan(60)
  })

  it('MK.IO shape: an error without details, or with `detail` instead of `message`', () => {
    expect(outputErrors({ code: 'ServiceError', message: 'Encoder crashed' }, '')).toEqual([
      { code: 'ServiceError', message: 'Encoder crashed' }
    ])
    expect(outputErrors({ detail: 'quota exceeded' }, 'out')).toEqual([
      { code: 'Error', message: 'out: quota exceeded' }
    ])
  })

  it('a detail that repeats the error is not shown twice; empty details are dropped', () => {
    const e = { code: 'X', message: 'm', details: [{ code: 'X', message: 'm' }, {}, 'junk', null] }
    expect(outputErrors(e, '')).toEqual([{ code: 'X', message: 'm' }])
  })

  it('a detail that repeats only the code or only the message of the error is kept', () => {
    const e = {
      code: 'X',
      message: 'm',
      details: [
        { code: 'X', message: 'other' },
        { code: 'Y', message: 'm' }
      ]
    }
    expect(outputErrors(e, '')).toEqual([
      { code: 'X', message: 'm' },
      { code: 'X', message: 'other' },
      { code: 'Y', message: 'm' }
    ])
  })

  it("a detail with only a message takes the error's code; one with only a code has no message", () => {
    const e = { code: 'X', message: 'm', details: [{ message: 'dm' }, { code: 'D' }] }
    expect(outputErrors(e, '')).toEqual([
      { code: 'X', message: 'm' },
      { code: 'X', message: 'dm' },
      { code: 'D', message: '' }
    ])
  })

  it('an error with neither code nor message is shown by its details alone', () => {
    expect(outputErrors({ category: 'Content', details: [{ code: 'D', message: 'dm' }] }, 'hd')).toEqual([
      { code: 'D', message: 'hd: dm (Content error)' }
    ])
    expect(outputErrors({ category: 'Content' }, 'hd')).toEqual([])
  })

  it('at most MAX_ERROR_DETAILS lines: the error, then its first details that say something', () => {
    const said = Array.from({ length: 20 }, (_, i) => ({ code: `D${i}`, message: 'd' }))
    const lines = outputErrors({ code: 'X', message: 'm', details: said }, '')
    expect(lines).toHaveLength(MAX_ERROR_DETAILS)
    expect(lines[0]).toEqual({ code: 'X', message: 'm' })
    expect(lines[MAX_ERROR_DETAILS - 1]).toEqual({ code: `D${MAX_ERROR_DETAILS - 2}`, message: 'd' })

    const empty = Array.from({ length: MAX_ERROR_DETAILS + 5 }, () => ({}))
    const repeats = Array.from({ length: MAX_ERROR_DETAILS + 5 }, () => ({ code: 'X', message: 'm' }))
    expect(
      outputErrors(
        { code: 'X', message: 'm', details: [...empty, ...repeats, { code: 'D', message: 'd' }] },
        ''
      )
    ).toEqual([
      { code: 'X', message: 'm' },
      { code: 'D', message: 'd' }
    ])
  })

  it('at most MAX_ERROR_DETAILS lines for the job, from its outputs in order', () => {
    const outputs = Array.from({ length: MAX_ERROR_DETAILS + 2 }, (_, i) => ({
      label: `o${i}`,
      error: { code: 'E', message: 'failed' }
    }))
    const j = parseV3Job(job({ state: 'Error', outputs }), ID)
    expect(j.errorDetails).toEqual(
      outputs.slice(0, MAX_ERROR_DETAILS).map(o => ({ code: 'E', message: `${o.label}: failed` }))
    )
  })
})

describe('missing fields and hostile values', () => {
  it('a body without properties.state is a transient service error, not a crash', () => {
    for (const doc of [null, [], 'x', {}, { properties: {} }, job({ state: 42 }), job({ state: ' ' })]) {
      expect(() => parseV3Job(doc, ID)).toThrow(ServiceError)
    }
    expect(() => parseV3JobBody('<html>', ID)).toThrow(/HTML/)
    expect(() => parseV3JobBody('<html>', ID, 'api.mk.io')).toThrow(
      /^api\.mk\.io answered the job request with an HTML page$/
    )
    expect(() => parseV3Job({}, ID, 'Azure Resource Manager')).toThrow(
      /^Azure Resource Manager answered the job request without a valid properties\.state/
    )
  })

  it.each([
    ["a number (v3 names its states: 3 is not read as v2's Finished)", 3, '3'],
    ['a boolean', true, 'true'],
    ['null', null, 'null'],
    ['an array', ['Finished'], 'an array'],
    ['an object', { name: 'Finished' }, 'an object'],
    ['an empty string', '', '""'],
    ['only spaces', '  ', '""']
  ])('a state given as %s is refused, quoted in the error', (_, state, got) => {
    const error = refusal(job({ state }))
    expect(error.message).toBe(
      `The job service answered the job request without a valid properties.state (properties.state ${got})`
    )
    expect(error.transient).toBe(true)
  })

  it('a body without a state, or without properties, is refused as missing its state', () => {
    for (const doc of [job({}), { properties: 'Finished' }, { name: 'job1' }, null, 'Finished']) {
      expect(refusal(doc, 'Azure Resource Manager').message).toBe(
        'Azure Resource Manager answered the job request without a valid properties.state (properties.state missing)'
      )
    }
  })

  it('wrong types are ignored field by field', () => {
    const j = parseV3Job(
      {
        name: { evil: true },
        properties: {
          state: 'Processing',
          startTime: 'yesterday',
          endTime: 12,
          outputs: [{ progress: 'NaN' }, { progress: Infinity }, { progress: -5 }, { progress: 250 }, 7]
        }
      },
      ID
    )
    expect(j.name).toBe('')
    expect(j.startTime).toBeUndefined()
    expect(j.runningDuration).toBe(0)
    expect(j.progress).toBe(50) // -5 and 250 clamp to 0 and 100; the rest is not a number
  })

  it('server text is neutralised where it enters: one plain line, no workflow command, bounded', () => {
    const j = parseV3Job(
      job(
        {
          state: 'Error',
          outputs: [
            {
              label: 'hd\u001b[31m',
              error: {
                code: 'X\n::error::forged',
                message: `line1\r\n::set-output name=state::Finished ${'x'.repeat(5000)}`,
                details: Array.from({ length: 50 }, (_, i) => ({ code: `D${i}`, message: 'd' }))
              }
            }
          ]
        },
        'name\n::warning::forged'
      ),
      ID
    )
    expect(j.name).toBe('name ::warning::forged')
    expect(j.errorDetails).toHaveLength(10)
    for (const d of j.errorDetails ?? []) {
      expect(d.code + d.message).not.toMatch(/[\n\r]/)
      expect(d.code + d.message).not.toContain(String.fromCharCode(27))
      expect(d.message.length).toBeLessThanOrEqual(1000)
    }
    expect(j.errorDetails?.[0].code).toBe('X ::error::forged')
    expect(j.errorDetails?.[0].message).toMatch(/^hd: line1 ::set-output/)
  })

  it('keeps at most MAX_OUTPUT_ASSETS output assets, the first ones', () => {
    const outputs = Array.from({ length: MAX_OUTPUT_ASSETS + 1 }, (_, i) => ({ assetName: `a${i}` }))
    const assets = parseV3Job(job({ state: 'Processing', outputs }), ID).outputAssets
    expect(assets).toHaveLength(MAX_OUTPUT_ASSETS)
    expect(assets?.[MAX_OUTPUT_ASSETS - 1]).toEqual({ name: `a${MAX_OUTPUT_ASSETS - 1}` })
  })

  it('an end before the start does not give a negative duration', () => {
    const j = parseV3Job(
      job({ state: 'Finished', startTime: '2024-05-01T12:00:00Z', endTime: '2024-05-01T11:00:00Z' }),
      ID
    )
    expect(j.runningDuration).toBe(0)
  })

  it('never throws anything but ServiceError, and progress stays within 0..100 (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 4 }), (junk, outputs) => {
        try {
          const j = parseV3Job({ properties: { state: 'Processing', outputs, junk } }, ID)
          return j.progress === undefined || (j.progress >= 0 && j.progress <= 100)
        } catch (error) {
          return error instanceof ServiceError
        }
      })
    )
  })
})

describe('error bodies', () => {
  it("ARM's {error:{code,message}}", () => {
    const body = JSON.stringify({ error: { code: 'ResourceNotFound', message: 'Job not found.' } })
    expect(v3ErrorText(body)).toBe('ResourceNotFound: Job not found.')
    expect(v3ErrorCode(body)).toBe('ResourceNotFound')
  })

  it("MK.IO's {error:{detail}} and {error:'…'}, a gateway's HTML title, or nothing", () => {
    expect(v3ErrorText('{"error":{"detail":"Invalid token"}}')).toBe('Invalid token')
    expect(v3ErrorText('{"error":"Unauthorized"}')).toBe('Unauthorized')
    expect(v3ErrorText('<html><title>502 Bad Gateway</title></html>')).toBe('502 Bad Gateway')
    expect(v3ErrorText('{}')).toBeUndefined()
    expect(v3ErrorText('\ufeff{"error":{"code":"A","message":"b\\nc"}}')).toBe('A: b c')
    expect(v3ErrorCode('not json')).toBeUndefined()
  })

  it("a gateway's {message} without an error", () => {
    expect(v3ErrorText('{"message":"Access denied due to invalid subscription key."}')).toBe(
      'Access denied due to invalid subscription key.'
    )
    expect(v3ErrorText('{"message":""}')).toBeUndefined()
    expect(v3ErrorCode('{"message":"Access denied"}')).toBeUndefined()
  })

  it('a body that is not JSON has no error code', () => {
    for (const body of ['', '<html><title>502 Bad Gateway</title></html>', '{"error":'])
      expect(v3ErrorCode(body)).toBeUndefined()
  })
})

describe('v3 job outputs', () => {
  const body = (outputs: unknown[]) => ({ name: 'j', properties: { state: 'Finished', outputs } })

  it('names each output asset with its label, from the job body', () => {
    const job = parseV3Job(
      body([
        { '@odata.type': '#Microsoft.Media.JobOutputAsset', assetName: 'out-hd', label: 'hd' },
        { '@odata.type': '#Microsoft.Media.JobOutputAsset', assetName: 'out-sd' },
        { label: 'no asset' }
      ]),
      'https://x/jobs/j'
    )
    expect(job.outputAssets).toEqual([{ name: 'out-hd', label: 'hd' }, { name: 'out-sd' }])
  })

  it('neutralises hostile asset names', () => {
    const job = parseV3Job(body([{ assetName: 'a\n::error::b', label: 'l\u2028m' }]), 'https://x/jobs/j')
    expect(job.outputAssets).toEqual([{ name: 'a ::error::b', label: 'l m' }])
  })
})

/** Each published Resource Manager and MK.IO body in __fixtures__/bodies.ts. */
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
