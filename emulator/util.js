// @ts-check
/** Small helpers shared by the emulator modules. Test-only code. */
import crypto from 'node:crypto'

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:http').ServerResponse} Res */

/**
 * One log entry per request the emulator receives. `path` is the request target (path and query)
 * exactly as received, still percent-encoded; `decodedPath` is the same percent-decoded.
 * `status` is 0 while unanswered and for reset/hang faults; `fault` names the fault applied.
 * @typedef {{ server: string, method: string, path: string, decodedPath: string, status: number,
 *   requestId: string, authorization: string | undefined, headers: import('node:http').IncomingHttpHeaders,
 *   at: number, fault?: string }} RequestRecord
 */

/** @returns {string} */
export const uuid = () => crypto.randomUUID()

/**
 * Reads a request body (capped at 1 MiB).
 * @param {Req} req
 * @returns {Promise<string>}
 */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length
      if (size > 1 << 20) {
        reject(new Error('body too large'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * Writes a complete response and records its status.
 * @param {Res} res
 * @param {number} status
 * @param {Record<string, string | number>} headers
 * @param {string | Buffer} [body]
 */
export function send(res, status, headers, body = '') {
  if (res.headersSent || res.destroyed) return
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
  const rec = /** @type {RequestRecord | undefined} */ (/** @type {any} */ (res).emuRecord)
  if (rec) rec.status = status
  res.writeHead(status, { ...headers, 'Content-Length': buf.length })
  res.end(buf)
}

/**
 * @param {Res} res
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string | number>} [headers]
 */
export function sendJson(res, status, value, headers = {}) {
  send(res, status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value))
}

/**
 * Lower-cased host name of a Host header (port and IPv6 brackets removed).
 * @param {string | undefined} host
 * @returns {string}
 */
export function hostName(host) {
  if (!host) return ''
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(host)
  if (m) return m[1].toLowerCase()
  return host.replace(/:\d+$/, '').toLowerCase()
}

/** Host names the emulator answers to through its proxy (always on port 443 there). */
export const NAMED_HOSTS = new Set([
  'media.global.test',
  'acct1.restv2.emu.media.test',
  'login.emu.test',
  'evil.example.test',
  'token.actions.emu.test'
])

/**
 * `https://host[:port]` as the client addressed us: the Host header, without a port for proxied names.
 * @param {string | undefined} host
 * @param {string} fallback
 * @returns {string}
 */
export function originOf(host, fallback) {
  if (!host) return `https://${fallback}`
  const name = hostName(host)
  return NAMED_HOSTS.has(name) ? `https://${name}` : `https://${host}`
}

/**
 * Seeded PRNG (mulberry32): returns floats in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Percent-decodes, keeping the raw text when it is not valid percent-encoding.
 * @param {string} s
 * @returns {string}
 */
export function safeDecode(s) {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * Entra-shaped error body.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} error
 * @param {number} code AADSTS number
 * @param {string} text
 * @param {import('node:http').IncomingMessage} req
 */
export function entraError(res, status, error, code, text, req) {
  const traceId = uuid()
  const correlationId = String(req.headers['client-request-id'] || uuid())
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  sendJson(
    res,
    status,
    {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.emu.test/error?code=${code}`
    },
    { 'Cache-Control': 'no-store, no-cache', 'x-ms-request-id': traceId }
  )
}

/**
 * Listens on 127.0.0.1: the given port, or a free one (0). Resolves with the port; a port that another process
 * holds rejects with an Error that says so in one line (code EADDRINUSE, `port` set), for the CLI to print.
 * @param {import('node:net').Server} server
 * @param {number} [port]
 * @returns {Promise<number>}
 */
export function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    const failed = (/** @type {NodeJS.ErrnoException} */ err) => {
      if (err.code !== 'EADDRINUSE') return reject(err)
      reject(Object.assign(new Error(`port ${port} is in use`), { code: err.code, port }))
    }
    server.once('error', failed)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed)
      const addr = server.address()
      resolve(addr && typeof addr === 'object' ? addr.port : 0)
    })
  })
}

/**
 * Closes these servers; resolves once every one has stopped listening.
 * @param {import('node:net').Server[]} servers
 */
export function closeAll(servers) {
  return Promise.all(servers.map(s => new Promise(resolve => s.close(() => resolve(undefined)))))
}
