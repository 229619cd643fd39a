/**
 * v3-shaped jobs end to end: dist/index.js waits on Media Services v3 jobs through Azure Resource Manager
 * (Entra ID sign-in with the ARM scope) and on an MK.IO-shaped service (a personal API token), with the
 * same outputs, summary, annotations and cancel as for v2.
 */
import { describe, expect, it } from '@jest/globals'
import { ARM_SCOPE, armInputs as armInputsOf, useV3Emulators } from './emulators.js'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { runAction } from './harness.js'

const { emu, v3 } = useV3Emulators()

const armInputs = (jobUrl: string, extra: Record<string, string> = {}) => armInputsOf(emu, v3, jobUrl, extra)

const armRequests = () => v3.requests.filter(r => r.api === 'arm')

describe('a v3 job on Azure Resource Manager that finishes', () => {
  it('signs in for Resource Manager, logs each state, sets the outputs and succeeds', async () => {
    const id = v3.addArmJob({
      name: 'encode-trailer',
      outputs: 2,
      timeline: [
        { state: 'Queued', polls: 1 },
        { state: 'Processing', polls: 2, progress: 40 },
        { state: 'Finished' }
      ]
    })
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    const log = run.lines.join('\n')
    expect(log).toContain(`Waiting for v3 job ${id} at ${v3.urls.arm}/`)
    expect(log).toContain('Queued -> Processing (40%)')
    expect(log).toContain('Processing -> Finished')
    expect(log).toMatch(/✓ Job .*\(encode-trailer\) ended Finished after/)

    expect(emu.tokenRequests.map(r => r.scope)).toEqual([ARM_SCOPE])
    for (const r of armRequests()) {
      expect(r.method).toBe('GET')
      expect(r.path).toContain(`${id}?api-version=2022-07-01`)
      expect(r.authorization).toBe(`Bearer ${emu.issuedTokens[0]}`)
    }

    expect(run.outputs.state).toBe('Finished')
    expect(run.outputs.progress).toBe('100')
    const job = v3.job('arm', 'encode-trailer')
    expect(Number(run.outputs.runningDuration)).toBe((job.endTime ?? 0) - (job.startTime ?? 0))
    expect(run.outputs.endTime).toMatch(/Z$/)
    expect(JSON.parse(run.outputs.jobs)).toEqual([
      expect.objectContaining({ id, name: 'encode-trailer', state: 'Finished', progress: 100, errors: [] })
    ])
    expect(run.summary).toContain('### ✅ Job on Azure Resource Manager')
    expect(run.summary).toContain(`| \`${id}\` | encode-trailer | ✅ Finished | 100% |`)
  })

  it('several jobs: one GET per job per poll, each reported', async () => {
    const ids = ['a', 'b', 'c'].map(name =>
      v3.addArmJob({ name, timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }] })
    )
    const run = await runAction({ inputs: armInputs(ids.join('\n')) })

    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toContain('Waiting for 3 v3 jobs')
    expect(JSON.parse(run.outputs.jobs).map((j: { state: string }) => j.state)).toEqual([
      'Finished',
      'Finished',
      'Finished'
    ])
    // Two polls (Processing, then Finished) of three jobs.
    expect(armRequests()).toHaveLength(6)
  })
})

describe('Resource Manager over plain http on loopback', () => {
  // The sign-in is https (Entra ID refuses anything else) and the polls http: each needs its own agent.
  it.each([
    ['arm-url with a resource id', (id: string) => id],
    ['a full http:// job-url', (id: string) => `${v3.urls.arm}${id}`]
  ])('%s: signs in over https, then polls over http to the end', async (_what, jobUrl) => {
    await v3.restart({ armOverHttp: true })
    expect(v3.urls.arm).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const id = v3.addArmJob({
      name: 'plain',
      timeline: [{ state: 'Processing', polls: 2, progress: 50 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: armInputs(jobUrl(id)) })

    expect(run.errors).toEqual([])
    expect(run.stdout).not.toContain('ERR_INVALID_PROTOCOL')
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    expect(emu.tokenRequests).toHaveLength(1)
    expect(armRequests().length).toBeGreaterThanOrEqual(3)
    for (const r of armRequests()) expect(r.authorization).toBe(`Bearer ${emu.issuedTokens[0]}`)
  })
})

describe('a v3 job that ends in Error', () => {
  it('fails the step with one annotation carrying the output error and its details; the summary says so', async () => {
    const id = v3.addArmJob({
      name: 'bad-input',
      timeline: [{ state: 'Processing', polls: 1 }, { state: 'Error' }],
      error: {
        code: 'ContentMalformed',
        message: 'The input content is malformed.',
        details: [{ code: 'InvalidInput', message: 'moov atom not found' }]
      }
    })
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^::error title=Job on Azure Resource Manager failed::/)
    expect(run.errors[0]).toContain('ContentMalformed: output0: The input content is malformed.')
    expect(run.errors[0]).toContain('InvalidInput: output0: moov atom not found')
    expect(run.outputs.state).toBe('Error')
    // The service's retry advice (error.category and error.retry) follows its error.
    const advice = ' (Content error; DoNotRetry: correct the cause, then resubmit the job)'
    expect(run.errors[0]).toContain(`ContentMalformed: output0: The input content is malformed.${advice}`)
    expect(JSON.parse(run.outputs.jobs)[0].errors).toEqual([
      { code: 'ContentMalformed', message: `output0: The input content is malformed.${advice}` },
      { code: 'InvalidInput', message: 'output0: moov atom not found' }
    ])
    expect(run.summary).toContain('### ❌ Job on Azure Resource Manager')
    expect(run.summary).toContain('❌ Error')
    // Markdown-escaped: server text renders as itself.
    expect(run.summary).toContain('InvalidInput\\: output0\\: moov atom not found')
  })
})

describe('a v3 wait lasts until timeout, its last poll at the deadline (issue #14)', () => {
  it.each(['predictive', 'fixed'])(
    '%s: poll-interval 2s, timeout 5s, a job that ends 4.5 s into the wait is seen by the poll at 5 s',
    async polling => {
      // Counted from the first GET: after the poll at 4 s, before the deadline. A given token (the MK.IO-shaped
      // host), so that no sign-in (slow on a loaded machine) stands between the wait's start and that GET.
      const url = v3.addMkioJob({
        name: 'late',
        clockFromFirstPoll: true,
        timeline: [{ state: 'Processing', ms: 4_500, progress: 0 }, { state: 'Finished' }]
      })
      const run = await runAction({
        inputs: {
          'job-url': url,
          'access-token': v3.mkioToken,
          'poll-interval': '2s',
          timeout: '5s',
          polling
        }
      })

      expect(run.errors).toEqual([])
      expect(run.code).toBe(0)
      expect(run.outputs.state).toBe('Finished')
      expect(run.lines.join('\n')).toContain('Processing -> Finished')
      const gets = v3.requests.filter(r => r.api === 'mkio' && r.method === 'GET')
      expect(gets.at(-1)!.at - gets[0].at).toBeGreaterThanOrEqual(4_500)
    }
  )
})

describe('cancel-on-abort on Resource Manager', () => {
  it('a timed-out wait POSTs cancelJob for the job before the step ends', async () => {
    v3.addArmJob({ name: 'long', timeline: [{ state: 'Processing' }] })
    const id = v3.addArmJob({ name: 'endless', timeline: [{ state: 'Processing' }] })
    const run = await runAction({ inputs: armInputs(id, { timeout: '3s', 'cancel-on-abort': 'true' }) })

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/title=Timed out/)
    const cancels = armRequests().filter(r => r.method === 'POST')
    expect(cancels).toHaveLength(1)
    expect(cancels[0].path).toBe(`${id}/cancelJob?api-version=2022-07-01`)
    expect(cancels[0].status).toBe(200)
    expect(v3.job('arm', 'endless').cancelRequests).toBe(1)
    expect(v3.job('arm', 'long').cancelRequests).toBe(0)
    expect(run.lines.join('\n')).toContain(`Asked Azure Resource Manager to cancel ${id} (cancel-on-abort).`)
  })
})

describe('the runner cancels a v3 wait (SIGINT) with cancel-on-abort', () => {
  it('stops, asks Resource Manager to cancel the job, and reports the last state', async () => {
    const id = v3.addArmJob({ name: 'to-cancel', timeline: [{ state: 'Processing' }] })
    let sentAt = 0
    const run = await runAction({
      inputs: armInputs(id, { 'poll-interval': '30s', timeout: '5m', 'cancel-on-abort': 'true' }),
      onOutput: (text, child) => {
        if (text.includes(': Processing') && !sentAt) {
          sentAt = Date.now()
          child.kill('SIGINT')
        }
      }
    })

    expect(sentAt).toBeGreaterThan(0)
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/title=Wait canceled/)
    expect(run.outputs.state).toBe('Processing')
    expect(
      armRequests()
        .filter(r => r.method === 'POST')
        .map(r => r.path)
    ).toEqual([`${id}/cancelJob?api-version=2022-07-01`])
    expect(v3.job('arm', 'to-cancel').cancelRequests).toBe(1)
  })
})

describe('the token stays where it belongs', () => {
  it('a redirect to an untrusted host is refused; that host is never contacted', async () => {
    const id = v3.addArmJob({ name: 'j' })
    v3.redirectToEvil('arm')
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /Refused to send the token to 127\.0\.0\.1:\d+: Azure Resource Manager redirected there/
    )
    expect(v3.requests.filter(r => r.api === 'evil')).toEqual([])
  })
})

describe('throttling', () => {
  it('429 with Retry-After: waits as asked, says so, and the job still finishes', async () => {
    const id = v3.addArmJob({ name: 'j', timeline: [{ state: 'Finished' }] })
    v3.throttle('arm', 1, 2)
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toMatch(/Azure Resource Manager: .*throttling \(429\).*; retrying in 2\.0s/)
    const [throttled, next] = armRequests()
    expect(throttled.status).toBe(429)
    expect(next.at - throttled.at).toBeGreaterThanOrEqual(1900)
  })
})

describe('a v3 job with an endTime only (the emulator may leave out startTime, as the service may)', () => {
  it('ends Finished with endTime set, startTime empty and no duration made up', async () => {
    const id = v3.addArmJob({ name: 'no-start', endTimeOnly: true, timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs.startTime).toBe('')
    expect(run.outputs.endTime).toMatch(/Z$/)
    expect(run.outputs.runningDuration).toBe('')
    expect(JSON.parse(run.outputs.jobs)[0].runningDuration).toBeNull()
    expect(run.summary).toMatch(/\| no-start \| ✅ Finished \| 100% \| {2}\| \d{4}-[^|]+Z \| {2}\|/)
  })
})

describe('a v3 job that does not exist', () => {
  it('is given 3 polls (404 each), then the step fails naming job-url (only)', async () => {
    const missing = v3.addArmJob({ name: 'exists' }).replace(/exists$/, 'missing')
    const run = await runAction({ inputs: armInputs(missing) })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /title=Job on Azure Resource Manager not found::job .*missing not found: Azure Resource Manager did not return it in 3 polls \(it answered NotFound: The requested resource was not found\.\)\. Check job-url/
      )
    ])
    expect(run.errors[0]).not.toMatch(/job-id|api-url|Media Services/)
    expect(armRequests().map(r => r.status)).toEqual([404, 404, 404])
  })
})

describe('an MK.IO-shaped service with access-token', () => {
  it('sends the personal token as Bearer to that host only, and never signs in to Entra ID', async () => {
    const url = v3.addMkioJob({
      name: 'mk-job',
      timeline: [{ state: 'Processing', polls: 1, progress: 55 }, { state: 'Finished' }]
    })
    const run = await runAction({
      inputs: { 'job-url': url, 'access-token': v3.mkioToken, 'poll-interval': '1s', timeout: '60s' }
    })

    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toContain('Processing (55%)')
    expect(run.outputs.state).toBe('Finished')
    const mkio = v3.requests.filter(r => r.api === 'mkio')
    expect(mkio.length).toBeGreaterThanOrEqual(2)
    for (const r of mkio) {
      expect(r.authorization).toBe(`Bearer ${v3.mkioToken}`)
      expect(r.path).not.toContain('api-version')
    }
    expect(armRequests()).toEqual([])
    expect(emu.tokenRequests).toEqual([])
    // Masked first (::add-mask::), then never in what a person reads.
    expect(run.stdout).toContain(`::add-mask::${v3.mkioToken}`)
    expect(run.lines.join('\n')).not.toContain(v3.mkioToken)
  })

  it('cancel-on-abort draws a warning there, and nothing is canceled', async () => {
    const url = v3.addMkioJob({ name: 'mk-endless', timeline: [{ state: 'Processing' }] })
    const run = await runAction({
      inputs: {
        'job-url': url,
        'access-token': v3.mkioToken,
        'cancel-on-abort': 'true',
        'poll-interval': '1s',
        timeout: '2s'
      }
    })

    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::warning::cancel-on-abort is not supported for jobs on 127\.0\.0\.1/)
    expect(v3.requests.filter(r => r.method === 'POST')).toEqual([])
  })

  it('a wrong token is a 401 that names access-token', async () => {
    const url = v3.addMkioJob({ name: 'mk-job' })
    const run = await runAction({ inputs: { 'job-url': url, 'access-token': 'wrong-token', timeout: '30s' } })

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/refused access \(401\) for the given access-token\. Check access-token/)
    expect(run.errors[0]).toContain('Invalid or expired API token.')
  })
})

/** Every input default of action.yml, as the runner fills them in for a step that does not set them. */
function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> }
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, i]) => i.default !== undefined)
      .map(([name, i]) => [name, String(i.default)])
  )
}

describe('job-url runs as the runner starts them (#14)', () => {
  const mkio = (url: string, extra: Record<string, string> = {}) => ({
    ...actionDefaults(),
    'job-url': url,
    'access-token': v3.mkioToken,
    'poll-interval': '1s',
    timeout: '60s',
    ...extra
  })

  it("action.yml's defaults filled in (x-ms-version among them): no warning; the summary names the host", async () => {
    expect(actionDefaults()['x-ms-version']).toBeDefined()
    const url = v3.addMkioJob({ name: 'mk-clean', timeline: [{ state: 'Finished' }] })
    const run = await runAction({ inputs: mkio(url) })

    expect(run.code).toBe(0)
    expect(run.stdout).not.toContain('::warning')
    expect(run.stderr).not.toMatch(/Warning/)
    const host = new URL(v3.urls.mkio).host
    expect(run.summary.split('\n')[0]).toBe(`### ✅ Job on 127.0.0.1\\:${new URL(v3.urls.mkio).port}`)
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/)
  })

  it('…/jobs/clip (Finished) and …/jobs/CLIP (Error) off Resource Manager are two jobs: the step fails', async () => {
    const clip = v3.addMkioJob({ name: 'clip', timeline: [{ state: 'Finished' }] })
    const CLIP = v3.addMkioJob({ name: 'CLIP', timeline: [{ state: 'Error' }] })
    expect(CLIP).toBe(clip.replace(/clip$/, 'CLIP'))
    const run = await runAction({ inputs: mkio(`${clip}\n${CLIP}`) })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    // @actions/core escapes the title's : as %3A; the runner turns it back.
    expect(run.errors[0]).toMatch(/^::error title=Job on 127\.0\.0\.1%3A\d+ failed::/)
    expect(run.errors[0]).toContain(`${CLIP} (CLIP) ended Error`)
    expect(run.outputs.state).toBe('Error')
    expect(JSON.parse(run.outputs.jobs).map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([
      [clip, 'Finished'],
      [CLIP, 'Error']
    ])
    const paths = v3.requests.filter(r => r.api === 'mkio').map(r => r.path)
    expect(paths.some(p => p.endsWith('/jobs/clip'))).toBe(true)
    expect(paths.some(p => p.endsWith('/jobs/CLIP'))).toBe(true)
  })

  it('a timeout names the host it waited for, not Media Services', async () => {
    const url = v3.addMkioJob({ name: 'mk-slow', timeline: [{ state: 'Processing' }] })
    const run = await runAction({ inputs: mkio(url, { timeout: '2s' }) })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^::error title=Timed out waiting for 127\.0\.0\.1%3A\d+::timed out after 2s/)
    ])
    expect(run.stdout).not.toContain('Media Services')
  })

  it('a | in a job-url keeps the summary row whole', async () => {
    const url = v3.addMkioJob({ name: 'a|b', timeline: [{ state: 'Finished' }] })
    expect(url).toMatch(/jobs\/a\|b$/)
    const run = await runAction({ inputs: mkio(url) })

    expect(run.code).toBe(0)
    const row = run.summary.split('\n').find(l => l.startsWith('| `'))!
    expect(row).toContain(`| \`${url.replace('|', '\\|')}\` | a\\|b | ✅ Finished |`)
    // GitHub splits a row on every | without a backslash before it, in code spans too: 8 cells.
    expect(row.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(8)
  })

  it('a Media Services v2 job id in job-url is called one, and sent to job-id', async () => {
    const id = 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000a'
    const run = await runAction({ inputs: mkio(id) })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      `::error title=Invalid input::Input job-url: '${id}' is a Media Services v2 job id; give it in job-id instead (job-url is for v3 job URLs and ARM resource ids).`
    ])
    expect(v3.requests).toEqual([])
  })
})

describe('input errors, before any request', () => {
  it('job-id and job-url together', async () => {
    const id = v3.addArmJob({ name: 'j' })
    const run = await runAction({
      inputs: { ...armInputs(id), 'job-id': 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000a' }
    })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^::error title=Invalid input::Inputs job-id and job-url are both given/)
    ])
    expect(v3.requests).toEqual([])
    expect(emu.requests).toEqual([])
  })

  it('a job-url on a non-ARM host without access-token', async () => {
    const url = v3.addMkioJob({ name: 'mk-job' })
    const { 'arm-url': _arm, ...inputs } = armInputs(url)
    const run = await runAction({ inputs })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^::error title=Invalid input::Input access-token is required for job-url on 127\.0\.0\.1/
      )
    ])
    expect(run.stdout).not.toMatch(/at .*\.js:\d+/)
    expect(v3.requests).toEqual([])
    expect(emu.requests).toEqual([])
  })
})

describe('predictive polling of a v3 job, its progress in the body', () => {
  it('a steady job is seen just after it ends, not a poll-interval later, at no more requests than fixed', async () => {
    // Processing 9 s from the first GET, progress rising steadily; poll-interval 4s: fixed polling looks at
    // 0, 4, 8 and 12 s and sees the end 3 s late. Predictive paces the job from the progress in each answer
    // and looks just past 9 s instead.
    const id = v3.addArmJob({
      name: 'steady',
      clockFromFirstPoll: true,
      timeline: [{ state: 'Processing', ms: 9000 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: armInputs(id, { 'poll-interval': '4s' }) })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs.state).toBe('Finished')
    const gets = armRequests().map(r => r.at)
    const seenAfter = gets.at(-1)! - v3.job('arm', 'steady').endTime!
    expect(seenAfter).toBeGreaterThanOrEqual(0)
    // Just past the predicted end (0.1 s margin), with headroom for a loaded machine: under half an interval.
    expect(seenAfter).toBeLessThan(1500)
    expect(gets.length).toBeLessThanOrEqual(4)
  })
})
