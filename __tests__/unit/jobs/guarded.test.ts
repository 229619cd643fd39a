/** The guarded exchange every job API's client sends through, asked through each client. */
import { describe, expect, it } from '@jest/globals'
import { ServiceError, UserError } from '../../../src/errors.js'
import { MediaServicesClient } from '../../../src/jobs/v2/client.js'
import { V3JobsClient } from '../../../src/jobs/v3/client.js'
import { serverMessage, serverName } from '../../../src/text.js'
import type { CallOptions } from '../../../src/transport/call.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, jsonReply, type Reply, reply } from '../../../__fixtures__/http.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'
import { FIRST_ANSWER_WITHIN_MS } from '../../../src/transport/retry.js'
import { jobEntity, minimalBody } from '../../../__fixtures__/jobs.js'

const TRUSTED = ['media.windows.net', '.media.azure.net', 'management.azure.com']
const ARM_JOB = new URL(
  'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/a/transforms/t/jobs/j1?api-version=2022-07-01'
)
const V2 = { apiUrl: new URL('https://media.windows.net/api/'), mediaResource: 'r', msVersion: '2.19' }
const tokens = { canRefresh: true, description: 'the client secret', getToken: async () => 'tok' }
type Deps = ConstructorParameters<typeof V3JobsClient>[0]

/*
 * Both job APIs send through one guarded exchange: the same hostile request id, Location and refused host
 * come out cleaned the same way from Media Services v2 and from a v3-shaped job service.
 */

/** A request id that would end the log line and start a workflow command, coloured and reversed. */
const HOSTILE_ID = 'rid-1\r\n::error::pwned \u001b[31mred\u001b[0m \u202eesrever\u2066 ##[add-mask]x'
/** A trusted host's Location with a line break, a command, an escape and a bidi override in its path. */
const HOSTILE_LOCATION = 'https://acct.restv2.westeurope.media.azure.net/api/\r\n::error::x\u001b[31m\u202e/'
/** What a reader must never get from server text: line breaks, escapes, bidi controls. */
// eslint-disable-next-line no-control-regex
const UNCLEAN = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/** Each API's client, asked for one job, over the same script. */
const clients = {
  v2: (script: Reply[]) => run(script, deps => new MediaServicesClient({ ...deps, ...V2 }), JOB_A),
  v3: (script: Reply[]) =>
    run(script, deps => new V3JobsClient({ ...deps, targets: [{ id: 'j1', url: ARM_JOB }], arm: true }), 'j1')
}

async function run(
  script: Reply[],
  make: (deps: Omit<Deps, 'targets' | 'arm'>) => {
    getJobs(ids: string[], call: CallOptions): Promise<unknown>
  },
  id: string
): Promise<{ error: Error; lines: string[] }> {
  const clock = fakeClock()
  const log = collectingLogger()
  const deps = {
    http: new FakeHttp(script),
    tokens,
    log,
    now: clock.now,
    sleep: clock.sleep,
    trustedHosts: TRUSTED
  }
  const error = await make(deps)
    .getJobs([id], { retryUntil: clock.now() + 60_000 })
    .then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error
    )
  return { error, lines: log.lines.map(l => l.message) }
}

describe.each(Object.entries(clients))('server text through the %s client', (_, ask) => {
  it('a hostile request id and Location: cleaned the same way in the log and the error', async () => {
    const { error, lines } = await ask([
      reply(301, '', { location: HOSTILE_LOCATION, 'x-ms-request-id': HOSTILE_ID }),
      reply(409, '', { 'x-ms-request-id': HOSTILE_ID })
    ])
    const id = `(x-ms-request-id ${serverName(HOSTILE_ID)})`
    expect(error.message).toContain(id)
    expect(error.message).toMatch(/answered HTTP 409/)
    expect(lines.filter(l => l.endsWith(id))).toHaveLength(2)
    const redirected = lines.find(l => / redirected to /.test(l))!
    expect(redirected).toContain(`redirected to ${serverMessage(new URL(HOSTILE_LOCATION).href)}`)
    for (const text of [error.message, ...lines]) expect(text).not.toMatch(UNCLEAN)
  })

  it('a redirect to an untrusted host names it, cleaned, and sends no token there', async () => {
    const { error, lines } = await ask([
      reply(302, '', { location: 'https://evil.example:8443/\u202e', 'x-ms-request-id': HOSTILE_ID })
    ])
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).input).toBe('trusted-hosts')
    expect(error.message).toMatch(/^Refused to send the token to evil\.example:8443: /)
    for (const text of [error.message, ...lines]) expect(text).not.toMatch(UNCLEAN)
  })

  it('a redirect to plain http is refused in the same words', async () => {
    const { error } = await ask([reply(307, '', { location: 'http://evil.example/\u001b[2J' })])
    expect(error.message).toBe(
      'Refused a redirect to http://evil.example: the token is only sent over https.'
    )
  })
})

/*
 * A wrong endpoint fails in minutes, not at the timeout (one rule in the guarded exchange, both job APIs):
 * until the jobs endpoint has answered once in the API's shape, failures to reach it and answers that are
 * not the API are retried for FIRST_ANSWER_WITHIN_MS at most, then an input error names the URL input.
 * 429 and 5xx are ridden out as an outage, and so is everything once the service has answered.
 */

const HOUR = 3_600_000

const refused = () =>
  new ServiceError('could not connect to media.windows.net (ECONNREFUSED)', { transient: true })
const webPage = (status = 200) => reply(status, '<!doctype html><html><title>Welcome</title></html>')

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
