import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import {
  CONCURRENT_JOBS_QUERIES,
  JOBS_PER_REQUEST,
  MediaServicesClient
} from '../../../../src/jobs/v2/client.js'
import { baseFromLocation, cancelJobPath, jobsQuery, tasksPath } from '../../../../src/jobs/v2/paths.js'
import { OutOfTime, ServiceError, UserError } from '../../../../src/errors.js'
import { fakeClock } from '../../../../__fixtures__/clock.js'
import { FakeHttp, type Reply, jsonReply, redirect, reply } from '../../../../__fixtures__/http.js'
import { JOB_A, JOB_B } from '../../../../__fixtures__/inputs.js'
import { jobEntity, minimalBody, taskEntity } from '../../../../__fixtures__/jobs.js'
import { collectingLogger } from '../../../../__fixtures__/logger.js'
import type { CallOptions } from '../../../../src/transport/call.js'
import type { HttpResponse } from '../../../../src/transport/http.js'
import { isTrustedHost, tokenRefusal } from '../../../../src/transport/trust.js'
import { failure } from '../../../../__fixtures__/failure.js'
import { FakeTokens } from '../../../../__fixtures__/tokens.js'
import { HOSTILE, BREAKS } from '../../../../__fixtures__/hostile.js'
import type { TokenSource } from '../../../../src/auth/token-source.js'

const GLOBAL = 'https://media.windows.net/api/'
const ACCOUNT = 'https://acct.restv2.westeurope.media.azure.net/api/'
const DEFAULT_TRUSTED = ['media.windows.net', '.media.azure.net', '.media.windows.net']

/** The URL the client sends for `relative` under an API root (WHATWG URL encodes ' in queries). */
const url = (root: string, relative: string): string => new URL(relative, root).href

function jobsReply(...states: [string, 'Processing' | 'Finished'][]): Reply {
  return jsonReply(200, JSON.parse(minimalBody(states.map(([id, s]) => jobEntity(id, s)))))
}

function setup(
  script: Reply[],
  o: {
    apiUrl?: string
    trustedHosts?: string[]
    tokens?: FakeTokens
    fallback?: Reply
    timeoutMs?: number
  } = {}
) {
  const http = new FakeHttp(script, o.fallback)
  const clock = fakeClock()
  const tokens = o.tokens ?? new FakeTokens()
  const log = collectingLogger()
  const client = new MediaServicesClient({
    apiUrl: new URL(o.apiUrl ?? GLOBAL),
    mediaResource: 'https://rest.media.azure.net',
    msVersion: '2.19',
    trustedHosts: o.trustedHosts ?? DEFAULT_TRUSTED,
    http,
    tokens,
    log,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5
  })
  const call: CallOptions = { retryUntil: clock.now() + (o.timeoutMs ?? 600_000) }
  return { http, clock, tokens, log, client, call }
}

describe('every request carries the Media Services v2 headers', () => {
  it('on the Jobs query and on the Tasks read alike', async () => {
    const { http, client, call } = setup([
      jobsReply([JOB_A, 'Processing']),
      jsonReply(200, JSON.parse(minimalBody([taskEntity(40)], 'Tasks')))
    ])
    await client.getJobs([JOB_A], call)
    await client.getTasks(JOB_A, call)
    expect(http.requests).toHaveLength(2)
    for (const r of http.requests) {
      expect(r.method).toBe('GET')
      expect(r.headers).toEqual({
        Authorization: 'Bearer tok-1',
        'x-ms-version': '2.19',
        Accept: 'application/json',
        'Accept-Charset': 'UTF-8',
        DataServiceVersion: '3.0',
        MaxDataServiceVersion: '3.0'
      })
    }
    expect(client.requests).toBe(2)
  })
})

describe('URLs', () => {
  it('jobsQuery filters by Id, URL-encoded, with single quotes doubled', () => {
    expect(jobsQuery([JOB_A])).toBe(
      `Jobs()?$filter=Id%20eq%20'nb%3Ajid%3AUUID%3A1f3c9a2e-0000-4000-8000-00000000000a'&$top=1`
    )
    expect(jobsQuery(["o'brien", 'a&b=c'])).toBe(
      `Jobs()?$filter=Id%20eq%20'o''brien'%20or%20Id%20eq%20'a%26b%3Dc'&$top=2`
    )
  })

  it('tasksPath and cancelJobPath quote the id the same way', () => {
    expect(tasksPath(JOB_A)).toBe(`Jobs('nb%3Ajid%3AUUID%3A1f3c9a2e-0000-4000-8000-00000000000a')/Tasks`)
    expect(cancelJobPath(JOB_A)).toBe(
      `CancelJob?jobid='nb%3Ajid%3AUUID%3A1f3c9a2e-0000-4000-8000-00000000000a'`
    )
  })

  it(`45 jobs are asked for in batches of ${JOBS_PER_REQUEST}: 3 requests`, async () => {
    const ids = Array.from(
      { length: 45 },
      (_, i) => `nb:jid:UUID:1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`
    )
    const answer: Reply = req => {
      const asked = ids.filter(id => req.url.includes(encodeURIComponent(id)))
      return jsonReply(200, { value: asked.map(id => jobEntity(id, 'Processing')) })
    }
    const { http, client, call } = setup([], { fallback: answer })
    const jobs = await client.getJobs(ids, call)
    expect(http.requests).toHaveLength(3)
    expect(http.requests.map(r => /\$top=(\d+)/.exec(r.url)?.[1])).toEqual(['20', '20', '5'])
    expect(jobs.map(j => j.id)).toEqual(ids)
  })

  it(`1000 jobs: 50 Jobs queries, at most ${CONCURRENT_JOBS_QUERIES} in flight at once, answers in input order`, async () => {
    const ids = Array.from(
      { length: 1000 },
      (_, i) => `nb:jid:UUID:1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`
    )
    const { http, client, call } = setup([])
    let inFlight = 0
    let most = 0
    let asked = 0
    http.request = async (_method, url) => {
      inFlight++
      most = Math.max(most, inFlight)
      // Later batches answer sooner, so the order of answers is not the order of questions.
      await new Promise(resolve => setTimeout(resolve, 50 - (asked++ % 5) * 10))
      inFlight--
      const batch = ids.filter(id => url.includes(encodeURIComponent(id)))
      return jsonReply(200, { value: batch.map(id => jobEntity(id, 'Processing')) })
    }
    const jobs = await client.getJobs(ids, call)
    expect(client.requests).toBe(50)
    expect(most).toBe(CONCURRENT_JOBS_QUERIES)
    expect(jobs.map(j => j.id)).toEqual(ids)
  })

  it('for any ids, decoding $filter and un-doubling quotes gives the ids back (property-based)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 20 }), {
          minLength: 1,
          maxLength: 5
        }),
        ids => {
          const q = jobsQuery(ids)
          const m = /^Jobs\(\)\?\$filter=([^&]*)&\$top=(\d+)$/.exec(q)
          expect(m).not.toBeNull()
          expect(Number(m![2])).toBe(ids.length)
          const filter = decodeURIComponent(m![1])
          const literal = /Id eq '((?:[^']|'')*)'(?!')( or |$)/y
          const decoded: string[] = []
          for (let at = 0; at < filter.length; at = literal.lastIndex) {
            literal.lastIndex = at
            const lit = literal.exec(filter)
            expect(lit).not.toBeNull()
            decoded.push(lit![1].replace(/''/g, "'"))
          }
          expect(decoded).toEqual(ids)
        }
      )
    )
  })
})

describe('redirects: the token only goes where we allow', () => {
  it('a 301 from the global host to the account root is followed, and later calls go straight there', async () => {
    const { http, client, call, log } = setup([
      redirect(ACCOUNT),
      jobsReply([JOB_A, 'Processing']),
      jsonReply(200, { value: [taskEntity(10)] })
    ])
    const jobs = await client.getJobs([JOB_A], call)
    expect(jobs.map(j => j.state)).toEqual(['Processing'])
    expect(client.apiRoot).toBe(ACCOUNT)
    await client.getTasks(JOB_A, call)
    expect(http.requests.map(r => r.url)).toEqual([
      url(GLOBAL, jobsQuery([JOB_A])),
      url(ACCOUNT, jobsQuery([JOB_A])),
      url(ACCOUNT, tasksPath(JOB_A))
    ])
    expect(log.shown()).toContain(
      `Media Services redirected to ${ACCOUNT}; later requests go there directly.`
    )
  })

  it('a Location with the full resource URL gives the same API root', async () => {
    const { http, client, call } = setup([
      redirect(ACCOUNT + jobsQuery([JOB_A])),
      jobsReply([JOB_A, 'Finished'])
    ])
    await client.getJobs([JOB_A], call)
    expect(client.apiRoot).toBe(ACCOUNT)
    expect(http.requests[1].url).toBe(url(ACCOUNT, jobsQuery([JOB_A])))
  })

  it.each([301, 302, 307, 308])('a %d is followed the same way', async status => {
    const { client, call } = setup([redirect(ACCOUNT, status), jobsReply([JOB_A, 'Finished'])])
    await client.getJobs([JOB_A], call)
    expect(client.apiRoot).toBe(ACCOUNT)
  })

  it('a relative Location is resolved against the request', async () => {
    const { http, client, call } = setup([redirect('/accounts/acct/api/'), jobsReply([JOB_A, 'Finished'])])
    await client.getJobs([JOB_A], call)
    expect(client.apiRoot).toBe('https://media.windows.net/accounts/acct/api/')
    expect(http.hosts()).toEqual(['media.windows.net', 'media.windows.net'])
  })

  it('a redirect to an untrusted host is refused before the token is sent there', async () => {
    const { http, client, call } = setup([redirect('https://evil.example.com/api/')], {
      fallback: jobsReply([JOB_A, 'Finished'])
    })
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect((e as UserError).input).toBe('trusted-hosts')
    expect(e.message).toMatch(/evil\.example\.com/)
    expect(e.message).toMatch(/trusted-hosts/)
    expect(http.hosts()).toEqual(['media.windows.net'])
    expect(client.apiRoot).toBe(GLOBAL)
  })

  it('a redirect to a host added to trusted-hosts is followed', async () => {
    const { http, client, call } = setup(
      [redirect('https://ams.contoso.example/api/'), jobsReply([JOB_A, 'Finished'])],
      {
        trustedHosts: [...DEFAULT_TRUSTED, 'ams.contoso.example']
      }
    )
    await client.getJobs([JOB_A], call)
    expect(http.hosts()).toEqual(['media.windows.net', 'ams.contoso.example'])
  })

  it('a redirect to plain http is refused, even to a trusted host', async () => {
    const { http, client, call } = setup([redirect('http://acct.restv2.westeurope.media.azure.net/api/')])
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(/only sent over https/)
    expect(http.requests).toHaveLength(1)
  })

  it('more than 5 redirects fail, and are not retried', async () => {
    const { http, client, call, clock } = setup([], { fallback: redirect(ACCOUNT) })
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(ServiceError)
    expect(e.message).toMatch(/redirected more than 5 times/)
    expect(http.requests).toHaveLength(6)
    expect(clock.sleeps).toEqual([])
  })

  it('a redirect without Location is a ServiceError', async () => {
    const { client, call } = setup([reply(301)])
    await expect(client.getJobs([JOB_A], call)).rejects.toThrow(/301 without a Location header/)
  })
})

describe('tokenRefusal: one rule for where the token may go, v2 and v3 alike', () => {
  const trusted = ['acct.restv2.westeurope.media.azure.net', '127.0.0.1:8443', '.media.azure.net']
  it.each<[string, string, string, ReturnType<typeof tokenRefusal>]>([
    [
      'a trusted host over https',
      'https://acct.restv2.westeurope.media.azure.net/api/',
      'https://media.windows.net/api/',
      undefined
    ],
    [
      'a trusted domain over https',
      'https://other.restv2.eastus.media.azure.net/api/',
      'https://media.windows.net/api/',
      undefined
    ],
    [
      'plain http to a trusted host',
      'http://acct.restv2.westeurope.media.azure.net/api/',
      'https://media.windows.net/api/',
      'not-https'
    ],
    [
      'plain http to loopback after https',
      'http://127.0.0.1:8443/api/',
      'https://127.0.0.1:8443/api/',
      'not-https'
    ],
    [
      'plain http to loopback when the first URL was too',
      'http://127.0.0.1:8443/api/',
      'http://127.0.0.1:8443/api/',
      undefined
    ],
    [
      'the same host on another port',
      'https://127.0.0.1:9443/api/',
      'https://127.0.0.1:8443/api/',
      'untrusted'
    ],
    ['another host', 'https://evil.example.test/api/', 'https://media.windows.net/api/', 'untrusted']
  ])('%s', (_what, url, first, refusal) => {
    expect(tokenRefusal(new URL(url), new URL(first), trusted)).toBe(refusal)
  })
})

describe('isTrustedHost and baseFromLocation', () => {
  it.each([
    ['acct.restv2.westeurope.media.azure.net', true],
    ['ACCT.RESTV2.WESTEUROPE.MEDIA.AZURE.NET', true],
    ['media.azure.net', true],
    ['media.windows.net', true],
    ['evilmedia.azure.net.attacker.com', false],
    ['media.azure.net.attacker.com', false],
    ['notmedia.azure.net', false],
    ['windows.net', false],
    ['sub.media.windows.net', true],
    ['evil.example.com', false]
  ])('%s trusted: %s', (host, trusted) => {
    expect(isTrustedHost(host, ['media.windows.net', '.media.azure.net', '.media.windows.net'])).toBe(trusted)
  })

  it.each([
    ['127.0.0.1:8443', ['127.0.0.1:8443'], true],
    ['127.0.0.1:9443', ['127.0.0.1:8443'], false],
    ['127.0.0.1:8443', ['127.0.0.1'], false],
    ['127.0.0.1', ['127.0.0.1:443'], true],
    ['acct.restv2.westeurope.media.azure.net:8443', ['.media.azure.net'], false],
    ['acct.example.com:8443', ['.example.com:8443'], true]
  ])('%s with trusted %j: %s (the port counts; no port means 443)', (host, list, trusted) => {
    expect(isTrustedHost(host, list)).toBe(trusted)
  })

  it('a plain-http loopback api-url is trusted on port 80 only when it names no port', () => {
    expect(isTrustedHost(new URL('http://127.0.0.1/api/'), ['127.0.0.1:80'])).toBe(true)
    expect(isTrustedHost(new URL('http://127.0.0.1/api/'), ['127.0.0.1'])).toBe(false)
  })

  it('a redirect to the api-url host on another port is refused before the token is sent', async () => {
    const api = 'https://127.0.0.1:8443/api/'
    const { http, client, call } = setup([redirect('https://127.0.0.1:9443/api/')], {
      apiUrl: api,
      trustedHosts: ['127.0.0.1:8443', ...DEFAULT_TRUSTED],
      fallback: jobsReply([JOB_A, 'Finished'])
    })
    const e = await failure(client.getJobs([JOB_A], call))
    expect((e as UserError).input).toBe('trusted-hosts')
    expect(e.message).toContain('Refused to send the token to 127.0.0.1:9443')
    expect(http.requests).toHaveLength(1)
  })

  it('a host without a leading dot trusts that host only, not its subdomains', () => {
    expect(isTrustedHost('acct.example.com', ['acct.example.com'])).toBe(true)
    expect(isTrustedHost('x.acct.example.com', ['acct.example.com'])).toBe(false)
  })

  it('a Location that spells the job id with plain colons still gives the API root', () => {
    // ':' needs no escaping in a path, so a server may send back Jobs('nb:jid:UUID:…')/Tasks.
    const location = new URL(`${ACCOUNT}Jobs('${JOB_A}')/Tasks`)
    expect(baseFromLocation(location, tasksPath(JOB_A)).href).toBe(ACCOUNT)
  })

  it.each([
    [ACCOUNT, 'Jobs()?$filter=x', ACCOUNT],
    ['https://acct.restv2.westeurope.media.azure.net/api', 'Jobs()?$filter=x', ACCOUNT],
    [`${ACCOUNT}Jobs()?$filter=x&$top=1`, 'Jobs()?$filter=x', ACCOUNT],
    [`${ACCOUNT}jobs()`, 'Jobs()?$filter=x', ACCOUNT],
    [`${ACCOUNT}${tasksPath(JOB_A)}`, tasksPath(JOB_A), ACCOUNT],
    ['https://acct.restv2.westeurope.media.azure.net/api/#frag', 'Jobs()', ACCOUNT]
  ])('Location %s after asking for %s is API root %s', (location, relative, base) => {
    expect(baseFromLocation(new URL(location), relative).href).toBe(base)
  })
})

describe('tokens: 401 and 403', () => {
  it('a 401 gets one fresh token and the request succeeds with it', async () => {
    const { http, client, call, tokens, log } = setup([reply(401), jobsReply([JOB_A, 'Finished'])])
    await client.getJobs([JOB_A], call)
    expect(tokens.fresh).toBe(1)
    expect(http.requests.map(r => r.headers.Authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2'])
    expect(log.shown().join('\n')).toMatch(/refused the token \(401\); getting a fresh one/)
  })

  it('a second 401 tells the user to check the role assignment', async () => {
    const { http, client, call, tokens } = setup(
      [
        reply(401, '{"odata.error":{"code":"","message":{"lang":"en-US","value":"Access denied"}}}', {
          'x-ms-request-id': 'rid-401'
        })
      ],
      { fallback: reply(401) }
    )
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(/refused access \(401\) even with a fresh token/)
    expect(e.message).toMatch(/role \(e\.g\. Contributor\)/)
    expect(http.requests).toHaveLength(2)
    expect(tokens.fresh).toBe(1)
  })

  it('a 401 with a given access-token is not retried and says the token is the problem', async () => {
    const tokens = new FakeTokens(false, 'the given access-token')
    const { http, client, call } = setup([reply(401)], { tokens })
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(/for the given access-token\. It may have expired/)
    expect(http.requests).toHaveLength(1)
    expect(tokens.fresh).toBe(0)
  })

  it('a 403 fails at once with the fix, without retrying', async () => {
    const { http, client, call, clock } = setup([reply(403, '', { 'x-ms-request-id': 'rid-403' })])
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toBe(
      'Media Services denied access (403) (x-ms-request-id rid-403). Give the service principal a role (e.g. Contributor) on the Media Services account.'
    )
    expect(http.requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('a 400 about the version points at x-ms-version', async () => {
    const { client, call } = setup([
      reply(
        400,
        '{"odata.error":{"code":"","message":{"lang":"en-US","value":"Unsupported x-ms-version 2.99"}}}'
      )
    ])
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect((e as UserError).input).toBe('x-ms-version')
  })
})

describe('retries: throttling, gateway errors and resets', () => {
  it('a 503 with Retry-After: 2 is retried no sooner than 2 s later', async () => {
    const { http, client, call, clock, log } = setup([
      reply(503, 'Server is busy', { 'retry-after': '2' }),
      jobsReply([JOB_A, 'Finished'])
    ])
    await client.getJobs([JOB_A], call)
    expect(http.requests).toHaveLength(2)
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000)
    expect(log.shown().join('\n')).toMatch(/busy \(503\); retrying in 2\.0s \(attempt 2\)/)
  })

  it.each([408, 429, 500, 502, 504])('a %d is retried', async status => {
    const { http, client, call, clock } = setup([reply(status), jobsReply([JOB_A, 'Finished'])])
    await expect(client.getJobs([JOB_A], call)).resolves.toHaveLength(1)
    expect(http.requests).toHaveLength(2)
    expect(clock.sleeps).toHaveLength(1)
  })

  it('a transient transport failure (connection reset) is retried', async () => {
    const { http, client, call } = setup([
      new ServiceError('connection to media.windows.net failed (ECONNRESET)', { transient: true }),
      jobsReply([JOB_A, 'Finished'])
    ])
    await client.getJobs([JOB_A], call)
    expect(http.requests).toHaveLength(2)
  })

  it('a transport failure that needs a fix (DNS) is not retried', async () => {
    const { http, client, call } = setup([new ServiceError('host x could not be found (DNS): check the URL')])
    await expect(client.getJobs([JOB_A], call)).rejects.toThrow(/could not be found/)
    expect(http.requests).toHaveLength(1)
  })

  it('a 404 is not retried and names the status and the request id', async () => {
    const { http, client, call } = setup([
      reply(404, '{"odata.error":{"code":"","message":{"lang":"en-US","value":"Resource not found"}}}', {
        'x-ms-request-id': 'rid-404'
      })
    ])
    const e = await failure(client.getTasks(JOB_A, call))
    expect(e).toBeInstanceOf(ServiceError)
    expect((e as ServiceError).status).toBe(404)
    expect(e.message).toMatch(/HTTP 404: Resource not found \(x-ms-request-id rid-404\)/)
    expect(http.requests).toHaveLength(1)
  })

  it('a 404 for the Jobs collection points at api-url', async () => {
    const { http, client, call } = setup([reply(404, '<html><title>Not Found</title></html>')])
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(/no Jobs collection at https:\/\/.*\(404\): Not Found\. Check api-url/)
    expect(http.requests).toHaveLength(1)
  })

  it('gives up when a retry would pass the deadline, with the try count and the request id', async () => {
    const { http, client, call } = setup([], {
      fallback: reply(503, 'Server is busy', { 'x-ms-request-id': 'rid-503' }),
      timeoutMs: 5000
    })
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(ServiceError)
    expect(e).toBeInstanceOf(OutOfTime)
    expect(e.message).toMatch(/gave up after 3 tries/)
    expect(e.message).toMatch(/x-ms-request-id rid-503/)
    expect(http.requests).toHaveLength(3)
  })

  it('a 200 with an HTML body (a gateway page) is retried', async () => {
    const { http, client, call } = setup([
      reply(200, '<html><head><title>Service Unavailable</title></head></html>', {
        'content-type': 'text/html'
      }),
      jobsReply([JOB_A, 'Finished'])
    ])
    await expect(client.getJobs([JOB_A], call)).resolves.toEqual([expect.objectContaining({ id: JOB_A })])
    expect(http.requests).toHaveLength(2)
  })

  it('a 200 that is not JSON names the request id when giving up', async () => {
    const { client, call } = setup([], {
      fallback: reply(200, '<html>oops</html>', { 'x-ms-request-id': 'rid-html' }),
      timeoutMs: 2000
    })
    const e = await failure(client.getJobs([JOB_A], call))
    expect(e.message).toMatch(/an HTML page/)
    expect(e.message).toMatch(/x-ms-request-id rid-html/)
  })

  it('a canceled call stops without another request', async () => {
    const controller = new AbortController()
    controller.abort('canceled')
    const { http, client, clock } = setup([])
    await expect(
      client.getJobs([JOB_A], { retryUntil: clock.now() + 60_000, signal: controller.signal })
    ).rejects.toThrow('canceled')
    expect(http.requests).toHaveLength(0)
  })
})

describe('cancelJob', () => {
  it('asks for CancelJob on the API root in use', async () => {
    const { http, client, call } = setup([redirect(ACCOUNT), jobsReply([JOB_B, 'Processing']), reply(204)])
    await client.getJobs([JOB_B], call)
    await client.cancelJob(JOB_B, call)
    expect(http.requests[2].url).toBe(url(ACCOUNT, cancelJobPath(JOB_B)))
  })
})

describe('Retry-After holds for every kind of call, and for every call to the service after it (#27)', () => {
  type Client = MediaServicesClient
  const calls = {
    jobs: (c: Client, call: CallOptions) => c.getJobs([JOB_A], call),
    tasks: (c: Client, call: CallOptions) => c.getTasks(JOB_A, call),
    assets: (c: Client, call: CallOptions) => c.readOutputAssets(JOB_A, call),
    cancel: (c: Client, call: CallOptions) => c.cancelJob(JOB_A, call)
  }
  const answers: Record<keyof typeof calls, () => Reply> = {
    jobs: () => jobsReply([JOB_A, 'Finished']),
    tasks: () => jsonReply(200, { value: [taskEntity(50)] }),
    assets: () => jsonReply(200, { value: [] }),
    cancel: () => reply(204)
  }
  const kinds = Object.keys(calls) as (keyof typeof calls)[]
  const throttled = (retryAfter: string): Reply =>
    reply(429, 'Too many requests', { 'retry-after': retryAfter })

  it.each(kinds)('%s: a 429 with Retry-After: 3 is tried again no sooner than 3 s later', async kind => {
    const sentAt: number[] = []
    let now = (): number => 0
    const stamped =
      (r: Reply): Reply =>
      () => (sentAt.push(now()), r as HttpResponse)
    const s = setup([stamped(throttled('3')), stamped(answers[kind]())])
    now = s.clock.now
    await calls[kind](s.client, s.call)
    expect(sentAt).toHaveLength(2)
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(3000)
  })

  it.each(kinds)(
    '%s after a Tasks read that was throttled and had no time to wait: sent no sooner than its Retry-After',
    async kind => {
      const sentAt: number[] = []
      let now = (): number => 0
      const stamped =
        (r: Reply): Reply =>
        () => (sentAt.push(now()), r as HttpResponse)
      const s = setup([
        stamped(jobsReply([JOB_A, 'Finished'])),
        stamped(throttled('3')),
        stamped(answers[kind]())
      ])
      now = s.clock.now
      await s.client.getJobs([JOB_A], s.call)
      // The Tasks read has one second: it is given up, not retried before the time asked for.
      const e = await failure(s.client.getTasks(JOB_A, { retryUntil: s.clock.now() + 1000 }))
      expect(e).toBeInstanceOf(OutOfTime)
      s.clock.advance(1000)
      await calls[kind](s.client, s.call)
      expect(sentAt).toHaveLength(3)
      expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(3000)
    }
  )

  it('a call whose deadline comes before the Retry-After ends is out of time at once, with no request sent', async () => {
    const s = setup([jobsReply([JOB_A, 'Processing']), throttled('30')])
    await s.client.getJobs([JOB_A], s.call)
    await failure(s.client.getTasks(JOB_A, { retryUntil: s.clock.now() + 1000 }))
    const e = await failure(s.client.getJobs([JOB_A], { retryUntil: s.clock.now() + 5000 }))
    expect(e).toBeInstanceOf(OutOfTime)
    expect(e.message).toMatch(/^Media Services asked for no request for 30s more \(Retry-After\)/)
    expect(s.http.requests).toHaveLength(2)
  })
})

describe('Media Services errors quote the service as one bounded line', () => {
  class StaticTokens implements TokenSource {
    readonly canRefresh = false
    readonly description = 'the given access-token'
    async getToken(): Promise<string> {
      return 'tok'
    }
  }

  function hostileClient(script: Reply[]) {
    const clock = fakeClock()
    const log = collectingLogger()
    const c = new MediaServicesClient({
      apiUrl: new URL(ACCOUNT),
      mediaResource: 'https://rest.media.azure.net',
      msVersion: '2.19',
      trustedHosts: ['.media.azure.net'],
      http: new FakeHttp(script),
      tokens: new StaticTokens(),
      log,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    })
    const call: CallOptions = { retryUntil: clock.now() + 600_000 }
    return { c, log, call }
  }

  it('an OData error body on a 503 is retried; the retry line has no line break', async () => {
    const body = { 'odata.error': { code: '', message: { value: `Busy${HOSTILE}${'z'.repeat(9000)}` } } }
    const { c, log, call } = hostileClient([
      jsonReply(503, body, { 'x-ms-request-id': 'rid\u001b[2J-1' }),
      reply(200, '{"value":[]}')
    ])
    await c.getJobs([JOB_A], call)
    const [line] = log.shown()
    expect(line).toMatch(/^Media Services: GET Jobs\(\) answered busy \(503\): Busy ::stop-commands::pause/)
    expect(line).not.toMatch(BREAKS)
    expect(line).not.toContain('\u001b')
    expect(line).toContain('(x-ms-request-id rid-1)')
    expect(line.length).toBeLessThan(1200)
  })

  it("a gateway's HTML title on a 403 is the UserError's one line", async () => {
    const title = 'Denied\n::stop-commands::pause\r::add-mask::x\u001b[31m # heading'
    const { c, call } = hostileClient([reply(403, `<html><title>${title}</title></html>`)])
    const e = await failure(c.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(
      /^Media Services denied access \(403\): Denied ::stop-commands::pause ::add-mask::x # heading\. Give/
    )
    expect(e.message).not.toMatch(BREAKS)
  })
})
