/**
 * For any text a server sends (job names, task error codes and messages, error bodies, HTML titles,
 * Entra ID's errors, Location headers), the real reporting path — run() with the real @actions/core writing
 * to stdout, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY — never lets it start a workflow command, and the step
 * summary shows it as text. Only the network is a fake.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../src/main.js'
import { githubRuntime, type Runtime } from '../../src/runtime.js'
import { parseOutputFile } from '../../scripts/runner.js'
import { fakeClock } from '../../__fixtures__/clock.js'
import {
  FakeHttp,
  type RecordedRequest,
  jsonReply,
  redirect,
  reply,
  tokenReply
} from '../../__fixtures__/http.js'
import { CLIENT, JOB_A, JOB_B, SECRET, TENANT } from '../../__fixtures__/inputs.js'
import { jobEntity, minimalBody, taskEntity } from '../../__fixtures__/jobs.js'

/** What a hostile server would write: line breaks and commands, HTML and Markdown, escapes, any text. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\r',
        '\r\n',
        '\u0085',
        '\u2028',
        '\u2029',
        '\v',
        '\f',
        '  ',
        '::',
        '::error::owned',
        '::add-mask::',
        '::stop-commands::pause',
        '::set-output name=state::Finished',
        '##[add-mask]x',
        '<!--',
        '-->',
        '# ',
        '<img src=x>',
        '</td><script>',
        '\u001b[31m',
        '\u001b]0;title\u0007',
        '\u009b2J',
        '|',
        '`',
        '*',
        '_',
        '[a](https://evil.test)',
        '&lt;'
      ),
      fc.string({ unit: 'binary', maxLength: 12 })
    ),
    { maxLength: 12 }
  )
  .map(parts => parts.join(''))

type Scenario = 'failed-job' | 'forbidden-page' | 'sign-in-refused' | 'redirect-then-finished'

const ACCOUNT = 'https://acct.restv2.westeurope.media.azure.net/api/'

/** A Media Services and an Entra ID that speak `text` wherever a scenario lets them. */
function service(scenario: Scenario, text: string): FakeHttp {
  let jobsAsked = 0
  return new FakeHttp([], (req: RecordedRequest) => {
    if (req.method === 'POST') {
      if (scenario === 'sign-in-refused')
        return jsonReply(400, { error: text, error_description: `AADSTS7000215: ${text}` })
      return tokenReply('tok')
    }
    if (req.url.includes('/Tasks')) {
      const details = [{ code: text, message: text }]
      return jsonReply(200, { value: [taskEntity(40, details, { Name: text })] })
    }
    jobsAsked++
    if (scenario === 'forbidden-page') return reply(403, `<html><head><title>${text}</title></head></html>`)
    if (scenario === 'redirect-then-finished' && !req.url.startsWith(ACCOUNT))
      return redirect(`${ACCOUNT}${encodeURI(text)}`)
    if (jobsAsked === 1)
      return jsonReply(
        503,
        { 'odata.error': { code: text, message: { value: text } } },
        { 'x-ms-request-id': text }
      )
    const state = scenario === 'failed-job' ? 'Error' : 'Finished'
    return reply(
      200,
      `\uFEFF${minimalBody([jobEntity(JOB_A, state, { Name: text }), jobEntity(JOB_B, state, { Name: `${text}!` })])}`
    )
  })
}

let dir: string
let outputFile: string
let summaryFile: string
const saved = { ...process.env }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ams-hostile-'))
  outputFile = join(dir, 'output')
  summaryFile = join(dir, 'summary.md')
  process.env.GITHUB_OUTPUT = outputFile
  process.env.GITHUB_STEP_SUMMARY = summaryFile
})
afterAll(() => {
  process.env = saved
  rmSync(dir, { recursive: true, force: true })
})

/** One step against that service, as the runner would see it. */
async function step(scenario: Scenario, text: string) {
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const http = service(scenario, text)
  const clock = fakeClock()
  const inputs: Record<string, string> = {
    'job-id': `${JOB_A}\n${JOB_B}`,
    'tenant-id': TENANT,
    'client-id': CLIENT,
    'client-secret': SECRET,
    'api-url': scenario === 'redirect-then-finished' ? 'https://media.windows.net/api/' : ACCOUNT,
    'poll-interval': '5s',
    timeout: '10m'
  }
  const rt: Runtime = {
    ...githubRuntime(),
    getInput: name => inputs[name] ?? '',
    env: {},
    now: clock.now,
    sleep: clock.sleep,
    onCancel: () => undefined,
    createHttp: () => http
  }
  let stdout = ''
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  try {
    await run(rt)
  } finally {
    write.mockRestore()
    process.exitCode = undefined
  }
  return {
    stdout,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8'))
  }
}

/** The commands this action writes itself; their data is escaped by @actions/core. */
const OWN_COMMAND = /^::(error|warning|debug|add-mask|group|endgroup)( [^:]*)?::/

describe('for any server text, on every reporting path (property-based)', () => {
  it('no stdout line starts a command but ours; the summary has no HTML and no heading of the server', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Scenario>(
          'failed-job',
          'forbidden-page',
          'sign-in-refused',
          'redirect-then-finished'
        ),
        hostileText,
        async (scenario, text) => {
          const { stdout, summary, outputs } = await step(scenario, text)

          // The runner splits lines on \n and on a lone \r: neither may come from anywhere but us.
          // eslint-disable-next-line no-control-regex
          expect(stdout).not.toMatch(/[\r\u000b\u000c\u0085\u2028\u2029\u001b]/)
          const lines = stdout.split('\n')
          for (const line of lines) {
            if (line.trimStart().startsWith('::')) expect(line).toMatch(OWN_COMMAND)
            expect(line).not.toContain('##[')
          }
          expect(lines.filter(l => l.startsWith('::error'))).toHaveLength(
            scenario === 'redirect-then-finished' ? 0 : 1
          )

          expect(summary).not.toMatch(/<[a-z!/?]/i)
          expect(summary).not.toMatch(/\r/)
          expect(summary.split('\n').filter(l => /^\s{0,3}#/.test(l))).toHaveLength(1)
          expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024)

          if (scenario !== 'sign-in-refused' && scenario !== 'forbidden-page') {
            const jobs = JSON.parse(outputs.jobs) as { name: string }[]
            for (const j of jobs) expect(j.name.length).toBeLessThanOrEqual(200)
          }
        }
      ),
      { numRuns: 200 }
    )
  })
})
