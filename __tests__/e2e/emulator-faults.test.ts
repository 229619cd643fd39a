// Proves the emulator's broken-answer faults (cut, drip, stall, huge) over real TLS, on every kind of
// endpoint the action talks to, before the action is tested against them (hostile-network.test.ts).
import { beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import https from 'node:https'
import type { IncomingMessage } from 'node:http'
import { useEmulator } from './emulators.js'

const emu = useEmulator({}, 'file')
let ca: Buffer

beforeAll(() => {
  ca = fs.readFileSync(emu.caFile)
})

interface Seen {
  status: number
  declared?: number
  bytes: number
  /** How the body ended: 'end', 'cut' (closed early), or 'pending' when we stopped waiting at `waitMs`. */
  ending: 'end' | 'cut' | 'pending'
  ms: number
}

/** Reads an answer as it comes, for at most `waitMs`, and at most `maxBytes` of it. */
function observe(
  url: string,
  o: { method?: string; waitMs?: number; maxBytes?: number } = {}
): Promise<Seen> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: o.method ?? 'GET', ca, agent: false },
      (res: IncomingMessage) => {
        const seen: Seen = {
          status: res.statusCode ?? 0,
          declared: res.headers['content-length'] ? Number(res.headers['content-length']) : undefined,
          bytes: 0,
          ending: 'pending',
          ms: 0
        }
        const done = (ending: Seen['ending']): void => {
          clearTimeout(timer)
          if (seen.ms) return
          seen.ending = ending
          seen.ms = Date.now() - started
          req.destroy()
          resolve(seen)
        }
        const timer = setTimeout(() => done('pending'), o.waitMs ?? 2000)
        res.on('data', (c: Buffer) => {
          seen.bytes += c.length
          if (seen.bytes >= (o.maxBytes ?? Infinity)) done('pending')
        })
        res.on('end', () => done('end'))
        res.on('error', () => done('cut'))
        res.on('close', () => done(res.complete ? 'end' : 'cut'))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

const login = (path: string): string => `${emu.urls.authority}${path}`
const token = (): string => login(`/${emu.tenantId}/oauth2/v2.0/token`)
const oidc = (): string => emu.urls.oidcRequestUrl
const account = (path: string): string => `${emu.urls.account}${path}`
const lastFault = (): string | undefined => emu.requests.at(-1)?.fault

describe('emulator faults that break an answer mid-way', () => {
  it("cut: the token service's headers and half its body, then the connection closes", async () => {
    emu.injectFaults([{ kind: 'cut', server: 'login', path: '/oauth2/v2.0/token' }])
    const seen = await observe(token(), { method: 'POST' })
    expect(seen.ending).toBe('cut')
    expect(seen.declared).toBeGreaterThan(0)
    expect(seen.bytes).toBeLessThan(seen.declared!)
    expect(lastFault()).toBe('cut')
  })

  it("drip: GitHub's OIDC answer comes one byte at a time, complete in the end", async () => {
    emu.injectFaults([
      { kind: 'drip', server: 'login', path: '/github/idtoken', delayMs: 20, body: '{"value":"x"}' }
    ])
    const seen = await observe(oidc())
    expect(seen).toMatchObject({ ending: 'end', declared: 13, bytes: 13 })
    expect(seen.ms).toBeGreaterThanOrEqual(12 * 20)
  })

  it('stall: CancelJob sends headers promising a body that never comes (a 204 becomes a 200 for it)', async () => {
    emu.injectFaults([{ kind: 'stall', path: 'CancelJob' }])
    const seen = await observe(account("CancelJob?jobid='x'"), { waitMs: 500 })
    expect(seen).toMatchObject({ ending: 'pending', bytes: 0 })
    expect(seen.declared).toBeGreaterThan(0)
    expect(lastFault()).toBe('stall')
  })

  it('huge: a Jobs answer of 512 MiB, declared or streamed without a length', async () => {
    emu.injectFaults([
      { kind: 'huge', path: 'Jobs()', sizeMiB: 512 },
      { kind: 'huge', path: 'Jobs()', sizeMiB: 512, declareLength: false }
    ])
    const declared = await observe(account('Jobs()'), { maxBytes: 1024 * 1024 })
    expect(declared).toMatchObject({ status: 200, declared: 512 * 1024 * 1024, ending: 'pending' })
    const streamed = await observe(account('Jobs()'), { maxBytes: 20 * 1024 * 1024, waitMs: 20_000 })
    expect(streamed.declared).toBeUndefined()
    expect(streamed.bytes).toBeGreaterThanOrEqual(20 * 1024 * 1024)
  })

  it('every kind can be aimed at Tasks and at the global endpoint too', async () => {
    emu.injectFaults([
      { kind: 'cut', path: '/Tasks' },
      { kind: 'stall', server: 'global' }
    ])
    expect((await observe(account("Jobs('x')/Tasks"))).ending).toBe('cut')
    expect((await observe(emu.urls.global, { waitMs: 300 })).ending).toBe('pending')
  })
})
