// @ts-check
/**
 * A tiny HTTP CONNECT proxy that maps the emulator's test host names to its loopback listeners.
 * Other targets are refused with 403. Test-only code.
 */
import http from 'node:http'
import net from 'node:net'

/**
 * @typedef {{ server: http.Server, connects: Record<string, number>, log: { target: string, allowed: boolean, at: number }[],
 *   sockets: Set<net.Socket>, port: number }} Proxy
 */

/**
 * @param {Map<string, { host: string, port: number }>} routes lower-case host name -> listener
 * @returns {Promise<Proxy>}
 */
export async function startProxy(routes) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set()
  /** @type {Record<string, number>} */
  const connects = {}
  /** @type {{ target: string, allowed: boolean, at: number }[]} */
  const log = []
  /** @param {net.Socket} s */
  const track = s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => s.destroy())
  }
  const server = http.createServer((req, res) => {
    log.push({ target: String(req.url), allowed: false, at: Date.now() })
    res.writeHead(403, { 'Content-Type': 'text/plain', Connection: 'close' })
    res.end('emulator proxy: only CONNECT to the emulator host names is allowed\n')
  })
  server.on('connection', track)
  server.on('connect', (req, clientSocket, head) => {
    const client = /** @type {net.Socket} */ (clientSocket)
    const target = String(req.url || '')
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target)
    const name = m ? m[1].toLowerCase() : ''
    const route = routes.get(name)
    const allowed = !!route && m !== null && m[2] === '443'
    log.push({ target, allowed, at: Date.now() })
    if (!route || !allowed) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
      return
    }
    connects[name] = (connects[name] ?? 0) + 1
    const upstream = net.connect(route.port, route.host)
    track(upstream)
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head && head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    upstream.on('close', () => client.destroy())
    client.on('close', () => upstream.destroy())
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const addr = server.address()
  const port = addr && typeof addr === 'object' ? addr.port : 0
  return { server, connects, log, sockets, port }
}
