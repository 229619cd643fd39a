import { describe, it, expect } from '@jest/globals'
import { ServiceError, UserError } from '../../../src/errors.js'
import { githubIdToken } from '../../../src/auth/github-oidc.js'
import { FakeHttp, jsonReply, reply } from '../../../__fixtures__/http.js'

const env = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runtime-token'
}

describe("githubIdToken: GitHub's OIDC token on our own HTTP stack", () => {
  it('asks for the audience with the runtime token, within the limits of the call', async () => {
    const http = new FakeHttp([jsonReply(200, { count: 1, value: 'gh.jwt.sig' })])
    const limits = { signal: new AbortController().signal, endBy: 12345 }
    await expect(githubIdToken(http, env, 'api://AzureADTokenExchange', limits)).resolves.toBe('gh.jwt.sig')
    const [req] = http.requests
    expect(req.url).toBe(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api%3A%2F%2FAzureADTokenExchange`)
    expect(req.headers.Authorization).toBe('Bearer runtime-token')
    expect(req.limits).toBe(limits)
  })

  it.each([401, 403])('a %d says the job needs id-token: write', async status => {
    const http = new FakeHttp([reply(status, '{"message":"nope"}')])
    const e = await githubIdToken(http, env, 'aud', {}).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(UserError)
    expect((e as Error).message).toMatch(
      /^Could not get a GitHub OIDC token \(GitHub answered HTTP \d+\)\..*id-token: write/
    )
  })

  it('a job without the OIDC variables is told the same, without a request', async () => {
    const http = new FakeHttp([])
    await expect(githubIdToken(http, {}, 'aud', {})).rejects.toThrow(/id-token: write/)
    expect(http.requests).toEqual([])
  })

  it.each([
    ['a 503', reply(503, 'busy'), true],
    ['a 404', reply(404, ''), false],
    ['a 200 without a token', jsonReply(200, { count: 1 }), true],
    ['a 200 that is not JSON', reply(200, '<html>'), true],
    ['a reset', new ServiceError('connection to x failed (ECONNRESET)', { transient: true }), true]
  ] as const)('%s is a service failure, transient: %s', async (_name, answer, transient) => {
    const http = new FakeHttp([answer])
    const e = await githubIdToken(http, env, 'aud', {}).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).transient).toBe(transient)
    expect((e as Error).message).toMatch(/^GitHub OIDC token: /)
    expect((e as Error).message).not.toContain('runtime-token')
  })
})
