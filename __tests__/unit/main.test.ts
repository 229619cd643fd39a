/**
 * The wiring, end to end but without a runner or a network: inputs in, log lines, outputs and the one
 * failure annotation out. Entra ID and Media Services are a scripted fake Http.
 */
import { describe, it, expect, jest, beforeEach } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import type { Runtime } from '../../src/main.js'
import { fakeClock, type FakeClock } from '../../__fixtures__/clock.js'
import {
  FakeHttp,
  type RecordedRequest,
  jsonReply,
  redirect,
  reply,
  tokenReply
} from '../../__fixtures__/http.js'
import { CLIENT, JOB_A, JOB_B, SECRET, TENANT } from '../../__fixtures__/inputs.js'
import { jobEntity, minimalBody, taskEntity } from '../../__fixtures__/jobs.js'
import { collectingLogger, type CollectingLogger } from '../../__fixtures__/logger.js'
import type { JobState } from '../../src/jobs/model.js'
import { OUTPUT_NAMES } from '../../src/report/outputs.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../../src/main.js')
const { LAST_POLL_MS } = await import('../../src/wait/limits.js')
const { CANCEL_JOBS_WITHIN_MS, OUTPUT_ASSETS_WITHIN_MS } = await import('../../src/wait/finish.js')

const ACCOUNT = 'https://acct.restv2.westeurope.media.azure.net/api/'
/** The retired global endpoint, which answered with a redirect to the account: still followed when given. */
const GLOBAL = 'https://media.windows.net/api/'

interface Step {
  rt: Runtime
  http: FakeHttp
  log: CollectingLogger
  clock: FakeClock
  outputs: Record<string, string>
  fail: jest.Mock<(message: string, title: string) => void>
  mask: jest.Mock<(secret: string) => void>
  writeSummary: jest.Mock<(markdown: string) => Promise<void>>
  createHttp: jest.Mock<(ms: number) => FakeHttp>
  cancel: () => void
}

/**
 * A step with these inputs against a service whose jobs go through `states` (one entry per poll, the
 * last repeating; a job left out is not returned). Token POSTs get a token; Tasks reads get `tasks`.
 */
function step(
  inputs: Record<string, string>,
  states: Record<string, JobState>[],
  o: {
    tasks?: unknown[]
    /** The answer to an OutputMediaAssets read; no assets when not given. */
    assets?: (req: RecordedRequest) => ReturnType<typeof reply> | Error
    first?: (req: RecordedRequest) => ReturnType<typeof reply> | undefined
    onSleep?: (ms: number, i: number, s: Step) => void
    realDelayMs?: number
  } = {}
): Step {
  let polls = 0
  const answer = (req: RecordedRequest) => {
    const special = o.first?.(req)
    if (special) return special
    if (req.method === 'POST') return tokenReply('tok')
    if (req.url.includes('/CancelJob')) return reply(204)
    if (req.url.includes('/OutputMediaAssets')) return o.assets?.(req) ?? jsonReply(200, { value: [] })
    if (req.url.includes('/Tasks')) return jsonReply(200, { value: o.tasks ?? [taskEntity(50)] })
    const now = states[Math.min(polls++, states.length - 1)]
    return reply(200, minimalBody(Object.entries(now).map(([id, s]) => jobEntity(id, s))))
  }
  const http = new FakeHttp([], answer)
  const log = collectingLogger()
  const outputs: Record<string, string> = {}
  let onCancel: () => void = () => undefined
  const s = {} as Step
  const clock = fakeClock(undefined, (ms, i) => o.onSleep?.(ms, i, s))
  const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    await clock.sleep(ms, signal)
    if (o.realDelayMs) await new Promise(resolve => setTimeout(resolve, o.realDelayMs))
  }
  const fail = jest.fn<(message: string, title: string) => void>()
  const mask = jest.fn<(secret: string) => void>()
  const writeSummary = jest.fn<(markdown: string) => Promise<void>>(async () => undefined)
  const createHttp = jest.fn<(ms: number) => FakeHttp>(() => http)
  const rt: Runtime = {
    getInput: name => inputs[name] ?? '',
    env: {},
    log,
    mask,
    setOutput: (name, value) => {
      outputs[name] = value
    },
    fail,
    writeSummary,
    now: clock.now,
    sleep,
    onCancel: handler => {
      onCancel = handler
    },
    createHttp
  }
  Object.assign(s, {
    rt,
    http,
    log,
    clock,
    outputs,
    fail,
    mask,
    writeSummary,
    createHttp,
    cancel: () => onCancel()
  })
  return s
}

const withSecret = (extra: Record<string, string> = {}) => ({
  'job-id': JOB_A,
  'tenant-id': TENANT,
  'client-id': CLIENT,
  'client-secret': SECRET,
  'api-url': ACCOUNT,
  ...extra
})

beforeEach(() => {
  jest.clearAllMocks()
})

describe('run: a bad input', () => {
  it('fails the step once with "Invalid input", makes no request, sets every output empty and says why in the summary', async () => {
    const s = step(withSecret({ 'job-id': 'my-encoding-job' }), [])
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    const [message, title] = s.fail.mock.calls[0]
    expect(title).toBe('Invalid input')
    expect(message).toMatch(/^Input job-id: 'my-encoding-job' is not a Media Services job id/)
    expect(s.createHttp).not.toHaveBeenCalled()
    expect(s.http.requests).toEqual([])
    expect(s.outputs).toEqual({
      state: '',
      runningDuration: '',
      startTime: '',
      endTime: '',
      progress: '',
      jobs: '[]',
      assets: '[]',
      'asset-name': '',
      'asset-id': ''
    })
    expect(s.writeSummary).toHaveBeenCalledTimes(1)
    expect(s.writeSummary.mock.calls[0][0]).toContain(
      "Invalid input: Input job-id\\: 'my-encoding-job' is not"
    )
    expect(s.mask).toHaveBeenCalledWith(SECRET)
  })
})

describe('run: a job-url step on a host that is not Resource Manager', () => {
  const MKIO = 'https://api.mk.io/api/ams/my-sub/transforms/enc/jobs/job1'

  it("hands the v3 source its options: one GET with the given token, at the jobs' host, no sign-in", async () => {
    const s = step({ 'job-url': MKIO, 'access-token': 'mk-token', 'x-ms-version': '2.19' }, [], {
      first: () => jsonReply(200, { name: 'job1', properties: { state: 'Finished', outputs: [] } })
    })
    await run(s.rt)

    expect(s.fail).not.toHaveBeenCalled()
    expect(s.http.requests.map(r => `${r.method} ${r.url}`)).toEqual([`GET ${MKIO}`])
    expect(s.http.requests[0].headers.Authorization).toBe('Bearer mk-token')
    expect(s.log.shown()[0]).toBe(
      `Waiting for v3 job ${MKIO} at https://api.mk.io/ (poll every 10s or sooner near a job's end, timeout 5h 30m, signing in with the given access-token).`
    )
    expect(s.log.warnings()).toEqual([])
  })
})

describe('run: a job that finishes', () => {
  it('signs in, polls, sets every output and does not fail the step', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Finished' }])
    await run(s.rt)

    expect(s.fail).not.toHaveBeenCalled()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.error).not.toHaveBeenCalled()
    expect(Object.keys(s.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
    expect(s.outputs).toMatchObject({
      state: 'Finished',
      progress: '100',
      startTime: '2015-02-11T01:46:16.580Z'
    })
    expect(JSON.parse(s.outputs.jobs)).toEqual([expect.objectContaining({ id: JOB_A, state: 'Finished' })])

    const [token, jobs] = s.http.requests
    expect(token.method).toBe('POST')
    expect(token.url.split('?')[0]).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`)
    expect(jobs.url).toMatch(
      /^https:\/\/acct\.restv2\.westeurope\.media\.azure\.net\/api\/Jobs\(\)\?\$filter=/
    )
    expect(jobs.headers.Authorization).toBe('Bearer tok')
    expect(s.mask).toHaveBeenCalledWith('tok')
    expect(s.http.disposed).toBe(true)

    const shown = s.log.shown()
    expect(shown[0]).toBe(
      `Waiting for Media Services job ${JOB_A} at ${ACCOUNT} (poll every 10s or sooner near a job's end, timeout 5h 30m, signing in with the client secret).`
    )
    expect(shown.at(-1)).toBe(
      `✓ Job ${JOB_A} (encode trailer) had already ended Finished when the wait began.`
    )
    expect(s.writeSummary).toHaveBeenCalledTimes(1)
    expect(s.writeSummary.mock.calls[0][0]).toContain(`| \`${JOB_A}\` | encode trailer | ✅ Finished |`)
  })

  it('follows the global redirect, polls until Finished and logs each change', async () => {
    let redirected = false
    const s = step(
      withSecret({ 'api-url': GLOBAL }),
      [{ [JOB_A]: 'Queued' }, { [JOB_A]: 'Processing' }, { [JOB_A]: 'Finished' }],
      {
        first: req => {
          if (req.method === 'GET' && !redirected) {
            redirected = true
            return redirect(ACCOUNT)
          }
          return undefined
        }
      }
    )
    await run(s.rt)
    expect(s.fail).not.toHaveBeenCalled()
    expect(s.clock.sleeps).toEqual([10_000, 10_000])
    expect(s.http.hosts().slice(1)).toEqual([
      'media.windows.net',
      'acct.restv2.westeurope.media.azure.net',
      'acct.restv2.westeurope.media.azure.net',
      'acct.restv2.westeurope.media.azure.net',
      'acct.restv2.westeurope.media.azure.net',
      // The OutputMediaAssets read of the finished job, at the account the redirect named.
      'acct.restv2.westeurope.media.azure.net'
    ])
    expect(s.http.requests.at(-1)?.url).toMatch(
      /\/api\/Jobs\('nb%3Ajid%3AUUID%3A[0-9a-f-]+'\)\/OutputMediaAssets$/
    )
    const shown = s.log.shown().join('\n')
    expect(shown).toMatch(/Queued -> Processing/)
    expect(shown).toMatch(/Processing -> Finished/)
    expect(s.outputs.state).toBe('Finished')
  })

  it('several jobs: the first line counts them before it names their API ("2 Media Services jobs")', async () => {
    const s = step(withSecret({ 'job-id': `${JOB_A} ${JOB_B}` }), [
      { [JOB_A]: 'Finished', [JOB_B]: 'Finished' }
    ])
    await run(s.rt)
    expect(s.log.shown()[0]).toMatch(/^Waiting for 2 Media Services jobs at /)
  })

  it('logs the warnings about the inputs', async () => {
    const creds = JSON.stringify({ clientId: CLIENT, clientSecret: 'other-secret-value', tenantId: TENANT })
    const s = step(withSecret({ creds }), [{ [JOB_A]: 'Finished' }])
    await run(s.rt)
    expect(s.log.warnings()).toEqual([
      'Both creds and tenant-id, client-id, client-secret are given; using tenant-id, client-id, client-secret (creds.clientSecret differs).'
    ])
  })

  it('a summary that cannot be written does not fail the step', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Finished' }])
    s.writeSummary.mockRejectedValue(new Error('EACCES'))
    await run(s.rt)
    expect(s.fail).not.toHaveBeenCalled()
  })

  it('each request may take at most 30 s, never more than the timeout', async () => {
    const s = step(withSecret({ timeout: '20s', 'poll-interval': '5s' }), [{ [JOB_A]: 'Finished' }])
    await run(s.rt)
    const [ms] = s.createHttp.mock.calls[0]
    expect(ms).toBeGreaterThan(0)
    expect(ms).toBeLessThanOrEqual(20_000)
    const t = step(withSecret(), [{ [JOB_A]: 'Finished' }])
    await run(t.rt)
    expect(t.createHttp.mock.calls[0][0]).toBeLessThanOrEqual(30_000)
  })

  it('a 30-day timeout (beyond what Node timers can count) is refused as an input error, before any request', async () => {
    const s = step(withSecret({ timeout: '30d' }), [{ [JOB_A]: 'Finished' }])
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    expect(s.fail.mock.calls[0][0]).toMatch(/^Input timeout must be at most 24d/)
    expect(s.fail.mock.calls[0][1]).toBe('Invalid input')
    expect(s.createHttp).not.toHaveBeenCalled()
  })
})

describe('run: a job that fails', () => {
  it('a job in Error fails the step once, with the error details from its tasks', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Error' }], {
      tasks: [taskEntity(100, [{ code: 'ErrorProcessingTask', message: 'The input has no video track' }])]
    })
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    const [message, title] = s.fail.mock.calls[0]
    expect(title).toBe('Media Services job failed')
    expect(message).toBe(
      `${JOB_A} (encode trailer) ended Error. ErrorProcessingTask: The input has no video track`
    )
    expect(s.outputs.state).toBe('Error')
    expect(JSON.parse(s.outputs.jobs)[0].errors).toEqual([
      { code: 'ErrorProcessingTask', message: 'The input has no video track' }
    ])
  })

  it('with fail-on none, a job in Error passes the step with a warning, never a ✓', async () => {
    const s = step(withSecret({ 'fail-on': 'none' }), [{ [JOB_A]: 'Error' }], {
      tasks: [taskEntity(100, [])]
    })
    await run(s.rt)
    expect(s.fail).not.toHaveBeenCalled()
    expect(s.log.warnings()).toEqual([
      `⚠ Job ${JOB_A} (encode trailer) had already ended Error when the wait began. The step passes because fail-on does not include Error.`
    ])
    expect(s.log.shown().some(l => l.startsWith('✓'))).toBe(false)
    expect(s.writeSummary.mock.calls[0][0]).toMatch(/^### ⚠️ Media Services job\n/)
  })

  it('a job that does not exist fails as not found after three polls', async () => {
    const s = step(withSecret(), [{}])
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    expect(s.fail.mock.calls[0][1]).toBe('Media Services job not found')
    expect(s.outputs.state).toBe('NotFound')
  })

  it('a timeout fails with the last state in the outputs', async () => {
    const s = step(withSecret({ timeout: '30s' }), [{ [JOB_A]: 'Processing' }])
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    expect(s.fail.mock.calls[0][0]).toMatch(/^timed out after 30s waiting for/)
    expect(s.outputs.state).toBe('Processing')
  })

  it('a cancel from the runner stops the wait and, with cancel-on-abort, cancels the jobs still running', async () => {
    const s = step(
      withSecret({ 'job-id': `${JOB_A}\n${JOB_B}`, 'cancel-on-abort': 'true' }),
      [{ [JOB_A]: 'Finished', [JOB_B]: 'Processing' }],
      { onSleep: (_ms, _i, st) => st.cancel() }
    )
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    expect(s.fail.mock.calls[0][1]).toBe('Wait canceled')
    const cancels = s.http.requests.filter(r => r.url.includes('/CancelJob'))
    expect(cancels.map(r => decodeURIComponent(new URL(r.url).search))).toEqual([`?jobid='${JOB_B}'`])
    expect(s.log.shown()).toContain(`Asked Media Services to cancel ${JOB_B} (cancel-on-abort).`)
  })

  it('every request of the wait ends by timeout + 5 s; CancelJob gets 5 s of its own and a signal', async () => {
    const s = step(withSecret({ timeout: '30s', 'cancel-on-abort': 'true' }), [{ [JOB_A]: 'Processing' }], {
      onSleep: (_ms, i, st) => i === 1 && st.cancel()
    })
    const started = s.clock.now()
    await run(s.rt)
    const [token, ...rest] = s.http.requests
    const cancel = rest.filter(r => r.url.includes('/CancelJob'))
    const wait = rest.filter(r => !r.url.includes('/CancelJob'))
    expect(token.limits?.endBy).toBe(started + 30_000 + LAST_POLL_MS)
    expect(wait.length).toBeGreaterThan(0)
    for (const r of wait) expect(r.limits?.endBy).toBeLessThanOrEqual(started + 30_000 + LAST_POLL_MS)
    expect(cancel).toHaveLength(1)
    expect(cancel[0].limits?.signal).toBeDefined()
    expect(cancel[0].limits?.endBy).toBeLessThanOrEqual(s.clock.now() + CANCEL_JOBS_WITHIN_MS)
    expect(s.fail.mock.calls[0][1]).toBe('Wait canceled')
  })

  it('a given access-token refused in the China cloud points at the China Media Services resource', async () => {
    const s = step(
      {
        'job-id': JOB_A,
        cloud: 'AzureChinaCloud',
        'api-url': 'https://acct.restv2.chinaeast2.media.chinacloudapi.cn/api/',
        'access-token': 'eyJ0eXAi.given.c2ln'
      },
      [{ [JOB_A]: 'Finished' }],
      { first: req => (req.method === 'GET' ? reply(401) : undefined) }
    )
    await run(s.rt)
    expect(s.fail).toHaveBeenCalledTimes(1)
    const [message] = s.fail.mock.calls[0]
    expect(message).toMatch(/401/)
    expect(message).toMatch(/access-token/)
    expect(message).not.toContain('rest.media.azure.net')
    expect(message).toContain('https://rest.media.chinacloudapi.cn')
  })
})

describe('run: the output assets of a finished job', () => {
  const ASSET = {
    Id: 'nb:cid:UUID:9a1e0c3b-0000-4000-8000-000000000001',
    Name: 'trailer-output',
    StorageAccountName: 'mediastore',
    Uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b?sv=2012-02-12&sig=SECRETSIG'
  }
  const assetReads = (s: Step): RecordedRequest[] =>
    s.http.requests.filter(r => r.url.includes('/OutputMediaAssets'))

  it('reads them once and hands them over: assets, asset-name, asset-id, the jobs record and the summary', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Finished' }], {
      assets: () => jsonReply(200, { value: [ASSET] })
    })
    await run(s.rt)
    expect(s.fail).not.toHaveBeenCalled()
    expect(s.log.warnings()).toEqual([])
    expect(assetReads(s)).toHaveLength(1)
    const asset = {
      id: ASSET.Id,
      name: 'trailer-output',
      storageAccount: 'mediastore',
      uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b'
    }
    expect(JSON.parse(s.outputs.assets)).toEqual([{ job: JOB_A, ...asset }])
    expect(s.outputs['asset-name']).toBe('trailer-output')
    expect(s.outputs['asset-id']).toBe(ASSET.Id)
    expect(JSON.parse(s.outputs.jobs)[0].assets).toEqual([asset])
    expect(JSON.stringify(s.outputs)).not.toContain('SECRETSIG')
    expect(s.writeSummary.mock.calls[0][0]).toContain(
      `| \`${JOB_A}\` | trailer-output | \`${ASSET.Id}\` | mediastore |  |`
    )
  })

  it('a busy read is asked again within its budget, no sooner than Retry-After', async () => {
    let reads = 0
    const s = step(withSecret(), [{ [JOB_A]: 'Finished' }], {
      assets: () =>
        ++reads === 1
          ? jsonReply(
              503,
              { 'odata.error': { code: '', message: { value: 'Server is busy.' } } },
              { 'Retry-After': '4' }
            )
          : jsonReply(200, { value: [ASSET] })
    })
    await run(s.rt)
    expect(s.fail).not.toHaveBeenCalled()
    expect(assetReads(s)).toHaveLength(2)
    expect(s.clock.sleeps.at(-1)).toBeGreaterThanOrEqual(4000)
    expect(s.outputs['asset-name']).toBe('trailer-output')
  })

  it('a refused read is one warning: the job finished, the step succeeds, no retry', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Finished' }], {
      assets: () =>
        jsonReply(403, { 'odata.error': { code: 'AccessDenied', message: { value: 'Not for you.' } } })
    })
    await run(s.rt)
    expect(s.fail).not.toHaveBeenCalled()
    expect(assetReads(s)).toHaveLength(1)
    expect(s.log.warnings()).toHaveLength(1)
    expect(s.log.warnings()[0]).toMatch(/^Could not read the output assets of a finished job .*Not for you/)
    expect(s.outputs.state).toBe('Finished')
    expect(s.outputs.assets).toBe('[]')
    expect(s.outputs['asset-name']).toBe('')
    expect(s.log.shown().at(-1)).toMatch(/^✓ /)
  })

  it('the read is given its own short budget within the wait', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Finished' }])
    await run(s.rt)
    const [read] = assetReads(s)
    expect(read.limits?.endBy).toBeLessThanOrEqual(s.clock.now() + OUTPUT_ASSETS_WITHIN_MS)
    expect(read.limits?.signal).toBeDefined()
  })

  it('reads none for a job that did not finish', async () => {
    const s = step(withSecret(), [{ [JOB_A]: 'Error' }], { tasks: [taskEntity(100)] })
    await run(s.rt)
    expect(assetReads(s)).toHaveLength(0)
    expect(s.outputs.assets).toBe('[]')
  })
})
