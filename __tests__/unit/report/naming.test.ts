/** How the report names jobs and where they are (naming.ts): the nouns, the job labels, the errors line. */
import { describe, it, expect } from '@jest/globals'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { view } from '../../../__fixtures__/jobs.js'
import { errorsOf, type JobsOrigin, jobsNoun, label } from '../../../src/report/naming.js'
import { V2_ORIGIN as MEDIA_SERVICES_V2 } from '../../../src/jobs/v2/api.js'
import { v3Origin } from '../../../src/jobs/v3/api.js'
import { MESSAGE_LIMIT } from '../../../src/text.js'

describe('jobsNoun: where the jobs are, for titles and headings', () => {
  const MKIO: JobsOrigin = v3Origin('api.mk.io')
  it.each<[JobsOrigin, boolean, string]>([
    [MEDIA_SERVICES_V2, false, 'Media Services job'],
    [MEDIA_SERVICES_V2, true, 'Media Services jobs'],
    [MKIO, false, 'Job on api.mk.io'],
    [MKIO, true, 'Jobs on api.mk.io']
  ])('%j, plural %p: %s', (origin, plural, noun) => {
    expect(jobsNoun(origin, plural)).toBe(noun)
  })
})

describe('label: a job by its id and, when known, its name', () => {
  it('gives both once the job was seen with a name', () => {
    expect(label(view(JOB_A, 'Queued', {}, { name: 'trailer' }))).toBe(`${JOB_A} (trailer)`)
  })

  it('gives the id alone for a job not seen, or seen without a name', () => {
    expect(label(view(JOB_A))).toBe(JOB_A)
    expect(label(view(JOB_A, 'Queued', {}, { name: '' }))).toBe(JOB_A)
  })
})

describe('errorsOf: a job’s error details on one line', () => {
  it('joins code and message, detail by detail, with semicolons', () => {
    const v = view(JOB_A, 'Error', {
      errorDetails: [
        { code: 'E1', message: 'no video track' },
        { code: 'E2', message: 'no audio track' }
      ]
    })
    expect(errorsOf(v)).toBe('E1: no video track; E2: no audio track')
    expect(errorsOf(view(JOB_A, 'Error'))).toBe('')
  })

  it('is no longer than one error message may be', () => {
    const long = { code: 'E', message: 'x'.repeat(MESSAGE_LIMIT) }
    const line = errorsOf(view(JOB_A, 'Error', { errorDetails: [long, long] }))
    expect(line.length).toBeLessThanOrEqual(MESSAGE_LIMIT)
    expect(line.startsWith('E: xxx')).toBe(true)
  })
})
