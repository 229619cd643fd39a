/**
 * Every way a workflow can prove who it is, end to end on dist/index.js. The emulator checks each for real:
 * the secret, the client assertion's signature against the registered certificate, the GitHub OIDC token it
 * issued (and its audience), and the scope of each cloud.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { emulatorToken, type Emulator, useEmulatorFactory } from './emulators.js'
import { runAction, secretInputs } from './harness.js'

const start = useEmulatorFactory()

/** Inputs that name the app but give no credential: what a secret-less OIDC workflow passes. */
function appInputs(e: Emulator, jobId: string): Record<string, string> {
  const { 'client-secret': _secret, ...rest } = secretInputs(e)
  return { ...rest, 'job-id': jobId }
}

function oidcEnv(e: Emulator): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: e.urls.oidcRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: e.oidcRequestToken
  }
}

const quickJob = (e: Emulator): string =>
  e.addJob({ timeline: [{ state: 'Processing', polls: 2 }, { state: 'Finished' }] })

describe('GitHub OIDC (no secret)', () => {
  it('exchanges the GitHub token for an Entra ID token and asks GitHub only once', async () => {
    const e = await start()
    const id = quickJob(e)
    const run = await runAction({
      inputs: appInputs(e, id),
      env: oidcEnv(e),
      onOutput: text => {
        if (text.includes(': Processing') && e.tokenRequests.length === 1) e.revokeTokens()
      }
    })
    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toContain('signing in with the GitHub OIDC identity')
    expect(e.tokenRequests.map(t => t.credential)).toEqual(['oidc', 'oidc'])
    expect(e.requests.filter(r => r.path.startsWith('/github/idtoken'))).toHaveLength(1)
    for (const t of e.issuedOidcTokens)
      expect(run.stdout.split('\n').filter(l => l.includes(t) && !l.startsWith('::add-mask::'))).toEqual([])
  })

  it('says exactly what is missing without id-token: write', async () => {
    const e = await start()
    const run = await runAction({ inputs: appInputs(e, quickJob(e)) })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('permissions: id-token: write')
    expect(e.requests).toHaveLength(0)
  })

  it('uses the audience input when given', async () => {
    const e = await start({ requireOidcAudience: 'api://my-custom-audience' })
    const run = await runAction({
      inputs: { ...appInputs(e, quickJob(e)), audience: 'api://my-custom-audience' },
      env: oidcEnv(e)
    })
    expect(run.code).toBe(0)
  })

  it('uses the sovereign cloud scope and audience with cloud: AzureChinaCloud', async () => {
    const e = await start({
      scope: 'https://rest.media.chinacloudapi.cn/.default',
      requireOidcAudience: 'api://AzureADTokenExchangeChina'
    })
    const run = await runAction({
      inputs: { ...appInputs(e, quickJob(e)), cloud: 'azurechinacloud' },
      env: oidcEnv(e)
    })
    expect(run.code).toBe(0)
    expect(e.tokenRequests[0].scope).toBe('https://rest.media.chinacloudapi.cn/.default')
  })

  it('is refused by Entra ID when the audience does not match, with a hint about the federated credential', async () => {
    const e = await start({ requireOidcAudience: 'api://AzureADTokenExchangeUSGov' })
    const run = await runAction({ inputs: appInputs(e, quickJob(e)), env: oidcEnv(e) })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/AADSTS\d+/)
    expect(run.errors[0]).toContain('federated credential')
  })
})

describe('client certificate', () => {
  it('signs in with a PEM holding the certificate and its key, and never prints the key', async () => {
    const e = await start()
    const pem = readFileSync(e.clientCertificateFile, 'utf8')
    const run = await runAction({
      inputs: { ...appInputs(e, quickJob(e)), 'client-certificate': pem },
      env: { RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    expect(e.tokenRequests[0].credential).toBe('certificate')
    const keyLines = pem
      .split(/\r?\n/)
      .filter(l => l.length > 20 && !l.startsWith('-----'))
      .slice(-5)
    const unmasked = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    for (const l of keyLines) expect(unmasked).not.toContain(l)
  })

  it('reports a certificate the app does not know with the AADSTS code', async () => {
    const e = await start()
    const pem = readFileSync(e.otherCertificateFile, 'utf8')
    const run = await runAction({ inputs: { ...appInputs(e, quickJob(e)), 'client-certificate': pem } })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/AADSTS700027.*client-certificate/)
  })

  it('refuses a secret and a certificate together, naming both', async () => {
    const e = await start()
    const pem = readFileSync(e.clientCertificateFile, 'utf8')
    const run = await runAction({
      inputs: { ...secretInputs(e), 'job-id': quickJob(e), 'client-certificate': pem }
    })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/client-secret and client-certificate/)
    expect(e.requests).toHaveLength(0)
  })
})

describe('a given access token', () => {
  it('is used as is, without signing in', async () => {
    const e = await start()
    const token = await emulatorToken(e)
    const { 'tenant-id': _t, 'client-id': _c, 'client-secret': _s, ...rest } = secretInputs(e)
    const run = await runAction({ inputs: { ...rest, 'job-id': quickJob(e), 'access-token': token } })
    expect(run.code).toBe(0)
    expect(e.tokenRequests).toHaveLength(1) // ours, above
    expect(run.stdout).toContain(`::add-mask::${token}`)
    expect(run.lines.join('\n')).not.toContain(token)
  })

  it('explains a refused token instead of retrying', async () => {
    const e = await start()
    const token = await emulatorToken(e)
    e.revokeTokens()
    const { 'tenant-id': _t, 'client-id': _c, 'client-secret': _s, ...rest } = secretInputs(e)
    const run = await runAction({ inputs: { ...rest, 'job-id': quickJob(e), 'access-token': token } })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/refused access \(401\) for the given access-token/)
  })
})

describe('creds (Azure/login JSON)', () => {
  it('signs in with the JSON alone', async () => {
    const e = await start()
    const creds = JSON.stringify({
      clientId: e.clientId,
      clientSecret: e.clientSecret,
      tenantId: e.tenantId,
      subscriptionId: 'x'
    })
    const { 'tenant-id': _t, 'client-id': _c, 'client-secret': _s, ...rest } = secretInputs(e)
    const run = await runAction({ inputs: { ...rest, 'job-id': quickJob(e), creds } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`::add-mask::${e.clientSecret}`)
  })

  it('lets the separate inputs win, with a warning', async () => {
    const e = await start()
    const creds = JSON.stringify({
      clientId: e.clientId,
      clientSecret: 'stale-secret-from-creds',
      tenantId: e.tenantId
    })
    const run = await runAction({ inputs: { ...secretInputs(e), 'job-id': quickJob(e), creds } })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::warning::Both creds and tenant-id, client-id, client-secret are given; using tenant-id, client-id, client-secret \(creds.clientSecret differs\)\./
    )
  })

  it('says creds is not JSON without quoting it', async () => {
    const e = await start()
    const run = await runAction({
      inputs: { ...secretInputs(e), 'job-id': quickJob(e), creds: '{clientSecret: hunter2-secret' }
    })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain('creds is not valid JSON')
    expect(run.errors[0]).not.toContain('hunter2')
  })
})

describe('behind a proxy', () => {
  it('sends Entra ID and Media Services traffic through HTTPS_PROXY', async () => {
    const e = await start({ proxy: true })
    const id = quickJob(e)
    const run = await runAction({
      inputs: {
        ...secretInputs(e),
        'job-id': id,
        'api-url': e.namedUrls.global,
        'authority-host': e.namedUrls.authority,
        'trusted-hosts': '*.media.test'
      },
      env: { HTTPS_PROXY: e.urls.proxy! }
    })
    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toContain(`redirected to ${e.namedUrls.account}`)
    expect(e.proxyConnects[e.hostnames.login]).toBeGreaterThanOrEqual(1)
    expect(e.proxyConnects[e.hostnames.global]).toBeGreaterThanOrEqual(1)
    expect(e.proxyConnects[e.hostnames.account]).toBeGreaterThanOrEqual(1)
  })

  it('leaves the hosts named in NO_PROXY to a direct connection', async () => {
    const e = await start({ proxy: true })
    const run = await runAction({
      inputs: {
        ...secretInputs(e),
        'job-id': quickJob(e),
        'api-url': e.namedUrls.account,
        'authority-host': e.namedUrls.authority
      },
      env: { HTTPS_PROXY: e.urls.proxy!, NO_PROXY: `${e.hostnames.account},example.org` }
    })
    // The sign-in went through the proxy; the account host was tried directly, where its test-only name
    // does not resolve: proof that it bypassed the proxy.
    expect(e.proxyConnects[e.hostnames.login]).toBeGreaterThanOrEqual(1)
    expect(e.proxyConnects[e.hostnames.account] ?? 0).toBe(0)
    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain(`host ${e.hostnames.account} could not be found`)
  })
})

describe('every sign-in reply, by shape and status (a few rows of token-reply.test.ts, on dist/)', () => {
  const posts = (e: Emulator): typeof e.requests =>
    e.requests.filter(r => r.server === 'login' && /\/oauth2\/v2\.0\/token(\?|$)/.test(r.decodedPath))
  const tokenPosts = (e: Emulator): number => posts(e).length

  it('a 400 whose error_description is an object: one request, a sign-in failure naming the code', async () => {
    const e = await start()
    e.injectFaults([
      {
        server: 'login',
        path: '/oauth2/v2.0/token',
        kind: 'status',
        status: 400,
        times: 9,
        body: JSON.stringify({ error: 'invalid_request', error_description: { nested: true } })
      }
    ])
    const run = await runAction({ inputs: { ...secretInputs(e), 'job-id': quickJob(e) } })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^::error title=Sign-in failed::Entra ID refused the sign-in with the client secret \(x-ms-request-id [\w-]+\): invalid_request\.$/
      )
    ])
    expect(tokenPosts(e)).toBe(1)
    expect(run.stdout + run.stderr).not.toMatch(/\[object Object\]|is not a function|TypeError/)
  })

  it('a 401 with an HTML page: exactly one token request, the status and what came back', async () => {
    const e = await start()
    e.injectFaults([{ server: 'login', path: '/oauth2/v2.0/token', kind: 'html', status: 401, times: 9 }])
    const run = await runAction({ inputs: { ...secretInputs(e), 'job-id': quickJob(e) } })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(
      /^::error title=Sign-in failed::Entra ID refused the sign-in with the client secret \(x-ms-request-id [\w-]+\): HTTP 401 with an HTML page\. Check authority-host/
    )
    expect(tokenPosts(e)).toBe(1)
    expect(run.errors[0]).not.toMatch(/temporarily_unavailable/)
  })

  it('a 429 without an error field and Retry-After: 2 waits at least 2 s, then signs in and the wait goes on', async () => {
    const e = await start()
    e.injectFaults([
      {
        server: 'login',
        path: '/oauth2/v2.0/token',
        kind: 'status',
        status: 429,
        headers: { 'Retry-After': '2' },
        body: JSON.stringify({ message: 'slow down' })
      }
    ])
    const run = await runAction({ inputs: { ...secretInputs(e), 'job-id': quickJob(e) } })
    expect(run.code).toBe(0)
    const [first, second, ...more] = posts(e)
    expect(more).toEqual([])
    expect(second.at - first.at).toBeGreaterThanOrEqual(2000)
    expect(run.lines.join('\n')).toMatch(/Entra ID: token request answered 429; retrying in [2-9]\.\ds/)
  })

  it("a tenant domain is named whole in Entra ID's message (its dots are no sentence's end)", async () => {
    const e = await start()
    const run = await runAction({
      inputs: { ...secretInputs(e), 'job-id': quickJob(e), 'tenant-id': 'contoso.onmicrosoft.com' }
    })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(
      /Entra ID refused the sign-in with the client secret \(x-ms-request-id [\w-]+\): AADSTS90002: Tenant 'contoso\.onmicrosoft\.com' not found\. Check tenant-id\.$/
    )
  })

  it('with debug logging on, no secret or token reaches the log', async () => {
    const e = await start()
    const run = await runAction({
      inputs: { ...secretInputs(e), 'job-id': quickJob(e) },
      env: { RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    const log = run.lines.join('\n')
    expect(log).not.toContain(e.clientSecret)
    for (const token of e.issuedTokens) expect(log).not.toContain(token)
  })
})
