/**
 * Each place where server text reaches the user: the errors of the Media Services client and of the
 * sign-in, the log lines, the verdict (the annotation), the step summary and the `jobs` output. A hostile
 * server writes line breaks followed by workflow commands, HTML, Markdown and very long texts.
 */
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, it, expect, jest } from '@jest/globals'
import * as core from '../../../__fixtures__/core.js'
import { MediaServicesClient } from '../../../src/jobs/v2/client.js'
import { UserError } from '../../../src/errors.js'
import { summaryMarkdown } from '../../../src/report/summary.js'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { FakeHttp, type Reply, jsonReply, reply } from '../../../__fixtures__/http.js'
import { CLIENT, JOB_A, SECRET, TENANT } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import { collectingLogger } from '../../../__fixtures__/logger.js'
import type { CallOptions } from '../../../src/transport/call.js'
import type { TokenSource } from '../../../src/auth/token-source.js'
import { createTokenSource } from '../../../src/auth/index.js'
import type { Credential } from '../../../src/auth/credential.js'
import { ChangeLog } from '../../../src/report/log.js'
import { jobsJson, type JobRecord, outputs } from '../../../src/report/outputs.js'
import { verdict } from '../../../src/report/verdict.js'

jest.unstable_mockModule('@actions/core', () => core)
const { coreLogger } = await import('../../../src/logger.js')

const HOSTILE =
  '\n::stop-commands::pause\r::add-mask::x\u2028::error::owned <!-- # heading <img src=x>\u001b[31m'
/** Any line break. */
const BREAKS = /[\r\n\u0085\u2028\u2029\v\f]/

const ACCOUNT = 'https://acct.restv2.westeurope.media.azure.net/api/'

class StaticTokens implements TokenSource {
  readonly canRefresh = false
  readonly description = 'the given access-token'
  async getToken(): Promise<string> {
    return 'tok'
  }
}

function client(script: Reply[]) {
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

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: Error) => error
  )
}

describe('Media Services errors quote the service as one bounded line', () => {
  it('an OData error body on a 503 is retried; the retry line has no line break', async () => {
    const body = { 'odata.error': { code: '', message: { value: `Busy${HOSTILE}${'z'.repeat(9000)}` } } }
    const { c, log, call } = client([
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
    const { c, call } = client([reply(403, `<html><title>${title}</title></html>`)])
    const e = await rejection(c.getJobs([JOB_A], call))
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(
      /^Media Services denied access \(403\): Denied ::stop-commands::pause ::add-mask::x # heading\. Give/
    )
    expect(e.message).not.toMatch(BREAKS)
  })
})

describe('sign-in errors quote Entra ID and GitHub as one bounded line', () => {
  const secret: Credential = { kind: 'secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }

  function signIn(script: Reply[], getIDToken?: () => Promise<string>, credential = secret) {
    const clock = fakeClock(Date.now())
    const tokens = createTokenSource(
      {
        credential,
        authorityHost: new URL('https://login.microsoftonline.com'),
        scope: 'https://rest.media.azure.net/.default'
      },
      {
        http: new FakeHttp(script),
        log: collectingLogger(),
        mask: () => undefined,
        getIDToken: getIDToken ?? (async () => 'gh'),
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5
      }
    )
    return tokens.getToken(false, { retryUntil: clock.now() + 60_000 })
  }

  it('a token answer that starts with a byte order mark is read', async () => {
    const body = JSON.stringify({ access_token: 'tok-bom', expires_in: 3599, token_type: 'Bearer' })
    await expect(signIn([reply(200, `\uFEFF${body}`, { 'content-type': 'application/json' })])).resolves.toBe(
      'tok-bom'
    )
  })

  it("a refusal's AADSTS text and error code", async () => {
    const e = await rejection(
      signIn([
        jsonReply(400, {
          error: `invalid_request${HOSTILE}`,
          error_description: `AADSTS900144: The request body must contain${HOSTILE}`,
          error_codes: [900144]
        })
      ])
    )
    expect(e).toBeInstanceOf(UserError)
    expect(e.message).toMatch(
      /^Entra ID refused the sign-in with the client secret: AADSTS900144: The request body/
    )
    expect(e.message).not.toMatch(BREAKS)
    expect(e.message).not.toContain('\u001b')
  })

  it('a refusal without AADSTS quotes the error code, bounded', async () => {
    const e = await rejection(
      signIn([jsonReply(400, { error: `weird${HOSTILE}${'w'.repeat(5000)}`, error_description: 'x' })])
    )
    expect(e.message).not.toMatch(BREAKS)
    expect(e.message.length).toBeLessThan(600)
  })

  it("GitHub's OIDC error (which spans lines) becomes one line", async () => {
    const oidc: Credential = { kind: 'oidc', tenantId: TENANT, clientId: CLIENT, audience: 'api://x' }
    const e = await rejection(
      signIn(
        [],
        async () => {
          throw new Error(`Failed to get ID Token. \n Error Code : 500\n \n Error Message: ${HOSTILE}`)
        },
        oidc
      )
    )
    expect(e.message).toMatch(
      /^Could not get a GitHub OIDC token \(Failed to get ID Token\. Error Code : 500/
    )
    expect(e.message).not.toMatch(BREAKS)
  })
})

describe('the log: every info and warning line is one line the runner reads as text', () => {
  it('a server-made line break never starts a line, and a leading :: is quoted', () => {
    core.info.mockClear()
    coreLogger.info(`[00:05] Job ${JOB_A} (x${HOSTILE}): Error`)
    coreLogger.info('::add-mask::x')
    coreLogger.warning(`Could not cancel: ${HOSTILE}`)
    const written = [
      ...core.info.mock.calls.map(c => c[0]),
      ...core.warning.mock.calls.map(c => String(c[0]))
    ]
    for (const line of written) {
      expect(line).not.toMatch(BREAKS)
      expect(line.trimStart().startsWith('::')).toBe(false)
    }
    expect(core.info.mock.calls[1][0]).toBe('> ::add-mask::x')
  })
})

const errorView = (id: string, name: string, errors: { code: string; message: string }[]) =>
  view(id, 'Error', { errorDetails: errors }, { name })
const jobId = (i: number): string => `nb:jid:UUID:1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`

describe('many failed jobs: the annotation stays readable', () => {
  it('names the first 10 failed jobs and their errors, and counts the rest', () => {
    const views = Array.from({ length: 250 }, (_, i) =>
      errorView(jobId(i), `job ${i}`, [{ code: 'E', message: 'm'.repeat(1000) }])
    )
    const v = verdict(waitResult('failure', views), 60_000, V2_ORIGIN)
    expect(v.message).toContain(`${jobId(9)} (job 9) ended Error and 240 more`)
    expect(v.message).not.toContain(jobId(10))
    expect(v.message.match(/E: m+/g)).toHaveLength(10)
    expect(v.message.length).toBeLessThan(15_000)
  })

  it('a job with many long errors is one bounded log line', () => {
    const errors = Array.from({ length: 10 }, () => ({ code: 'E', message: 'x'.repeat(1000) }))
    const lines = new ChangeLog().lines([errorView(JOB_A, 'n', errors)], 5000, 0)
    expect(lines).toHaveLength(1)
    expect(lines[0].length).toBeLessThan(1200)
  })

  it('a timeout names 10 of the jobs still going', () => {
    const views = Array.from({ length: 30 }, (_, i) => view(jobId(i), 'Processing'))
    const v = verdict(waitResult('timeout', views), 60_000, V2_ORIGIN)
    expect(v.message).toMatch(
      /^timed out after .* waiting for .*\(encode trailer\) \(Processing\), .* and 20 more\.$/
    )
  })
})

describe('the step summary: server text renders as text, and the whole stays under 1 MiB', () => {
  it('escapes names, errors and the verdict line', () => {
    const views = [
      errorView(JOB_A, 'a <!-- b # c', [{ code: '<b>E</b>', message: '[x](https://evil.test) | *y*' }])
    ]
    const md = summaryMarkdown(
      waitResult('failure', views),
      { ok: false, message: '<img src=x> # no' },
      V2_ORIGIN
    )
    expect(md).not.toMatch(/<[a-z!/]/i)
    expect(md).toContain('&lt;img src=x&gt; \\# no')
    expect(md).toContain('| a &lt;\\!-- b \\# c |')
    expect(md).toContain('| &lt;b&gt;E&lt;/b&gt;\\: \\[x\\](https\\://evil.test) \\| \\*y\\* |')
    expect(md.split('\n').filter(l => l.startsWith('#'))).toEqual(['### ❌ Media Services job'])
  })

  it('leaves out the rows that do not fit, and says how many', () => {
    const views = Array.from({ length: 1000 }, (_, i) =>
      errorView(
        jobId(i),
        '名'.repeat(200),
        Array.from({ length: 10 }, () => ({ code: 'E', message: '<'.repeat(1000) }))
      )
    )
    const md = summaryMarkdown(waitResult('failure', views), { ok: false, message: 'failed' }, V2_ORIGIN)
    const bytes = Buffer.byteLength(md)
    expect(bytes).toBeLessThanOrEqual(1_000_000)
    expect(bytes).toBeGreaterThan(900_000)
    const rows = md.split('\n').filter(l => l.startsWith('| `')).length
    expect(rows).toBeGreaterThan(100)
    expect(md).toContain(`… and ${1000 - rows} more jobs not shown (the step summary is limited to 1 MiB).`)
  })

  it('keeps every row when they fit', () => {
    const md = summaryMarkdown(
      waitResult('success', [view(JOB_A, 'Finished')]),
      { ok: true, message: 'ok' },
      V2_ORIGIN
    )
    expect(md).not.toContain('not shown')
  })
})

describe('the jobs output stays valid JSON under 1 MB', () => {
  const record = (i: number, message: string): JobRecord => ({
    id: jobId(i),
    name: 'n',
    state: 'Error',
    runningDuration: 1,
    progress: null,
    startTime: null,
    endTime: null,
    errors: [{ code: 'E', message }],
    assets: []
  })

  it('all records while they fit', () => {
    const records = [record(1, 'a'), record(2, 'b')]
    expect(JSON.parse(jobsJson(records))).toEqual(records)
  })

  it('the first records that fit, then a marker with the number left out', () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i, '"é'.repeat(500)))
    const json = jobsJson(records)
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(1_000_000)
    const parsed = JSON.parse(json) as unknown[]
    const marker = parsed.at(-1) as { truncated: boolean; omitted: number }
    expect(marker).toEqual({ truncated: true, omitted: expect.any(Number) })
    expect(parsed.length - 1 + marker.omitted).toBe(1000)
    expect(parsed.slice(0, -1)).toEqual(records.slice(0, parsed.length - 1))
  })

  it('outputs() uses it, and a hostile name is there as neutralised text', () => {
    const out = outputs(waitResult('failure', [errorView(JOB_A, 'a ::error::b', [])]))
    expect(JSON.parse(out.jobs)[0].name).toBe('a ::error::b')
  })
})
