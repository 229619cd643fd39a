// @ts-check
/**
 * HTTPS emulator of Entra ID, GitHub OIDC and Azure Media Services v2 for the e2e tests of
 * ams-job-wait. Only Node built-ins. Test-only: its CA key is checked in (see certs/).
 *
 * Listeners, all on 127.0.0.1 (the only loopback address macOS and Windows have by default), each on its
 * own port: global, account, login (Entra ID + GitHub OIDC), evil (must never be contacted). The action
 * trusts host and port together, so these are four different servers to it.
 */
import https from 'node:https'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readBody, send, uuid, safeDecode, listen, closeAll } from './util.js'
import { certificateThumbprints } from './jwt.js'
import { handleLogin } from './entra.js'
import { keyId } from './github.js'
import { handleGlobal, handleAccount } from './media.js'
import { JobStore } from './jobs.js'
import { Faults } from './faults.js'
import { startProxy } from './proxy.js'

const CERTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'certs')
const cert = (/** @type {string} */ name) => path.join(CERTS, name)

/**
 * @typedef {{ shape?: 'minimal' | 'verbose' | 'auto', verboseDates?: 'iso' | 'ms',
 *   redirect?: 'root' | 'same-path' | 'evil' | 'none', tokenLifetimeSec?: number, scope?: string,
 *   randomFaultRate?: number, seed?: number, proxy?: boolean, ports?: Partial<Record<ServerName, number>>, requireOidcAudience?: string, log?: boolean }} EmulatorOptions
 * @typedef {'global' | 'account' | 'login' | 'evil'} ServerName
 * @typedef {{ global: string, account: string, authority: string, evil: string, oidcRequestUrl: string, proxy?: string }} Urls
 * @typedef {{
 *   urls: Urls, namedUrls: Urls,
 *   hostnames: { global: string, account: string, login: string, evil: string, github: string },
 *   caFile: string, tenantId: string, clientId: string, clientSecret: string,
 *   clientCertificateFile: string, otherCertificateFile: string, oidcRequestToken: string,
 *   addJob: (spec?: import('./jobs.js').JobSpec) => string,
 *   job: (id: string) => import('./jobs.js').JobRecord,
 *   requests: import('./util.js').RequestRecord[], issuedTokens: string[], issuedOidcTokens: string[],
 *   tokenRequests: import('./entra.js').TokenRequestRecord[],
 *   proxyConnects: Record<string, number>, proxyLog: { target: string, allowed: boolean, at: number }[],
 *   injectFaults: (faults: import('./faults.js').Fault[]) => void,
 *   revokeTokens: () => void,
 *   setAuthority: (opts: { failWith?: 'invalid_client' | 'server_error' | null, failTimes?: number, status?: number }) => void,
 *   close: () => Promise<void>
 * }} Emulator
 */

const LOOPBACK = '127.0.0.1'
/** @type {ServerName[]} */
const SERVERS = ['global', 'account', 'login', 'evil']
// Keep in sync with NAMED_HOSTS in util.js and the SANs in certs/make-certs.sh.
const HOSTNAMES = {
  global: 'media.global.test',
  account: 'acct1.restv2.emu.media.test',
  login: 'login.emu.test',
  evil: 'evil.example.test',
  github: 'token.actions.emu.test'
}
const TENANT_ID = '72f988bf-0000-4e11-a0e5-e2a1e3c0ffee'
const CLIENT_ID = '3b5e7c1a-7f2d-4c1e-9a55-0e5d1ce0ba5e'

/**
 * Starts the emulator.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
export async function startEmulator(options = {}) {
  const opts = {
    shape: options.shape ?? 'auto',
    verboseDates: options.verboseDates ?? 'ms',
    redirect: options.redirect ?? 'root',
    tokenLifetimeSec: options.tokenLifetimeSec ?? 3599,
    scope: options.scope ?? 'https://rest.media.azure.net/.default',
    randomFaultRate: options.randomFaultRate ?? 0,
    seed: options.seed ?? 1,
    proxy: options.proxy ?? false,
    requireOidcAudience: options.requireOidcAudience ?? 'api://AzureADTokenExchange',
    log: options.log ?? false
  }
  const tls = { key: fs.readFileSync(cert('server-key.pem')), cert: fs.readFileSync(cert('server.pem')) }
  const oidcKey = crypto.createPrivateKey(fs.readFileSync(cert('github-oidc-key.pem')))
  const oidcPublicKey = crypto.createPublicKey(oidcKey)
  /** @type {Map<string, { expiresAt: number, revoked: boolean }>} */
  const tokens = new Map()
  const store = new JobStore()
  const faults = new Faults(opts.randomFaultRate, opts.seed)
  /** @type {import('./util.js').RequestRecord[]} */
  const requests = []
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()

  /** @type {Record<ServerName, https.Server>} */
  const servers = /** @type {any} */ ({})
  /** @type {Record<ServerName, number>} */
  const ports = /** @type {any} */ ({})
  for (const name of SERVERS) {
    const server = https.createServer(tls, (req, res) => {
      handle(name, req, res).catch(err => {
        if (opts.log) process.stderr.write(`[emu] handler error: ${err && err.stack}\n`)
        if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'emulator error')
        else res.destroy()
      })
    })
    server.on('connection', (/** @type {import('node:net').Socket} */ s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    server.on('tlsClientError', () => {})
    servers[name] = server
    try {
      ports[name] = await listen(server, options.ports?.[name])
    } catch (error) {
      // A port in use: the listeners already up are closed again, so that nothing is left listening.
      await closeAll(Object.values(servers))
      throw error
    }
  }

  /** @param {ServerName} name */
  const ipBase = name => `https://${LOOPBACK}:${ports[name]}`
  /** @type {Urls} */
  const urls = {
    global: `${ipBase('global')}/api/`,
    account: `${ipBase('account')}/api/`,
    authority: ipBase('login'),
    evil: `${ipBase('evil')}/api/`,
    oidcRequestUrl: `${ipBase('login')}/github/idtoken?api-version=2.0`
  }
  /** @type {Urls} */
  const namedUrls = {
    global: `https://${HOSTNAMES.global}/api/`,
    account: `https://${HOSTNAMES.account}/api/`,
    authority: `https://${HOSTNAMES.login}`,
    evil: `https://${HOSTNAMES.evil}/api/`,
    oidcRequestUrl: `https://${HOSTNAMES.github}/github/idtoken?api-version=2.0`
  }

  /** @type {import('./entra.js').EntraState} */
  const entra = {
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: 'emu-secret-Q8~vN3xTt0Rk.Lm2Wz9_pYb4Hs7Jd1Cf6Ug5Ea',
    oidcRequestToken: 'emu-gh-runtime-token-6b1f0e2d9c8a7b5e4f3a2d1c',
    scope: opts.scope,
    tokenLifetimeSec: opts.tokenLifetimeSec,
    requireOidcAudience: opts.requireOidcAudience,
    clientCert: certificateThumbprints(fs.readFileSync(cert('client.pem'))),
    oidcKey,
    oidcPublicKey,
    oidcKid: keyId(oidcPublicKey),
    tokens,
    issuedTokens: [],
    issuedOidcTokens: [],
    tokenRequests: [],
    authority: { failWith: null, failTimes: null, status: null },
    loginHosts: [`${LOOPBACK}:${ports.login}`, HOSTNAMES.login, `${HOSTNAMES.login}:443`]
  }
  /** @type {import('./media.js').MediaState} */
  const media = {
    shape: opts.shape,
    verboseDates: opts.verboseDates,
    redirect: opts.redirect,
    tokens,
    store,
    urls,
    namedUrls,
    hostnames: HOSTNAMES
  }

  /**
   * @param {ServerName} server
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(server, req, res) {
    const requestId = uuid()
    const rawPath = req.url || '/'
    /** @type {import('./util.js').RequestRecord} */
    const rec = {
      server,
      method: req.method || 'GET',
      path: rawPath,
      decodedPath: safeDecode(rawPath),
      status: 0,
      requestId,
      authorization: req.headers.authorization,
      headers: req.headers,
      at: Date.now()
    }
    requests.push(rec)
    Object.assign(res, { emuRecord: rec })
    res.setHeader('x-ms-request-id', requestId)
    res.setHeader('request-id', requestId)
    if (opts.log) {
      res.on('close', () => {
        const what = rec.fault ? ` (fault ${rec.fault})` : ''
        process.stderr.write(`[emu] ${server} ${rec.method} ${rec.decodedPath} -> ${rec.status}${what}\n`)
      })
    }
    const body = await readBody(req)
    const url = new URL(rawPath, `https://${req.headers.host || LOOPBACK}`)
    const route = () => {
      if (server === 'login') return handleLogin(entra, req, res, url, body)
      if (server === 'global') return handleGlobal(media, req, res, url)
      return handleAccount(media, req, res, url)
    }
    const isToken =
      server === 'login' && req.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(url.pathname)
    const fault = faults.take(server, rawPath, isToken)
    if (fault) return faults.apply(fault, server, req, res, route)
    return route()
  }

  /** @type {Awaited<ReturnType<typeof startProxy>> | null} */
  let proxy = null
  if (opts.proxy) {
    /** @type {Map<string, { host: string, port: number }>} */
    const routes = new Map()
    for (const [key, host] of Object.entries(HOSTNAMES)) {
      const server = /** @type {ServerName} */ (key === 'github' ? 'login' : key)
      routes.set(host, { host: LOOPBACK, port: ports[server] })
    }
    proxy = await startProxy(routes)
    urls.proxy = `http://127.0.0.1:${proxy.port}`
    namedUrls.proxy = urls.proxy
  }

  return {
    urls,
    namedUrls,
    hostnames: { ...HOSTNAMES },
    caFile: cert('ca.pem'),
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: entra.clientSecret,
    clientCertificateFile: cert('client.pem'),
    otherCertificateFile: cert('client-other.pem'),
    oidcRequestToken: entra.oidcRequestToken,
    addJob: spec => store.add(spec),
    job: id => {
      const job = store.byId.get(id)
      if (!job) throw new Error(`emulator: no job ${id}`)
      return job
    },
    requests,
    issuedTokens: entra.issuedTokens,
    issuedOidcTokens: entra.issuedOidcTokens,
    tokenRequests: entra.tokenRequests,
    proxyConnects: proxy ? proxy.connects : {},
    proxyLog: proxy ? proxy.log : [],
    injectFaults: list => faults.inject(list),
    revokeTokens: () => {
      for (const t of tokens.values()) t.revoked = true
    },
    setAuthority: ({ failWith = null, failTimes, status }) => {
      entra.authority = { failWith, failTimes: failTimes ?? null, status: status ?? null }
    },
    close: async () => {
      faults.close()
      const all = [...Object.values(servers), ...(proxy ? [proxy.server] : [])]
      const closed = all.map(s => new Promise(resolve => s.close(() => resolve(undefined))))
      for (const s of sockets) s.destroy()
      if (proxy) for (const s of proxy.sockets) s.destroy()
      await Promise.all(closed)
    }
  }
}
