/**
 * The registry of job APIs (jobs/apis.ts), and the proof that a job API is one folder and one line: a third,
 * test-only API (__fixtures__/third-api/) runs through run() end to end — inputs, sign-in, polling, outputs,
 * summary, verdict — with nothing in settings/, main.ts or report/ knowing it.
 */
import { describe, expect, it, jest } from '@jest/globals'
import * as core from '../../../__fixtures__/core.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, jsonReply, type RecordedRequest } from '../../../__fixtures__/http.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'
import { testJobs } from '../../../__fixtures__/third-api/api.js'
import { JOB_APIS } from '../../../src/jobs/apis.js'
import { MAX_JOBS } from '../../../src/jobs/api.js'
import type { Runtime } from '../../../src/main.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../../../src/main.js')

const APIS = [...JOB_APIS, testJobs]

/** A step of the third API: `answer` gives each GET of a job; every input not given is ''. */
function step(
  inputs: Record<string, string>,
  answer: (req: RecordedRequest) => ReturnType<typeof jsonReply>
) {
  const http = new FakeHttp([], answer)
  const log = collectingLogger()
  const clock = fakeClock()
  const outputs: Record<string, string> = {}
  const failures: { message: string; title: string }[] = []
  const summaries: string[] = []
  const rt: Runtime = {
    getInput: name => inputs[name] ?? '',
    env: {},
    log,
    mask: () => undefined,
    setOutput: (name, value) => {
      outputs[name] = value
    },
    fail: (message, title) => failures.push({ message, title }),
    writeSummary: async markdown => {
      summaries.push(markdown)
    },
    now: clock.now,
    sleep: clock.sleep,
    onCancel: () => undefined,
    createHttp: () => http
  }
  return { rt, http, log, outputs, failures, summaries }
}

describe('the registry', () => {
  it('names each job input once, and no API reads another API’s own inputs', () => {
    const inputs = JOB_APIS.map(api => api.input)
    expect(new Set(inputs).size).toBe(inputs.length)
    const own = JOB_APIS.flatMap(api => api.ownInputs.map(i => i.name))
    expect(new Set(own).size).toBe(own.length)
    expect(own.some(name => inputs.includes(name))).toBe(false)
  })
})

describe('a third, test-only job API runs end to end without a change to settings/, main.ts or report/', () => {
  const inputs = {
    'test-job': 'clip1 clip2',
    'access-token': 'given-token',
    timeout: '5m',
    'poll-interval': '10s'
  }

  it('is chosen by its input, signs in with access-token, polls its jobs and writes every ending', async () => {
    let polls = 0
    const s = step(inputs, req => {
      const state = req.url.endsWith('clip1') && polls++ < 2 ? 'Processing' : 'Finished'
      return jsonReply(200, { state, progress: state === 'Finished' ? 100 : 40 })
    })
    await run(s.rt, APIS)
    expect(s.failures).toEqual([])
    expect(s.log.shown()[0]).toMatch(
      /^Waiting for 2 test jobs at https:\/\/jobs\.test\.invalid\/ \(poll every 10s/
    )
    expect(s.http.requests[0].url).toBe('https://jobs.test.invalid/jobs/clip1')
    expect(s.http.requests.every(r => r.headers.Authorization === 'Bearer given-token')).toBe(true)
    expect(s.outputs.state).toBe('Finished')
    expect(JSON.parse(s.outputs.jobs).map((j: { id: string }) => j.id)).toEqual(['clip1', 'clip2'])
    expect(s.summaries[0]).toMatch(/^### ✅ Test jobs/)
    expect(s.log.shown().at(-1)).toMatch(/^✓ 2 jobs ended/)
    expect(s.log.warnings()).toEqual([])
  })

  it('warns about another API’s inputs given with it, and fails on a job that ended in Error', async () => {
    const s = step({ ...inputs, 'api-url': 'https://acct.restv2.westeurope.media.azure.net/api/' }, () =>
      jsonReply(200, { state: 'Error' })
    )
    await run(s.rt, APIS)
    expect(s.log.warnings()).toContain(
      'api-url is for job-id (Media Services v2); it is not used with test-job.'
    )
    expect(s.failures).toEqual([
      { title: 'Test job failed', message: expect.stringMatching(/^clip1 \(clip1\) ended Error/) }
    ])
  })

  it('is offered when no job input is given, and refused beside another', async () => {
    const none = step({ 'access-token': 't' }, () => jsonReply(200, {}))
    await run(none.rt, APIS)
    expect(none.failures[0].message).toMatch(
      /^Input job-id, job-url or test-job is required: job-id for .*, job-url for .*, test-job for test job names \(any word\)\.$/
    )
    const both = step({ ...inputs, 'job-url': 'https://api.mk.io/api/ams/s/transforms/t/jobs/j' }, () =>
      jsonReply(200, {})
    )
    await run(both.rt, APIS)
    expect(both.failures[0].message).toMatch(/^Inputs job-url and test-job are both given/)
    expect(both.http.requests).toEqual([])
  })

  it('keeps the rules every API shares: at most MAX_JOBS jobs, access-token where it has no Entra ID scope', async () => {
    const many = step(
      { ...inputs, 'test-job': Array.from({ length: MAX_JOBS + 1 }, (_, i) => `j${i}`).join(' ') },
      () => jsonReply(200, {})
    )
    await run(many.rt, APIS)
    expect(many.failures[0].message).toBe(
      `Input test-job: ${MAX_JOBS + 1} jobs given; at most ${MAX_JOBS} can be waited for at once.`
    )
    const noToken = step({ 'test-job': 'clip1' }, () => jsonReply(200, {}))
    await run(noToken.rt, APIS)
    expect(noToken.failures[0].message).toBe('Input access-token is required for test jobs.')
  })

  it('is not known to the action as it ships', async () => {
    const s = step(inputs, () => jsonReply(200, {}))
    await run(s.rt)
    expect(s.failures[0].message).toMatch(/^Input job-id or job-url is required/)
  })
})
