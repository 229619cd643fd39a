/** The token source a step signs in with: its errors quote Entra ID and GitHub as one bounded line. */
import { describe, it, expect } from '@jest/globals'
import { createTokenSource } from '../../../src/auth/index.js'
import type { Credential } from '../../../src/auth/credential.js'
import { UserError } from '../../../src/errors.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { failure } from '../../../__fixtures__/failure.js'
import { BREAKS, HOSTILE } from '../../../__fixtures__/hostile.js'
import { FakeHttp, type Reply, jsonReply, reply } from '../../../__fixtures__/http.js'
import { CLIENT, SECRET, TENANT } from '../../../__fixtures__/inputs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'

describe('sign-in errors quote Entra ID and GitHub as one bounded line', () => {
  const secret: Credential = { kind: 'secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }

  function signIn(script: Reply[], getIDToken?: () => Promise<string>, credential = secret) {
    const clock = fakeClock(Date.now())
    const tokens = createTokenSource(
      {
        credential,
        authorityHost: new URL('https://login.microsoftonline.com'),
        scope: 'https://rest.media.azure.net/.default'
      },
      {
        http: new FakeHttp(script),
        log: collectingLogger(),
        mask: () => undefined,
        getIDToken: getIDToken ?? (async () => 'gh'),
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5
      }
    )
    return tokens.getToken(false, { retryUntil: clock.now() + 60_000 })
  }

  it('a token answer that starts with a byte order mark is read', async () => {
    const body = JSON.stringify({ access_token: 'tok-bom', expires_in: 3599, token_type: 'Bearer' })
    await expect(signIn([reply(200, `\uFEFF${body}`, { 'content-type': 'application/json' })])).resolves.toBe(
      'tok-bom'
    )
  })

  it("a refusal's AADSTS text and error code", async () => {
    const e = await failure(
      signIn([
        jsonReply(400, {
          error: `invalid_request${HOSTILE}`,
          error_description: `AADSTS900144: The request body must contain${HOSTILE}`,
          error_codes: [900144]
        })
      ])
    )
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(
      /^Entra ID refused the sign-in with the client secret: AADSTS900144: The request body/
    )
    expect(e.message).not.toMatch(BREAKS)
    expect(e.message).not.toContain('\u001b')
  })

  it('a refusal without AADSTS quotes the error code, bounded', async () => {
    const e = await failure(
      signIn([jsonReply(400, { error: `weird${HOSTILE}${'w'.repeat(5000)}`, error_description: 'x' })])
    )
    expect(e.message).not.toMatch(BREAKS)
    expect(e.message.length).toBeLessThan(600)
  })

  it("GitHub's OIDC error (which spans lines) becomes one line", async () => {
    const oidc: Credential = { kind: 'oidc', tenantId: TENANT, clientId: CLIENT, audience: 'api://x' }
    const e = await failure(
      signIn(
        [],
        async () => {
          throw new Error(`Failed to get ID Token. \n Error Code : 500\n \n Error Message: ${HOSTILE}`)
        },
        oidc
      )
    )
    expect(e.message).toMatch(
      /^Could not get a GitHub OIDC token \(Failed to get ID Token\. Error Code : 500/
    )
    expect(e.message).not.toMatch(BREAKS)
  })
})
