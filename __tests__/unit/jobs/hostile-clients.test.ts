/**
 * Both job APIs send through one guarded exchange: the same hostile request id, Location and refused host
 * come out cleaned the same way from Media Services v2 and from a v3-shaped job service.
 */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../../src/errors.js'
import { MediaServicesClient } from '../../../src/jobs/v2/client.js'
import { V3JobsClient } from '../../../src/jobs/v3/client.js'
import { serverMessage, serverName } from '../../../src/text.js'
import type { CallOptions } from '../../../src/transport/call.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, type Reply, reply } from '../../../__fixtures__/http.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'

/** A request id that would end the log line and start a workflow command, coloured and reversed. */
const HOSTILE_ID = 'rid-1\r\n::error::pwned \u001b[31mred\u001b[0m \u202eesrever\u2066 ##[add-mask]x'
/** A trusted host's Location with a line break, a command, an escape and a bidi override in its path. */
const HOSTILE_LOCATION = 'https://acct.restv2.westeurope.media.azure.net/api/\r\n::error::x\u001b[31m\u202e/'
const TRUSTED = ['media.windows.net', '.media.azure.net', 'management.azure.com']
const ARM_JOB = new URL(
  'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/a/transforms/t/jobs/j1?api-version=2022-07-01'
)
/** What a reader must never get from server text: line breaks, escapes, bidi controls. */
// eslint-disable-next-line no-control-regex
const UNCLEAN = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const tokens = { canRefresh: true, description: 'the client secret', getToken: async () => 'tok' }

/** Each API's client, asked for one job, over the same script. */
const clients = {
  v2: (script: Reply[]) => run(script, deps => new MediaServicesClient({ ...deps, ...V2 }), JOB_A),
  v3: (script: Reply[]) =>
    run(script, deps => new V3JobsClient({ ...deps, targets: [{ id: 'j1', url: ARM_JOB }], arm: true }), 'j1')
}
const V2 = { apiUrl: new URL('https://media.windows.net/api/'), mediaResource: 'r', msVersion: '2.19' }

type Deps = ConstructorParameters<typeof V3JobsClient>[0]

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
