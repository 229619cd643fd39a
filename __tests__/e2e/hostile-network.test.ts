/**
 * Broken servers on every endpoint, end to end on dist/index.js: answers cut mid-body, dripping a byte a
 * second, stalled after the headers, hundreds of MiB long, or never coming; from Media Services, from the
 * token service and from GitHub's OIDC service. The wait rides out what a retry cures, and every ending
 * comes from a bound (a request's limit, a retry given up at the timeout, the timeout itself) and is written
 * (outputs, summary, one annotation, exit code 0 or 1). The proof is in order and counts of requests, not in
 * wall-clock windows: a run that hangs is killed by the harness (HANG_KILL_MS) and fails expectWrittenEnding.
 */
import { describe, expect, it } from '@jest/globals'
import { type Emulator, useEmulator } from './emulators.js'
import { expectWrittenEnding } from './endings.js'
import { runAction, secretInputs } from './harness.js'

type Fault = Parameters<Emulator['injectFaults']>[0][number]
const emu = useEmulator()

/**
 * A run that has not ended by then hangs: every run here ends by its timeout (8 s or 20 s) and the last
 * poll's 5 s, so this is room for a loaded machine, not a measure.
 */
const HANG_KILL_MS = 45_000
/**
 * The most tries a retry fits in an 8 s timeout: the backoff waits at least 0.5, 1, 2 and 4 s between
 * them (half of each step; retry.ts), so a sixth try would start after 7.5 + 8 s.
 */
const MOST_TRIES_IN_8S = 5

const secrets = (): string[] => [emu.clientSecret, emu.oidcRequestToken, ...emu.issuedTokens]
const jobsQueries = (): typeof emu.requests =>
  emu.requests.filter(r => r.server === 'account' && r.path.includes('Jobs()'))
const taskReads = (): typeof emu.requests =>
  emu.requests.filter(r => r.server === 'account' && r.path.includes('/Tasks'))
const TOKEN = '/oauth2/v2.0/token'
const OIDC = '/github/idtoken'
const tokenAsks = (): typeof emu.requests =>
  emu.requests.filter(r => r.server === 'login' && r.path.includes(TOKEN))
const oidcAsks = (): typeof emu.requests => emu.requests.filter(r => r.path.startsWith(OIDC))

/** A sign-in given up by its retry at the timeout: the tries it says it made. */
function triesGivenUp(error: string): number {
  const gaveUp = /\(gave up after (\d+) tr(?:y|ies): the next retry would pass the timeout\)$/.exec(error)
  expect(gaveUp).not.toBeNull()
  return Number(gaveUp![1])
}

describe('Media Services answers that break mid-way are retried like a reset', () => {
  it.each([
    ['cut mid-body', { kind: 'cut' }],
    ['dripping a byte a second', { kind: 'drip', delayMs: 1000 }],
    ['stalled after the headers', { kind: 'stall' }],
    ['512 MiB long (declared)', { kind: 'huge', sizeMiB: 512 }],
    ['512 MiB long (streamed, no length)', { kind: 'huge', sizeMiB: 512, declareLength: false }]
  ] as const)('a Jobs answer %s: the Finished job is still seen', async (_name, fault) => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }] })
    emu.injectFaults([{ ...(fault as Fault), path: 'Jobs()', times: 1 }])
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, timeout: '20s' },
      killAfterMs: HANG_KILL_MS
    })
    expectWrittenEnding(run, 0, secrets())
    expect(run.outputs.state).toBe('Finished')
    // The broken answer was abandoned at its bound (cut, the request's limit, the size cap) and retried once;
    // the queries after it were answered whole, and the job was seen to finish in at most two of them.
    const retries = run.lines.filter(l => /^Media Services: .*retrying in/.test(l))
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatch(
      /closed the connection mid-answer|did not complete within 5s|larger than 8 MiB/
    )
    expect(jobsQueries()[0].fault).toBe(fault.kind)
    expect(
      jobsQueries()
        .slice(1)
        .map(r => r.fault)
    ).toEqual(
      jobsQueries()
        .slice(1)
        .map(() => undefined)
    )
    expect(jobsQueries().length).toBeGreaterThanOrEqual(2)
    expect(jobsQueries().length).toBeLessThanOrEqual(3)
  })

  it.each([
    ['cut mid-body', { kind: 'cut' }],
    ['dripping a byte a second', { kind: 'drip', delayMs: 1000 }],
    ['stalled after the headers', { kind: 'stall' }]
  ] as const)('a Tasks answer %s does not keep a Finished job from being seen', async (_name, fault) => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', polls: 2 }, { state: 'Finished' }] })
    emu.injectFaults([{ ...(fault as Fault), path: '/Tasks', times: 100 }])
    // Fixed polling reads the tasks of a Processing job at every poll (predictive polling would wait for a pace).
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, timeout: '20s', polling: 'fixed' },
      killAfterMs: HANG_KILL_MS
    })
    expectWrittenEnding(run, 0, secrets())
    expect(run.outputs.state).toBe('Finished')
    expect(taskReads().length).toBeGreaterThan(0)
    expect(taskReads().every(r => r.fault === fault.kind)).toBe(true)
    // The polls went on after a broken Tasks read, no more of them than the job's timeline needs (Processing
    // twice, then Finished): a Tasks read never stands in for a poll or holds it up to the timeout.
    expect(jobsQueries()).toHaveLength(3)
    expect(emu.requests.indexOf(jobsQueries()[2])).toBeGreaterThan(emu.requests.indexOf(taskReads()[0]))
    expect(run.lines.some(l => /timed out/.test(l))).toBe(false)
  })

  it.each([
    ['never answers', { kind: 'hang' }],
    ['stalls after the headers', { kind: 'stall' }],
    ['drips', { kind: 'drip', delayMs: 1000 }]
  ] as const)('a Jobs endpoint that %s ends the wait at the timeout, saying so', async (_name, fault) => {
    const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
    emu.injectFaults([{ ...(fault as Fault), path: 'Jobs()', times: 1000 }])
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, timeout: '8s' },
      killAfterMs: HANG_KILL_MS
    })
    expectWrittenEnding(run, 1, secrets())
    // The ending came from the timeout: its own annotation, not a transport error or the harness's kill.
    expect(run.errors[0]).toMatch(
      /^::error title=Timed out waiting for Media Services::timed out after \d+s \(timeout 8s\)/
    )
    // The time it says is the time it waited: at least the timeout (the wait waited), at most the run.
    const said = Number(/timed out after (\d+)s/.exec(run.errors[0])![1])
    expect(said).toBeGreaterThanOrEqual(8)
    expect(said * 1000).toBeLessThanOrEqual(run.ms)
    // Each query held to its 5 s limit: the first poll and its one retry, then the poll due at the timeout.
    expect(jobsQueries().every(r => r.fault === fault.kind)).toBe(true)
    expect(jobsQueries().length).toBeGreaterThanOrEqual(2)
    expect(jobsQueries().length).toBeLessThanOrEqual(3)
  })
})

describe('a broken sign-in ends in time and says it was the sign-in', () => {
  it.each([
    ['never answers', { kind: 'hang' }],
    ['drips', { kind: 'drip', delayMs: 1000 }],
    ['stalls after the headers', { kind: 'stall' }],
    ['cuts its answers', { kind: 'cut' }],
    ['sends 512 MiB', { kind: 'huge', sizeMiB: 512, declareLength: false }]
  ] as const)('the token service %s', async (_name, fault) => {
    const id = emu.addJob()
    emu.injectFaults([{ ...(fault as Fault), server: 'login', path: TOKEN, times: 1000 }])
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': id, timeout: '8s' },
      killAfterMs: HANG_KILL_MS
    })
    expectWrittenEnding(run, 1, secrets())
    expect(run.errors[0]).toMatch(/Entra ID sign-in failed: /)
    // It ended because the next retry would pass the timeout, after as many tries as the token service saw.
    const tries = triesGivenUp(run.errors[0])
    expect(tokenAsks()).toHaveLength(tries)
    expect(tries).toBeLessThanOrEqual(MOST_TRIES_IN_8S)
    expect(tokenAsks().every(r => r.fault === fault.kind)).toBe(true)
    expect(emu.requests.filter(r => r.server === 'account')).toHaveLength(0)
  })

  it.each([
    ['never answers', { kind: 'hang' }],
    ['cuts its answer', { kind: 'cut' }]
  ] as const)("GitHub's OIDC service %s", async (_name, fault) => {
    const id = emu.addJob()
    const { 'client-secret': _secret, ...inputs } = secretInputs(emu)
    emu.injectFaults([{ ...(fault as Fault), server: 'login', path: OIDC, times: 1000 }])
    const run = await runAction({
      inputs: { ...inputs, 'job-id': id, timeout: '8s' },
      killAfterMs: HANG_KILL_MS,
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: emu.urls.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: emu.oidcRequestToken
      }
    })
    expectWrittenEnding(run, 1, secrets())
    expect(run.errors[0]).toMatch(/Entra ID sign-in failed: GitHub OIDC token: /)
    const tries = triesGivenUp(run.errors[0])
    expect(oidcAsks()).toHaveLength(tries)
    expect(tries).toBeLessThanOrEqual(MOST_TRIES_IN_8S)
    expect(oidcAsks().every(r => r.fault === fault.kind)).toBe(true)
    expect(tokenAsks()).toHaveLength(0)
  })
})
