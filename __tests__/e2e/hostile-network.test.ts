/**
 * Broken servers on every endpoint, end to end on dist/index.js: answers cut mid-body, dripping a byte a
 * second, stalled after the headers, hundreds of MiB long, or never coming; from Media Services, from the
 * token service and from GitHub's OIDC service. The wait rides out what a retry cures, and every ending
 * comes within its bound and is written (outputs, summary, one annotation, exit code 0 or 1).
 */
import { describe, expect, it } from '@jest/globals'
import { type Emulator, useEmulator } from './emulators.js'
import { expectWrittenEnding } from './endings.js'
import { runAction, secretInputs } from './harness.js'

type Fault = Parameters<Emulator['injectFaults']>[0][number]
const emu = useEmulator()

/** The per-request limit of a wait of 20 s or less (a quarter of the timeout, at least 5 s), and the last poll's 5 s. */
const REQUEST_LIMIT_S = 5
const LAST_POLL_S = 5
/** Startup, sign-in and a loaded machine. */
const HEADROOM_MS = 4000

const secrets = (): string[] => [emu.clientSecret, emu.oidcRequestToken, ...emu.issuedTokens]
const jobsQueries = (): typeof emu.requests =>
  emu.requests.filter(r => r.server === 'account' && r.path.includes('Jobs()'))
const taskReads = (): typeof emu.requests =>
  emu.requests.filter(r => r.server === 'account' && r.path.includes('/Tasks'))
const TOKEN = '/oauth2/v2.0/token'
const OIDC = '/github/idtoken'

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
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '20s' } })
    expectWrittenEnding(run, 0, secrets())
    expect(run.outputs.state).toBe('Finished')
    expect(jobsQueries()[0].fault).toBe(fault.kind)
    expect(run.lines.filter(l => /^Media Services: .*retrying in/.test(l))).toHaveLength(1)
    expect(run.ms).toBeLessThan(REQUEST_LIMIT_S * 1000 + 10_000)
  })

  it.each([
    ['cut mid-body', { kind: 'cut' }],
    ['dripping a byte a second', { kind: 'drip', delayMs: 1000 }],
    ['stalled after the headers', { kind: 'stall' }]
  ] as const)('a Tasks answer %s does not keep a Finished job from being seen', async (_name, fault) => {
    const id = emu.addJob({ timeline: [{ state: 'Processing', polls: 2 }, { state: 'Finished' }] })
    emu.injectFaults([{ ...(fault as Fault), path: '/Tasks', times: 100 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '20s' } })
    expectWrittenEnding(run, 0, secrets())
    expect(run.outputs.state).toBe('Finished')
    expect(taskReads().length).toBeGreaterThan(0)
    expect(taskReads().every(r => r.fault === fault.kind)).toBe(true)
    expect(run.ms).toBeLessThan(2 * REQUEST_LIMIT_S * 1000 + 10_000)
  })

  it.each([
    ['never answers', { kind: 'hang' }],
    ['stalls after the headers', { kind: 'stall' }],
    ['drips', { kind: 'drip', delayMs: 1000 }]
  ] as const)('a Jobs endpoint that %s ends the wait at the timeout, saying so', async (_name, fault) => {
    const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
    emu.injectFaults([{ ...(fault as Fault), path: 'Jobs()', times: 1000 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '8s' } })
    expectWrittenEnding(run, 1, secrets())
    expect(run.errors[0]).toMatch(/^::error title=Timed out waiting for Media Services::timed out after \d+s/)
    // The time it says is the time it waited: at least the timeout, at most the run.
    const said = Number(/timed out after (\d+)s/.exec(run.errors[0])![1])
    expect(said).toBeGreaterThanOrEqual(8)
    expect(said * 1000).toBeLessThanOrEqual(run.ms)
    expect(run.ms).toBeLessThan((8 + LAST_POLL_S) * 1000 + HEADROOM_MS)
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
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '8s' } })
    expectWrittenEnding(run, 1, secrets())
    expect(run.errors[0]).toMatch(/Entra ID sign-in failed: /)
    expect(emu.requests.filter(r => r.server === 'account')).toHaveLength(0)
    expect(run.ms).toBeLessThan((8 + LAST_POLL_S) * 1000 + HEADROOM_MS)
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
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: emu.urls.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: emu.oidcRequestToken
      }
    })
    expectWrittenEnding(run, 1, secrets())
    expect(run.errors[0]).toMatch(/Entra ID sign-in failed: GitHub OIDC token: /)
    expect(emu.requests.filter(r => r.path.startsWith(OIDC)).length).toBeGreaterThan(0)
    expect(emu.tokenRequests).toHaveLength(0)
    expect(run.ms).toBeLessThan((8 + LAST_POLL_S) * 1000 + HEADROOM_MS)
  })
})
