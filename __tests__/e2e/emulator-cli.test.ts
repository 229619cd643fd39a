/**
 * `npm run emulator` as a developer uses it: start it with scripted jobs, take the .env it writes, run the
 * action with those values (as `npm run local-action` or a workflow would), stop it with Ctrl-C.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
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
      ...['--job', 'finished', '--job', 'broken=Queued:1,Error'],
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

  it('says what it expects when a state is misspelt', () => {
    expect(() => parseJobFlag('Queued,Finnished')).toThrow(
      /'Finnished' is not State, State:polls or State:5s/
    )
  })
})

/** Starts `npm run emulator` with these options; resolves once it says it is ready (its .env is written). */
async function startCli(args: string[], folder = mkdtempSync(join(tmpdir(), 'ams-emu-kind-'))) {
  const envFile = join(folder, '.env')
  const proc = spawn(process.execPath, ['emulator/cli.js', ...args, '--log', '--env-out', envFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const log = { text: '' }
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (log.text += d))
  for (let i = 0; i < 100 && !log.text.includes('Emulator ready'); i++)
    await new Promise(r => setTimeout(r, 100))
  const stop = async () => {
    const closed = new Promise(resolve => proc.on('close', resolve))
    proc.kill('SIGINT')
    await closed
    rmSync(folder, { recursive: true, force: true })
  }
  return { envFile, env: readEnv(envFile), log, stop }
}

/** `npm run local-action` with that .env: src/main.ts under @github/local-action. */
async function localAction(envFile: string): Promise<string> {
  const la = spawn(process.execPath, ['scripts/local-action.js', envFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  la.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  la.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const killer = setTimeout(() => la.kill('SIGKILL'), 50_000)
  await new Promise(resolve => la.on('close', resolve))
  clearTimeout(killer)
  return out
}

describe('npm run emulator for every kind of job, run with npm run local-action', () => {
  it.each([
    ['v2 jobs with GitHub OIDC', ['--oidc'], 'INPUT_JOB-ID', 'the GitHub OIDC identity'],
    [
      'v3 jobs on Resource Manager with a client secret',
      ['--kind', 'arm'],
      'INPUT_JOB-URL',
      'the client secret'
    ],
    [
      'v3 jobs on Resource Manager with GitHub OIDC',
      ['--kind', 'arm', '--oidc'],
      'INPUT_JOB-URL',
      'the GitHub OIDC identity'
    ],
    [
      'v3 jobs on the MK.IO-shaped host with its token',
      ['--kind', 'mkio'],
      'INPUT_JOB-URL',
      'the given access-token'
    ]
  ])(
    '%s: the .env gives that sign-in, and the job ends Finished',
    async (_what, args, jobInput, signIn) => {
      const cli = await startCli([...args, '--job', 'encode=Queued:1,Processing:1,Finished'])
      try {
        const { env } = cli
        const oidc = args.includes('--oidc')
        const kind = args.includes('arm') ? 'arm' : args.includes('mkio') ? 'mkio' : 'v2'
        expect(env.AMS_EMU_KIND).toBe(kind)
        expect(env[jobInput]).toBe(env.AMS_EMU_JOB_ENCODE)
        expect(env['INPUT_CLIENT-SECRET']).toBe(
          kind === 'mkio' || oidc ? undefined : env.AMS_EMU_CLIENT_SECRET
        )
        expect(env.ACTIONS_ID_TOKEN_REQUEST_URL).toBe(oidc ? env.AMS_EMU_OIDC_REQUEST_URL : undefined)
        expect(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe(oidc ? env.AMS_EMU_OIDC_REQUEST_TOKEN : undefined)
        expect(env['INPUT_ARM-URL']).toBe(kind === 'arm' ? env.AMS_EMU_ARM_URL : undefined)
        expect(env['INPUT_ACCESS-TOKEN']).toBe(kind === 'mkio' ? env.AMS_EMU_MKIO_TOKEN : undefined)

        const out = await localAction(cli.envFile)
        expect(out).toContain(`job ${env.AMS_EMU_JOB_ENCODE} at `)
        expect(out).toContain(`signing in with ${signIn}).`)
        expect(out).toMatch(/'state'\s*│\s*'Finished'/)
        // local-action fills action.yml's defaults (x-ms-version too), as the runner does: no warning.
        expect(out).not.toMatch(/::warning|\(node:\d+\) \w*Warning/)
        // GitHub's OIDC token was asked for exactly when --oidc says so; Entra ID only for a sign-in.
        expect(/\[emu\] login (GET|POST) \/github\/idtoken\S* -> 200/.test(cli.log.text)).toBe(oidc)
        expect(/\[emu\] login POST \/\S+\/oauth2\/v2\.0\/token\S* -> 200/.test(cli.log.text)).toBe(
          kind !== 'mkio'
        )
      } finally {
        await cli.stop()
      }
    },
    60_000
  )

  it('--help lists every kind and one command per kind', async () => {
    const help = spawn(process.execPath, ['emulator/cli.js', '--help'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    help.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
    expect(await new Promise(resolve => help.on('close', resolve))).toBe(0)
    for (const kind of ['v2', 'arm', 'mkio']) expect(out).toMatch(new RegExp(`^ +${kind} +`, 'm'))
    for (const command of [
      '--oidc --job finished',
      '--kind arm --job finished',
      '--kind arm --oidc',
      '--kind mkio --job finished'
    ])
      expect(out).toContain(`npm run emulator -- ${command}`)
  })

  it('refuses an unknown kind, and --oidc for the MK.IO-shaped host (it takes a token)', () => {
    expect(() => parseArgs(['--kind', 'v3'])).toThrow("--kind: v2, arm, mkio (not 'v3').")
    expect(() => parseArgs(['--kind', 'mkio', '--oidc'])).toThrow(/MK\.IO-shaped host takes its API token/)
    expect(parseArgs(['--kind', 'arm', '--oidc'])).toMatchObject({ kind: 'arm', oidc: true })
  })
})

/** A port N such that N to N+6 (what --port N takes) are free now: found by binding port 0, then its neighbours. */
async function freePorts(): Promise<number> {
  const bind = (port: number) =>
    new Promise<Server | undefined>(resolve => {
      const server = createServer()
      server.once('error', () => resolve(undefined))
      server.listen(port, '127.0.0.1', () => resolve(server))
    })
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await bind(0)
    const n = (first!.address() as AddressInfo).port
    const held = [first]
    for (let i = 1; i <= 6 && n + i <= 65535 && held.length === i; i++) {
      const next = await bind(n + i)
      if (next) held.push(next)
    }
    await Promise.all(held.map(s => new Promise(resolve => s!.close(resolve))))
    if (held.length === 7) return n
  }
  throw new Error('no 7 free ports in a row on 127.0.0.1')
}

/** Runs `npm run emulator` until it exits by itself (a refusal): its exit code and what it wrote. */
async function cliExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const proc = spawn(process.execPath, ['emulator/cli.js', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const killer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  const code = await new Promise<number | null>(resolve => proc.on('close', resolve))
  clearTimeout(killer)
  return { code, stderr }
}

describe('npm run emulator --port and --env-out', () => {
  it('a port in use: one line that says which and what to do, no stack, a failing exit', async () => {
    const n = await freePorts()
    // Something else holds the login port (N+2): the listeners before it start, then the emulator gives up.
    const other = createServer()
    await new Promise(resolve => other.listen(n + 2, '127.0.0.1', () => resolve(undefined)))
    const folder = mkdtempSync(join(tmpdir(), 'ams-emu-port-'))
    try {
      const r = await cliExit(['--port', String(n), '--env-out', join(folder, '.env')])
      expect(r.stderr).toBe(
        `emulator: port ${n + 2} is in use: stop the other emulator (or what listens there) or choose another --port N\n`
      )
      expect(r.code).toBe(1)
      expect(existsSync(join(folder, '.env'))).toBe(false)
    } finally {
      await new Promise(resolve => other.close(resolve))
      rmSync(folder, { recursive: true, force: true })
    }
  }, 40_000)

  it.each([['v2'], ['arm'], ['mkio']])(
    '--kind %s --port N: the .env (job ids, job URLs, arm-url) is the same after a restart',
    async kind => {
      const n = await freePorts()
      const args = [
        '--kind',
        kind,
        '--port',
        String(n),
        '--job',
        'encode=finished',
        '--job',
        'Queued:1,Error'
      ]
      const first = await startCli(args)
      await first.stop()
      const second = await startCli(args)
      await second.stop()
      expect(second.env).toEqual(first.env)
      const urls = Object.entries(first.env).filter(
        ([k, v]) => /URL|HOST$|JOB/.test(k) && /127\.0\.0\.1/.test(v)
      )
      expect(urls.length).toBeGreaterThan(3)
      for (const [, value] of urls) {
        const ports = [...value.matchAll(/127\.0\.0\.1:(\d+)/g)].map(m => Number(m[1]))
        for (const port of ports) expect(port - n).toBeGreaterThanOrEqual(0)
        for (const port of ports) expect(port - n).toBeLessThanOrEqual(6)
      }
      const jobs = kind === 'v2' ? first.env['INPUT_JOB-ID'] : first.env['INPUT_JOB-URL']
      expect(jobs.split(' ')).toHaveLength(2)
    },
    60_000
  )

  it('--env-out through a symbolic link: the link is replaced by the file, its target is never written', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ams-emu-link-'))
    const victim = join(folder, 'victim')
    writeFileSync(victim, 'keep me\n')
    symlinkSync(victim, join(folder, '.env'))
    // The old temporary name, next to it: a link there must not be followed either.
    symlinkSync(victim, join(folder, '.env.tmp'))
    const cli = await startCli([], folder)
    try {
      expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
      expect(lstatSync(join(folder, '.env')).isSymbolicLink()).toBe(false)
      expect(cli.env.AMS_EMU_KIND).toBe('v2')
      expect(readdirSync(folder).sort()).toEqual(['.env', '.env.tmp', 'victim'])
    } finally {
      await cli.stop()
    }
  }, 40_000)
})
