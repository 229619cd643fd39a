#!/usr/bin/env node
// @ts-check
/**
 * npm run emulator: the emulator as a standalone process, until Ctrl-C. Jobs are scripted by flags or a JSON
 * file; a ready .env (the runner's INPUT_* names, for `npm run local-action`, plus the same values under
 * AMS_EMU_* names, for a workflow's $GITHUB_ENV) is written and printed once every listener is up.
 *
 *   npm run emulator -- --job finished --job error --job 'Queued:2,Processing:3,Finished'
 *   npm run emulator -- --jobs jobs.json --env-out .env --port 8440
 *   npm run emulator -- --v3-job finished --v3-job clip=Processing:2,Error
 */
import { renameSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startArmEmulator } from './arm.js'
import { startEmulator } from './index.js'
import { STATES } from './jobs.js'

const USAGE = `Usage: npm run emulator -- [options]
  --job [label=]SPEC   a job; SPEC is a preset (finished, error, canceled, running, missing) or a timeline
                       like 'Queued:2,Processing:3s,Finished' (State:N lasts N polls, State:Ns or State:Nms
                       that long; the last state lasts forever). Repeatable. Default: one 'finished' job.
  --jobs FILE          jobs from a JSON file: [{ "label": "hd", "name": "…", "timeline": [{ "state": "Queued",
                       "polls": 1 }, …] }, …] (the emulator's JobSpec, see emulator/README.md)
  --v3-job [label=]SPEC a v3 job on an MK.IO-shaped host (Bearer token, no Entra ID), same SPEC as --job
                       except missing; the label is the job's name. Writes AMS_EMU_V3_JOB_<LABEL> (its
                       job-url) and AMS_EMU_MKIO_TOKEN (its access-token) into the .env. Repeatable.
  --env-out FILE       where to write the .env (default: .env)
  --port N             fixed ports: global N, account N+1, login N+2, evil N+3 (default: random)
  --redirect MODE      what the global endpoint does: root (301 to the account, default), none (serves jobs)
  --log                log every request to stderr`

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
 *   redirect: 'root' | 'none', log: boolean, v3Jobs: { label?: string, spec: import('./jobs.js').JobSpec }[] }}
 */
export function parseArgs(argv) {
  /** @type {{ label?: string, spec: import('./jobs.js').JobSpec }[]} */
  const jobs = []
  /** @type {{ label?: string, spec: import('./jobs.js').JobSpec }[]} */
  const v3Jobs = []
  let envFile = '.env'
  /** @type {number | undefined} */
  let port
  /** @type {'root' | 'none'} */
  let redirect = 'root'
  let log = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value.`)
      return v
    }
    if (flag === '--job') jobs.push(parseJobFlag(value()))
    else if (flag === '--v3-job') {
      const job = parseJobFlag(value())
      // The v3 store serves timelines only; a missing job is a job-url nobody added.
      if (job.spec.missing)
        throw new Error('--v3-job: missing is not supported; give a timeline or a preset.')
      v3Jobs.push(job)
    } else if (flag === '--jobs') {
      const file = value()
      const list = JSON.parse(readFileSync(file, 'utf8'))
      if (!Array.isArray(list)) throw new Error(`--jobs ${file}: expected a JSON array of jobs.`)
      for (const { label, ...spec } of list) jobs.push({ label, spec })
    } else if (flag === '--env-out') envFile = value()
    else if (flag === '--port') {
      port = Number(value())
      if (!Number.isInteger(port) || port < 1 || port > 65532) throw new Error('--port: give a port number.')
    } else if (flag === '--redirect') {
      const mode = value()
      if (mode !== 'root' && mode !== 'none') throw new Error('--redirect: root or none.')
      redirect = mode
    } else if (flag === '--log') log = true
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE)
    else throw new Error(`Unknown option ${flag}.\n${USAGE}`)
  }
  if (jobs.length === 0) jobs.push(parseJobFlag('finished'))
  return { jobs, envFile, port, redirect, log, v3Jobs }
}

/**
 * The .env text: INPUT_* as the runner names inputs (for @github/local-action), then the same values under
 * names a workflow can put in $GITHUB_ENV and read back as env.AMS_EMU_*.
 * @param {import('./index.js').Emulator} emu
 * @param {{ label?: string, id: string }[]} jobs
 * @param {{ token: string, jobs: { label?: string, url: string }[] }} [v3] MK.IO-shaped jobs (--v3-job)
 */
export function envText(emu, jobs, v3) {
  const account = new URL(emu.urls.account).host
  const apiUrl = emu.urls.global
  const lines = [
    `# Written by npm run emulator (emulator/cli.js). Test-only credentials.`,
    `INPUT_JOB-ID=${jobs.map(j => j.id).join(' ')}`,
    `INPUT_TENANT-ID=${emu.tenantId}`,
    `INPUT_CLIENT-ID=${emu.clientId}`,
    `INPUT_CLIENT-SECRET=${emu.clientSecret}`,
    `INPUT_API-URL=${apiUrl}`,
    `INPUT_AUTHORITY-HOST=${emu.urls.authority}`,
    `INPUT_TRUSTED-HOSTS=${account}`,
    `INPUT_POLL-INTERVAL=1s`,
    `INPUT_TIMEOUT=2m`,
    `NODE_EXTRA_CA_CERTS=${emu.caFile}`,
    `AMS_EMU_TENANT_ID=${emu.tenantId}`,
    `AMS_EMU_CLIENT_ID=${emu.clientId}`,
    `AMS_EMU_CLIENT_SECRET=${emu.clientSecret}`,
    `AMS_EMU_API_URL=${apiUrl}`,
    `AMS_EMU_ACCOUNT_URL=${emu.urls.account}`,
    `AMS_EMU_ACCOUNT_HOST=${account}`,
    `AMS_EMU_AUTHORITY_HOST=${emu.urls.authority}`,
    ...jobs.map((j, i) => `AMS_EMU_JOB_${envName(j.label ?? String(i + 1))}=${j.id}`),
    ...(v3?.jobs.length
      ? [
          `AMS_EMU_MKIO_TOKEN=${v3.token}`,
          ...v3.jobs.map((j, i) => `AMS_EMU_V3_JOB_${envName(j.label ?? String(i + 1))}=${j.url}`)
        ]
      : [])
  ]
  return `${lines.join('\n')}\n`
}

/** @param {string} label */
function envName(label) {
  return label.toUpperCase().replace(/-/g, '_')
}

async function main() {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`)
    process.exit(2)
  }
  const ports = args.port
    ? { global: args.port, account: args.port + 1, login: args.port + 2, evil: args.port + 3 }
    : undefined
  const emu = await startEmulator({ ports, redirect: args.redirect, log: args.log })
  const jobs = args.jobs.map(j => ({ label: j.label, id: emu.addJob(j.spec) }))
  const v3 = args.v3Jobs.length
    ? await startArmEmulator({ isIssuedToken: t => emu.issuedTokens.includes(t) })
    : undefined
  const v3Jobs = v3
    ? args.v3Jobs.map((j, i) => ({
        label: j.label,
        url: v3.addMkioJob({ name: j.label ?? `v3-job-${i + 1}`, timeline: j.spec.timeline })
      }))
    : []
  const text = envText(emu, jobs, v3 ? { token: v3.mkioToken, jobs: v3Jobs } : undefined)
  const envFile = resolve(args.envFile)
  // Write then rename: a script polling for the file never reads half of it.
  writeFileSync(`${envFile}.tmp`, text)
  renameSync(`${envFile}.tmp`, envFile)
  process.stdout.write(text)
  process.stderr.write(
    `Emulator ready: Media Services ${emu.urls.global} (redirects to ${emu.urls.account}), Entra ID ${emu.urls.authority}.\n` +
      `Wrote ${envFile}. Try: npm run local-action   (Ctrl-C to stop)\n`
  )
  if (v3)
    process.stderr.write(`MK.IO-shaped v3 jobs at ${v3.urls.mkio} (AMS_EMU_V3_JOB_*, AMS_EMU_MKIO_TOKEN).\n`)
  const stop = () => {
    Promise.all([emu.close(), v3?.close()]).then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
