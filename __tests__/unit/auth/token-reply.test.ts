/**
 * Every reply Entra ID's token endpoint can give, by shape and status, through MSAL on our network client:
 * 429 and 5xx are retried whatever the body; 400 and 401 end at once with a reason a person can read; a 2xx
 * without a token is a sign-in failure that says so. Never undefined, null, [object Object], an invented
 * error code or an internal TypeError.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { createTokenSource } from '../../../src/auth/index.js'
import type { Credential } from '../../../src/auth/credential.js'
import { firstAadstsSentence } from '../../../src/auth/token-reply.js'
import { ServiceError, UserError, sourceOf } from '../../../src/errors.js'
import type { RequestLimits } from '../../../src/transport/http.js'
import { FIRST_ANSWER_WITHIN_MS } from '../../../src/transport/retry.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, type Reply, reply, tokenReply } from '../../../__fixtures__/http.js'
import { CLIENT, SECRET, TENANT } from '../../../__fixtures__/inputs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'

const secret: Credential = { kind: 'secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }

function setup(script: Reply[], fallback?: Reply) {
  const http = new FakeHttp(script, fallback)
  const clock = fakeClock(Date.now())
  const log = collectingLogger()
  const tokens = createTokenSource(
    {
      credential: secret,
      authorityHost: new URL('https://login.microsoftonline.com'),
      scope: 'https://rest.media.azure.net/.default'
    },
    {
      http,
      log,
      mask: jest.fn<(s: string) => void>(),
      getIDToken: jest.fn<(audience: string, limits: RequestLimits) => Promise<string>>(),
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    }
  )
  return { http, clock, log, tokens, call: { retryUntil: clock.now() + 3_600_000 } }
}

const json = (doc: unknown): string => JSON.stringify(doc)

/** A body, and the reason a refusal gives for it (after "refused the sign-in with the client secret: "). */
const BODIES: [string, string, string][] = [
  [
    'error and error_description as text',
    json({
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided. More.'
    }),
    'AADSTS7000215: Invalid client secret provided.'
  ],
  ['error as an object with a code', json({ error: { code: 'TooManyRequests' } }), 'TooManyRequests'],
  ['error as a number', json({ error: 42 }), 'HTTP {status} with a JSON body without an error code'],
  ['error as an array', json({ error: ['x'] }), 'HTTP {status} with a JSON body without an error code'],
  ['error as true', json({ error: true }), 'HTTP {status} with a JSON body without an error code'],
  ['error null', json({ error: null }), 'HTTP {status} with a JSON body without an error code'],
  [
    'no error',
    json({ error_description: 'nothing useful' }),
    'HTTP {status} with a JSON body without an error code'
  ],
  [
    'error_description as a number',
    json({ error: 'invalid_request', error_description: 5 }),
    'invalid_request'
  ],
  [
    'error_description as an object',
    json({ error: 'invalid_request', error_description: { a: 1 } }),
    'invalid_request'
  ],
  [
    'error_description as an array',
    json({ error: 'invalid_request', error_description: ['a'] }),
    'invalid_request'
  ],
  ['only error_codes', json({ error_codes: [90002] }), 'AADSTS90002'],
  ['an HTML page', '<html><head><title>Oops</title></head></html>', 'HTTP {status} with an HTML page'],
  ['an empty body', '', 'HTTP {status} with an empty body'],
  ['a JSON string', json('oops'), 'HTTP {status} with JSON that is a string, not an object'],
  ['a JSON array', json([1, 2]), 'HTTP {status} with JSON that is an array, not an object'],
  ['JSON null', 'null', 'HTTP {status} with JSON that is null, not an object'],
  ['cut JSON', '{"error":"inval', 'HTTP {status} with text that is not JSON']
]

const NEVER =
  /undefined|\bnull\b(?!, not)|\[object Object\]|temporarily_unavailable|TypeError|is not a function|Cannot /

describe.each([400, 401])('HTTP %i: a refusal, asked once, with a readable reason', status => {
  it.each(BODIES)('%s', async (_what, body, reason) => {
    const { tokens, http, call } = setup([reply(status, body)], tokenReply('never'))
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(UserError)
    expect(sourceOf(e)?.kind).toBe('entra-id')
    const message = (e as Error).message
    expect(
      message.startsWith(
        `Entra ID refused the sign-in with the client secret: ${reason.replace('{status}', String(status))}`
      )
    ).toBe(true)
    expect(message).not.toMatch(NEVER)
    expect(http.requests).toHaveLength(1)
  })
})

describe.each([429, 500, 503])('HTTP %i: retried whatever the body, and the wait goes on', status => {
  it.each(BODIES)('%s', async (_what, body) => {
    const { tokens, http, call, log } = setup([reply(status, body), tokenReply('tok')])
    await expect(tokens.getToken(false, call)).resolves.toBe('tok')
    expect(http.requests).toHaveLength(2)
    const retryLine = log.lines.map(l => l.message).find(l => l.includes('retrying'))
    expect(retryLine).toMatch(new RegExp(`^Entra ID: token request answered ${status}`))
    expect(retryLine).not.toMatch(NEVER)
  })
})

describe("a body that is not JSON is described as the job APIs' are (text.ts bodyKind)", () => {
  it.each([
    ['text said to be HTML', 'Bad Gateway', 'text/html', 'an HTML page'],
    ['text', 'Bad Gateway', 'text/plain', 'text that is not JSON']
  ])('%s: %s', async (_what, body, contentType, what) => {
    const { tokens, call } = setup([reply(401, body, { 'content-type': contentType })])
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect((e as Error).message).toBe(
      `Entra ID refused the sign-in with the client secret: HTTP 401 with ${what}. Check authority-host: it answered like no Entra ID authority (no error code in its reply).`
    )
  })
})

describe('a 2xx without a token is a sign-in failure that says so', () => {
  it.each([
    ['JSON null', 'null', 'JSON that is null, not an object'],
    ['an empty body', '', 'an empty body'],
    ['an HTML page', '<html></html>', 'an HTML page'],
    ['an object without access_token', json({ token_type: 'Bearer' }), 'a JSON body without access_token']
  ])('%s', async (_what, body, what) => {
    const { tokens, http, call } = setup([reply(200, body)], tokenReply('never'))
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(UserError)
    expect((e as UserError).input).toBe('authority-host')
    expect((e as Error).message).toBe(
      `Entra ID answered the sign-in with the client secret without an access token (HTTP 200 with ${what}). Check authority-host: it must be an Entra ID authority.`
    )
    expect(http.requests).toHaveLength(1)
  })
})

describe('Retry-After from the token service is honoured', () => {
  it.each([
    ['seconds, with an error body', json({ error: 'too_many_requests' }), '3', 3000],
    ['seconds, with no error field', json({ message: 'slow down' }), '3', 3000],
    ['seconds, with an HTML page', '<html></html>', '7', 7000]
  ])('%s', async (_what, body, after, ms) => {
    const { tokens, call, clock } = setup([reply(429, body, { 'retry-after': after }), tokenReply('tok')])
    await expect(tokens.getToken(false, call)).resolves.toBe('tok')
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(ms)
  })

  it('as an HTTP date', async () => {
    const at = new Date(Date.now() + 10_000).toUTCString()
    const { tokens, call, clock } = setup([reply(503, '', { 'retry-after': at }), tokenReply('tok')])
    await expect(tokens.getToken(false, call)).resolves.toBe('tok')
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(8_000)
  })
})

describe("Entra ID's message keeps its whole first sentence", () => {
  it.each([
    [
      "AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID.\r\nTrace ID: 1",
      "AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found."
    ],
    [
      'AADSTS700016: Application with identifier x was not found\r\nTrace ID: 1',
      'AADSTS700016: Application with identifier x was not found'
    ],
    [
      'Trace first. AADSTS50011: The reply URL v1.2 is wrong. Next.',
      'AADSTS50011: The reply URL v1.2 is wrong.'
    ],
    ['no code here.', undefined]
  ])('%j', (description, sentence) => {
    expect(firstAadstsSentence(description)).toBe(sentence)
  })

  it('is capped in length', () => {
    expect(firstAadstsSentence(`AADSTS1: ${'x'.repeat(5000)}.`)?.length).toBe(300)
  })

  it('a wrong tenant names the tenant in full and the input to check', async () => {
    const { tokens, call } = setup([
      reply(
        400,
        json({
          error: 'invalid_tenant',
          error_description:
            "AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
          error_codes: [90002]
        })
      )
    ])
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect((e as Error).message).toBe(
      "Entra ID refused the sign-in with the client secret: AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found. Check tenant-id."
    )
  })
})

describe('an authority that never answers is a wrong authority-host, given up within minutes', () => {
  it('connection failures are retried for FIRST_ANSWER_WITHIN_MS, then an input error names authority-host', async () => {
    const refused = new ServiceError('could not connect to login.microsoftonline.com (ECONNREFUSED)', {
      transient: true
    })
    const { tokens, http, call, clock } = setup([], refused)
    const started = clock.now()
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(UserError)
    expect((e as UserError).input).toBe('authority-host')
    expect((e as Error).message).toMatch(
      /^Entra ID at login\.microsoftonline\.com could not be reached for .+ \(could not connect to login\.microsoftonline\.com \(ECONNREFUSED\)\)\. Check authority-host and cloud/
    )
    expect(clock.now() - started).toBeLessThanOrEqual(FIRST_ANSWER_WITHIN_MS)
    expect(http.requests.length).toBeGreaterThan(2)
  })

  it('once Entra ID has answered, the same failures are ridden out until the deadline', async () => {
    const refused = new ServiceError('connection reset (ECONNRESET)', { transient: true })
    const { tokens, call, clock } = setup([tokenReply('first')], refused)
    await expect(tokens.getToken(false, call)).resolves.toBe('first')
    const started = clock.now()
    const e = await tokens.getToken(true, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(ServiceError)
    expect(clock.now() - started).toBeGreaterThan(FIRST_ANSWER_WITHIN_MS)
  })
})
