import { OutOfTime } from '../../../src/errors.js'
import { describe, it, expect, jest } from '@jest/globals'
import { jwtExpiry } from '../../../src/auth/msal.js'
import { AbortedError, ServiceError, sourceOf, UserError } from '../../../src/errors.js'
import type { Http, RequestLimits } from '../../../src/transport/http.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, type Reply, jsonReply, reply, tokenReply } from '../../../__fixtures__/http.js'
import { CLIENT, SECRET, TENANT } from '../../../__fixtures__/inputs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'
import { createTokenSource } from '../../../src/auth/index.js'
import type { Credential } from '../../../src/auth/credential.js'

const TOKEN_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`
const SCOPE = 'https://rest.media.azure.net/.default'

function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`
}

function setup(credential: Credential, script: Reply[], fallback?: Reply) {
  const http = new FakeHttp(script, fallback)
  const clock = fakeClock(Date.now())
  const log = collectingLogger()
  const mask = jest.fn<(s: string) => void>()
  const getIDToken = jest.fn<(audience: string, limits: RequestLimits) => Promise<string>>()
  const tokens = createTokenSource(
    { credential, authorityHost: new URL('https://login.microsoftonline.com'), scope: SCOPE },
    { http, log, mask, getIDToken, now: clock.now, sleep: clock.sleep, random: () => 0.5 }
  )
  const call = { retryUntil: clock.now() + 60_000 }
  return { http, clock, log, mask, getIDToken, tokens, call }
}

const secret: Credential = { kind: 'secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }

describe('jwtExpiry: when a GitHub OIDC token expires, read without verifying', () => {
  it('is exp in milliseconds', () => {
    expect(jwtExpiry(jwt({ exp: 1_700_000_000, aud: 'api://AzureADTokenExchange' }))).toBe(1_700_000_000_000)
  })

  it.each([
    ['no exp', jwt({ aud: 'x' })],
    ['a string exp', jwt({ exp: '1700000000' })],
    ['one part', 'opaque-token'],
    ['a payload that is not JSON', 'a.bm90IGpzb24.c'],
    ['empty', '']
  ])('is undefined for %s', (_what, token) => {
    expect(jwtExpiry(token)).toBeUndefined()
  })
})

describe('a given access-token', () => {
  it('is used as is and cannot be refreshed', async () => {
    const { tokens, http, call } = setup({ kind: 'token', accessToken: 'given' }, [])
    expect(tokens.canRefresh).toBe(false)
    expect(tokens.description).toBe('the given access-token')
    await expect(tokens.getToken(true, call)).resolves.toBe('given')
    expect(http.requests).toHaveLength(0)
  })
})

describe('a client secret, through MSAL on our HTTP stack', () => {
  it('posts a client-credentials request for the Media Services scope, masks the token and caches it', async () => {
    const { tokens, http, call, mask } = setup(secret, [tokenReply('tok-1')])
    expect(tokens.canRefresh).toBe(true)
    expect(tokens.description).toBe('the client secret')
    await expect(tokens.getToken(false, call)).resolves.toBe('tok-1')
    expect(mask).toHaveBeenCalledWith('tok-1')
    expect(http.requests).toHaveLength(1)
    const [req] = http.requests
    expect(req.method).toBe('POST')
    expect(req.url.split('?')[0]).toBe(TOKEN_URL)
    const form = new URLSearchParams(req.body)
    expect(form.get('grant_type')).toBe('client_credentials')
    expect(form.get('client_id')).toBe(CLIENT)
    expect(form.get('client_secret')).toBe(SECRET)
    expect(form.get('scope')).toBe(SCOPE)

    await expect(tokens.getToken(false, call)).resolves.toBe('tok-1')
    expect(http.requests).toHaveLength(1)
  })

  it('a fresh token (after a 401) asks Entra ID again', async () => {
    const { tokens, http, call } = setup(secret, [tokenReply('tok-1'), tokenReply('tok-2')])
    await tokens.getToken(false, call)
    await expect(tokens.getToken(true, call)).resolves.toBe('tok-2')
    expect(http.requests).toHaveLength(2)
  })

  it('requests that need a token at the same time share one sign-in', async () => {
    const { tokens, http, call } = setup(secret, [tokenReply('tok-1'), tokenReply('tok-2')])
    const got = await Promise.all([1, 2, 3, 4].map(() => tokens.getToken(false, call)))
    expect(got).toEqual(['tok-1', 'tok-1', 'tok-1', 'tok-1'])
    expect(http.requests).toHaveLength(1)
    // Once it is done, a fresh token is a sign-in of its own.
    await expect(tokens.getToken(true, call)).resolves.toBe('tok-2')
    expect(http.requests).toHaveLength(2)
  })

  it('a 429 from the token service is retried after Retry-After', async () => {
    const { tokens, http, call, clock } = setup(secret, [
      jsonReply(
        429,
        { error: 'temporarily_unavailable', error_description: 'AADSTS50196: throttled.' },
        { 'retry-after': '3' }
      ),
      tokenReply('tok-after-429')
    ])
    await expect(tokens.getToken(false, call)).resolves.toBe('tok-after-429')
    expect(http.requests).toHaveLength(2)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(3000)
  })

  it('a gateway page from the token service is retried', async () => {
    const { tokens, http, call } = setup(secret, [
      reply(502, '<html><title>Bad Gateway</title></html>'),
      tokenReply('tok')
    ])
    await expect(tokens.getToken(false, call)).resolves.toBe('tok')
    expect(http.requests).toHaveLength(2)
  })

  it('a wrong secret is a UserError with the AADSTS code and the fix, and is not retried', async () => {
    const { tokens, http, call } = setup(secret, [
      jsonReply(
        401,
        {
          error: 'invalid_client',
          error_description:
            'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the value.\r\nTrace ID: x',
          error_codes: [7000215]
        },
        { 'x-ms-request-id': 'rid-aad' }
      )
    ])
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(UserError)
    expect((e as Error).message).toMatch(
      /^Entra ID refused the sign-in with the client secret \(x-ms-request-id rid-aad\): AADSTS7000215: Invalid client secret provided\. Check client-secret/
    )
    expect((e as Error).message).toMatch(/Check client-secret/)
    expect((e as Error).message).not.toContain(SECRET)
    expect(http.requests).toHaveLength(1)
  })

  it('a transport failure is retried like any transient ServiceError', async () => {
    const { tokens, http, call } = setup(secret, [
      new ServiceError('connection to login.microsoftonline.com failed (ECONNRESET)', { transient: true }),
      tokenReply('tok')
    ])
    await expect(tokens.getToken(false, call)).resolves.toBe('tok')
    expect(http.requests).toHaveLength(2)
  })
})

describe('a failed sign-in says so once, from where the error was made, never from its wording', () => {
  it.each([
    ['a transport failure', 'connection to login.microsoftonline.com failed (EPROTO)'],
    // A proxy or gateway may say anything: a message that happens to begin like ours is still not ours.
    ['a transport failure worded like a sign-in failure', 'Entra ID proxy refused the connection'],
    ['one that repeats our own words', 'Entra ID sign-in failed: said the proxy']
  ])('%s is worded as the sign-in failure, and its source is Entra ID', async (_what, message) => {
    const { tokens, http, call } = setup(secret, [new ServiceError(message)])
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).message).toBe(`Entra ID sign-in failed: ${message}`)
    expect(sourceOf(e)).toEqual({ kind: 'entra-id' })
    expect(http.requests).toHaveLength(1)
  })

  it('a busy token service given up at the deadline is worded once, with its tries', async () => {
    const { tokens, call } = setup(secret, [], reply(503, '{"error":"temporarily_unavailable"}'))
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect((e as Error).message).toMatch(
      /^Entra ID sign-in failed: token request answered 503 \(temporarily_unavailable\) \(gave up after \d+ tries/
    )
    expect((e as Error).message.match(/Entra ID/g)).toHaveLength(1)
    expect(sourceOf(e)).toEqual({ kind: 'entra-id' })
    // Not OutOfTime: the wait ends now and names the sign-in, instead of waiting out its timeout (e2e resilience).
    expect(e).not.toBeInstanceOf(OutOfTime)
  })
})

describe('GitHub OIDC', () => {
  const oidc: Credential = {
    kind: 'oidc',
    tenantId: TENANT,
    clientId: CLIENT,
    audience: 'api://AzureADTokenExchange'
  }

  it("exchanges GitHub's token, asked once for the audience and reused while valid", async () => {
    const { tokens, http, call, getIDToken, mask } = setup(oidc, [tokenReply('tok-1'), tokenReply('tok-2')])
    const github = jwt({ exp: Math.floor(Date.now() / 1000) + 600, aud: 'api://AzureADTokenExchange' })
    getIDToken.mockResolvedValue(github)
    expect(tokens.description).toBe('the GitHub OIDC identity')
    await tokens.getToken(false, call)
    await tokens.getToken(true, call)
    expect(getIDToken).toHaveBeenCalledTimes(1)
    expect(getIDToken).toHaveBeenCalledWith('api://AzureADTokenExchange', expect.anything())
    expect(mask).toHaveBeenCalledWith(github)
    for (const req of http.requests) {
      const form = new URLSearchParams(req.body)
      expect(form.get('client_assertion')).toBe(github)
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    }
  })

  it('without the id-token permission, says what to add to the workflow', async () => {
    const { tokens, call, getIDToken } = setup(oidc, [])
    getIDToken.mockRejectedValue(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'))
    const e = await tokens.getToken(false, call).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(UserError)
    expect((e as Error).message).toMatch(/id-token: write/)
  })
})

describe('every sign-in request is bounded by the call that needs it', () => {
  const oidc: Credential = { kind: 'oidc', tenantId: TENANT, clientId: CLIENT, audience: 'api://aud' }

  it("hands the call's signal and hard end to the token request and to GitHub's OIDC request", async () => {
    const { tokens, http, clock, getIDToken } = setup(oidc, [tokenReply('tok-1')])
    getIDToken.mockResolvedValue(jwt({ exp: Math.floor(Date.now() / 1000) + 600 }))
    const signal = new AbortController().signal
    const endBy = clock.now() + 7000
    await tokens.getToken(false, { retryUntil: clock.now() + 5000, endBy, signal })
    expect(http.requests[0].limits).toEqual({ signal, endBy })
    expect(getIDToken).toHaveBeenCalledWith('api://aud', { signal, endBy })
  })

  it('a cancel ends a sign-in whose token service never answers, without another try', async () => {
    const requests: (AbortSignal | undefined)[] = []
    const silent: Http = {
      request: (_m, _u, _h, _b, limits) => {
        requests.push(limits?.signal)
        return new Promise(() => undefined)
      },
      dispose: () => undefined
    }
    const clock = fakeClock(Date.now())
    const tokens = createTokenSource(
      { credential: secret, authorityHost: new URL('https://login.microsoftonline.com'), scope: SCOPE },
      {
        http: silent,
        log: collectingLogger(),
        mask: jest.fn(),
        getIDToken: jest.fn<(audience: string) => Promise<string>>(),
        now: clock.now,
        sleep: clock.sleep
      }
    )
    const controller = new AbortController()
    const pending = tokens.getToken(false, { retryUntil: clock.now() + 60_000, signal: controller.signal })
    setTimeout(() => controller.abort('canceled'), 20)
    await expect(pending).rejects.toEqual(new AbortedError('canceled'))
    expect(requests).toEqual([controller.signal])
  })

  it('stops retrying a busy token service once the runner cancels', async () => {
    const controller = new AbortController()
    const http = new FakeHttp([], reply(503, '{"error":"temporarily_unavailable"}'))
    const clock = fakeClock(Date.now())
    const tokens = createTokenSource(
      { credential: secret, authorityHost: new URL('https://login.microsoftonline.com'), scope: SCOPE },
      {
        http,
        log: collectingLogger(),
        mask: jest.fn(),
        getIDToken: jest.fn<(audience: string) => Promise<string>>(),
        now: clock.now,
        // The cancel arrives while waiting to try again.
        sleep: async ms => {
          await clock.sleep(ms)
          controller.abort('canceled')
        }
      }
    )
    const e = await tokens
      .getToken(false, { retryUntil: clock.now() + 60_000, signal: controller.signal })
      .catch((error: unknown) => error)
    expect(e).toEqual(new AbortedError('canceled'))
    expect(http.requests).toHaveLength(1)
  })
})
