/**
 * The action's core promise, end to end: dist/index.js waits for Media Services jobs over HTTPS
 * (the emulator) and reports the way a workflow author expects.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './emulators.js'
import { runAction, secretInputs } from './harness.js'
import { diagramOf, mermaidReads } from '../../__fixtures__/mermaid.js'

const emu = useEmulator()

const mediaRequests = (server: string): typeof emu.requests => emu.requests.filter(r => r.server === server)

describe('a job that finishes', () => {
  it('logs each state once, sets the outputs and succeeds', async () => {
    const id = emu.addJob({
      name: 'encode-trailer',
      timeline: [
        { state: 'Queued', polls: 1 },
        { state: 'Processing', polls: 2, progress: 40 },
        { state: 'Finished' }
      ]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    const log = run.lines.join('\n')
    expect(log).toContain(`Waiting for Media Services job ${id}`)
    expect(log).toMatch(/Queued\n/)
    expect(log).toContain('Queued -> Processing')
    expect(log).toContain('Processing -> Finished')
    expect(run.lines.filter(l => l.includes('-> Finished'))).toHaveLength(1)
    expect(log).toMatch(/✓ Job .* ended Finished after/)

    expect(run.outputs.state).toBe('Finished')
    expect(Number(run.outputs.runningDuration)).toBeGreaterThan(0)
    expect(run.outputs.endTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
    const jobs = JSON.parse(run.outputs.jobs)
    expect(jobs).toEqual([
      expect.objectContaining({
        id,
        name: 'encode-trailer',
        state: 'Finished',
        runningDuration: expect.any(Number)
      })
    ])
    expect(jobs[0].startTime).toMatch(/Z$/)
  })

  it('a job that had ended before the first poll: says it had already ended and how long it ran', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', ms: 200 }, { state: 'Finished' }] })
    await new Promise(resolve => setTimeout(resolve, 250))
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^✓ Job .* had already ended Finished when the wait began \(it ran 0\.2s\)\.$/m
    )
    expect(run.stdout).not.toMatch(/ended Finished after/)
  })

  it('sends the documented headers on every Media Services request', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    const requests = mediaRequests('account')
    expect(requests.length).toBeGreaterThan(0)
    for (const r of requests) {
      expect(r.authorization).toMatch(/^Bearer emu-at-/)
      expect(r.headers['x-ms-version']).toBe('2.19')
      expect(r.headers['dataserviceversion']).toBe('3.0')
      expect(r.headers['maxdataserviceversion']).toBe('3.0')
      expect(r.headers['accept']).toBe('application/json')
      expect(r.headers['accept-charset']).toBe('UTF-8')
    }
    expect(requests[0].decodedPath).toContain(`$filter=Id eq '${id}'`)
  })

  it('reuses one token across polls', async () => {
    const id = emu.addJob({
      timeline: [{ state: 'Queued', polls: 2 }, { state: 'Processing', polls: 1 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(emu.tokenRequests).toHaveLength(1)
    expect(emu.tokenRequests[0]).toMatchObject({
      scope: 'https://rest.media.azure.net/.default',
      credential: 'secret'
    })
  })
})

describe('the verbose OData shape', () => {
  it('reads d.results and /Date(ms)/ dates the same way', async () => {
    await emu.restart({ shape: 'verbose', verboseDates: 'ms' })
    const id = emu.addJob({
      name: 'verbose',
      timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    expect(run.outputs.endTime).toBe(new Date(emu.job(id).endTime!).toISOString())
    expect(JSON.parse(run.outputs.jobs)[0]).toMatchObject({ name: 'verbose', state: 'Finished' })
  })
})

describe('the global endpoint redirects to the account', () => {
  it.each(['root', 'same-path'] as const)(
    'follows a %s Location once and polls the account directly after',
    async style => {
      await emu.restart({ redirect: style })
      const id = emu.addJob({
        timeline: [{ state: 'Queued', polls: 1 }, { state: 'Processing', polls: 1 }, { state: 'Finished' }]
      })
      const run = await runAction({
        inputs: {
          ...secretInputs(emu),
          'job-id': id,
          'api-url': emu.urls.global,
          'trusted-hosts': new URL(emu.urls.account).host
        }
      })
      expect(run.code).toBe(0)
      expect(run.lines.join('\n')).toContain(`redirected to ${emu.urls.account}`)
      expect(mediaRequests('global')).toHaveLength(1)
      expect(mediaRequests('account').length).toBeGreaterThanOrEqual(3)
      expect(run.outputs.state).toBe('Finished')
    }
  )

  it('refuses to send the token to a host that is not trusted, and names it', async () => {
    await emu.restart({ redirect: 'evil' })
    const id = emu.addJob({})
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, 'api-url': emu.urls.global }
    })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(new URL(emu.urls.evil).host)
    expect(run.errors[0]).toContain('trusted-hosts')
    expect(mediaRequests('evil')).toHaveLength(0)
  })

  it('trusts the api-url host on its own port only: the same host on another port is refused', async () => {
    await emu.restart({ redirect: 'root' })
    const id = emu.addJob({})
    // The global and account listeners share 127.0.0.1; only their ports differ.
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, 'api-url': emu.urls.global, 'trusted-hosts': '127.0.0.1' }
    })
    expect(new URL(emu.urls.global).hostname).toBe(new URL(emu.urls.account).hostname)
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`Refused to send the token to ${new URL(emu.urls.account).host}`)
    expect(mediaRequests('account')).toHaveLength(0)
  })
})

describe('a job that does not finish well', () => {
  it('fails the step on Error with one annotation naming the job and the state', async () => {
    const id = emu.addJob({
      name: 'broken',
      timeline: [{ state: 'Processing', polls: 1 }, { state: 'Error' }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(id)
    expect(run.errors[0]).toContain('Error')
    expect(run.outputs.state).toBe('Error')
  })

  it('fails the step on Canceled and says so plainly', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Queued', polls: 1 }, { state: 'Canceled' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/title=Media Services job canceled::.*ended Canceled/)
    expect(run.outputs.state).toBe('Canceled')
  })

  it('does not fail with fail-on: none, but still reports the state', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Error' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, 'fail-on': 'none' } })
    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs.state).toBe('Error')
    // It must not read as a success: a warning in the log, a warning sign in the summary.
    expect(run.stdout).toMatch(
      /^::warning::⚠ Job .* had already ended Error when the wait began\. The step passes because fail-on does not include Error\.$/m
    )
    expect(run.stdout).not.toContain('✓')
    expect(run.summary).toMatch(/^### ⚠️ Media Services job\n/)
  })

  it('times out with the last state in the outputs', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '3s' } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('timed out')
    expect(run.outputs.state).toBe('Processing')
    expect(run.ms).toBeLessThan(15_000)
  })

  it('reports a job the service does not know as not found', async () => {
    const id = emu.addJob({ missing: true })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(new RegExp(`job ${id}.* not found`))
    // Only the input this run used is named.
    expect(run.errors[0]).toMatch(/Check job-id and api-url\.$/)
    expect(run.errors[0]).not.toContain('job-url')
  })

  it('gives a new job a few polls to appear', async () => {
    const id = emu.addJob({ hiddenPolls: 2, timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
  })
})

describe('an api-url that is not a Media Services v2 endpoint', () => {
  it('fails at once and says to check api-url', async () => {
    const id = emu.addJob({})
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, 'api-url': emu.urls.account.replace(/api\/$/, 'v2/') }
    })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/\(404\).*Check api-url/)
    expect(emu.requests.filter(r => r.server === 'account')).toHaveLength(1)
  })
})

describe('several jobs', () => {
  it('waits for all of them and aggregates the outputs', async () => {
    const a = emu.addJob({ name: 'a', timeline: [{ state: 'Finished' }] })
    const b = emu.addJob({ name: 'b', timeline: [{ state: 'Processing', polls: 2 }, { state: 'Finished' }] })
    const c = emu.addJob({ name: 'c', timeline: [{ state: 'Queued', polls: 1 }, { state: 'Finished' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': `${a}\n${b}, ${c} ${a}` } })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    const jobs = JSON.parse(run.outputs.jobs)
    expect(jobs.map((j: { id: string }) => j.id)).toEqual([a, b, c])
    const latest = jobs
      .map((j: { endTime: string }) => j.endTime)
      .sort()
      .at(-1)
    expect(run.outputs.endTime).toBe(latest)
    // One query serves all three jobs; finished jobs are not asked for again.
    const jobQueries = mediaRequests('account').filter(r => r.path.includes('Jobs()'))
    expect(decodeURIComponent(jobQueries[0].path)).toContain(`Id eq '${a}' or Id eq '${b}' or Id eq '${c}'`)
    expect(decodeURIComponent(jobQueries.at(-1)!.path)).not.toContain(a)
  })

  it('a timeout with fail-on none names each open job with its own state, and the job that ended Error', async () => {
    const failed = emu.addJob({ name: 'failed', timeline: [{ state: 'Error' }] })
    const running = emu.addJob({ name: 'running', timeline: [{ state: 'Processing' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': `${failed} ${running}`, 'fail-on': 'none', timeout: '4s' }
    })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(
      `waiting for ${running} (running) (Processing). Ignored by fail-on: ${failed} (failed) ended Error.`
    )
    expect(run.errors[0]).not.toMatch(/last state Error/)
  })

  it('the summary draws each job on a timeline that mermaid itself accepts, a hostile name included', async () => {
    const done = emu.addJob({
      name: 'done',
      timeline: [{ state: 'Queued', polls: 1 }, { state: 'Processing', polls: 1 }, { state: 'Finished' }]
    })
    const failed = emu.addJob({
      name: 'failed',
      timeline: [{ state: 'Processing', polls: 1 }, { state: 'Error' }]
    })
    const hostile = emu.addJob({
      name: 'x\n  click j3s0 call alert(1)\n%%{init: {"theme":"dark"}}%% `a:b;c#d` <b>',
      timeline: [{ state: 'Processing' }]
    })
    const run = await runAction({
      inputs: {
        ...secretInputs(emu),
        'job-id': `${done} ${failed} ${hostile}`,
        'fail-on': 'none',
        timeout: '4s'
      }
    })
    expect(run.code).toBe(1)
    const [reading] = mermaidReads([diagramOf(run.summary)])
    expect(reading.error).toBeUndefined()
    expect(reading.config).toEqual({ gantt: { leftPadding: 220 } })
    expect(reading.sections).toEqual(['1. done', '2. failed', '3. x click j3s0 call alert(1) init…'])
    const bars = (section: number): string[] =>
      reading
        .tasks!.filter(t => t.section.startsWith(`${section}.`))
        .map(t => `${t.task.trim()} ${t.tags.join(' ')}`)
    expect(bars(1)).toEqual(['Queued done', 'Processing done', 'Finished done milestone'])
    // The emulator's Created comes a little before StartTime for a job that starts Processing: a short Queued bar.
    const waited = (bars: string[]): string[] => bars.filter(b => b !== 'Queued done')
    expect(waited(bars(2))).toEqual(['Processing done', 'Error crit milestone'])
    expect(waited(bars(3))).toEqual(['Processing (still running) active'])
    // In time order, each bar where the one before ended.
    const times = reading.tasks!.filter(t => t.section.startsWith('1.'))
    expect(times[0].end).toBe(times[1].start)
    expect(times[1].end).toBe(times[2].start)
    expect(times[0].start).toBeLessThan(times[2].end)
  })

  it('reports the first failing state when one fails', async () => {
    const a = emu.addJob({ timeline: [{ state: 'Processing' }] })
    const b = emu.addJob({ timeline: [{ state: 'Error' }] })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': `${a} ${b}` } })
    expect(run.code).toBe(1)
    expect(run.outputs.state).toBe('Error')
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(b)
  })
})

describe('bad inputs', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no job id', { 'job-id': '' }, /Input job-id or job-url is required/],
    ['a job id that is not one', { 'job-id': 'job-42' }, /job-id: 'job-42' is not a Media Services job id/],
    [
      'no api-url with job-id (the retired global endpoint is no default)',
      { 'api-url': '' },
      /Input api-url is required with job-id.*https:\/\/<account>\.restv2\.<region>\.media\.azure\.net\/api\/.*Azure Media Services was retired on 2024-06-30/
    ],
    ['plain http api-url', { 'api-url': 'http://media.example.com/api/' }, /api-url must use https/],
    ['a poll interval below a second', { 'poll-interval': '500ms' }, /poll-interval must be at least 1s/],
    ['a timeout that is not a duration', { timeout: 'soon' }, /timeout: 'soon' is not a duration/],
    [
      'an unknown fail-on state',
      { 'fail-on': 'Error, Exploded' },
      /fail-on: 'Exploded' is not a final job state/
    ],
    ['an unknown cloud', { cloud: 'Mars' }, /cloud: 'Mars' is not a cloud/],
    ['a client id without a tenant', { 'tenant-id': '' }, /tenant-id is required/],
    [
      'a trusted-hosts wildcard over Codespaces (shared hosting the Public Suffix List lacks)',
      { 'trusted-hosts': '*.github.dev' },
      /trusted-hosts: '\*\.github\.dev' would trust hosts that anyone can create under app\.github\.dev/
    ],
    [
      'a trusted-hosts wildcard at a public suffix, with a port',
      { 'trusted-hosts': '*.s3.amazonaws.com:8443' },
      /would trust hosts that anyone can register under s3\.amazonaws\.com \(on the Public Suffix List\)/
    ],
    [
      'a trusted-hosts wildcard above a public suffix',
      { 'trusted-hosts': '*.fastly.net' },
      /would trust hosts that anyone can register under [a-z.]+\.fastly\.net/
    ],
    [
      'a trusted-hosts wildcard beneath shared hosting',
      { 'trusted-hosts': '*.westeurope.cloudapp.azure.com' },
      /under \*\.cloudapp\.azure\.com \(shared hosting\)/
    ],
    [
      'a trusted-hosts wildcard over an IP address',
      { 'trusted-hosts': '*.0.0.1:8443' },
      /wildcard over an IP/
    ],
    [
      'plain http to a name under .localhost (a proxy would carry it)',
      { 'api-url': 'http://acct.localhost:8080/api/' },
      /api-url must use https \(plain http only to localhost, 127\.0\.0\.1 or \[::1\]/
    ],
    [
      'an authority-host label longer than DNS allows',
      { 'authority-host': `https://${'a'.repeat(64)}.example.com` },
      /authority-host: 'https:\/\/a{64}\.example\.com' does not name a host/
    ]
  ]
  it.each(cases)(
    '%s: one clear error naming the input, no request, no stack trace',
    async (_name, bad, message) => {
      const run = await runAction({
        inputs: { ...secretInputs(emu), 'job-id': 'nb:jid:UUID:00000000-0000-4000-8000-000000000001', ...bad }
      })
      expect(run.code).toBe(1)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(/^::error title=Invalid input::/)
      expect(run.errors[0]).toMatch(message)
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
      expect(emu.requests).toHaveLength(0)
      // The ending is written like any other: every output (no job was seen) and a summary that says why.
      expect(Object.keys(run.outputs).sort()).toEqual(
        [
          'endTime',
          'jobs',
          'progress',
          'runningDuration',
          'startTime',
          'state',
          'assets',
          'asset-name',
          'asset-id'
        ].sort()
      )
      expect(run.outputs.jobs).toBe('[]')
      expect(run.outputs.assets).toBe('[]')
      expect(run.summary).toMatch(/^### ❌ Media Services jobs\n\nInvalid input: Input /)
    }
  )
})

describe('what an input error quotes', () => {
  const job = 'nb:jid:UUID:00000000-0000-4000-8000-000000000001'

  it.each([
    ['api-url', 'https://alice:hunter2@127.0.0.1:8443/api/'],
    ['api-url', 'http://alice:hunter2@media.example.com/api/'],
    ['api-url', 'https://alice:hunter2@exa mple.com/api/'],
    ['authority-host', 'https://alice:hunter2@login.example.com'],
    ['job-url', 'https://alice:hunter2@api.mk.io/api/ams/s/transforms/t/jobs/j']
  ])('a password in %s (%s) is in no annotation, summary, log line or output', async (input, value) => {
    const inputs: Record<string, string> = { ...secretInputs(emu), 'job-id': job, [input]: value }
    if (input === 'job-url') delete inputs['job-id']
    const run = await runAction({ inputs })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(new RegExp(`^::error title=Invalid input::Input ${input}`))
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
    expect(everything).not.toContain('hunter2')
    expect(everything).not.toContain('alice')
    expect(emu.requests).toHaveLength(0)
  })

  it('a 120 KiB poll-interval is quoted in 200 characters at most', async () => {
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': job, 'poll-interval': `1${'0'.repeat(120 * 1024)}x` }
    })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/poll-interval: '10{150,}…' is not a duration/)
    expect(run.errors[0].length).toBeLessThan(600)
    expect(run.summary.length).toBeLessThan(1000)
  })
})

describe('trusted-hosts wildcards over your own domain', () => {
  it('*.contoso-media.com and *.media.example.co.uk are accepted and the wait runs', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({
      inputs: {
        ...secretInputs(emu),
        'job-id': id,
        'trusted-hosts': '*.contoso-media.com *.media.example.co.uk'
      }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
  })
})

describe('a timeout longer than the runner lets the job run', () => {
  const hosted = { RUNNER_ENVIRONMENT: 'github-hosted' }

  it('7h on a GitHub-hosted runner: one warning that says what happens and the fix, then the wait runs', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, timeout: '7h' },
      env: hosted
    })
    expect(run.code).toBe(0)
    const warnings = run.stdout.split('\n').filter(l => l.startsWith('::warning'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^::warning::timeout \(7h 00m\) does not end before the 6 hours GitHub lets a job run on a GitHub-hosted runner: GitHub would stop the job first, .*without its outputs or step summary\. Give a timeout under 6h .*timeout-minutes/
    )
    expect(run.outputs.state).toBe('Finished')
  })

  it('the default timeout (5h30m) on a GitHub-hosted runner: a clean run, no warning', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    const { timeout: _short, ...inputs } = secretInputs(emu)
    const run = await runAction({ inputs: { ...inputs, 'job-id': id }, env: hosted })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('timeout 5h 30m')
    expect(run.stdout).not.toContain('::warning')
  })
})

describe('secrets', () => {
  it('never prints the client secret or a token, even with debug logging', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Queued', polls: 1 }, { state: 'Finished' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id },
      env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::debug::')
    const secrets = [emu.clientSecret, ...emu.issuedTokens]
    expect(secrets.length).toBeGreaterThan(1)
    const unmasked = (run.stdout + run.stderr).split('\n').filter(l => !l.startsWith('::add-mask::'))
    for (const s of secrets) {
      expect(unmasked.filter(l => l.includes(s))).toEqual([])
      // Masked, so the runner hides it should anything else ever print it.
      expect(run.stdout).toContain(`::add-mask::${s}`)
    }
  })
})

describe('the log of a wait: each poll’s detail in a group, the changes outside (#24)', () => {
  const job = () =>
    emu.addJob({
      name: 'grouped',
      timeline: [
        { state: 'Queued', polls: 1 },
        { state: 'Processing', polls: 2, progress: 40 },
        { state: 'Finished' }
      ]
    })

  it('with debug logging: a group per poll holds its requests; state changes and the verdict are outside', async () => {
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': job() },
      env: { RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    const opened = lines.flatMap((l, i) => (l.startsWith('::group::') ? [i] : []))
    expect(opened.length).toBeGreaterThanOrEqual(3)
    expect(lines[opened[0]]).toMatch(/^::group::Poll 1 \[00:00\]$/)
    let inGroup = false
    for (const line of lines) {
      if (line.startsWith('::group::')) {
        expect(inGroup).toBe(false)
        inGroup = true
      } else if (line === '::endgroup::') {
        expect(inGroup).toBe(true)
        inGroup = false
      } else if (/^\[\d\d:\d\d\] .* -> |^✓ /.test(line)) expect([line, inGroup]).toEqual([line, false])
      else if (/^::debug::GET https/.test(line)) expect([line, inGroup]).toEqual([line, true])
    }
    expect(inGroup).toBe(false)
    // Every resolved setting, at debug level, and no secret among them.
    const settings = lines.filter(l => l.startsWith('::debug::Setting '))
    expect(settings.map(l => l.replace(/^::debug::Setting ([a-z -]+): .*$/, '$1'))).toEqual([
      'jobs',
      'endpoint',
      'trusted hosts',
      'sign-in',
      'authority host',
      'token scope',
      'poll interval',
      'timeout',
      'fail on',
      'cancel on abort'
    ])
    expect(settings.join('\n')).toContain('client secret ***')
    // The secret reaches stdout only in the runner's ::add-mask:: command, which hides it everywhere else.
    const secret = secretInputs(emu)['client-secret']
    expect(lines.filter(l => l.includes(secret) && !l.startsWith('::add-mask::'))).toEqual([])
  })

  it('without debug logging and nothing retried: no group at all', async () => {
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': job() } })
    expect(run.code).toBe(0)
    expect(run.stdout).not.toContain('::group::')
    expect(run.stdout).toContain('Queued -> Processing')
  })
})
