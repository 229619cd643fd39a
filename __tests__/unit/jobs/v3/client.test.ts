import { describe, expect, it } from '@jest/globals'
import { ServiceError, UserError } from '../../../../src/errors.js'
import type { HttpResponse } from '../../../../src/transport/http.js'
import { V3JobsClient } from '../../../../src/jobs/v3/client.js'
import { fakeClock } from '../../../../__fixtures__/clock.js'
import { FakeHttp, type Reply, jsonReply, redirect, reply } from '../../../../__fixtures__/http.js'
import { collectingLogger } from '../../../../__fixtures__/logger.js'
import type { CallOptions } from '../../../../src/transport/call.js'
import { failure } from '../../../../__fixtures__/failure.js'
import { FakeTokens } from '../../../../__fixtures__/tokens.js'
import { ARM_NOT_FOUND } from '../../../../__fixtures__/bodies.js'

const ARM = 'https://management.azure.com'
const PATH = (j: string): string =>
  `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Media/mediaServices/acct/transforms/t/jobs/${j}`
const armTarget = (j: string) => ({ id: PATH(j), url: new URL(`${ARM}${PATH(j)}?api-version=2022-07-01`) })
const MKIO = 'https://api.mk.io/api/ams/my-sub/transforms/t/jobs/'
const mkioTarget = (j: string) => ({ id: `${MKIO}${j}`, url: new URL(`${MKIO}${j}`) })

function jobBody(name: string, state: string, extra: Record<string, unknown> = {}): HttpResponse {
  return jsonReply(200, {
    name,
    id: PATH(name),
    properties: { state, outputs: [{ progress: 30 }], ...extra }
  })
}

function setup(
  script: Reply[],
  o: { arm?: boolean; targets?: { id: string; url: URL }[]; tokens?: FakeTokens; trusted?: string[] } = {}
) {
  const arm = o.arm ?? true
  const targets = o.targets ?? [armTarget('job1')]
  const http = new FakeHttp(script)
  const clock = fakeClock()
  const tokens = o.tokens ?? new FakeTokens(arm)
  const log = collectingLogger()
  const client = new V3JobsClient({
    targets,
    arm,
    trustedHosts: o.trusted ?? [targets[0].url.hostname],
    http,
    tokens,
    log,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5
  })
  const call: CallOptions = { retryUntil: clock.now() + 600_000 }
  return { http, clock, tokens, log, client, call }
}

describe("a 404's own words", () => {
  it('are kept, neutralised, for the job it was about, and forgotten once the job is returned', async () => {
    const hostile = jsonReply(404, { error: { code: 'NotFound', message: 'gone\n::error::x' } })
    const { client, call } = setup([
      reply(404, ARM_NOT_FOUND, { 'content-type': 'application/json; charset=utf-8' }),
      hostile,
      reply(404, '<html><head><title>404 Not Found</title></head></html>'),
      jobBody('job1', 'Queued')
    ])
    expect(client.notFoundText(PATH('job1'))).toBeUndefined()
    expect(await client.getJobs([PATH('job1')], call)).toEqual([])
    expect(client.notFoundText(PATH('job1'))).toBe('NotFound: The requested resource was not found.')
    await client.getJobs([PATH('job1')], call)
    expect(client.notFoundText(PATH('job1'))).toBe('NotFound: gone ::error::x')
    await client.getJobs([PATH('job1')], call)
    expect(client.notFoundText(PATH('job1'))).toBe('404 Not Found')
    expect(await client.getJobs([PATH('job1')], call)).toHaveLength(1)
    expect(client.notFoundText(PATH('job1'))).toBeUndefined()
  })

  it('an empty 404 says nothing (once the service has answered as its API: before, it is a wrong endpoint)', async () => {
    const { client, call } = setup([jobBody('job1', 'Processing'), reply(404, '')])
    await client.getJobs([PATH('job1')], call)
    expect(await client.getJobs([PATH('job1')], call)).toEqual([])
    expect(client.notFoundText(PATH('job1'))).toBeUndefined()
  })
})

describe('reading a job on Azure Resource Manager', () => {
  it('one GET per job, with the api-version, a Bearer token and nothing v2-specific', async () => {
    const { http, client, call } = setup([jobBody('job1', 'Processing')])
    const [job] = await client.getJobs([PATH('job1')], call)
    expect(job).toMatchObject({ id: PATH('job1'), name: 'job1', state: 'Processing', progress: 30 })
    expect(http.requests).toEqual([
      {
        method: 'GET',
        url: `${ARM}${PATH('job1')}?api-version=2022-07-01`,
        headers: { Authorization: 'Bearer tok-1', Accept: 'application/json' },
        body: undefined,
        limits: { signal: undefined, retryUntil: undefined }
      }
    ])
    expect(client.requests).toBe(1)
  })

  it('several jobs: each is read, and a 404 leaves that job out for the waiter to count as not found', async () => {
    const targets = [armTarget('a'), armTarget('b'), armTarget('c')]
    const notFound = jsonReply(404, { error: { code: 'ResourceNotFound', message: 'not found' } })
    const { client, call } = setup(
      [
        req =>
          req.url.includes('/jobs/b?') ? notFound : jobBody(req.url.includes('/a?') ? 'a' : 'c', 'Finished'),
        req =>
          req.url.includes('/jobs/b?') ? notFound : jobBody(req.url.includes('/a?') ? 'a' : 'c', 'Finished'),
        req =>
          req.url.includes('/jobs/b?') ? notFound : jobBody(req.url.includes('/a?') ? 'a' : 'c', 'Finished')
      ],
      { targets }
    )
    const jobs = await client.getJobs(
      targets.map(t => t.id),
      call
    )
    expect(jobs.map(j => j.id).sort()).toEqual([PATH('a'), PATH('c')])
  })

  it('429 with Retry-After: waits as long as asked, says so, then reads the job', async () => {
    const { client, call, clock, log } = setup([
      jsonReply(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '7' }),
      jobBody('job1', 'Finished')
    ])
    const [job] = await client.getJobs([PATH('job1')], call)
    expect(job.state).toBe('Finished')
    expect(clock.sleeps).toEqual([7000])
    expect(log.shown().join('\n')).toMatch(
      /Azure Resource Manager: .*throttling \(429\).*slow down; retrying in 7\.0s/
    )
  })

  it('a 401 gets a fresh token once; a second 401 names the role and the tenant', async () => {
    const unauthorized = jsonReply(401, { error: { code: 'InvalidAuthenticationToken', message: 'bad' } })
    const { client, call, tokens } = setup([unauthorized, unauthorized])
    const e = await failure(client.getJobs([PATH('job1')], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(/refused access \(401\) even with a fresh token.*role.*tenant-id/)
    expect(tokens.calls.filter(Boolean)).toHaveLength(1)
  })

  it('a 403 asks for a role on the account', async () => {
    const { client, call } = setup([
      jsonReply(403, { error: { code: 'AuthorizationFailed', message: 'no' } })
    ])
    const e = await failure(client.getJobs([PATH('job1')], call))
    expect(e.message).toMatch(/denied access \(403\): AuthorizationFailed: no.*Media Services Contributor/)
  })

  it('a body that is not a job is a service error naming the status', async () => {
    const { client, call } = setup([reply(200, '{"properties":{}}')], {})
    const e = await failure(
      client.getJobs([PATH('job1')], { ...call, retryUntil: call.retryUntil - 600_000 })
    )
    expect(e).toBeInstanceOf(ServiceError)
    expect(e.message).toMatch(
      /^Azure Resource Manager answered the job request without a valid properties\.state.*HTTP 200/
    )
  })
})

describe('cancelJob', () => {
  it('POSTs …/jobs/{job}/cancelJob with the api-version (ARM answers 200 with {})', async () => {
    const { http, client, call } = setup([jsonReply(200, {})])
    expect(client.cancelJob).toBeDefined()
    await client.cancelJob!(PATH('job1'), call)
    expect(http.requests[0].method).toBe('POST')
    expect(http.requests[0].url).toBe(`${ARM}${PATH('job1')}/cancelJob?api-version=2022-07-01`)
  })

  it('is not offered on other hosts', () => {
    const { client } = setup([], { arm: false, targets: [mkioTarget('j')] })
    expect(client.cancelJob).toBeUndefined()
  })
})

describe('the token stays with the jobs host', () => {
  it('a redirect to another host is refused before anything is sent there', async () => {
    const { http, client, call } = setup([redirect('https://evil.example.com/steal')])
    const e = await failure(client.getJobs([PATH('job1')], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(/Refused to send the token to evil\.example\.com.*trusted-hosts/)
    expect(http.hosts()).toEqual(['management.azure.com'])
  })

  it('a redirect to another port of the same host is refused: that is another service', async () => {
    const { http, client, call } = setup([redirect('https://management.azure.com:8443/x')])
    const e = await failure(client.getJobs([PATH('job1')], call))
    expect(e.message).toMatch(/Refused to send the token to management\.azure\.com/)
    expect(http.requests).toHaveLength(1)
  })

  it('a redirect to plain http is refused', async () => {
    const { client, call } = setup([redirect('http://management.azure.com/x')])
    expect((await failure(client.getJobs([PATH('job1')], call))).message).toMatch(/only sent over https/)
  })

  it('a redirect within the host, or to a host in trusted-hosts, is followed', async () => {
    const { http, client, call } = setup(
      [redirect('https://mirror.example.com/j1'), jobBody('job1', 'Queued')],
      { trusted: ['management.azure.com', 'mirror.example.com'] }
    )
    const [job] = await client.getJobs([PATH('job1')], call)
    expect(job.state).toBe('Queued')
    expect(http.hosts()).toEqual(['management.azure.com', 'mirror.example.com'])
  })
})

describe('MK.IO-shaped host with an access-token', () => {
  it('sends the given token as Bearer, no api-version; a 401 cannot refresh and names access-token', async () => {
    const tokens = new FakeTokens(false, 'the given access-token')
    const { http, client, call } = setup([jsonReply(401, { error: { detail: 'Invalid token' } })], {
      arm: false,
      targets: [mkioTarget('j')],
      tokens
    })
    const e = await failure(client.getJobs([`${MKIO}j`], call))
    expect(http.requests[0].url).toBe(`${MKIO}j`)
    expect(http.requests[0].headers.Authorization).toBe('Bearer tok-1')
    expect(e.message).toMatch(
      /api\.mk\.io refused access \(401\) for the given access-token\. Check access-token.*Invalid token/
    )
    expect((e as UserError).input).toBe('access-token')
  })
})
