import { describe, it, expect, afterEach } from '@jest/globals'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runInThisContext } from 'node:vm'
import { AbortedError, ServiceError } from '../../../src/errors.js'
import {
  createHttp,
  header,
  type Http,
  raceAbort,
  retryAfterMs,
  safeHost
} from '../../../src/transport/http.js'
import { reply } from '../../../__fixtures__/http.js'

describe('retryAfterMs: how long the service asked us to wait', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')

  it.each([
    ['2', 2000],
    [' 120 ', 120_000],
    ['0', 0],
    ['1.5', 1500]
  ])('delta-seconds %j is %d ms', (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms)
  })

  it('an HTTP date is the time until then', () => {
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000)
  })

  it('an HTTP date in the past is no wait', () => {
    expect(retryAfterMs('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0)
  })

  it.each([undefined, '', 'soon', 'NaN'])('%j is no answer', value => {
    expect(retryAfterMs(value, now)).toBeUndefined()
  })
})

describe('raceAbort: a request the runner can cancel', () => {
  it('gives the result when nothing aborts', async () => {
    await expect(raceAbort(Promise.resolve(42), new AbortController().signal)).resolves.toBe(42)
  })

  it("passes the request's own failure through", async () => {
    await expect(raceAbort(Promise.reject(new Error('reset')), new AbortController().signal)).rejects.toThrow(
      'reset'
    )
  })

  it('rejects with AbortedError(canceled) as soon as the runner cancels, without waiting for the request', async () => {
    const controller = new AbortController()
    const never = new Promise<number>(() => undefined)
    const raced = raceAbort(never, controller.signal)
    controller.abort('canceled')
    const error = await raced.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortedError)
    expect((error as AbortedError).reason).toBe('canceled')
  })

  it('says timeout when the signal was aborted by the timeout', async () => {
    const controller = new AbortController()
    controller.abort('timeout')
    const error = await raceAbort(Promise.resolve(1), controller.signal).catch((e: unknown) => e)
    expect(error).toEqual(new AbortedError('timeout'))
    expect((error as Error).message).toBe('timed out')
  })

  it('an abort after the result arrived changes nothing', async () => {
    const controller = new AbortController()
    const result = await raceAbort(Promise.resolve('done'), controller.signal)
    controller.abort('canceled')
    expect(result).toBe('done')
  })
})

describe('header and safeHost', () => {
  it('reads a header case-insensitively, the first of several', () => {
    const res = {
      ...reply(200, '', { 'x-ms-request-id': 'abc' }),
      headers: { 'x-ms-request-id': 'abc', 'set-cookie': ['a', 'b'] }
    }
    expect(header(res, 'X-Ms-Request-Id')).toBe('abc')
    expect(header(res, 'Set-Cookie')).toBe('a')
    expect(header(res, 'location')).toBeUndefined()
  })

  it('names the host of a URL, or "the server"', () => {
    expect(safeHost('https://acct.restv2.westeurope.media.azure.net:443/api/Jobs')).toBe(
      'acct.restv2.westeurope.media.azure.net'
    )
    expect(safeHost('https://127.0.0.1:8443/x')).toBe('127.0.0.1:8443')
    expect(safeHost('not a url')).toBe('the server')
  })
})

describe('createHttp, against a local server', () => {
  let server: Server | undefined
  let http: Http | undefined

  afterEach(async () => {
    http?.dispose()
    if (server) {
      server.closeAllConnections()
      await new Promise(resolve => server!.close(resolve))
    }
    server = http = undefined
  })

  async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    server = createServer(handler)
    await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  it('never follows a redirect itself: the client decides where the token may go', async () => {
    const seen: string[] = []
    const base = await listen((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`)
      res.writeHead(301, { Location: 'http://evil.example.test/api/', 'x-ms-request-id': 'rid' }).end()
    })
    http = createHttp({ requestTimeoutMs: 5000 })
    const res = await http.request('GET', `${base}/api/`, { Authorization: 'Bearer tok' })
    expect(res.status).toBe(301)
    expect(header(res, 'Location')).toBe('http://evil.example.test/api/')
    expect(header(res, 'X-MS-Request-Id')).toBe('rid')
    expect(seen).toEqual(['/api/ Bearer tok'])
  })

  it('sends the body of a POST and reads the answer', async () => {
    const base = await listen((req, res) => {
      let body = ''
      req.on('data', chunk => (body += chunk))
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body }))
      )
    })
    http = createHttp({ requestTimeoutMs: 5000 })
    const res = await http.request(
      'POST',
      `${base}/token`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'a=1'
    )
    expect(JSON.parse(res.body)).toEqual({ got: 'a=1' })
  })

  it('a refused connection is a transient ServiceError naming the host', async () => {
    const base = await listen(() => undefined)
    await new Promise(resolve => server!.close(resolve))
    server = undefined
    http = createHttp({ requestTimeoutMs: 5000 })
    const e = await http.request('GET', `${base}/api/`, {}).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).transient).toBe(true)
    expect((e as Error).message).toMatch(/^connection to 127\.0\.0\.1:\d+ failed \(ECONNREFUSED\)$/)
  })

  it('a malformed HTTP response (an HPE_* parser error) is transient, like a reset connection', async () => {
    const garbler = createNetServer(socket => {
      socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n{}'))
    })
    await new Promise<void>(resolve => garbler.listen(0, '127.0.0.1', resolve))
    try {
      http = createHttp({ requestTimeoutMs: 5000 })
      const port = (garbler.address() as AddressInfo).port
      const e = await http
        .request('GET', `http://127.0.0.1:${port}/api/`, {})
        .catch((error: unknown) => error)
      expect(e).toBeInstanceOf(ServiceError)
      expect((e as ServiceError).transient).toBe(true)
      expect((e as Error).message).toMatch(
        /^127\.0\.0\.1:\d+ sent a malformed HTTP response \(HPE_[A-Z_]+\)$/
      )
    } finally {
      await new Promise(resolve => garbler.close(resolve))
    }
  })

  it('an IPv6 literal endpoint ([::1]) is reached, its brackets not taken for a host name', async () => {
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}')
    )
    const listening = await new Promise<boolean>(resolve => {
      server!.once('error', () => resolve(false))
      server!.listen(0, '::1', () => resolve(true))
    })
    if (!listening) {
      // No IPv6 loopback on this machine: the request must still not be a DNS failure for "[::1]".
      server = undefined
      http = createHttp({ requestTimeoutMs: 5000 })
      const e = await http.request('GET', 'http://[::1]:9/api/', {}).catch((error: unknown) => error)
      expect((e as Error).message).not.toMatch(/DNS/)
      return
    }
    http = createHttp({ requestTimeoutMs: 5000 })
    const res = await http.request('GET', `http://[::1]:${(server.address() as AddressInfo).port}/api/`, {})
    expect(JSON.parse(res.body)).toEqual({ ok: 1 })
  })

  it('a server that does not answer in time is a transient ServiceError', async () => {
    const base = await listen(() => undefined)
    http = createHttp({ requestTimeoutMs: 150 })
    const e = await http.request('GET', `${base}/api/`, {}).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).transient).toBe(true)
    expect((e as Error).message).toMatch(/^no answer from 127\.0\.0\.1:\d+/)
  })

  it('a cancel ends a hanging request at once', async () => {
    const base = await listen(() => undefined)
    http = createHttp({ requestTimeoutMs: 30_000 })
    const controller = new AbortController()
    const pending = http.request('GET', `${base}/api/`, {}, undefined, { signal: controller.signal })
    setTimeout(() => controller.abort('canceled'), 20)
    await expect(pending).rejects.toEqual(new AbortedError('canceled'))
    await expect(
      http.request('GET', `${base}/api/`, {}, undefined, { signal: controller.signal })
    ).rejects.toBeInstanceOf(AbortedError)
  })

  describe('reading the body: every answer ends, whatever the server does', () => {
    const failure = (p: Promise<unknown>): Promise<ServiceError> =>
      p.then(
        () => {
          throw new Error('expected a failure')
        },
        (e: unknown) => e as ServiceError
      )
    const closed = (res: ServerResponse): Promise<void> =>
      new Promise(resolve => res.on('close', () => resolve()))

    it('a body cut before its end is a transient failure, not a hang', async () => {
      const base = await listen((_req, res) => {
        res.writeHead(200, { 'content-length': 1000 }).write('{"value":[')
        setTimeout(() => res.socket?.destroy(), 20)
      })
      http = createHttp({ requestTimeoutMs: 30_000 })
      const e = await failure(http.request('GET', `${base}/api/Jobs`, {}))
      expect(e).toBeInstanceOf(ServiceError)
      expect(e.transient).toBe(true)
      expect(e.message).toMatch(/^127\.0\.0\.1:\d+ closed the connection mid-answer$/)
    })

    it('a body that drips slower than the time limit ends at the limit, and the connection is closed', async () => {
      let gone: Promise<void> | undefined
      const base = await listen((_req, res) => {
        gone = closed(res)
        res.writeHead(200, { 'content-length': 100 })
        const t = setInterval(() => res.write('x'), 20)
        res.on('close', () => clearInterval(t))
      })
      http = createHttp({ requestTimeoutMs: 300 })
      const started = Date.now()
      const e = await failure(http.request('GET', `${base}/api/Jobs`, {}))
      expect(e.transient).toBe(true)
      expect(e.message).toMatch(/^the answer from 127\.0\.0\.1:\d+ did not complete within 0\.3s$/)
      expect(Date.now() - started).toBeLessThan(5000)
      await gone
    })

    it('headers with a body that never comes end at the time limit', async () => {
      const base = await listen((_req, res) => {
        res.writeHead(200, { 'content-length': 10 }).flushHeaders()
      })
      http = createHttp({ requestTimeoutMs: 200 })
      const e = await failure(http.request('GET', `${base}/api/Jobs`, {}))
      expect(e.transient).toBe(true)
      expect(e.message).toMatch(/did not complete within/)
    })

    it("the caller's deadline bounds the exchange when it comes before the time limit", async () => {
      const base = await listen(() => undefined)
      http = createHttp({ requestTimeoutMs: 30_000 })
      const started = Date.now()
      const e = await failure(http.request('GET', `${base}/api/`, {}, undefined, { endBy: Date.now() + 200 }))
      expect(e.message).toMatch(/^no answer from/)
      expect(Date.now() - started).toBeLessThan(5000)
    })

    it('a deadline already passed makes no request at all', async () => {
      let seen = 0
      const base = await listen((_req, res) => {
        seen++
        res.end('{}')
      })
      http = createHttp({ requestTimeoutMs: 30_000 })
      const e = await failure(http.request('GET', `${base}/api/`, {}, undefined, { endBy: Date.now() - 1 }))
      expect(e.transient).toBe(true)
      expect(e.message).toMatch(/^no time left to ask 127\.0\.0\.1:\d+$/)
      expect(seen).toBe(0)
    })

    it('a cancel while the body streams ends the request and closes the connection', async () => {
      let gone: Promise<void> | undefined
      const base = await listen((_req, res) => {
        gone = closed(res)
        res.writeHead(200, { 'content-length': 100 }).write('{')
      })
      http = createHttp({ requestTimeoutMs: 30_000 })
      const controller = new AbortController()
      const pending = http.request('GET', `${base}/api/`, {}, undefined, { signal: controller.signal })
      setTimeout(() => controller.abort('canceled'), 50)
      await expect(pending).rejects.toEqual(new AbortedError('canceled'))
      await gone
    })

    it('a declared Content-Length over the cap is refused before any byte of the body is read', async () => {
      const base = await listen((_req, res) => {
        res.writeHead(200, { 'content-length': 2 * 1024 * 1024 * 1024 }).write('{')
      })
      http = createHttp({ requestTimeoutMs: 30_000, maxResponseBytes: 1024 * 1024 })
      const e = await failure(http.request('GET', `${base}/api/`, {}))
      expect(e.transient).toBe(true)
      expect(e.message).toMatch(/^the answer from 127\.0\.0\.1:\d+ is larger than 1 MiB; abandoned$/)
    })

    it('a streamed body without a length is abandoned as soon as it passes the cap', async () => {
      let sent = 0
      let gone: Promise<void> | undefined
      const base = await listen((_req, res) => {
        gone = closed(res)
        res.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        const pump = (): void => {
          while (!res.destroyed && sent < 64 * 1024 * 1024) {
            sent += chunk.length
            if (!res.write(chunk)) return void res.once('drain', pump)
          }
        }
        pump()
      })
      http = createHttp({ requestTimeoutMs: 30_000, maxResponseBytes: 1024 * 1024 })
      const e = await failure(http.request('GET', `${base}/api/`, {}))
      expect(e.message).toMatch(/is larger than 1 MiB; abandoned$/)
      await gone
      expect(sent).toBeLessThan(16 * 1024 * 1024)
    })

    it('decodes UTF-8 once, even when a character is split between chunks', async () => {
      const bytes = Buffer.from('{"Name":"Überwachung ✓"}', 'utf8')
      const base = await listen((_req, res) => {
        res.writeHead(200, { 'content-length': bytes.length })
        res.write(bytes.subarray(0, 11))
        setTimeout(() => res.end(bytes.subarray(11)), 20)
      })
      http = createHttp({ requestTimeoutMs: 30_000 })
      const res = await http.request('GET', `${base}/api/`, {})
      expect(JSON.parse(res.body)).toEqual({ Name: 'Überwachung ✓' })
    })

    it('dispose closes the kept-alive connections, so nothing holds the process open', async () => {
      let gone: Promise<void> | undefined
      const base = await listen((req, res) => {
        gone ??= new Promise(resolve => req.socket.on('close', () => resolve()))
        res.end('{}')
      })
      http = createHttp({ requestTimeoutMs: 30_000 })
      await http.request('GET', `${base}/api/`, {})
      http.dispose()
      await gone
    })
  })
})

describe('createHttp over many requests and both protocols', () => {
  const servers: (Server | HttpsServer)[] = []
  let http: Http | undefined

  afterEach(async () => {
    http?.dispose()
    http = undefined
    for (const server of servers.splice(0)) {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })

  async function start<S extends Server | HttpsServer>(server: S, scheme: string): Promise<string> {
    servers.push(server)
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  const plain = (): Promise<string> =>
    start(
      createServer((_req, res) => res.end('{}')),
      'http'
    )
  // The emulator's certificate, from a CA this process does not trust: the exchange fails at TLS, after
  // the client chose an https agent for it.
  const tls = (): Promise<string> => {
    const certs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'emulator', 'certs')
    const options = {
      key: readFileSync(join(certs, 'server-key.pem')),
      cert: readFileSync(join(certs, 'server.pem'))
    }
    return start(
      createHttpsServer(options, (_req, res) => res.end('{}')),
      'https'
    )
  }
  const tlsRefusal = /^TLS to 127\.0\.0\.1:\d+ failed \(\w+\): the certificate is not trusted$/

  it('500 requests over one kept-alive connection leave its listener counts flat, and Node warns of nothing', async () => {
    let connections = 0
    const base = await start(
      createServer((_req, res) => res.end('{}')).on('connection', () => connections++),
      'http'
    )
    const clientSockets: Socket[] = []
    const onSocket = (message: unknown): void =>
      void clientSockets.push((message as { socket: Socket }).socket)
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning)
    subscribe('net.client.socket', onSocket)
    // Node's own process, not Jest's copy of it in the test's global, on which no warning is ever emitted.
    const nodeProcess = runInThisContext('process') as NodeJS.Process
    nodeProcess.on('warning', onWarning)
    try {
      http = createHttp({ requestTimeoutMs: 5000 })
      const counts = (s: Socket): Record<string, number> =>
        Object.fromEntries(s.eventNames().map(name => [String(name), s.listenerCount(name)]))
      let afterFirst: Record<string, number> = {}
      for (let i = 0; i < 500; i++) {
        await http.request('GET', `${base}/api/Jobs`, {})
        if (i === 0) afterFirst = counts(clientSockets[0])
      }
      expect(connections).toBe(1)
      expect(clientSockets).toHaveLength(1)
      expect(afterFirst.close).toBeGreaterThan(0)
      expect(counts(clientSockets[0])).toEqual(afterFirst)
      await new Promise(resolve => setImmediate(resolve))
      expect(warnings.map(w => `${w.name}: ${w.message}`)).toEqual([])
    } finally {
      unsubscribe('net.client.socket', onSocket)
      nodeProcess.off('warning', onWarning)
    }
  })

  it('an https request and then an http one each get an agent for their own protocol', async () => {
    const secure = await tls()
    const base = await plain()
    http = createHttp({ requestTimeoutMs: 5000 })
    await expect(http.request('POST', `${secure}/tenant/oauth2/v2.0/token`, {}, 'a=1')).rejects.toThrow(
      tlsRefusal
    )
    await expect(http.request('GET', `${base}/subscriptions/x/jobs/y`, {})).resolves.toMatchObject({
      status: 200
    })
    await expect(http.request('GET', `${secure}/again`, {})).rejects.toThrow(tlsRefusal)
  })

  it('an http request and then an https one each get an agent for their own protocol', async () => {
    const base = await plain()
    const secure = await tls()
    http = createHttp({ requestTimeoutMs: 5000 })
    await expect(http.request('GET', `${base}/api/`, {})).resolves.toMatchObject({ status: 200 })
    await expect(http.request('GET', `${secure}/api/`, {})).rejects.toThrow(tlsRefusal)
    await expect(http.request('GET', `${base}/api/`, {})).resolves.toMatchObject({ status: 200 })
  })
})
