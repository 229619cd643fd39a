// @ts-check
/**
 * Scripted and random faults for the emulator: status codes, connection resets, slow and hanging
 * answers, HTML gateway pages and garbage bodies, and broken bodies (cut, dripping, stalled, huge).
 * Test-only code.
 */
import { send, prng, safeDecode } from './util.js'

/**
 * @typedef {'global' | 'account' | 'login' | 'evil' | 'any'} FaultServer
 * @typedef {'status' | 'reset' | 'slow' | 'html' | 'garbage' | 'hang' | 'cut' | 'drip' | 'stall' | 'huge'} FaultKind
 * @typedef {{ server?: FaultServer, path?: string | RegExp, times?: number, kind: FaultKind, status?: number,
 *   headers?: Record<string, string>, body?: string, delayMs?: number, bytes?: number, sizeMiB?: number,
 *   declareLength?: boolean }} Fault
 */

const KINDS = ['status', 'reset', 'slow', 'html', 'garbage', 'hang', 'cut', 'drip', 'stall', 'huge']

const REASONS = /** @type {Record<number, string>} */ ({
  408: 'The request timed out.',
  429: 'Too many requests. Please retry later.',
  500: 'An internal server error occurred.',
  502: 'Bad gateway.',
  503: 'Server is busy.',
  504: 'Gateway timeout.'
})

/** @param {number} status */
const gatewayPage = status =>
  `<!DOCTYPE html><html><head><title>${status} - Web server received an invalid response while acting as a gateway or proxy server.</title></head>` +
  `<body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>${status} - Web server received an invalid response while acting as a gateway or proxy server.</h2>` +
  '<h3>There is a problem with the page you are looking for, and it cannot be displayed.</h3></div></body></html>'

export class Faults {
  /**
   * @param {number} randomRate
   * @param {number} seed
   */
  constructor(randomRate, seed) {
    /** @type {(Fault & { left: number })[]} */
    this.queue = []
    this.randomRate = randomRate
    this.random = prng(seed)
    /** @type {Set<NodeJS.Timeout>} */
    this.timers = new Set()
  }

  /** @param {Fault[]} faults */
  inject(faults) {
    for (const f of faults) {
      if (!f || !KINDS.includes(f.kind)) {
        throw new Error(`unknown fault kind ${f && f.kind}`)
      }
      this.queue.push({ ...f, left: f.times ?? 1 })
    }
  }

  /**
   * The fault for this request, if any: scripted ones first (consumed in order), then random ones.
   * @param {string} server
   * @param {string} rawPath
   * @param {boolean} tokenRequest
   * @returns {Fault | null}
   */
  take(server, rawPath, tokenRequest) {
    const decoded = safeDecode(rawPath)
    const i = this.queue.findIndex(f => {
      const where = f.server ?? 'account'
      if (where !== 'any' && where !== server) return false
      if (f.path === undefined) return true
      if (f.path instanceof RegExp) return f.path.test(rawPath) || f.path.test(decoded)
      return rawPath.includes(f.path) || decoded.includes(f.path)
    })
    if (i >= 0) {
      const f = this.queue[i]
      f.left -= 1
      if (f.left <= 0) this.queue.splice(i, 1)
      return f
    }
    if (this.randomRate <= 0) return null
    const rate = server === 'account' ? this.randomRate : tokenRequest ? this.randomRate / 2 : 0
    if (rate <= 0 || this.random() >= rate) return null
    const pick = Math.floor(this.random() * 6)
    /** @type {Fault[]} */
    const menu = [
      { kind: 'status', status: 503, headers: this.random() < 0.5 ? { 'Retry-After': '1' } : {} },
      { kind: 'status', status: 429, headers: this.random() < 0.5 ? { 'Retry-After': '1' } : {} },
      { kind: 'status', status: 500 },
      { kind: 'html', status: 502 },
      { kind: 'reset' },
      { kind: 'garbage' }
    ]
    return menu[pick]
  }

  /**
   * Applies a fault. `proceed` answers the request normally (used by 'slow').
   * @param {Fault} f
   * @param {string} server
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {() => void} proceed
   */
  apply(f, server, req, res, proceed) {
    const rec = /** @type {any} */ (res).emuRecord
    if (rec) rec.fault = f.kind
    const headers = f.headers ?? {}
    switch (f.kind) {
      case 'status': {
        const status = f.status ?? 503
        const reason = REASONS[status] ?? `Error ${status}.`
        if (f.body !== undefined)
          return send(res, status, { 'Content-Type': 'application/json', ...headers }, f.body)
        if (server === 'login') {
          const code =
            status === 429 ? 'too_many_requests' : status === 503 ? 'temporarily_unavailable' : 'server_error'
          const body = { error: code, error_description: `AADSTS90033: ${reason}`, error_codes: [90033] }
          return send(
            res,
            status,
            { 'Content-Type': 'application/json; charset=utf-8', ...headers },
            JSON.stringify(body)
          )
        }
        const body = { 'odata.error': { code: '', message: { lang: 'en-US', value: reason } } }
        return send(
          res,
          status,
          { 'Content-Type': 'application/json;odata=minimalmetadata;charset=utf-8', ...headers },
          JSON.stringify(body)
        )
      }
      case 'html': {
        const status = f.status ?? 502
        return send(res, status, { 'Content-Type': 'text/html', ...headers }, f.body ?? gatewayPage(status))
      }
      case 'garbage': {
        const html = f.body === undefined && this.randomRate > 0 && this.random() < 0.5
        if (html)
          return send(res, f.status ?? 200, { 'Content-Type': 'text/html', ...headers }, gatewayPage(200))
        const body =
          f.body ?? '{"odata.metadata":"https://emu/api/$metadata#Jobs","value":[{"Id":"nb:jid:UUID:'
        return send(
          res,
          f.status ?? 200,
          { 'Content-Type': 'application/json;odata=minimalmetadata;charset=utf-8', ...headers },
          body
        )
      }
      case 'reset': {
        if (rec) rec.status = 0
        // Send a TCP RST when possible (the raw socket under TLS), else just drop the connection.
        const sock = req.socket
        const raw =
          /** @type {import('node:net').Socket | undefined} */ (/** @type {any} */ (sock)._parent) ?? sock
        try {
          raw.resetAndDestroy()
        } catch {
          sock.destroy()
        }
        if (!sock.destroyed) sock.destroy()
        return
      }
      case 'hang':
        if (rec) rec.status = 0
        return
      case 'cut':
      case 'drip':
      case 'stall':
        // The real answer (or `body`), then broken on its way out.
        return capture(res, proceed, (status, head, real) => {
          const body = f.body !== undefined ? Buffer.from(f.body, 'utf8') : real
          this.broken(f, res, status, { ...head, ...headers }, body)
        })
      case 'huge':
        return this.huge(f, res, headers)
      case 'slow': {
        const t = setTimeout(() => {
          this.timers.delete(t)
          proceed()
        }, f.delayMs ?? 2000)
        this.timers.add(t)
        return
      }
    }
  }

  /**
   * `cut`: headers and the first `bytes` of the body (default: half), then the connection closes.
   * `drip`: the whole body, one byte every `delayMs` (default 1000). `stall`: headers, then nothing.
   * @param {Fault} f
   * @param {import('node:http').ServerResponse} res
   * @param {number} status
   * @param {Record<string, string | number | string[]>} headers
   * @param {Buffer} body
   */
  broken(f, res, status, headers, body) {
    // Something must be missing for a cut or a stall to be one, even after an empty answer (a 204).
    const empty = body.length === 0 || status === 204 || status === 304
    const full = empty
      ? Buffer.from('{"odata.metadata":"https://emu/api/$metadata","value":[]}', 'utf8')
      : body
    const code = empty && status < 300 ? 200 : status
    const rec = /** @type {any} */ (res).emuRecord
    if (rec) rec.status = code
    res.writeHead(code, { ...headers, 'Content-Length': full.length })
    res.flushHeaders()
    if (f.kind === 'stall') return
    if (f.kind === 'cut') {
      res.write(full.subarray(0, Math.min(f.bytes ?? Math.floor(full.length / 2), full.length - 1)))
      const t = setTimeout(() => {
        this.timers.delete(t)
        res.destroy()
      }, 50)
      this.timers.add(t)
      return
    }
    let at = 0
    const t = setInterval(() => {
      if (res.destroyed || at >= full.length) {
        clearInterval(t)
        this.timers.delete(t)
        if (!res.destroyed) res.end()
        return
      }
      res.write(full.subarray(at, at + 1))
      at += 1
    }, f.delayMs ?? 1000)
    this.timers.add(t)
  }

  /**
   * A 200 of `sizeMiB` (default 512) MiB of JSON-looking bytes, streamed in 64 KiB pieces as the client
   * reads them: never built in memory. `declareLength: false` sends it without a Content-Length.
   * @param {Fault} f
   * @param {import('node:http').ServerResponse} res
   * @param {Record<string, string>} headers
   */
  huge(f, res, headers) {
    const rec = /** @type {any} */ (res).emuRecord
    if (rec) rec.status = f.status ?? 200
    const total = Math.round((f.sizeMiB ?? 512) * 1024 * 1024)
    const head = Buffer.from('{"odata.metadata":"https://emu/api/$metadata#Jobs","value":[', 'utf8')
    const piece = Buffer.alloc(64 * 1024, 0x20)
    /** @type {Record<string, string | number>} */
    const h = { 'Content-Type': 'application/json;odata=minimalmetadata;charset=utf-8', ...headers }
    if (f.declareLength !== false) h['Content-Length'] = total
    res.writeHead(f.status ?? 200, h)
    res.write(head)
    let sent = head.length
    const pump = () => {
      while (!res.destroyed && sent < total) {
        const n = Math.min(piece.length, total - sent)
        sent += n
        if (!res.write(n === piece.length ? piece : piece.subarray(0, n))) return void res.once('drain', pump)
      }
      if (!res.destroyed) res.end()
    }
    pump()
  }

  close() {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

/**
 * Lets `proceed` answer into a capture instead of the socket, then hands the answer to `then`.
 * @param {import('node:http').ServerResponse} res
 * @param {() => void} proceed
 * @param {(status: number, headers: Record<string, string | number | string[]>, body: Buffer) => void} then
 */
function capture(res, proceed, then) {
  const writeHead = res.writeHead
  const end = res.end
  let status = 200
  /** @type {Record<string, string | number | string[]>} */
  let head = {}
  const r = /** @type {any} */ (res)
  r.writeHead = (/** @type {number} */ s, /** @type {any} */ h) => {
    status = s
    head = { ...(h ?? {}) }
    delete head['Content-Length']
    delete head['content-length']
    return res
  }
  r.end = (/** @type {any} */ body) => {
    r.writeHead = writeHead
    r.end = end
    then(status, head, Buffer.isBuffer(body) ? body : Buffer.from(body ?? '', 'utf8'))
    return res
  }
  proceed()
}
