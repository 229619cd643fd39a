#!/usr/bin/env node
// @ts-check
/**
 * npm run emulator: the emulator as a standalone process, until Ctrl-C. Jobs are scripted by flags or a JSON
 * file, on one of its services (--kind); a ready .env (the runner's INPUT_* names and environment, for
 * `npm run local-action`, plus the same values under AMS_EMU_* names, for a workflow's $GITHUB_ENV) is written
 * and printed once every listener is up.
 *
 *   npm run emulator -- --job finished --job error --job 'Queued:2,Processing:3,Finished'
 *   npm run emulator -- --kind arm --oidc --job finished
 *   npm run emulator -- --kind mkio --jobs jobs.json --env-out .env --port 8440
 */
import { createHash, randomBytes } from 'node:crypto'
import { renameSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startArmEmulator } from './arm.js'
import { startEmulator } from './index.js'
import { STATES } from './jobs.js'

/** Where the scripted jobs live, and so which inputs the .env gives the action. */
export const KINDS = {
  v2: 'Media Services v2 jobs (job-id) behind the global endpoint, Entra ID sign-in',
  arm: 'v3 jobs on Azure Resource Manager (job-url resource ids, arm-url), Entra ID sign-in',
  mkio: 'v3 jobs on an MK.IO-shaped host (job-url full URLs), its API token as access-token'
}
const ARM_SCOPE = 'https://management.azure.com/.default'
/** The highest --port: the listeners take N to N+6. */
const LAST_PORT = 65535 - 6

const USAGE = `Usage: npm run emulator -- [options]
  --kind KIND          where the jobs are (default v2):
                         v2    ${KINDS.v2}
                         arm   ${KINDS.arm}
                         mkio  ${KINDS.mkio}
  --oidc               sign in with GitHub OIDC instead of the client secret (v2, arm): the .env sets
                       ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, and no client-secret
  --job [label=]SPEC   a job; SPEC is a preset (finished, error, canceled, running, missing) or a timeline
                       like 'Queued:2,Processing:3s,Finished' (State:N lasts N polls, State:Ns or State:Nms
                       that long; the last state lasts forever). Repeatable. Default: one 'finished' job.
  --jobs FILE          jobs from a JSON file: [{ "label": "hd", "name": "…", "timeline": [{ "state": "Queued",
                       "polls": 1 }, …] }, …] (the emulator's JobSpec, see emulator/README.md)
  --env-out FILE       where to write the .env (default: .env); a symbolic link there is replaced by the
                       file, its target is never written
  --port N             fixed ports, so that the .env (job ids and URLs too) survives a restart: global N,
                       account N+1, login N+2, evil N+3, and for --kind arm or mkio also arm N+4, mkio N+5
                       and the v3 evil N+6 (default: random free ports)
  --redirect MODE      what the global endpoint does: root (301 to the account, default), none (serves jobs)
  --log                log every request to stderr
Examples, one per kind (then: npm run local-action):
  npm run emulator -- --job finished                 v2, client secret
  npm run emulator -- --oidc --job finished          v2, GitHub OIDC
  npm run emulator -- --kind arm --job finished      v3 on Resource Manager, client secret
  npm run emulator -- --kind arm --oidc --job error  v3 on Resource Manager, GitHub OIDC
  npm run emulator -- --kind mkio --job finished     v3 on the MK.IO-shaped host, token`

/** @type {Record<string, import('./jobs.js').JobSpec>} */
export const PRESETS = {
  finished: {
    timeline: [
      { state: 'Queued', polls: 1 },
      { state: 'Scheduled', polls: 1 },
      { state: 'Processing', polls: 2, progress: 40 },
      { state: 'Finished' }
    ]
  },
  error: { timeline: [{ state: 'Queued', polls: 1 }, { state: 'Processing', polls: 1 }, { state: 'Error' }] },
  canceled: { timeline: [{ state: 'Queued', polls: 1 }, { state: 'Canceled' }] },
  running: { timeline: [{ state: 'Queued', polls: 1 }, { state: 'Processing' }] },
  missing: { missing: true }
}

/**
 * A job from `--job`: a preset or a timeline. Throws with what to write instead.
 * @param {string} text
 * @returns {{ label?: string, spec: import('./jobs.js').JobSpec }}
 */
export function parseJobFlag(text) {
  const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(text.trim())
  const label = m ? m[1] : undefined
  const body = (m ? m[2] : text).trim()
  const preset = PRESETS[body.toLowerCase()]
  if (preset) return { label: label ?? body.toLowerCase(), spec: JSON.parse(JSON.stringify(preset)) }
  const timeline = body.split(',').map(part => {
    const s = /^\s*([A-Za-z]+)\s*(?::\s*(\d+)\s*(ms|s)?)?\s*$/.exec(part)
    const state = s && Object.keys(STATES).find(k => k.toLowerCase() === s[1].toLowerCase())
    if (!s || !state) {
      throw new Error(
        `--job '${text}': '${part.trim()}' is not State, State:polls or State:5s (states: ${Object.keys(STATES).join(', ')}; presets: ${Object.keys(PRESETS).join(', ')}).`
      )
    }
    /** @type {import('./jobs.js').Step} */
    const step = { state: /** @type {import('./jobs.js').StateName} */ (state) }
    if (s[2] !== undefined) {
      const n = Number(s[2])
      if (s[3] === 's') step.ms = n * 1000
      else if (s[3] === 'ms') step.ms = n
      else step.polls = n
    }
    return step
  })
  return { label, spec: { timeline } }
}

/**
 * @param {string[]} argv
 * @returns {{ jobs: { label?: string, spec: import('./jobs.js').JobSpec }[], envFile: string, port?: number,
 *   redirect: 'root' | 'none', log: boolean, kind: keyof KINDS, oidc: boolean }}
 */
export function parseArgs(argv) {
  /** @type {{ label?: string, spec: import('./jobs.js').JobSpec }[]} */
  const jobs = []
  let envFile = '.env'
  /** @type {number | undefined} */
  let port
  /** @type {'root' | 'none'} */
  let redirect = 'root'
  let log = false
  /** @type {keyof KINDS} */
  let kind = 'v2'
  let oidc = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value.`)
      return v
    }
    if (flag === '--job') jobs.push(parseJobFlag(value()))
    else if (flag === '--jobs') {
      const file = value()
      const list = JSON.parse(readFileSync(file, 'utf8'))
      if (!Array.isArray(list)) throw new Error(`--jobs ${file}: expected a JSON array of jobs.`)
      for (const { label, ...spec } of list) jobs.push({ label, spec })
    } else if (flag === '--env-out') envFile = value()
    else if (flag === '--port') {
      port = Number(value())
      if (!Number.isInteger(port) || port < 1 || port > LAST_PORT)
        throw new Error(`--port: give a port number from 1 to ${LAST_PORT} (it takes N to N+6).`)
    } else if (flag === '--redirect') {
      const mode = value()
      if (mode !== 'root' && mode !== 'none') throw new Error('--redirect: root or none.')
      redirect = mode
    } else if (flag === '--kind') {
      const k = value()
      if (!(k in KINDS)) throw new Error(`--kind: ${Object.keys(KINDS).join(', ')} (not '${k}').`)
      kind = /** @type {keyof KINDS} */ (k)
    } else if (flag === '--oidc') oidc = true
    else if (flag === '--log') log = true
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE)
    else throw new Error(`Unknown option ${flag}.\n${USAGE}`)
  }
  if (oidc && kind === 'mkio')
    throw new Error('--oidc: an MK.IO-shaped host takes its API token (access-token), not a sign-in.')
  if (jobs.length === 0) jobs.push(parseJobFlag('finished'))
  return { jobs, envFile, port, redirect, log, kind, oidc }
}

/**
 * @typedef {{ kind: keyof KINDS, oidc: boolean,
 *   v3?: { urls: { arm: string, mkio: string }, mkioToken: string } }} EnvOptions
 */

/**
 * The inputs for the jobs' kind, as the runner names them: the jobs and where they are, and how to sign in.
 * @param {import('./index.js').Emulator} emu
 * @param {string[]} ids job ids (v2), resource ids (arm) or full URLs (mkio)
 * @param {EnvOptions} o
 */
function inputLines(emu, ids, o) {
  if (o.kind === 'mkio') return [`INPUT_JOB-URL=${ids.join(' ')}`, `INPUT_ACCESS-TOKEN=${o.v3?.mkioToken}`]
  const signIn = [
    `INPUT_TENANT-ID=${emu.tenantId}`,
    `INPUT_CLIENT-ID=${emu.clientId}`,
    ...(o.oidc ? [] : [`INPUT_CLIENT-SECRET=${emu.clientSecret}`]),
    `INPUT_AUTHORITY-HOST=${emu.urls.authority}`
  ]
  if (o.kind === 'arm')
    return [`INPUT_JOB-URL=${ids.join(' ')}`, ...signIn, `INPUT_ARM-URL=${o.v3?.urls.arm}`]
  return [
    `INPUT_JOB-ID=${ids.join(' ')}`,
    ...signIn,
    `INPUT_API-URL=${emu.urls.global}`,
    `INPUT_TRUSTED-HOSTS=${new URL(emu.urls.account).host}`
  ]
}

/**
 * The .env text: INPUT_* as the runner names inputs (for @github/local-action), with GitHub's OIDC variables
 * for --oidc, then the same values under names a workflow can put in $GITHUB_ENV and read back as
 * env.AMS_EMU_* (a workflow passes AMS_EMU_OIDC_* to a step as ACTIONS_ID_TOKEN_REQUEST_*).
 * @param {import('./index.js').Emulator} emu
 * @param {{ label?: string, id: string }[]} jobs
 * @param {EnvOptions} [o]
 */
export function envText(emu, jobs, o = { kind: 'v2', oidc: false }) {
  const account = new URL(emu.urls.account).host
  const oidc = [
    `ACTIONS_ID_TOKEN_REQUEST_URL=${emu.urls.oidcRequestUrl}`,
    `ACTIONS_ID_TOKEN_REQUEST_TOKEN=${emu.oidcRequestToken}`
  ]
  const lines = [
    `# Written by npm run emulator (emulator/cli.js), --kind ${o.kind}${o.oidc ? ' --oidc' : ''}. Test-only credentials.`,
    ...inputLines(
      emu,
      jobs.map(j => j.id),
      o
    ),
    `INPUT_POLL-INTERVAL=1s`,
    `INPUT_TIMEOUT=2m`,
    ...(o.oidc ? oidc : []),
    `NODE_EXTRA_CA_CERTS=${emu.caFile}`,
    `AMS_EMU_KIND=${o.kind}`,
    `AMS_EMU_TENANT_ID=${emu.tenantId}`,
    `AMS_EMU_CLIENT_ID=${emu.clientId}`,
    `AMS_EMU_CLIENT_SECRET=${emu.clientSecret}`,
    `AMS_EMU_API_URL=${emu.urls.global}`,
    `AMS_EMU_ACCOUNT_URL=${emu.urls.account}`,
    `AMS_EMU_ACCOUNT_HOST=${account}`,
    `AMS_EMU_AUTHORITY_HOST=${emu.urls.authority}`,
    `AMS_EMU_OIDC_REQUEST_URL=${emu.urls.oidcRequestUrl}`,
    `AMS_EMU_OIDC_REQUEST_TOKEN=${emu.oidcRequestToken}`,
    ...(o.v3 ? [`AMS_EMU_ARM_URL=${o.v3.urls.arm}`, `AMS_EMU_MKIO_TOKEN=${o.v3.mkioToken}`] : []),
    ...jobs.map(
      (j, i) => `AMS_EMU_JOB_${(j.label ?? String(i + 1)).toUpperCase().replace(/-/g, '_')}=${j.id}`
    )
  ]
  return `${lines.join('\n')}\n`
}

/**
 * A v2 job id made from the job's place and name, the same at every start (as the v3 jobs' names are).
 * @param {number} index
 * @param {string} name
 */
function stableJobId(index, name) {
  const hex = createHash('sha256').update(`ams-job-wait emulator job ${index} ${name}`).digest('hex')
  const v4 = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  return `nb:jid:UUID:${v4}`
}

/**
 * Writes the .env: to a new file beside it (created here, never opened through a link), then renamed over the
 * path, so that a symbolic link at the path is replaced, its target is never written, and a script polling for
 * the file never reads half of it.
 * @param {string} file
 * @param {string} text
 */
export function writeEnvFile(file, text) {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 })
  try {
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}

/**
 * Adds the scripted jobs where --kind says; v3 jobs are named by their label (or job1, job2…).
 * @param {ReturnType<typeof parseArgs>} args
 * @param {import('./index.js').Emulator} emu
 * @param {Awaited<ReturnType<typeof startArmEmulator>> | undefined} v3
 */
function addJobs(args, emu, v3) {
  return args.jobs.map((j, i) => {
    const name = j.spec.name ?? j.label ?? `job${i + 1}`
    if (!v3) return { label: j.label, id: emu.addJob({ id: stableJobId(i, name), ...j.spec }) }
    const spec = { ...j.spec, name }
    return { label: j.label, id: args.kind === 'arm' ? v3.addArmJob(spec) : v3.addMkioJob(spec) }
  })
}

async function main() {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (error) {
    const text = `${error instanceof Error ? error.message : error}\n`
    if (/^(--help|-h)$/.test(process.argv[2] ?? '')) {
      process.stdout.write(text)
      process.exit(0)
    }
    process.stderr.write(text)
    process.exit(2)
  }
  const n = args.port
  // Entra ID issues tokens for one scope: Resource Manager's for arm jobs, Media Services' otherwise.
  const scope = args.kind === 'arm' ? ARM_SCOPE : undefined
  const envFile = resolve(args.envFile)
  let emu, v3, text
  try {
    emu = await startEmulator({
      ports: n ? { global: n, account: n + 1, login: n + 2, evil: n + 3 } : undefined,
      redirect: args.redirect,
      log: args.log,
      scope
    })
    const issued = emu.issuedTokens
    v3 =
      args.kind === 'v2'
        ? undefined
        : await startArmEmulator({
            isIssuedToken: t => issued.includes(t),
            ports: n ? { arm: n + 4, mkio: n + 5, evil: n + 6 } : undefined
          })
    const jobs = addJobs(args, emu, v3)
    text = envText(emu, jobs, { kind: args.kind, oidc: args.oidc, v3 })
    writeEnvFile(envFile, text)
  } catch (error) {
    // One line with the fix, no stack: the usual case is a second emulator on the same --port.
    const err = /** @type {NodeJS.ErrnoException & { port?: number }} */ (error)
    const message =
      err.code === 'EADDRINUSE'
        ? `port ${err.port} is in use: stop the other emulator (or what listens there) or choose another --port N`
        : `${err.message ?? err} (writing ${envFile}, or starting the listeners)`
    process.stderr.write(`emulator: ${message}\n`)
    process.exit(1)
  }
  process.stdout.write(text)
  const where = {
    v2: `Media Services ${emu.urls.global} (redirects to ${emu.urls.account})`,
    arm: `Resource Manager ${v3?.urls.arm}`,
    mkio: `MK.IO-shaped host ${v3?.urls.mkio}`
  }[args.kind]
  process.stderr.write(
    `Emulator ready: ${where}, Entra ID ${emu.urls.authority}${args.oidc ? ' (GitHub OIDC sign-in)' : ''}.\n` +
      `Wrote ${envFile}. Try: npm run local-action   (Ctrl-C to stop)\n`
  )
  const stop = () => {
    void Promise.all([emu.close(), v3?.close()]).then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
