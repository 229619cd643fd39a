/**
 * One steady poll, as docs/architecture.md counts its crossings: a Processing v2 job, its Jobs query and its
 * Tasks read, the token cached, answers 200. The call stacks at the token and at the wire show which parts a
 * request passes through on its way out: the waiter, the job API's client and the guarded exchange, no adapter.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { FakeHttp, reply } from '../../../__fixtures__/http.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { jobEntity, minimalBody, taskEntity } from '../../../__fixtures__/jobs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'
import { FakeTokens } from '../../../__fixtures__/tokens.js'
import { MediaServicesClient } from '../../../src/jobs/v2/client.js'
import { waitForJobs } from '../../../src/wait/waiter.js'

const API = 'https://acct.restv2.westeurope.media.azure.net/api/'

/** The parts of src/ on a call stack, innermost first, each once in a row (the graph's nodes). */
function partsOn(stack: string): string[] {
  const parts = [...stack.matchAll(/\/src\/([^:)]+)\.ts:/g)].map(([, path]) => {
    const dirs = path.split('/').slice(0, -1)
    return dirs.length === 0 ? path : dirs.join('/')
  })
  return parts.filter((p, i) => p !== parts[i - 1])
}

async function steadyPolls(): Promise<{
  wire: string[][]
  token: string[][]
  requests: number
  polls: number
}> {
  const wire: string[][] = []
  const token: string[][] = []
  const http = new FakeHttp([], req =>
    req.url.includes('/Tasks')
      ? reply(200, minimalBody([taskEntity(40)], 'Tasks'))
      : reply(200, minimalBody([jobEntity(JOB_A, 'Processing')]))
  )
  const send = http.request.bind(http)
  http.request = (...args) => {
    wire.push(partsOn(new Error().stack!))
    return send(...args)
  }
  const tokens = new FakeTokens()
  const getToken = tokens.getToken.bind(tokens)
  tokens.getToken = fresh => {
    token.push(partsOn(new Error().stack!))
    return getToken(fresh)
  }
  const clock = fakeClock()
  const log = collectingLogger()
  const o = { http, tokens, log, now: clock.now, sleep: clock.sleep }
  const source = new MediaServicesClient({
    ...o,
    apiUrl: new URL(API),
    mediaResource: 'https://rest.media.azure.net',
    msVersion: '2.19',
    trustedHosts: [new URL(API).host]
  })
  const result = await waitForJobs({
    ids: [JOB_A],
    source,
    failOn: new Set(['Error']),
    policy: 'fixed',
    intervalMs: 10_000,
    timeoutMs: 30_000,
    now: clock.now,
    sleep: clock.sleep
  })
  return { wire, token, requests: http.requests.length, polls: result.polls }
}

describe('one steady poll (docs/architecture.md)', () => {
  it('is two requests and two token asks: the Jobs query and the Tasks read', async () => {
    const { requests, polls, token } = await steadyPolls()
    expect(requests).toBe(2 * polls)
    expect(token).toHaveLength(2 * polls)
  })

  it('goes out through the waiter, the client and the guarded exchange, and nothing between them', async () => {
    const { wire, token } = await steadyPolls()
    for (const parts of wire) {
      expect(parts[0]).toBe('jobs')
      expect(parts.every(p => ['jobs', 'jobs/v2', 'wait'].includes(p))).toBe(true)
      expect(parts.at(-1)).toBe('wait')
    }
    // The token is asked by the guarded exchange itself.
    for (const parts of token) expect(parts[0]).toBe('jobs')
  })

  it('is counted in docs/architecture.md', () => {
    const doc = readFileSync('docs/architecture.md', 'utf8')
    expect(doc).toMatch(/## One steady poll/)
    expect(doc).toMatch(/\b10 crossings\b/)
  })
})
