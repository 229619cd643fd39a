/**
 * Throttling, outages, revoked tokens and cancellation, end to end on dist/index.js: the wait rides out what
 * is transient, fails fast and clearly on what is not, and always ends in bounded time.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from './emulators.js'
import { runAction, secretInputs } from './harness.js'

const emu = useEmulator()

const jobQueries = (): typeof emu.requests =>
  emu.requests.filter(r => r.server === 'account' && r.path.includes('Jobs()'))
const quickJob = (): string =>
  emu.addJob({ timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }] })

describe('transient failures are retried', () => {
  it('waits at least as long as Retry-After says when Media Services is busy', async () => {
    const id = quickJob()
    emu.injectFaults([{ kind: 'status', status: 503, headers: { 'Retry-After': '2' }, times: 1 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toMatch(/busy \(503\).*retrying in 2\.\ds/)
    const [first, second] = jobQueries()
    expect(first.status).toBe(503)
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900)
  })

  it.each([
    ['429 throttling', { kind: 'status', status: 429 }],
    ['500', { kind: 'status', status: 500 }],
    ['504', { kind: 'status', status: 504 }],
    ['408', { kind: 'status', status: 408 }],
    ['a gateway HTML page', { kind: 'html', status: 502 }],
    ['a reset connection', { kind: 'reset' }],
    ['a 200 that is not JSON', { kind: 'garbage' }]
  ] as const)('rides out %s', async (_name, fault) => {
    const id = quickJob()
    emu.injectFaults([{ ...fault, times: 2 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    expect(run.lines.filter(l => /retrying in/.test(l))).toHaveLength(2)
  })

  it('a throttled Tasks read (429, Retry-After: 3): nothing is sent to the service before the 3 s have passed', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', polls: 4 }, { state: 'Finished' }] })
    emu.injectFaults([
      {
        server: 'account',
        path: 'Tasks',
        kind: 'status',
        status: 429,
        headers: { 'Retry-After': '3' },
        times: 1
      }
    ])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, polling: 'fixed' } })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    const account = emu.requests.filter(r => r.server === 'account')
    const throttled = account.findIndex(r => r.status === 429)
    expect(account[throttled].path).toMatch(/Tasks/)
    // The next request of any kind (the next poll or Tasks read) waits for the time asked for.
    expect(account[throttled + 1].at - account[throttled].at).toBeGreaterThanOrEqual(3000)
  })

  it('an outage in the last seconds: the wait lasts until the timeout and ends timed out, with the last state seen', async () => {
    const id = emu.addJob({ name: 'last', timeline: [{ state: 'Processing' }] })
    // From the second poll on, Media Services is down until long after the timeout.
    const watch = setInterval(() => {
      if (jobQueries().length < 2) return
      clearInterval(watch)
      emu.injectFaults([{ server: 'account', path: 'Jobs()', kind: 'status', status: 503, times: 1000 }])
    }, 10)
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '8s' } })
    clearInterval(watch)
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error title=Timed out waiting for Media Services::timed out after .* waiting for ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(last\\); last state Processing\\. Last request: .*503`
        )
      )
    ])
    expect(run.outputs.state).toBe('Processing')
  })

  it('abandons a request that hangs and tries again', async () => {
    const id = quickJob()
    emu.injectFaults([{ kind: 'hang', times: 1 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '20s' } })
    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toMatch(/no answer from .* within 5s/)
    expect(run.ms).toBeLessThan(15_000)
  })

  it('gives up at the timeout, saying what it tried, the last status and the request id', async () => {
    const id = quickJob()
    emu.injectFaults([{ kind: 'status', status: 503, times: 1000 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '6s' } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const last = jobQueries().at(-1)!
    expect(run.errors[0]).toContain('503')
    // The last poll, at the deadline, says what it tried.
    expect(run.errors[0]).toMatch(
      /^::error title=Timed out waiting for Media Services::.*gave up after \d+ (try|tries)/
    )
    expect(run.errors[0]).toContain(last.requestId)
    expect(run.ms).toBeLessThan(12_000)
  })
})

describe('tokens', () => {
  it('gets a fresh token once when Media Services refuses the current one', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', polls: 2 }, { state: 'Finished' }] })
    let revoked = false
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id },
      onOutput: text => {
        if (text.includes(': Processing') && !revoked) {
          revoked = true
          emu.revokeTokens()
        }
      }
    })
    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toContain('getting a fresh one')
    expect(emu.tokenRequests.length).toBe(2)
  })

  it('stops with an access message when a fresh token is refused too', async () => {
    const id = quickJob()
    emu.injectFaults([{ kind: 'status', status: 401, times: 100 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/refused access \(401\) even with a fresh token.*role/)
    expect(jobQueries()).toHaveLength(2)
    expect(emu.tokenRequests).toHaveLength(2)
  })

  it('fails at once on 403', async () => {
    const id = quickJob()
    emu.injectFaults([{ kind: 'status', status: 403, times: 100 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/denied access \(403\)/)
    expect(jobQueries()).toHaveLength(1)
  })

  it('retries the token service through its outage', async () => {
    const id = quickJob()
    emu.setAuthority({ failWith: 'server_error', failTimes: 2 })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(run.lines.filter(l => /^Entra ID: .*retrying in/.test(l))).toHaveLength(2)
  })

  it('says it was the sign-in that failed when the token service stays down', async () => {
    const id = quickJob()
    emu.setAuthority({ failWith: 'server_error' })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '5s' } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^::error title=Sign-in failed::Entra ID sign-in failed: .*gave up after \d+ tries/
    )
    expect(emu.requests.filter(r => r.server === 'account')).toHaveLength(0)
  })

  it('fails at once on a wrong secret, quoting the AADSTS code and never the secret', async () => {
    const id = quickJob()
    const wrong = 'not-the-secret-' + 'x'.repeat(20)
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, 'client-secret': wrong } })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('AADSTS7000215')
    expect(run.errors[0]).toContain('client-secret')
    expect(emu.tokenRequests).toHaveLength(1)
    const unmasked = run.stdout.split('\n').filter(l => !l.startsWith('::add-mask::'))
    expect(unmasked.join('\n')).not.toContain(wrong)
  })
})

describe('the runner cancels the step', () => {
  const cancelWhen = (needle: string) => (text: string, child: import('node:child_process').ChildProcess) => {
    if (text.includes(needle) && !child.killed) child.kill('SIGINT')
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops at once on %s and sets the outputs to the last state seen',
    async signal => {
      const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
      let sentAt = 0
      const run = await runAction({
        inputs: { ...secretInputs(emu), 'job-id': id, 'poll-interval': '30s', timeout: '5m' },
        onOutput: (text, child) => {
          if (text.includes(': Processing') && !sentAt) {
            sentAt = Date.now()
            child.kill(signal)
          }
        }
      })
      expect(sentAt).toBeGreaterThan(0)
      expect(Date.now() - sentAt).toBeLessThan(2500)
      expect(run.code).not.toBe(0)
      expect(run.outputs.state).toBe('Processing')
      expect(run.errors[0]).toContain('canceled')
      expect(emu.requests.some(r => r.path.includes('CancelJob'))).toBe(false)
    }
  )

  it('asks Media Services to cancel the job with cancel-on-abort', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, 'poll-interval': '30s', 'cancel-on-abort': 'true' },
      onOutput: cancelWhen(': Processing')
    })
    expect(run.code).not.toBe(0)
    expect(emu.requests.filter(r => r.path.includes('CancelJob'))).toHaveLength(1)
    expect(run.lines.join('\n')).toContain(`Asked Media Services to cancel ${id}`)
    expect(['Canceling', 'Canceled']).toContain(emu.job(id).state)
  })

  it('cancels the job on timeout with cancel-on-abort', async () => {
    const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, timeout: '3s', 'cancel-on-abort': 'true' }
    })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain('timed out')
    expect(emu.requests.filter(r => r.path.includes('CancelJob'))).toHaveLength(1)
  })
})
