// @ts-check
/**
 * Soak test: one run of dist/index.js (spawned like the runner does) waiting for a few long jobs on
 * the emulator while about 5 % of the requests fail at random (503/429 with or without Retry-After,
 * 500, 502 HTML page, connection reset, garbage body). Samples the action's memory every 5 s.
 *
 *   node bench/soak.js [--minutes 30] [--jobs 5] [--fault-rate 0.05] [--seed 1] [--expect-error]
 *                      [--poll-interval 2s] [--token-lifetime 600] [--fixed] [--write]
 *
 * Timelines (ms steps, so they last for the whole soak): Queued for 1 minute, Processing with rising
 * progress until about minutes-1 (jobs staggered 15 s apart), then Finished. With --expect-error the
 * job that ends last ends in Error instead (and the action must fail the step for it).
 * The token lifetime is 600 s by default, so a long soak also covers token refresh.
 * Detection: how long after each job's end the action saw it (the last answered Jobs query that asked for
 * it) and its Media Services requests per poll-interval, against the limit (0 × interval at 1 request per
 * interval); with --fixed, a second action with `polling: fixed` waits at the same time for a copy of the
 * jobs, side by side. Targets (issue #25): predictive at most 0.1 × interval (median) at 1.2 requests per
 * interval.
 *
 * Prints PASS/FAIL and the figures (with --write, also to bench/soak-result.md); exits 1 on FAIL.
 */
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator } from '../emulator/index.js'
import {
  ACTION,
  ROOT,
  againstLimit,
  detection,
  isJobsQuery,
  isMedia,
  isTasksRead,
  isToken,
  median,
  mib,
  nodeBinary,
  nodeVersion,
  nodeWarnings,
  parseArgs,
  runAction,
  secretInputs
} from './lib.js'

const args = parseArgs(process.argv.slice(2))
/** @param {string} name @param {number} dflt */
const num = (name, dflt) => {
  const v = args[name]
  if (v === undefined) return dflt
  const n = Number(v)
  if (v === true || !Number.isFinite(n)) throw new Error(`--${name} needs a number`)
  return n
}
const minutes = num('minutes', 30)
const jobCount = Math.max(1, Math.floor(num('jobs', 5)))
const faultRate = num('fault-rate', 0.05)
const seed = num('seed', 1)
const tokenLifetimeSec = num('token-lifetime', 600)
const expectError = args['expect-error'] === true || args['expect-error'] === 'true'
const pollInterval = typeof args['poll-interval'] === 'string' ? args['poll-interval'] : '2s'
const withFixed = args.fixed === true || args.fixed === 'true'
const intervalMs = 1000 * Number(/^(\d+(?:\.\d+)?)s?$/.exec(pollInterval)?.[1] ?? NaN)
if (!(intervalMs > 0)) throw new Error('--poll-interval: seconds, like 2s')
/** The targets of issue #25 for predictive polling of steady v2 jobs. */
const TARGET_LATE = 0.1
const TARGET_PER_INTERVAL = 1.2
const SAMPLE_MS = 5_000
if (!(minutes > 0)) throw new Error('--minutes must be positive')

const totalMs = minutes * 60_000
// The last job ends about a minute before the end (half-way for soaks of 2 minutes or less).
const endMs = Math.max(totalMs / 2, totalMs - 60_000)
const queuedMs = Math.min(60_000, endMs / 4)
const staggerMs = Math.min(15_000, Math.floor(endMs / (4 * jobCount)))

const emu = await startEmulator({ randomFaultRate: faultRate, seed, tokenLifetimeSec })
/** @param {string} tag */
const addJobs = tag =>
  Array.from({ length: jobCount }, (_, i) => {
    const finishAt = endMs - i * staggerMs
    const last = expectError && i === 0 ? 'Error' : 'Finished'
    return emu.addJob({
      name: `soak ${i + 1}${last === 'Error' ? ' (ends in Error)' : ''}${tag}`,
      tasks: 1 + (i % 3),
      timeline: [
        { state: 'Queued', ms: queuedMs },
        { state: 'Processing', ms: Math.max(1, finishAt - queuedMs) },
        { state: last }
      ]
    })
  })
const ids = addJobs('')
const fixedIds = withFixed ? addJobs(' (fixed)') : []

const version = await nodeVersion()
const header =
  `Soak: ${minutes} min budget, ${jobCount} jobs (last ends at ${fmtClock(endMs)}` +
  `${expectError ? ', in Error' : ''}), poll-interval ${pollInterval}, timeout ${minutes + 10}m, ` +
  `random fault rate ${faultRate} (seed ${seed}), token lifetime ${tokenLifetimeSec}s, ${version}`
console.log(header)
console.log(`Action: ${nodeBinary()} ${ACTION}`)

/** @type {import('./lib.js').MemSample[]} */
const samples = []
let lines = 0
const started = Date.now()
const ticker = setInterval(() => {
  const s = samples[samples.length - 1]
  const media = emu.requests.filter(isMedia).length
  const faults = emu.requests.filter(r => r.fault).length
  console.log(
    `[${fmtClock(Date.now() - started)}] RSS ${s ? mib(s.rssKb) : '?'}, peak ${s ? mib(s.hwmKb) : '?'}; ` +
      `${polls()} polls, ${media} Media Services requests, ${faults} faults injected; ${lines} log lines`
  )
}, 60_000)

let stopping = false
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    if (stopping) return
    stopping = true
    console.log(`soak: ${sig}, stopping`)
    void emu.close().finally(() => process.exit(130))
  })
}

const waitInputs = { ...secretInputs(emu), 'poll-interval': pollInterval, timeout: `${minutes + 10}m` }
const [r] = await Promise.all([
  runAction({
    inputs: { ...waitInputs, 'job-id': ids.join('\n') },
    killAfterMs: (minutes + 12) * 60_000,
    sampleMs: SAMPLE_MS,
    onSample: s => samples.push(s),
    onStdout: chunk => (lines += chunk.split('\n').length - 1)
  }),
  withFixed
    ? runAction({
        inputs: { ...waitInputs, 'job-id': fixedIds.join('\n'), polling: 'fixed' },
        killAfterMs: (minutes + 12) * 60_000
      })
    : undefined
])
clearInterval(ticker)
const logFile = join(tmpdir(), `ams-soak-${started}.log`)
writeFileSync(logFile, r.stdout + (r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''))

// ---- checks ---------------------------------------------------------------------------------
/** @type {string[]} */
const failures = []
/** @type {{ id: string, name: string, state: string, errors?: unknown[] }[]} */
let jobs = []
try {
  jobs = JSON.parse(r.outputs.jobs ?? '')
} catch {
  failures.push(`outputs.jobs is not JSON: ${JSON.stringify((r.outputs.jobs ?? '').slice(0, 120))}`)
}
const byId = new Map(jobs.map(j => [j.id, j]))
const expectedCode = expectError ? 1 : 0
const expectedState = expectError ? 'Error' : 'Finished'
if (r.killed) failures.push('the action was killed: it outlived the timeout by 2 minutes')
if (r.code !== expectedCode)
  failures.push(`exit code ${r.code}${r.signal ? ` (${r.signal})` : ''}, expected ${expectedCode}`)
if (r.outputs.state !== expectedState)
  failures.push(`outputs.state '${r.outputs.state}', expected ${expectedState}`)
ids.forEach((id, i) => {
  const want = expectError && i === 0 ? 'Error' : 'Finished'
  const j = byId.get(id)
  if (!j) failures.push(`outputs.jobs lacks ${id}`)
  else if (j.state !== want) failures.push(`outputs.jobs: ${j.name} is ${j.state}, expected ${want}`)
  else if (want === 'Error' && !(Array.isArray(j.errors) && j.errors.length > 0))
    failures.push(`outputs.jobs: ${j.name} ended in Error without error details`)
})
if (jobs.length !== jobCount) failures.push(`outputs.jobs has ${jobs.length} jobs, expected ${jobCount}`)
if (samples.length === 0) failures.push('no memory sample of the action')
if (!expectError && r.errors.length) failures.push(`error annotations: ${r.errors.join(' | ').slice(0, 300)}`)
// Node's own warnings on stderr (a listener leak, a deprecation): a clean run prints none.
const processWarnings = nodeWarnings(r.stderr)
if (processWarnings.length) failures.push(`Node warned: ${processWarnings.join(' | ').slice(0, 300)}`)

// ---- figures --------------------------------------------------------------------------------
const reqs = emu.requests
const media = reqs.filter(isMedia)
const faulted = reqs.filter(r => r.fault)
/** @type {Record<string, number>} */
const faultKinds = {}
for (const q of faulted) {
  const key = `${q.fault}${q.fault === 'status' || q.fault === 'html' ? ` ${q.status}` : ''}${q.server === 'login' ? ' (token)' : ''}`
  faultKinds[key] = (faultKinds[key] ?? 0) + 1
}
const firstMinute = samples.filter(s => s.t <= 60_000)
const atMinute = firstMinute[firstMinute.length - 1] ?? samples[0]
const end = samples[samples.length - 1]
const maxFirst = Math.max(0, ...firstMinute.map(s => s.rssKb))
const pollCount = polls()
const warnings = r.stdout.split('\n').filter(l => l.startsWith('::warning')).length
const retries = r.stdout.split('\n').filter(l => /retry|retrying/i.test(l) && !l.startsWith('::debug')).length

/** @param {string[]} set */
const detected = set =>
  detection(
    emu.requests,
    set.map(id => ({ id, endTime: emu.job(id).endTime })),
    intervalMs
  )
const predictive = detected(ids)
const fixed = withFixed ? detected(fixedIds) : undefined
if (!expectError && predictive.late.length) {
  const late = median(predictive.late) / intervalMs
  if (late > TARGET_LATE) failures.push(`detection ${late.toFixed(2)} × interval (median) > ${TARGET_LATE}`)
  if (predictive.perInterval > TARGET_PER_INTERVAL)
    failures.push(`${predictive.perInterval.toFixed(2)} requests per interval > ${TARGET_PER_INTERVAL}`)
}

const pass = failures.length === 0
const result = [
  header,
  `Duration: ${fmtClock(r.ms)} (${(r.ms / 1000).toFixed(1)} s); exit code ${r.code}; outputs.state ${r.outputs.state}; ` +
    `jobs ${jobs.map(j => j.state).join(', ')}`,
  `Polls: ${pollCount} (${pollCount ? (r.ms / pollCount / 1000).toFixed(2) : '?'} s apart on average)`,
  `Detection (job end → the poll that saw it), predictive: ${predictive.late.length ? againstLimit(predictive.late, predictive.perInterval, intervalMs) : 'no job ended'}` +
    (fixed?.late.length
      ? `; fixed, at the same time: ${againstLimit(fixed.late, fixed.perInterval, intervalMs)}`
      : '') +
    '; the limit: 0.00 × interval at 1.00 request per interval',
  `Requests: ${reqs.length} in all = ${media.length} Media Services ` +
    `(${media.filter(isJobsQuery).length} Jobs queries, ${media.filter(isTasksRead).length} task reads, ` +
    `${media.filter(q => !isJobsQuery(q) && !isTasksRead(q)).length} other) + ${reqs.filter(isToken).length} token requests ` +
    `+ ${reqs.length - media.length - reqs.filter(isToken).length} other login`,
  `Faults injected: ${faulted.length} (${((100 * faulted.length) / Math.max(1, reqs.length)).toFixed(1)} % of requests): ` +
    Object.entries(faultKinds)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ×${n}`)
      .join(', '),
  `Action log: ${lines} lines, ${warnings} warnings, ${retries} lines about retries, ` +
    `${processWarnings.length} Node warnings on stderr (${logFile})`,
  `RSS first minute (at ${fmtClock(atMinute ? atMinute.t : 0)}): RSS ${atMinute ? mib(atMinute.rssKb) : '?'} ` +
    `(max ${mib(maxFirst)}), peak RSS (VmHWM) ${atMinute ? mib(atMinute.hwmKb) : '?'}`,
  `RSS at the end (at ${fmtClock(end ? end.t : 0)}): RSS ${end ? mib(end.rssKb) : '?'}, peak RSS (VmHWM) ${end ? mib(end.hwmKb) : '?'}` +
    (atMinute && end
      ? `; change since the first minute: RSS ${signedMib(end.rssKb - atMinute.rssKb)}, peak ${signedMib(end.hwmKb - atMinute.hwmKb)}`
      : ''),
  `RSS every ${minutes > 10 ? 5 : 1} min: ${everyFive().join(', ')}`,
  ...failures.map(f => `FAIL: ${f}`),
  pass ? 'PASS' : 'FAIL'
]
console.log(result.join('\n'))
if (!process.argv.includes('--write')) {
  console.log('bench/soak-result.md left as committed; pass --write to replace it with this run.')
} else
  writeFileSync(
    join(ROOT, 'bench', 'soak-result.md'),
    `# Soak result (node bench/soak.js --minutes ${minutes})\n\n` +
      `${new Date().toISOString()}\n\n` +
      result.map(l => `- ${l}`).join('\n') +
      `\n\n## Memory samples (every ${SAMPLE_MS / 1000} s; one a minute shown)\n\n` +
      `| t | VmRSS | VmHWM |\n| --- | --- | --- |\n` +
      perMinute()
        .map(s => `| ${fmtClock(s.t)} | ${mib(s.rssKb)} | ${mib(s.hwmKb)} |`)
        .join('\n') +
      '\n'
  )
await emu.close()
process.exit(pass ? 0 : 1)

// ---------------------------------------------------------------------------------------------

/** Polls so far: the job observed most often was in every poll (faulted requests don't count). */
function polls() {
  return Math.max(0, ...ids.map(id => emu.job(id).observations))
}

/** @param {number} ms */
function fmtClock(ms) {
  const s = Math.round(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** @param {number} kb */
function signedMib(kb) {
  return `${kb >= 0 ? '+' : '−'}${mib(Math.abs(kb))}`
}

/** The sample closest after each whole minute, and the last one. */
function perMinute() {
  /** @type {import('./lib.js').MemSample[]} */
  const out = []
  let next = 0
  for (const s of samples) {
    if (s.t >= next) {
      out.push(s)
      next = (Math.floor(s.t / 60_000) + 1) * 60_000
    }
  }
  const last = samples[samples.length - 1]
  if (last && out[out.length - 1] !== last) out.push(last)
  return out
}

function everyFive() {
  const step = minutes > 10 ? 5 : 1
  return perMinute()
    .filter((s, i, all) => Math.floor(s.t / 60_000) % step === 0 || i === all.length - 1)
    .filter(
      (s, i, all) =>
        i === 0 || Math.floor(s.t / 60_000) !== Math.floor(all[i - 1].t / 60_000) || i === all.length - 1
    )
    .map(s => `${fmtClock(s.t)} ${mib(s.rssKb)}`)
}
