/**
 * `npm run emulator` as a developer uses it: start it with scripted jobs, take the .env it writes, run the
 * action with those values (as `npm run local-action` or a workflow would), stop it with Ctrl-C.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, parseJobFlag } from '../../emulator/cli.js'
import { ROOT } from '../../scripts/runner.js'
import { runAction } from './harness.js'

let dir: string
let cli: ChildProcess
let env: Record<string, string>
let stderr = ''

/** The .env as a map, without comments. */
function readEnv(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(line)
    if (m) out[m[1]] = m[2]
  }
  return out
}

/** The INPUT_* lines as the action's inputs, the rest as the environment. */
function split(values: Record<string, string>, jobId: string) {
  const inputs: Record<string, string> = {}
  for (const [k, v] of Object.entries(values))
    if (k.startsWith('INPUT_')) inputs[k.slice(6).toLowerCase()] = v
  return { inputs: { ...inputs, 'job-id': jobId }, env: { NODE_EXTRA_CA_CERTS: values.NODE_EXTRA_CA_CERTS } }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ams-emu-cli-'))
  const envFile = join(dir, '.env')
  cli = spawn(
    process.execPath,
    [
      'emulator/cli.js',
      ...['--job', 'finished', '--job', 'broken=Queued:1,Error', '--v3-job', 'clip=Processing:1,Finished'],
      ...['--env-out', envFile]
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  cli.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  for (let i = 0; i < 100 && !existsSync(envFile); i++) await new Promise(r => setTimeout(r, 100))
  env = readEnv(envFile)
})

afterAll(() => {
  if (cli.exitCode === null) cli.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe('npm run emulator', () => {
  it('writes a .env with the inputs, the test CA and one AMS_EMU_JOB_* per scripted job', () => {
    expect(stderr).toContain('Emulator ready')
    expect(env['INPUT_API-URL']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/$/)
    expect(env['INPUT_TRUSTED-HOSTS']).toBe(new URL(env.AMS_EMU_ACCOUNT_URL).host)
    expect(env['INPUT_JOB-ID'].split(' ')).toEqual([env.AMS_EMU_JOB_FINISHED, env.AMS_EMU_JOB_BROKEN])
    expect(env.NODE_EXTRA_CA_CERTS).toBe(join(ROOT, 'emulator', 'certs', 'ca.pem'))
  })

  it('serves the finished job behind the redirect: the action ends Finished', async () => {
    const run = await runAction(split(env, env.AMS_EMU_JOB_FINISHED))
    expect(run.code).toBe(0)
    expect(run.lines.join('\n')).toContain(`redirected to ${env.AMS_EMU_ACCOUNT_URL}`)
    expect(run.outputs.state).toBe('Finished')
    expect(run.outputs.progress).toBe('100')
  })

  it('serves the scripted Error job: the step fails with its error details', async () => {
    const run = await runAction(split(env, env.AMS_EMU_JOB_BROKEN))
    expect(run.code).toBe(1)
    expect(run.outputs.state).toBe('Error')
    expect(run.errors[0]).toContain('ErrorProcessingTask')
  })

  it('--v3-job: an MK.IO-shaped job and its token in the .env; the action waits for it with job-url', async () => {
    expect(env.AMS_EMU_V3_JOB_CLIP).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/ams\/.*\/jobs\/clip$/)
    expect(env.AMS_EMU_MKIO_TOKEN).toBeTruthy()
    const run = await runAction({
      inputs: {
        'job-url': env.AMS_EMU_V3_JOB_CLIP,
        'access-token': env.AMS_EMU_MKIO_TOKEN,
        'x-ms-version': '2.19', // action.yml's default, as the runner fills it
        'poll-interval': '1s',
        timeout: '30s'
      },
      env: { NODE_EXTRA_CA_CERTS: env.NODE_EXTRA_CA_CERTS }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.state).toBe('Finished')
    expect(run.stdout).not.toContain('::warning')
  })

  it('npm run local-action runs src/main.ts with @github/local-action and that .env', async () => {
    const la = spawn(process.execPath, ['scripts/local-action.js', join(dir, '.env')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    la.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
    la.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
    const killer = setTimeout(() => la.kill('SIGKILL'), 50_000)
    await new Promise(resolve => la.on('close', resolve))
    clearTimeout(killer)
    // Both scripted jobs: one Finished, one in Error, so the action's outputs say Error.
    expect(out).toMatch(/'state'\s*│\s*'Error'/)
    expect(out).toContain(env.AMS_EMU_JOB_FINISHED)
    expect(out).toContain('ErrorProcessingTask')
  }, 60_000)

  it('stops cleanly on Ctrl-C', async () => {
    const closed = new Promise<number | null>(resolve => cli.on('close', code => resolve(code)))
    cli.kill('SIGINT')
    expect(await closed).toBe(0)
  })
})

describe('--job', () => {
  it('reads presets and timelines, with polls or times per state', () => {
    expect(parseJobFlag('error').label).toBe('error')
    expect(parseJobFlag('hd=queued:2,Processing:3s,Finished')).toEqual({
      label: 'hd',
      spec: {
        timeline: [{ state: 'Queued', polls: 2 }, { state: 'Processing', ms: 3000 }, { state: 'Finished' }]
      }
    })
  })

  it('--v3-job takes the same SPEC (not missing) and is listed in --help', () => {
    expect(parseArgs(['--v3-job', 'clip=Queued:1,Error']).v3Jobs).toEqual([
      { label: 'clip', spec: { timeline: [{ state: 'Queued', polls: 1 }, { state: 'Error' }] } }
    ])
    expect(() => parseArgs(['--v3-job', 'missing'])).toThrow(/--v3-job: missing is not supported/)
    expect(() => parseArgs(['--help'])).toThrow(/--v3-job \[label=\]SPEC/)
  })

  it('says what it expects when a state is misspelt', () => {
    expect(() => parseJobFlag('Queued,Finnished')).toThrow(
      /'Finnished' is not State, State:polls or State:5s/
    )
  })
})
