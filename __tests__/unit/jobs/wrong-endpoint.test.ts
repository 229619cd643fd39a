/**
 * A wrong endpoint fails in minutes, not at the timeout (one rule in the guarded exchange, both job APIs):
 * until the jobs endpoint has answered once in the API's shape, failures to reach it and answers that are
 * not the API are retried for FIRST_ANSWER_WITHIN_MS at most, then an input error names the URL input.
 * 429 and 5xx are ridden out as an outage, and so is everything once the service has answered.
 */
import { describe, expect, it } from '@jest/globals'
import { ServiceError, UserError } from '../../../src/errors.js'
import { MediaServicesClient } from '../../../src/jobs/v2/client.js'
import { V3JobsClient } from '../../../src/jobs/v3/client.js'
import type { CallOptions } from '../../../src/transport/call.js'
import { FIRST_ANSWER_WITHIN_MS } from '../../../src/transport/retry.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, jsonReply, type Reply, reply } from '../../../__fixtures__/http.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { jobEntity, minimalBody } from '../../../__fixtures__/jobs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'

const HOUR = 3_600_000
const TRUSTED = ['media.windows.net', '.media.azure.net', 'management.azure.com']
const ARM_JOB = new URL(
  'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/a/transforms/t/jobs/j1?api-version=2022-07-01'
)
const V2 = { apiUrl: new URL('https://media.windows.net/api/'), mediaResource: 'r', msVersion: '2.19' }
const tokens = { canRefresh: true, description: 'the client secret', getToken: async () => 'tok' }

const refused = () =>
  new ServiceError('could not connect to media.windows.net (ECONNREFUSED)', { transient: true })
const webPage = (status = 200) => reply(status, '<!doctype html><html><title>Welcome</title></html>')

type Deps = ConstructorParameters<typeof V3JobsClient>[0]
interface Api {
  input: string
  service: RegExp
  make(deps: Omit<Deps, 'targets' | 'arm'>): { getJobs(ids: string[], call: CallOptions): Promise<unknown> }
  id: string
  /** One answer in the API's shape: the job, Processing. */
  job: Reply
}

const apis: Record<string, Api> = {
  v2: {
    input: 'api-url',
    service: /^Input api-url: Media Services has not answered as its API does for /,
    make: deps => new MediaServicesClient({ ...deps, ...V2 }),
    id: JOB_A,
    job: reply(200, minimalBody([jobEntity(JOB_A, 'Processing')]))
  },
  v3: {
    input: 'job-url',
    service: /^Input job-url: Azure Resource Manager has not answered as its API does for /,
    make: deps => new V3JobsClient({ ...deps, targets: [{ id: 'j1', url: ARM_JOB }], arm: true }),
    id: 'j1',
    job: jsonReply(200, { name: 'j1', properties: { state: 'Processing', outputs: [] } })
  }
}

function setup(api: Api, script: Reply[], fallback?: Reply) {
  const clock = fakeClock(Date.UTC(2026, 0, 1))
  const http = new FakeHttp(script, fallback)
  const client = api.make({
    http,
    tokens,
    log: collectingLogger(),
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    trustedHosts: TRUSTED
  })
  const ask = () =>
    client.getJobs([api.id], { retryUntil: clock.now() + HOUR }).then(
      () => undefined,
      (e: unknown) => e as Error
    )
  return { clock, http, ask }
}

describe.each(Object.entries(apis))('the %s jobs endpoint', (_, api) => {
  it.each([
    ['a closed port', refused()],
    ['a web page (HTTP 200)', webPage()],
    ['a web page (HTTP 400)', webPage(400)],
    ...(api.input === 'job-url'
      ? ([
          ['a web page (HTTP 404)', webPage(404)],
          ['a 404 with an empty body', reply(404)]
        ] as const)
      : []),
    ['text that is not JSON', reply(200, 'hello')]
  ])('%s before any answer: retried, then given up within the budget naming the input', async (_, answer) => {
    const { clock, http, ask } = setup(api, [], answer)
    const started = clock.now()
    const e = await ask()
    expect(e).toBeInstanceOf(UserError)
    expect((e as UserError).input).toBe(api.input)
    expect(e!.message).toMatch(api.service)
    expect(e!.message).toMatch(new RegExp(`Check ${api.input}: it must be the service's endpoint\\.$`))
    expect(clock.now() - started).toBeLessThanOrEqual(FIRST_ANSWER_WITHIN_MS)
    expect(http.requests.length).toBeGreaterThan(2)
  })

  if (api.input === 'api-url')
    it.each([
      ['a web page', webPage(404)],
      ['an empty body', reply(404)]
    ])('a 404 with %s for the Jobs collection is named at once: api-url ends in /api/', async (_, answer) => {
      const { http, ask } = setup(api, [], answer)
      const e = await ask()
      expect(e).toBeInstanceOf(UserError)
      expect(e!.message).toMatch(
        /^Media Services has no Jobs collection at .*\. Check api-url: the v2 endpoint ends in \/api\/\.$/
      )
      expect(http.requests).toHaveLength(1)
    })

  it('says what came back: the status, the kind of body and the request id', async () => {
    const page = reply(200, '<html>x</html>', { 'x-ms-request-id': 'rid-page' })
    const { ask } = setup(api, [], page)
    const e = await ask()
    expect(e!.message).toMatch(/answered HTTP 200 with an HTML page \(x-ms-request-id rid-page\)\)\. Check /)
  })

  it.each([429, 500, 503])(
    'HTTP %i before any answer is an outage, ridden out past the budget',
    async status => {
      const { clock, http, ask } = setup(api, [], reply(status, '<html>busy</html>'))
      const started = clock.now()
      const e = await ask()
      expect(e).toBeInstanceOf(ServiceError)
      expect(e).not.toBeInstanceOf(UserError)
      expect(clock.now() - started).toBeGreaterThan(FIRST_ANSWER_WITHIN_MS)
      expect(http.requests.length).toBeGreaterThan(5)
    }
  )

  it('one failure to reach it, then the API: the job is read', async () => {
    const { ask } = setup(api, [refused(), webPage(), api.job])
    expect(await ask()).toBeUndefined()
  })

  it('once it has answered, a web page or a closed port is an outage, ridden out until the deadline', async () => {
    for (const outage of [refused(), webPage()]) {
      const { clock, ask } = setup(api, [api.job], outage)
      expect(await ask()).toBeUndefined()
      const started = clock.now()
      const e = await ask()
      expect(e).toBeInstanceOf(ServiceError)
      expect(e).not.toBeInstanceOf(UserError)
      expect(clock.now() - started).toBeGreaterThan(FIRST_ANSWER_WITHIN_MS)
    }
  })
})
