// Proves the HTTPS emulator itself (Entra ID, GitHub OIDC, Media Services v2, faults, proxy) over
// real TLS with Node's https module, before the action is tested against it.
import { describe, it, expect, beforeAll } from '@jest/globals'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import { startEmulator } from '../../emulator/index.js'
import { type Emulator, useEmulator } from './emulators.js'

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}
interface Options {
  method?: string
  headers?: Record<string, string>
  body?: string
  timeoutMs?: number
  createConnection?: () => tls.TLSSocket
}

let ca: Buffer

function request(url: string, opts: Options = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ca,
        // An agent would ignore createConnection (used for the proxy tunnel).
        ...(opts.createConnection
          ? { createConnection: opts.createConnection, defaultPort: 443 }
          : { agent: false })
      },
      res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        )
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('client timeout')))
    req.end(opts.body)
  })
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
  body: new URLSearchParams(fields).toString()
})

const SCOPE = 'https://rest.media.azure.net/.default'

async function tokenWith(emu: Emulator, credential: Record<string, string>, authority = emu.urls.authority) {
  const r = await request(
    `${authority}/${emu.tenantId}/oauth2/v2.0/token`,
    form({ client_id: emu.clientId, scope: SCOPE, grant_type: 'client_credentials', ...credential })
  )
  return { ...r, json: JSON.parse(r.body) as Record<string, unknown> }
}

async function accessToken(emu: Emulator): Promise<string> {
  const r = await tokenWith(emu, { client_secret: emu.clientSecret })
  expect(r.status).toBe(200)
  return r.json.access_token as string
}

const b64u = (v: Buffer | string) => Buffer.from(v).toString('base64url')

/** A client assertion the way MSAL builds it for a certificate: PS256 with x5t#S256. */
function certificateAssertion(emu: Emulator, pemFile: string, aud: string): string {
  const pem = fs.readFileSync(pemFile, 'utf8')
  const der = new crypto.X509Certificate(pem).raw
  const header = {
    alg: 'PS256',
    typ: 'JWT',
    'x5t#S256': b64u(crypto.createHash('sha256').update(der).digest())
  }
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    aud,
    iss: emu.clientId,
    sub: emu.clientId,
    jti: crypto.randomUUID(),
    nbf: now,
    exp: now + 600
  }
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`
  const signature = crypto.sign('sha256', Buffer.from(input), {
    key: crypto.createPrivateKey(pem),
    padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
    saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST
  })
  return `${input}.${b64u(signature)}`
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

function amsHeaders(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    'x-ms-version': '2.19',
    DataServiceVersion: '3.0',
    MaxDataServiceVersion: '3.0',
    Accept: 'application/json',
    'Accept-Charset': 'UTF-8',
    ...extra
  }
}

const filterFor = (...ids: string[]) =>
  encodeURIComponent(ids.map(id => `Id eq '${id.replace(/'/g, "''")}'`).join(' or '))

describe('emulator', () => {
  const emu = useEmulator({ proxy: true }, 'file')
  let token: string

  beforeAll(async () => {
    ca = fs.readFileSync(new URL('../../emulator/certs/ca.pem', import.meta.url))
    token = await accessToken(emu)
  })

  describe('Entra ID', () => {
    it('serves openid-configuration with the host of the request', async () => {
      const r = await request(`${emu.urls.authority}/${emu.tenantId}/v2.0/.well-known/openid-configuration`)
      expect(r.status).toBe(200)
      const cfg = JSON.parse(r.body)
      expect(cfg.issuer).toBe(`${emu.urls.authority}/${emu.tenantId}/v2.0`)
      expect(cfg.token_endpoint).toBe(`${emu.urls.authority}/${emu.tenantId}/oauth2/v2.0/token`)
      const bad = await request(`${emu.urls.authority}/not-a-tenant/v2.0/.well-known/openid-configuration`)
      expect(bad.status).toBe(400)
      expect(JSON.parse(bad.body)).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] })
    })

    it('issues a token for the client secret', async () => {
      const r = await tokenWith(emu, { client_secret: emu.clientSecret })
      expect(r.status).toBe(200)
      expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 })
      expect(r.json.access_token).toMatch(/^emu-at-[0-9a-f]{32}$/)
      expect(emu.issuedTokens).toContain(r.json.access_token)
      expect(emu.tokenRequests.at(-1)).toMatchObject({
        client_id: emu.clientId,
        scope: SCOPE,
        credential: 'secret'
      })
      expect(JSON.stringify(emu.tokenRequests)).not.toContain(emu.clientSecret)
    })

    it('refuses a wrong secret with AADSTS7000215, a wrong scope and an unknown client', async () => {
      const r = await tokenWith(emu, { client_secret: 'wrong' })
      expect(r.status).toBe(401)
      expect(r.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] })
      expect(r.json.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/)
      expect(r.json).toHaveProperty('trace_id')
      expect(r.json).toHaveProperty('correlation_id')
      const scope = await request(
        `${emu.urls.authority}/${emu.tenantId}/oauth2/v2.0/token`,
        form({
          client_id: emu.clientId,
          scope: 'https://management.azure.com/.default',
          grant_type: 'client_credentials',
          client_secret: emu.clientSecret
        })
      )
      expect(scope.status).toBe(400)
      expect(JSON.parse(scope.body)).toMatchObject({ error: 'invalid_scope', error_codes: [70011] })
      const client = await request(
        `${emu.urls.authority}/${emu.tenantId}/oauth2/v2.0/token`,
        form({
          client_id: crypto.randomUUID(),
          scope: SCOPE,
          grant_type: 'client_credentials',
          client_secret: emu.clientSecret
        })
      )
      expect(JSON.parse(client.body)).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] })
    })

    it('accepts a PS256 certificate assertion from client.pem and refuses client-other.pem', async () => {
      const aud = `${emu.urls.authority}/${emu.tenantId}/oauth2/v2.0/token`
      const ok = await tokenWith(emu, {
        client_assertion_type: JWT_BEARER,
        client_assertion: certificateAssertion(emu, emu.clientCertificateFile, aud)
      })
      expect(ok.status).toBe(200)
      expect(emu.tokenRequests.at(-1)?.credential).toBe('certificate')
      const other = await tokenWith(emu, {
        client_assertion_type: JWT_BEARER,
        client_assertion: certificateAssertion(emu, emu.otherCertificateFile, aud)
      })
      expect(other.status).toBe(401)
      expect(other.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] })
      expect(emu.tokenRequests.at(-1)?.credential).toBe('invalid')
    })

    it('issues GitHub OIDC tokens that work as client assertions', async () => {
      const noAuth = await request(`${emu.urls.oidcRequestUrl}&audience=api://AzureADTokenExchange`)
      expect(noAuth.status).toBe(401)
      const gh = await request(
        `${emu.urls.oidcRequestUrl}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`,
        {
          headers: { Authorization: `Bearer ${emu.oidcRequestToken}` }
        }
      )
      expect(gh.status).toBe(200)
      const idToken = JSON.parse(gh.body).value as string
      expect(emu.issuedOidcTokens).toContain(idToken)
      const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString())
      expect(claims).toMatchObject({
        iss: 'https://token.actions.githubusercontent.com',
        aud: 'api://AzureADTokenExchange'
      })
      const r = await tokenWith(emu, { client_assertion_type: JWT_BEARER, client_assertion: idToken })
      expect(r.status).toBe(200)
      expect(emu.tokenRequests.at(-1)?.credential).toBe('oidc')

      const wrongAud = await request(`${emu.urls.oidcRequestUrl}&audience=api://Other`, {
        headers: { Authorization: `Bearer ${emu.oidcRequestToken}` }
      })
      const refused = await tokenWith(emu, {
        client_assertion_type: JWT_BEARER,
        client_assertion: JSON.parse(wrongAud.body).value
      })
      expect(refused.status).toBe(401)
      expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [70021] })
    })

    it('setAuthority makes the token endpoint fail a number of times', async () => {
      emu.setAuthority({ failWith: 'server_error', failTimes: 1 })
      const r = await tokenWith(emu, { client_secret: emu.clientSecret })
      expect(r.status).toBe(503)
      expect(r.json).toHaveProperty('error_codes')
      expect((await tokenWith(emu, { client_secret: emu.clientSecret })).status).toBe(200)
      emu.setAuthority({ failWith: 'invalid_client' })
      expect((await tokenWith(emu, { client_secret: emu.clientSecret })).json.error).toBe('invalid_client')
      emu.setAuthority({ failWith: null })
      expect((await tokenWith(emu, { client_secret: emu.clientSecret })).status).toBe(200)
    })
  })

  describe('Media Services', () => {
    it('walks the default timeline through a filter query, in minimal metadata', async () => {
      const id = emu.addJob({ name: 'default' })
      const states: number[] = []
      for (let i = 0; i < 5; i++) {
        const r = await request(`${emu.urls.account}Jobs()?$filter=${filterFor(id)}&$top=1`, {
          headers: amsHeaders(token)
        })
        expect(r.status).toBe(200)
        expect(r.headers['content-type']).toMatch(/^application\/json;odata=minimalmetadata/)
        expect(r.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/)
        const body = JSON.parse(r.body)
        expect(body['odata.metadata']).toBe(`${emu.urls.account}$metadata#Jobs`)
        expect(body.value).toHaveLength(1)
        states.push(body.value[0].State)
        if (i === 4) {
          expect(body.value[0]).toMatchObject({
            Id: id,
            Name: 'default',
            TemplateId: null,
            JobNotificationSubscriptions: []
          })
          expect(body.value[0].EndTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+$/)
        }
      }
      expect(states).toEqual([0, 2, 2, 3, 3])
      expect(emu.job(id).observations).toBe(5)
    })

    it('answers verbose JSON with \\/Date()\\/ dates, tasks with wrapped collections, and quoted ids', async () => {
      const quoted = "nb:jid:UUID:it's"
      const failing = emu.addJob({
        id: quoted,
        timeline: [{ state: 'Processing', polls: 1 }, { state: 'Error' }]
      })
      const other = emu.addJob({ timeline: [{ state: 'Scheduled' }] })
      const verbose = amsHeaders(token, { Accept: 'application/json;odata=verbose' })
      let r = await request(`${emu.urls.account}Jobs()?$filter=${filterFor(other, failing)}`, {
        headers: verbose
      })
      expect(r.status).toBe(200)
      expect(r.headers['content-type']).toMatch(/odata=verbose/)
      let results = JSON.parse(r.body).d.results
      expect(results.map((j: { Id: string }) => j.Id)).toEqual([failing, other])
      expect(results[0].__metadata.type).toBe('Microsoft.Cloud.Media.Vod.Rest.Data.Models.Job')
      expect(results[0].Tasks.__deferred.uri).toContain('/Tasks')
      expect(r.body).toMatch(/"StartTime":"\\\/Date\(\d+\)\\\/"/)
      r = await request(`${emu.urls.account}Jobs('${encodeURIComponent(quoted.replace(/'/g, "''"))}')`, {
        headers: verbose
      })
      expect(JSON.parse(r.body).d).toMatchObject({ Id: quoted, State: 4 })
      r = await request(
        `${emu.urls.account}Jobs('${encodeURIComponent(quoted.replace(/'/g, "''"))}')/Tasks`,
        { headers: verbose }
      )
      results = JSON.parse(r.body).d.results
      expect(results[0].ErrorDetails.__metadata.type).toBe(
        'Collection(Microsoft.Cloud.Media.Vod.Rest.Data.Models.ErrorDetail)'
      )
      expect(results[0].ErrorDetails.results[0].Code).toBe('ErrorProcessingTask')
      expect(results[0].HistoricalEvents.results.length).toBeGreaterThan(0)
      expect(results[0].Id).toMatch(/^nb:tid:UUID:/)
    })

    it('hides jobs for hiddenPolls observations, never shows missing ones, 404s unknown keys and bad filters', async () => {
      const late = emu.addJob({ hiddenPolls: 2 })
      emu.addJob({ id: 'nb:jid:UUID:missing', missing: true })
      const counts: number[] = []
      for (let i = 0; i < 3; i++) {
        const r = await request(
          `${emu.urls.account}Jobs()?$filter=${filterFor(late, 'nb:jid:UUID:missing')}`,
          { headers: amsHeaders(token) }
        )
        counts.push(JSON.parse(r.body).value.length)
      }
      expect(counts).toEqual([0, 0, 1])
      const unknown = await request(`${emu.urls.account}Jobs('nb%3Ajid%3AUUID%3Anope')`, {
        headers: amsHeaders(token)
      })
      expect(unknown.status).toBe(404)
      expect(JSON.parse(unknown.body)['odata.error'].message.value).toContain('nb:jid:UUID:nope')
      const bad = await request(`${emu.urls.account}Jobs()?$filter=${encodeURIComponent("Name eq 'x'")}`, {
        headers: amsHeaders(token)
      })
      expect(bad.status).toBe(400)
      expect(JSON.parse(bad.body)).toHaveProperty(['odata.error'])
    })

    it('follows wall-clock steps', async () => {
      const id = emu.addJob({ timeline: [{ state: 'Processing', ms: 150 }, { state: 'Finished' }] })
      const get = async () =>
        JSON.parse(
          (
            await request(`${emu.urls.account}Jobs('${encodeURIComponent(id)}')`, {
              headers: amsHeaders(token)
            })
          ).body
        )
      expect((await get()).State).toBe(2)
      await new Promise(r => setTimeout(r, 200))
      const done = await get()
      expect(done.State).toBe(3)
      expect(done.RunningDuration).toBeGreaterThanOrEqual(150)
      expect(done['odata.metadata']).toContain('$metadata#Jobs')
    })

    it('cancels a job: 204, then Canceling once, then Canceled; 404 for unknown ids', async () => {
      const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
      const cancel = await request(`${emu.urls.account}CancelJob?jobid=${encodeURIComponent(`'${id}'`)}`, {
        headers: amsHeaders(token)
      })
      expect(cancel.status).toBe(204)
      const states = []
      for (let i = 0; i < 3; i++) {
        const r = await request(`${emu.urls.account}Jobs()?$filter=${filterFor(id)}`, {
          headers: amsHeaders(token)
        })
        states.push(JSON.parse(r.body).value[0].State)
      }
      expect(states).toEqual([6, 5, 5])
      expect(emu.job(id).cancelRequests).toBe(1)
      const unknown = await request(
        `${emu.urls.account}CancelJob?jobid=${encodeURIComponent("'nb:jid:UUID:nope'")}`,
        { headers: amsHeaders(token) }
      )
      expect(unknown.status).toBe(404)
    })

    it('redirects the global endpoint to the account root', async () => {
      const r = await request(`${emu.urls.global}Jobs()?$top=1`, { headers: amsHeaders(token) })
      expect(r.status).toBe(301)
      expect(r.headers.location).toBe(emu.urls.account)
    })

    it('redirects with the same path, or to the evil host, when asked', async () => {
      const same = await startEmulator({ redirect: 'same-path' })
      const evil = await startEmulator({ redirect: 'evil' })
      try {
        const t = await accessToken(same)
        const path = `Jobs()?$filter=${filterFor('nb:jid:UUID:a')}&$top=1`
        const r = await request(`${same.urls.global}${path}`, { headers: amsHeaders(t) })
        expect(r.status).toBe(301)
        // Node's URL parser sends ' as %27 in the query: the Location keeps the path as received.
        expect(r.headers.location).toBe(new URL(`${same.urls.account}${path}`).href)
        const e = await request(evil.urls.global, { headers: amsHeaders(await accessToken(evil)) })
        expect(e.headers.location).toBe(evil.urls.evil)
      } finally {
        await same.close()
        await evil.close()
      }
    })

    it('refuses requests without a token, after revokeTokens, and without x-ms-version', async () => {
      const noToken = await request(`${emu.urls.account}Jobs`, { headers: amsHeaders(undefined) })
      expect(noToken.status).toBe(401)
      expect(noToken.headers['www-authenticate']).toMatch(/^Bearer /)
      expect(JSON.parse(noToken.body)).toHaveProperty(['odata.error', 'message', 'value'])
      const noVersion = { ...amsHeaders(token) } as Record<string, string>
      delete noVersion['x-ms-version']
      const r = await request(`${emu.urls.account}Jobs`, { headers: noVersion })
      expect(r.status).toBe(400)
      expect(JSON.parse(r.body)['odata.error'].message.value).toContain('x-ms-version')
      const old = await request(`${emu.urls.account}Jobs`, {
        headers: amsHeaders(token, { 'x-ms-version': '2.7' })
      })
      expect(old.status).toBe(400)
      const noDsv = amsHeaders(token) as Record<string, string>
      delete noDsv.DataServiceVersion
      expect((await request(`${emu.urls.account}Jobs`, { headers: noDsv })).status).toBe(400)

      const revoked = await startEmulator()
      try {
        const t = await accessToken(revoked)
        expect((await request(`${revoked.urls.account}Jobs`, { headers: amsHeaders(t) })).status).toBe(200)
        revoked.revokeTokens()
        expect((await request(`${revoked.urls.account}Jobs`, { headers: amsHeaders(t) })).status).toBe(401)
        expect((await request(revoked.urls.global, { headers: amsHeaders(t) })).status).toBe(401)
      } finally {
        await revoked.close()
      }
    })
  })

  describe('faults', () => {
    it('injects status, html, garbage, reset, slow and hang faults in order, without observing jobs', async () => {
      const id = emu.addJob({ timeline: [{ state: 'Queued', polls: 1 }, { state: 'Finished' }] })
      const url = `${emu.urls.account}Jobs()?$filter=${filterFor(id)}`
      const headers = amsHeaders(token)
      emu.injectFaults([
        { kind: 'status', headers: { 'Retry-After': '1' } },
        { kind: 'status', status: 429, path: 'Jobs' },
        { kind: 'html' },
        { kind: 'garbage' },
        { kind: 'reset' },
        { kind: 'hang' },
        { kind: 'slow', delayMs: 300 }
      ])
      const busy = await request(url, { headers })
      expect(busy.status).toBe(503)
      expect(busy.headers['retry-after']).toBe('1')
      expect(JSON.parse(busy.body)['odata.error'].message.value).toBe('Server is busy.')
      expect((await request(url, { headers })).status).toBe(429)
      const html = await request(url, { headers })
      expect(html.status).toBe(502)
      expect(html.headers['content-type']).toMatch(/text\/html/)
      const garbage = await request(url, { headers })
      expect(garbage.status).toBe(200)
      expect(() => JSON.parse(garbage.body)).toThrow()
      await expect(request(url, { headers })).rejects.toThrow(/ECONNRESET|socket hang up/)
      await expect(request(url, { headers, timeoutMs: 300 })).rejects.toThrow('client timeout')
      expect(emu.job(id).observations).toBe(0)
      const started = Date.now()
      const slow = await request(url, { headers })
      expect(Date.now() - started).toBeGreaterThanOrEqual(280)
      expect(JSON.parse(slow.body).value[0].State).toBe(0)
      expect(JSON.parse((await request(url, { headers })).body).value[0].State).toBe(3)
      expect(emu.requests.filter(r => r.fault).map(r => r.fault)).toEqual([
        'status',
        'status',
        'html',
        'garbage',
        'reset',
        'hang',
        'slow'
      ])
    })

    it('faults only the server and path they name, and the login server too', async () => {
      emu.injectFaults([
        { server: 'login', path: '/oauth2/v2.0/token', kind: 'status', status: 500 },
        { server: 'account', path: /CancelJob/, kind: 'status', status: 500 }
      ])
      expect((await request(`${emu.urls.account}Jobs`, { headers: amsHeaders(token) })).status).toBe(200)
      const t = await tokenWith(emu, { client_secret: emu.clientSecret })
      expect(t.status).toBe(500)
      expect(t.json).toHaveProperty('error')
      const c = await request(`${emu.urls.account}CancelJob?jobid='x'`, { headers: amsHeaders(token) })
      expect(c.status).toBe(500)
    })

    it('draws reproducible random faults from the seed', async () => {
      const run = async () => {
        const e = await startEmulator({ randomFaultRate: 0.5, seed: 7 })
        try {
          const t = e.issuedTokens.length // token requests may fail too: retry until one works
          let tok: string | undefined
          for (let i = 0; i < 20 && !tok; i++) {
            const r = await tokenWith(e, { client_secret: e.clientSecret }).catch(() => undefined)
            if (r?.status === 200) tok = r.json.access_token as string
          }
          expect(e.issuedTokens.length).toBeGreaterThan(t)
          const statuses: string[] = []
          for (let i = 0; i < 12; i++) {
            const r = await request(`${e.urls.account}Jobs`, { headers: amsHeaders(tok) }).catch(() => ({
              status: 'reset'
            }))
            statuses.push(String(r.status))
          }
          return statuses
        } finally {
          await e.close()
        }
      }
      const a = await run()
      expect(a.filter(s => s !== '200').length).toBeGreaterThan(0)
      expect(a.filter(s => s === '200').length).toBeGreaterThan(0)
      expect(await run()).toEqual(a)
    })
  })

  describe('proxy', () => {
    function connect(target: string): Promise<{ status: number; socket: import('node:net').Socket }> {
      const proxy = new URL(emu.urls.proxy as string)
      return new Promise((resolve, reject) => {
        const req = http.request({
          host: proxy.hostname,
          port: proxy.port,
          method: 'CONNECT',
          path: target,
          agent: false
        })
        req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }))
        req.on('error', reject)
        req.end()
      })
    }

    it('tunnels CONNECT to the named hosts and keeps the names in URLs', async () => {
      const host = emu.hostnames.global
      const { status, socket } = await connect(`${host}:443`)
      expect(status).toBe(200)
      const r = await request(`https://${host}/api/`, {
        headers: amsHeaders(token),
        createConnection: () => tls.connect({ socket, servername: host, ca })
      })
      expect(r.status).toBe(301)
      expect(r.headers.location).toBe(emu.namedUrls.account)
      expect(emu.proxyConnects[host]).toBe(1)
      expect(emu.requests.at(-1)).toMatchObject({ server: 'global', path: '/api/' })

      const acct = emu.hostnames.account
      const tunnel = await connect(`${acct}:443`)
      const jobs = await request(`${emu.namedUrls.account}Jobs`, {
        headers: amsHeaders(token),
        createConnection: () => tls.connect({ socket: tunnel.socket, servername: acct, ca })
      })
      expect(JSON.parse(jobs.body)['odata.metadata']).toBe(`${emu.namedUrls.account}$metadata#Jobs`)
    })

    it('refuses other CONNECT targets with 403', async () => {
      const { status, socket } = await connect('example.com:443')
      socket.destroy()
      expect(status).toBe(403)
      expect(emu.proxyConnects['example.com']).toBeUndefined()
    })
  })

  it('never contacted the evil host in these tests, and records tokens only in the token lists', () => {
    expect(emu.requests.filter(r => r.server === 'evil')).toEqual([])
    expect(emu.issuedTokens.length).toBeGreaterThan(3)
  })
})
