/**
 * A hostile Media Services and Entra ID write line breaks followed by workflow commands, HTML, Markdown,
 * terminal escapes and a 5 MiB job name. dist/index.js, run as the runner runs it, shows all of it as text:
 * no stdout line starts a command but the action's own, one annotation, a step summary under 1 MiB without
 * HTML, and outputs under 1 MB.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './emulators.js'
import { entraErrorBody, HOSTILE_TEXT, htmlPage, odataErrorBody } from '../../emulator/hostile.js'
import { runAction, type RunResult, secretInputs } from './harness.js'

const emu = useEmulator()

const OWN_COMMAND = /^::(error|warning|debug|add-mask|group|endgroup)( [^:]*)?::/

/** What the runner would make of the step: commands, annotation, summary and outputs. */
function expectReadAsText(run: RunResult): void {
  expect(run.signal).toBeNull()
  // eslint-disable-next-line no-control-regex
  expect(run.stdout).not.toMatch(/[\r\u2028\u2029\u0085\u001b]/)
  for (const line of run.stdout.split('\n')) {
    if (line.trimStart().startsWith('::')) expect(line).toMatch(OWN_COMMAND)
    expect(line).not.toContain('##[')
    expect(line.length).toBeLessThan(8 * 1024)
  }
  expect(run.stdout).not.toMatch(/^\s*::(stop-commands|set-output|warning)/m)

  expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
  expect(run.summary).not.toMatch(/<[a-z!/?]/i)
  expect(run.summary.split('\n').filter(l => /^\s{0,3}#/.test(l))).toHaveLength(1)
  for (const value of Object.values(run.outputs)) expect(Buffer.byteLength(value)).toBeLessThan(1_000_000)
}

describe('a hostile Media Services', () => {
  it('a 5 MiB job name and task errors full of commands and HTML are shown as text', async () => {
    const name = `${HOSTILE_TEXT}${'n'.repeat(5 * 1024 * 1024)}`
    const id = emu.addJob({
      name,
      timeline: [{ state: 'Processing', polls: 1, progress: 10 }, { state: 'Error' }],
      errorDetails: [{ Code: HOSTILE_TEXT, Message: `${HOSTILE_TEXT}${'m'.repeat(100_000)}` }]
    })
    // Its first answer is a 503 whose error body and request id say the same.
    emu.injectFaults([
      {
        kind: 'status',
        status: 503,
        path: 'Jobs()',
        body: odataErrorBody(HOSTILE_TEXT),
        headers: { 'x-ms-request-id': '::error::rid ##[add-mask]z' }
      }
    ])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id }, killAfterMs: 90_000 })

    expect(run.code).toBe(1)
    expectReadAsText(run)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^::error title=Media Services job failed::nb:jid:UUID:\S+ \(evil ## \[add-mask\]y <!-- hidden red <img src=x onerror=alert\(1\)> \[click\]\(https:\/\/evil.example.test\) \| cell \| `code` \*bold\* ::stop-commands::pause ::add-mask::x ::error title=Deploy approved::all good …\) ended Error\./
    )
    expect(run.errors[0].length).toBeLessThan(4000)
    // The retry line quotes the 503 on one line, the request id's command in its middle.
    expect(run.lines.join('\n')).toMatch(
      /^Media Services: GET Jobs\(\) answered busy \(503\): evil ## \[add-mask\]y .* ::stop-commands::pause .* \(x-ms-request-id ::error::rid ## \[add-mask\]z\); retrying/m
    )
    expect(run.stdout.length).toBeLessThan(64 * 1024)

    expect(run.summary).toContain('\\| cell \\| \\`code\\` \\*bold\\*')
    expect(run.summary).toContain('&lt;\\!-- hidden')
    expect(run.summary).toContain('&lt;img src=x onerror=alert(1)&gt;')
    const [job] = JSON.parse(run.outputs.jobs)
    expect(job.name).toHaveLength(200)
    expect(job.name).toMatch(
      /^evil ##\[add-mask\]y <!-- hidden red <img .* ::stop-commands::pause ::add-mask::x ::error/
    )
    // eslint-disable-next-line no-control-regex
    expect(job.name).not.toMatch(/[\r\n\u001b]/)
    expect(job.errors[0].message).toHaveLength(1000)
  })

  it("a 403 gateway page's title is quoted on the one annotation line", async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const title = HOSTILE_TEXT.replace(/</g, '')
    emu.injectFaults([{ kind: 'html', status: 403, path: 'Jobs()', body: htmlPage(title) }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(1)
    expectReadAsText(run)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^::error title=Media Services request failed::Media Services denied access \(403\): evil ## \[add-mask\]y !-- hidden red img src=x onerror=alert\(1\)> .* ::stop-commands::pause ::add-mask::x ::error title=Deploy approved::all good/
      )
    ])
    expect(run.summary).toMatch(/denied access \(403\)\\: evil .* \\:\\:stop-commands\\:\\:pause/)
  })
})

describe('a dollar in server text', () => {
  it('a job name, an error and an asset with $x$ reach the summary as text, never as math', async () => {
    const id = emu.addJob({
      name: 'enc $x$',
      timeline: [{ state: 'Error' }],
      errorDetails: [{ Code: 'E$x$', Message: 'cost $5 and $6' }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.summary).toContain('enc \\$x\\$')
    expect(run.summary).toContain('E\\$x\\$\\: cost \\$5 and \\$6')
    // Every dollar of the summary is escaped, outside code spans (job ids) as inside table cells.
    expect(run.summary.replace(/`[^`]*`/g, '').replace(/\\\$/g, '')).not.toContain('$')
  })
})

describe('a hostile Entra ID', () => {
  it("a refusal's error text is quoted on the one annotation line", async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    emu.injectFaults([{ server: 'login', kind: 'status', status: 401, body: entraErrorBody(HOSTILE_TEXT) }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(1)
    expectReadAsText(run)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^::error title=Sign-in failed::Entra ID refused the sign-in with the client secret \(x-ms-request-id [\w-]+\): AADSTS7000215: evil ## \[add-mask\]y <!-- hidden red <img src=x onerror=alert\(1\)> \[click\]\(https:\/\/evil\.example\.test\).*\. Check client-secret/
      )
    ])
    expect(run.summary).toContain('AADSTS7000215\\: evil \\#\\#\\[add-mask\\]y &lt;\\!-- hidden red &lt;img')
  })
})

describe('inputs that would hand the token to someone else are refused before any request', () => {
  it.each([
    ['authority-host', 'https://login.microsoftonline.com@evil.example.test', /must not contain a user name/],
    ['trusted-hosts', '*.co.uk', /anyone can register under co\.uk \(on the Public Suffix List\)/],
    ['trusted-hosts', '*.azurewebsites.net', /anyone can register under azurewebsites\.net/]
  ])('%s: %s', async (input, value, why) => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, [input]: value } })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(new RegExp(`^::error title=Invalid input::Input ${input}`))
    ])
    expect(run.errors[0]).toMatch(why)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(emu.requests).toHaveLength(0)
  })

  it('an access-token with a line break in it is an input error naming access-token', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({
      inputs: { 'job-id': id, 'api-url': emu.urls.account, 'access-token': 'eyJ0eXAi.eyJhdWQi\n.c2ln' }
    })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^::error title=Invalid input::Input access-token contains a line break/)
    ])
    expect(run.stdout).not.toContain('ERR_INVALID_CHAR')
    expect(emu.requests).toHaveLength(0)
  })
})

describe('many jobs failing together', () => {
  it('the one annotation names 10 of them and counts the rest; the summary and jobs have them all', async () => {
    const ids = Array.from({ length: 30 }, (_, i) =>
      emu.addJob({ name: `rendition ${i}`, timeline: [{ state: 'Error' }] })
    )
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': ids.join('\n') } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^::error title=Media Services job failed::.*\(rendition 9\) ended Error and 20 more\./
    )
    expect(run.errors[0]).not.toContain('rendition 10)')
    expect(run.summary.split('\n').filter(l => l.startsWith('| `nb:jid'))).toHaveLength(30)
    expect(JSON.parse(run.outputs.jobs)).toHaveLength(30)
  })
})
