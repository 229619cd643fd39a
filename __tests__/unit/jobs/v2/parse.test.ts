import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { ServiceError } from '../../../../src/errors.js'
import { thrownBy } from '../../../../__fixtures__/failure.js'
import {
  errorDetailsOf,
  jobProgress,
  parseJobs,
  parseTasks,
  serviceErrorText,
  type Task,
  containerUri,
  parseOutputAssets
} from '../../../../src/jobs/v2/parse.js'
import { JOB_A, JOB_B } from '../../../../__fixtures__/inputs.js'
import { jobEntity, minimalBody, taskEntity, verboseBody } from '../../../../__fixtures__/jobs.js'
import { JOB_STATES, MAX_ERROR_DETAILS, parseState } from '../../../../src/jobs/model.js'
import { parseDate } from '../../../../src/jobs/json.js'
import { V2_OUTPUT_ASSETS, V2_OUTPUT_ASSETS_NULLS, V2_VERBOSE_JOB } from '../../../../__fixtures__/bodies.js'

/** Every parse error is a ServiceError: anything else would crash the action as a bug. */
const thrown = (fn: () => unknown): ServiceError => thrownBy(fn, ServiceError)

describe('parseJobs: both JSON shapes of a Jobs query', () => {
  const a = jobEntity(JOB_A, 'Processing')
  const b = jobEntity(JOB_B, 'Finished', { EndTime: '2015-02-11T01:48:00' })

  it.each([
    ['minimal metadata {"value": [...]}', minimalBody([a, b])],
    ['verbose {"d": {"results": [...]}}', verboseBody([a, b])],
    ['verbose {"d": [...]}', JSON.stringify({ d: [a, b] })],
    ['a bare array', JSON.stringify([a, b])],
    ['d nested three times', JSON.stringify({ d: { d: { results: [a, b] } } })]
  ])('reads %s', (_shape, body) => {
    expect(parseJobs(body).map(j => [j.id, j.state])).toEqual([
      [JOB_A, 'Processing'],
      [JOB_B, 'Finished']
    ])
  })

  it.each([
    ['a verbose single entity {"d": {...}}', JSON.stringify({ d: { __metadata: { uri: 'x' }, ...a } })],
    [
      'an entity alone (minimal, by key)',
      JSON.stringify({ 'odata.metadata': 'x/$metadata#Jobs/@Element', ...a })
    ]
  ])('reads %s', (_shape, body) => {
    expect(parseJobs(body)).toEqual([
      expect.objectContaining({ id: JOB_A, state: 'Processing', name: 'encode trailer' })
    ])
  })

  it('writes the id as inputs.ts does (the GUID in lower case), whatever case the service answers in', () => {
    const upper = jobEntity(`nb:jid:uuid:${JOB_A.slice('nb:jid:UUID:'.length).toUpperCase()}`, 'Finished')
    expect(parseJobs(minimalBody([upper])).map(j => j.id)).toEqual([JOB_A])
  })

  it('an empty result is no jobs', () => {
    expect(parseJobs(minimalBody([]))).toEqual([])
    expect(parseJobs(verboseBody([]))).toEqual([])
  })

  it('reads the fields the report needs, with dates in UTC', () => {
    const [job] = parseJobs(
      minimalBody([
        jobEntity(JOB_A, 'Finished', {
          RunningDuration: 39605.0,
          EndTime: '2015-02-11T01:47:03.12',
          Name: 'trailer'
        })
      ])
    )
    expect(job).toEqual({
      id: JOB_A,
      name: 'trailer',
      state: 'Finished',
      runningDuration: 39605,
      created: new Date('2015-02-11T01:46:08.897Z'),
      lastModified: new Date('2015-02-11T01:47:08.897Z'),
      startTime: new Date('2015-02-11T01:46:16.580Z'),
      endTime: new Date('2015-02-11T01:47:03.120Z')
    })
  })

  it('nulls are left unset and a missing name is empty', () => {
    const [job] = parseJobs(
      minimalBody([
        { Id: JOB_A, State: 0, Name: null, StartTime: null, EndTime: null, RunningDuration: null }
      ])
    )
    expect(job).toEqual({
      id: JOB_A,
      name: '',
      state: 'Queued',
      runningDuration: 0,
      created: undefined,
      lastModified: undefined,
      startTime: undefined,
      endTime: undefined
    })
  })

  it.each([
    ['without State', { Id: JOB_A }],
    ['with State 7', { Id: JOB_A, State: 7 }],
    ['without Id', { State: 2 }]
  ])('a job %s is a transient ServiceError', (_what, entity) => {
    const e = thrown(() => parseJobs(minimalBody([entity])))
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).transient).toBe(true)
  })

  it.each([
    ['an HTML page', '<html><head><title>502 Bad Gateway</title></head></html>', /an HTML page/],
    ['an HTML page after blank lines', '\r\n\n  <!DOCTYPE html><html></html>', /an HTML page/],
    ['an empty body', '', /an empty body/],
    ['text', 'Service Unavailable', /text that is not JSON/],
    ['JSON of another shape', '{"odata.metadata":"x"}', /unexpected shape/],
    // Three levels of `d` are still read (below); a fourth is no Media Services answer.
    ['d nested four times', JSON.stringify({ d: { d: { d: { d: [a] } } } }), /unexpected shape/],
    ['a list of non-entities', '{"value":[1,2]}', /unexpected shape/]
  ])('a body that is %s is a transient ServiceError', (_what, body, why) => {
    const e = thrown(() => parseJobs(body))
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).transient).toBe(true)
    expect((e as ServiceError).message).toMatch(why)
  })
})

describe('parseState: the Int32 the service sends, or a name', () => {
  it.each(JOB_STATES.map((name, value): [number, string] => [value, name]))('%d is %s', (value, name) => {
    expect(parseState(value)).toBe(name)
    expect(parseState(String(value))).toBe(name)
    expect(parseState(name.toUpperCase())).toBe(name)
  })

  it.each([7, -1, 2.5, NaN, null, undefined, 'Running', '', '10', '3x', 'x3', ' 3', '-1', {}, true])(
    '%j is no state',
    value => {
      expect(parseState(value)).toBeUndefined()
    }
  )
})

describe('parseDate: every date form the v2 API uses', () => {
  const at = new Date('2015-12-02T05:10:42.667Z')

  it.each([
    ['ISO without a zone (UTC)', '2015-12-02T05:10:42.667'],
    ['ISO with Z', '2015-12-02T05:10:42.667Z'],
    ['ISO with an offset', '2015-12-02T06:10:42.667+01:00'],
    ['ISO with a compact offset', '2015-12-02T06:10:42.667+0100'],
    ['ISO with a lower-case z', '2015-12-02T05:10:42.667z'],
    ['ISO with seven fraction digits (.NET)', '2015-12-02T05:10:42.6670000'],
    ['/Date(ms)/', '/Date(1449033042667)/'],
    ['\\/Date(ms)\\/ as JSON.parse gives it', JSON.parse('"\\/Date(1449033042667)\\/"') as string],
    ['\\/Date(ms)\\/ with its backslashes kept', '\\/Date(1449033042667)\\/'],
    ['/Date(ms+0000)/', '/Date(1449033042667+0000)/'],
    ['/Date(ms-0800)/ (the offset does not move the instant)', '/Date(1449033042667-0800)/'],
    ['Date(ms) without its slashes', 'Date(1449033042667)'],
    ['ISO with spaces around it', ' 2015-12-02T05:10:42.667Z\n'],
    ['ISO without a zone, with spaces around it', ' 2015-12-02T05:10:42.667 '],
    ['/Date(ms)/ with spaces around it', ' /Date(1449033042667)/ ']
  ])('%s', (_form, text) => {
    expect(parseDate(text)).toEqual(at)
  })

  it('minutes-only ISO is UTC too', () => {
    expect(parseDate('2015-12-02T05:10')).toEqual(new Date('2015-12-02T05:10:00Z'))
  })

  it.each([
    null,
    undefined,
    '',
    '  ',
    42,
    'yesterday',
    '2015-13-45T99:99',
    '/Date(abc)/',
    '2015-12-02',
    '2015-12-02T05:10:42.667+01',
    '2015-12-02T05:10:42.667+01:0',
    '/Date(1449033042667+01)/',
    '//Date(1449033042667)/',
    // Only the whole text is a date: text before or after either form is not ignored.
    'at /Date(1449033042667)/',
    '/Date(1449033042667)/ or so',
    'at 2015-12-02T05:10:42.667Z',
    '2015-12-02T05:10:42.667Z or so'
  ])('%j is no date', value => {
    expect(parseDate(value)).toBeUndefined()
  })
})

describe('parseTasks: progress and error details', () => {
  const errors = [
    { code: 'ErrorProcessingTask', message: 'The input asset has no video track' },
    { code: 'ErrorExecutingTaskMalformedContent', message: 'Malformed content' }
  ]

  it('reads verbose ErrorDetails wrapped in {results: [...]}', () => {
    const entity = {
      ...taskEntity(40),
      ErrorDetails: {
        __metadata: { type: 'Collection(Microsoft.Cloud.Media.Vod.Rest.Data.Models.ErrorDetail)' },
        results: errors.map(e => ({ Code: e.code, Message: e.message }))
      }
    }
    const [task] = parseTasks(verboseBody([entity]))
    expect(task.progress).toBe(40)
    expect(task.errorDetails).toEqual(errors)
  })

  it('reads minimal ErrorDetails arrays', () => {
    const [task] = parseTasks(minimalBody([taskEntity(100, errors)], 'Tasks'))
    expect(task).toMatchObject({ name: 'Media Encoder Standard task', progress: 100, errorDetails: errors })
    expect(task.startTime).toEqual(new Date('2015-02-11T01:46:16.580Z'))
  })

  it('a deferred or missing ErrorDetails is no error; progress is kept within 0..100', () => {
    const tasks = parseTasks(
      minimalBody([
        { ...taskEntity(120), ErrorDetails: { __deferred: { uri: 'x' } } },
        { ...taskEntity(-3), ErrorDetails: undefined },
        { ...taskEntity(0), Progress: 'NaN' }
      ])
    )
    expect(tasks.map(t => [t.progress, t.errorDetails])).toEqual([
      [100, []],
      [0, []],
      [0, []]
    ])
  })
})

describe('jobProgress: the mean of the tasks, as the v2 SDK computes it', () => {
  const task = (progress: number): Task => ({
    id: '',
    name: '',
    progress,
    runningDuration: 0,
    errorDetails: []
  })

  it('is undefined without tasks', () => {
    expect(jobProgress([])).toBeUndefined()
  })

  it('is the mean of the tasks', () => {
    expect(jobProgress([task(100), task(50), task(0)])).toBe(50)
    expect(jobProgress([task(33)])).toBe(33)
  })
})

describe('serviceErrorText: what the service said, from an error body', () => {
  it.each([
    [
      'OData odata.error',
      '{"odata.error":{"code":"","message":{"lang":"en-US","value":"Resource Job not found"}}}',
      'Resource Job not found'
    ],
    [
      'verbose error with a code',
      '{"error":{"code":"InvalidVersion","message":{"lang":"en-US","value":"Version 3.0 is not supported"}}}',
      'InvalidVersion: Version 3.0 is not supported'
    ],
    [
      'error with a plain message',
      '{"error":{"code":"Throttled","message":"Server is busy"}}',
      'Throttled: Server is busy'
    ],
    [
      "Entra ID's error_description",
      '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}',
      'AADSTS7000215: Invalid client secret provided.'
    ],
    ['an error code alone', '{"error":"temporarily_unavailable"}', 'temporarily_unavailable'],
    [
      "a gateway's HTML title",
      '<html><head><title> 503 Service Unavailable </title></head><body>…</body></html>',
      '503 Service Unavailable'
    ]
  ])('%s', (_what, body, said) => {
    expect(serviceErrorText(body)).toBe(said)
  })

  it.each(['', 'oops', '<html><body>no title</body></html>', '{}', '[]', '"text"', '{"error":{}}'])(
    '%j says nothing readable',
    body => {
      expect(serviceErrorText(body)).toBeUndefined()
    }
  )
})

describe('for any body (property-based)', () => {
  /** Only ServiceError may leave the parsers: anything else would crash the action as a bug. */
  function onlyServiceErrors(fn: () => unknown): void {
    try {
      fn()
    } catch (error) {
      expect(error).toBeInstanceOf(ServiceError)
    }
  }

  /** Values of the kinds a broken service could send, objects with the names every object inherits included. */
  const anyValue = fc.letrec(tie => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer({ min: -2, max: 8 }),
      fc.string(),
      fc.constantFrom('/Date(1449033042667)/', '2015-02-11T01:46:08.897', JOB_A, 'Error', '3'),
      fc.array(tie('value'), { maxLength: 3 }),
      {
        weight: 3,
        arbitrary: fc.dictionary(
          fc.constantFrom(
            'results',
            'value',
            'Code',
            'Message',
            'toString',
            'valueOf',
            '__proto__',
            'constructor'
          ),
          tie('value'),
          { maxKeys: 3 }
        )
      }
    )
  })).value

  /** Entities with the property names the parsers read, in every wrapper the parsers accept. */
  const entity = fc.dictionary(
    fc.constantFrom(
      'Id',
      'State',
      'Name',
      'StartTime',
      'EndTime',
      'RunningDuration',
      'Progress',
      'ErrorDetails',
      'Created',
      'd'
    ),
    anyValue,
    { maxKeys: 6 }
  )
  const entities = fc.array(entity, { maxLength: 3 })
  const shaped = fc.oneof(
    entities.map(value => ({ value })),
    entities.map(results => ({ d: { results } })),
    entities.map(d => ({ d })),
    entity.map(d => ({ d })),
    entity,
    fc.dictionary(
      fc.constantFrom('odata.error', 'error', 'error_description', 'message', 'code', 'toString'),
      anyValue
    )
  )

  const bodies = fc.oneof(
    fc.json(),
    fc.jsonValue().map(v => JSON.stringify(v)),
    fc.anything().map(v => JSON.stringify(v) ?? ''),
    shaped.map(v => JSON.stringify(v)),
    fc.string(),
    fc.string({ unit: 'binary' })
  )

  it('parseJobs, parseTasks and serviceErrorText throw nothing but ServiceError', () => {
    fc.assert(
      fc.property(bodies, body => {
        onlyServiceErrors(() => parseJobs(body))
        onlyServiceErrors(() => parseTasks(body))
        onlyServiceErrors(() => serviceErrorText(body))
      }),
      { numRuns: 3000 }
    )
  })

  it('parseDate never throws, and any date it gives is valid', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string(),
          fc.stringMatching(/^\\?\/?Date\(-?\d{1,16}([+-]\d{4})?\)\\?\/?$/)
        ),
        v => {
          const d = parseDate(v)
          if (d !== undefined) expect(Number.isNaN(d.getTime())).toBe(false)
        }
      ),
      { numRuns: 1000 }
    )
  })

  it('a job named with a non-callable toString is a ServiceError, not a TypeError', () => {
    onlyServiceErrors(() => parseJobs(minimalBody([{ Id: JOB_A, State: 2, Name: { toString: 1 } }])))
    onlyServiceErrors(() =>
      parseTasks(minimalBody([{ Id: 'x', ErrorDetails: [{ Code: { toString: null } }] }]))
    )
    onlyServiceErrors(() => serviceErrorText('{"error":{"code":{"toString":0},"message":"m"}}'))
  })

  it('a pathologically nested verbose body is a ServiceError, not a stack overflow', () => {
    const depth = 50_000
    onlyServiceErrors(() => parseJobs('{"d":'.repeat(depth) + '[]' + '}'.repeat(depth)))
  })
})

describe('a body that starts with a UTF-8 byte order mark', () => {
  it('is read like any other (Jobs, Tasks and error bodies)', () => {
    const bom = '\uFEFF'
    expect(parseJobs(bom + minimalBody([jobEntity(JOB_A, 'Finished')])).map(j => j.state)).toEqual([
      'Finished'
    ])
    expect(parseTasks(bom + minimalBody([taskEntity(40)], 'Tasks'))[0].progress).toBe(40)
    expect(serviceErrorText(`${bom}{"error":{"code":"Busy","message":"try later"}}`)).toBe('Busy: try later')
  })
})

describe('RunningDuration that no clock could measure', () => {
  it.each([
    ['negative', -5000],
    ['negative, as text', '-1'],
    ['not finite', 'Infinity'],
    ['not a number', 'soon'],
    ['absent', undefined]
  ])('%s counts as 0, for the job and its tasks', (_what, value) => {
    const [job] = parseJobs(minimalBody([jobEntity(JOB_A, 'Finished', { RunningDuration: value })]))
    expect(job.runningDuration).toBe(0)
    const [task] = parseTasks(minimalBody([taskEntity(100, [], { RunningDuration: value })], 'Tasks'))
    expect(task.runningDuration).toBe(0)
  })
})

describe('a job whose Id is not an id', () => {
  it('a deeply nested Id is described, not serialised (no "Maximum call stack size exceeded")', () => {
    const body = `{"value":[{"Id":${'['.repeat(200_000)}1${']'.repeat(200_000)},"State":3}]}`
    const e = thrown(() => parseJobs(body))
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as Error).message).toBe(
      'Media Services returned a job without a valid Id and State (Id an array, State 3)'
    )
    expect((e as ServiceError).transient).toBe(true)
  })

  it('a hostile Id is quoted as one short line', () => {
    const body = minimalBody([{ Id: `\n::error::${'x'.repeat(5000)}`, State: 'nonsense' }])
    const message = (thrown(() => parseJobs(body)) as Error).message
    expect(message).toMatch(
      /^Media Services returned a job without a valid Id and State \(Id "::error::x+…", State "nonsense"\)$/
    )
    expect(message.length).toBeLessThan(320)
  })
})

describe('server text is neutralised where it enters', () => {
  const hostile = '\r\n::stop-commands::x\u2028\u001b[31m<!-- # heading'

  it("a job's Name and Id: one line, at most 200 characters", () => {
    const [job] = parseJobs(
      minimalBody([jobEntity(JOB_A, 'Error', { Name: hostile + 'n'.repeat(5 * 1024 * 1024) })])
    )
    expect(job.name.startsWith('::stop-commands::x <!-- # heading')).toBe(true)
    expect(job.name).toHaveLength(200)
    expect(job.id).toBe(JOB_A)
  })

  it("a task's ErrorDetails: codes at most 200, messages at most 1000, at most 10 of them", () => {
    const details = Array.from({ length: 50 }, (_, i) => ({
      code: `${hostile}${i}${'c'.repeat(500)}`,
      message: `${hostile}${'m'.repeat(5000)}`
    }))
    const [task] = parseTasks(minimalBody([taskEntity(0, details)], 'Tasks'))
    expect(task.errorDetails).toHaveLength(10)
    for (const d of task.errorDetails) {
      expect(d.code).toHaveLength(200)
      expect(d.message).toHaveLength(1000)
      expect(d.code + d.message).not.toMatch(/[\r\n\u2028]/)
      expect(d.code + d.message).not.toContain('\u001b')
    }
  })

  it("an error body's text and an HTML page's title", () => {
    expect(serviceErrorText(`{"odata.error":{"code":"","message":{"value":"${'\\n'}::error::x"}}}`)).toBe(
      '::error::x'
    )
    expect(serviceErrorText('<html><title>Busy\n::add-mask::x\r\u001b[2J</title></html>')).toBe(
      'Busy ::add-mask::x'
    )
    expect(serviceErrorText(JSON.stringify({ error_description: 'e'.repeat(9000) }))).toHaveLength(1000)
    expect(serviceErrorText(`<html><title lang="en">${'t'.repeat(5000)}</title></html>`)).toHaveLength(1000)
  })
})

describe('values of another JSON type than the documented one', () => {
  it('an Id or Name given as a number or boolean is read as its text; null or an object as nothing', () => {
    const [job] = parseJobs(minimalBody([{ Id: 42, State: 3, Name: true, RunningDuration: '12.5' }]))
    expect(job).toMatchObject({ id: '42', name: 'true', state: 'Finished', runningDuration: 12.5 })
    expect(parseJobs(minimalBody([{ Id: JOB_A, State: '3', Name: { x: 1 } }]))[0].name).toBe('')
    expect(parseJobs(minimalBody([{ Id: JOB_A, State: 3, Name: null }]))[0].name).toBe('')
  })

  it('a Progress given as text is read as a number; one that is not a number counts as 0', () => {
    const [a, b, c] = parseTasks(
      minimalBody([
        taskEntity(0, [], { Progress: '40' }),
        taskEntity(0, [], { Progress: 'x' }),
        taskEntity(0, [], { Progress: [] })
      ])
    )
    expect([a.progress, b.progress, c.progress]).toEqual([40, 0, 0])
  })

  it.each([
    ['a number and null', { Id: 42.5, State: null }, 'Id 42.5, State null'],
    ['a boolean and nothing', { Id: false }, 'Id false, State missing'],
    ['an array and an object', { Id: ['x'], State: { v: 3 } }, 'Id an array, State an object'],
    ['a text', { Id: '', State: 'Done' }, 'Id "", State "Done"']
  ])('a job without a valid Id and State quotes what came: %s', (_what, entity, quoted) => {
    const e = thrown(() => parseJobs(minimalBody([entity])))
    expect((e as ServiceError).message).toBe(
      `Media Services returned a job without a valid Id and State (${quoted})`
    )
  })

  it('the parse errors name the query and the service', () => {
    expect((thrown(() => parseJobs('{"x":1}')) as Error).message).toBe(
      'Media Services answered the Jobs query with JSON of an unexpected shape'
    )
    expect((thrown(() => parseTasks('<html>')) as Error).message).toBe(
      'Media Services answered the Tasks query with an HTML page'
    )
  })

  it.each([
    ['a bare array', [{ Code: 'A', Message: 'a' }], ['A']],
    ['wrapped in {results}', { results: [{ Code: 'A', Message: 'a' }] }, ['A']],
    ['a list with values that are no entities', [1, 'x', null, { Code: 'B', Message: 'b' }], ['B']],
    ['an object without results', { __deferred: { uri: 'x' } }, []],
    ['{results} that is not a list', { results: 'A' }, []],
    ['a text', 'A', []]
  ])('ErrorDetails as %s', (_what, details, codes) => {
    const [task] = parseTasks(minimalBody([{ ...taskEntity(0), ErrorDetails: details }]))
    expect(task.errorDetails.map(d => d.code)).toEqual(codes)
  })
})

describe('job ids the service answers in another case', () => {
  const guid = JOB_A.slice('nb:jid:UUID:'.length).toUpperCase()
  it.each([`xnb:jid:UUID:${guid}`, `nb:jid:UUID:${guid}x`, `nb:jid:UUID:${guid}:1`])(
    '%s is not a v2 job id and is kept as the service wrote it',
    id => {
      expect(parseJobs(minimalBody([jobEntity(id, 'Finished')]))[0].id).toBe(id)
    }
  )
})

describe('errorDetailsOf: the first details of all tasks', () => {
  const task = (codes: string[]): Task => ({
    id: 't',
    name: 't',
    progress: 0,
    runningDuration: 0,
    errorDetails: codes.map(code => ({ code, message: code }))
  })

  it(`keeps task order and at most ${MAX_ERROR_DETAILS} across tasks`, () => {
    const first = Array.from({ length: MAX_ERROR_DETAILS - 1 }, (_, i) => `A${i}`)
    const details = errorDetailsOf([task(first), task(['B0', 'B1', 'B2'])])
    expect(details.map(d => d.code)).toEqual([...first, 'B0'])
  })
})

describe("an HTML error page's title is looked for in the first 64 KiB", () => {
  it('within them it is read; after them it is not', () => {
    const pad = ' '.repeat(64 * 1024 - 100)
    expect(serviceErrorText(`<html>${pad}<title>502 Bad Gateway</title></html>`)).toBe('502 Bad Gateway')
    expect(serviceErrorText(`<html>${pad}${pad}<title>502 Bad Gateway</title></html>`)).toBeUndefined()
  })
})

/** Output assets where they enter: v2's OutputMediaAssets answer. */
const ASSET = {
  Id: 'nb:cid:UUID:9a1e0c3b-0000-4000-8000-000000000001',
  Name: 'trailer-output',
  State: 0,
  Options: 0,
  AlternateId: null,
  Created: '/Date(1449033042667)/',
  LastModified: '2015-12-02T05:10:42.667',
  Uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b',
  StorageAccountName: 'mediastore',
  FormatOption: 0
}
const EXPECTED = {
  id: ASSET.Id,
  name: 'trailer-output',
  storageAccount: 'mediastore',
  uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b'
}

describe('v2 OutputMediaAssets', () => {
  it('reads minimal metadata and verbose answers alike', () => {
    const minimal = { 'odata.metadata': 'https://x/api/$metadata#Assets', value: [ASSET] }
    const verbose = { d: { results: [{ __metadata: { uri: 'https://x/api/Assets(...)' }, ...ASSET }] } }
    expect(parseOutputAssets(JSON.stringify(minimal))).toEqual([EXPECTED])
    expect(parseOutputAssets(JSON.stringify(verbose))).toEqual([EXPECTED])
    expect(parseOutputAssets(JSON.stringify({ value: [] }))).toEqual([])
    expect(parseOutputAssets(JSON.stringify({ d: { results: [] } }))).toEqual([])
  })

  it('leaves out what the service did not give; an entity with neither Id nor Name is dropped', () => {
    const body = JSON.stringify({
      value: [{ Id: 'nb:cid:UUID:1' }, { Name: 'only-name', Uri: null }, { State: 1 }]
    })
    expect(parseOutputAssets(body)).toEqual([{ id: 'nb:cid:UUID:1', name: '' }, { name: 'only-name' }])
  })

  it('never hands over a SAS, credentials or a fragment in Uri; a Uri that is not http(s) is left out', () => {
    expect(containerUri('https://s.blob.core.windows.net/asset-1?sv=2012&sig=SECRET')).toBe(
      'https://s.blob.core.windows.net/asset-1'
    )
    expect(containerUri('https://user:pw@s.blob.core.windows.net/a#frag')).toBe(
      'https://s.blob.core.windows.net/a'
    )
    expect(containerUri('javascript:alert(1)')).toBeUndefined()
    expect(containerUri('not a url')).toBeUndefined()
  })

  it('neutralises names where they enter, and keeps at most 100 assets', () => {
    const hostile = {
      Id: 'nb:cid:\n::error::x',
      Name: 'a\r\n::add-mask::b\u001b[31m',
      StorageAccountName: 'x'.repeat(5000)
    }
    const [a] = parseOutputAssets(JSON.stringify({ value: [hostile] }))
    expect(a.id).toBe('nb:cid: ::error::x')
    expect(a.name).toBe('a ::add-mask::b')
    expect(a.storageAccount).toHaveLength(200)
    const many = Array.from({ length: 150 }, (_, i) => ({ Id: `nb:cid:UUID:${i}`, Name: `n${i}` }))
    expect(parseOutputAssets(JSON.stringify({ value: many }))).toHaveLength(100)
  })

  it('an answer of another shape is a service error, not a crash', () => {
    expect(() => parseOutputAssets('{"value":"x"}')).toThrow(ServiceError)
    expect(() => parseOutputAssets('<html>')).toThrow(ServiceError)
  })
})

/** Each published v2 body in __fixtures__/bodies.ts. */
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
