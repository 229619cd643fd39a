// @ts-check
/**
 * Long jobs, one wait each: node bench/long-jobs.js [--minutes 20] [--jobs 10] [--fault-rate 0.05] [--seed 1]
 *                                                 [--poll-interval 2s] [--write]
 *
 * The 20-minute figure of issue #25 as bench/polling.js takes the 30-second one: each job waited for by its
 * own action (dist/index.js spawned as the runner does), all at once in one run, `polling: predictive` and
 * `polling: fixed` side by side (a copy of each job for each), against the local HTTPS emulator with about
 * 5 % of the requests failing at random (as bench/soak.js). The jobs are the soak's: Queued for a minute,
 * then Processing with progress rising steadily in whole percent (1 % steps about 10 s apart for 20
 * minutes), ending 15 s apart, the last a minute before the budget.
 *
 * Per policy: the median detection latency (the job's EndTime to the answered Jobs query that saw it) and
 * the median of each wait's Media Services requests per poll-interval (Jobs queries and task reads,
 * retries of the faulty answers included), against the limit (0 × interval at 1 request per interval).
 * Targets (issue #25): predictive at most 0.1 × interval (median) at 1.2 requests per interval.
 * bench/soak.js measures the other case, one wait for all the jobs, with memory.
 *
 * Prints a Markdown table; writes bench/long-jobs-result.md only with --write; exits 1 when a wait went
 * wrong or a target was missed.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator } from '../emulator/index.js'
import { detection, median, nodeVersion, parseArgs, ROOT, runAction, secretInputs } from './lib.js'

const args = parseArgs(process.argv.slice(2))
/** @param {string} name @param {number} dflt */
const num = (name, dflt) => {
  const v = args[name]
  if (v === undefined) return dflt
  const n = Number(v)
  if (v === true || !Number.isFinite(n)) throw new Error(`--${name} needs a number`)
  return n
}
const minutes = num('minutes', 20)
const jobCount = Math.max(1, Math.floor(num('jobs', 10)))
const faultRate = num('fault-rate', 0.05)
const seed = num('seed', 1)
const pollInterval = typeof args['poll-interval'] === 'string' ? args['poll-interval'] : '2s'
const intervalMs = 1000 * Number(/^(\d+(?:\.\d+)?)s?$/.exec(pollInterval)?.[1] ?? NaN)
if (!(intervalMs > 0)) throw new Error('--poll-interval: seconds, like 2s')
if (!(minutes > 0)) throw new Error('--minutes must be positive')
const TARGET_LATE = 0.1
const TARGET_PER_INTERVAL = 1.2

// The soak's timelines: the last job ends a minute before the budget, the others 15 s apart before it.
const totalMs = minutes * 60_000
const endMs = Math.max(totalMs / 2, totalMs - 60_000)
const queuedMs = Math.min(60_000, endMs / 4)
const staggerMs = Math.min(15_000, Math.floor(endMs / (4 * jobCount)))

const emu = await startEmulator({ randomFaultRate: faultRate, seed })
const base = { ...secretInputs(emu), 'poll-interval': pollInterval, timeout: `${minutes + 10}m` }
const version = await nodeVersion()
/** @type {string[]} */
const failures = []

/** @param {'predictive' | 'fixed'} policy @param {number} i */
const one = async (policy, i) => {
  const id = emu.addJob({
    name: `long ${i + 1} (${policy})`,
    timeline: [
      { state: 'Queued', ms: queuedMs },
      { state: 'Processing', ms: Math.max(1, endMs - i * staggerMs - queuedMs) },
      { state: 'Finished' }
    ]
  })
  const r = await runAction({
    inputs: { ...base, 'job-id': id, polling: policy },
    killAfterMs: (minutes + 12) * 60_000
  })
  if (r.code !== 0 || r.outputs.state !== 'Finished')
    failures.push(`${policy} ${i + 1}: exit ${r.code}, state '${r.outputs.state}'`)
  return detection(emu.requests, [{ id, endTime: emu.job(id).endTime }], intervalMs)
}
const started = Date.now()
const ticker = setInterval(
  () => console.log(`[${Math.round((Date.now() - started) / 60_000)} min] ${emu.requests.length} requests`),
  60_000
)
const runs = await Promise.all(
  [...Array(jobCount).keys()].flatMap(i => [one('predictive', i), one('fixed', i)])
)
clearInterval(ticker)
await emu.close()

/** @param {'predictive' | 'fixed'} policy */
const figures = policy => {
  const mine = runs.filter((_, k) => (k % 2 === 0) === (policy === 'predictive'))
  const late = mine.flatMap(d => d.late).map(ms => ms / intervalMs)
  const perInterval = mine.map(d => d.perInterval).filter(Number.isFinite)
  return { late, perInterval, lateMedian: median(late), rateMedian: median(perInterval) }
}
const p = figures('predictive')
const f = figures('fixed')
const x = (/** @type {number} */ v) => v.toFixed(2)
const range = (/** @type {number[]} */ v) => `${x(Math.min(...v))}–${x(Math.max(...v))}`
const table = [
  '| Measurement | the limit | `polling: fixed` | `polling: predictive` | Notes |',
  '| --- | --- | --- | --- | --- |',
  `| Detection latency, median (job end → the poll that saw it) | 0.00 × interval | ${x(f.lateMedian)} × interval | ${x(p.lateMedian)} × interval | ${jobCount} waits each; ranges ${range(f.late)} and ${range(p.late)} |`,
  `| Media Services requests per poll-interval, median of the waits | 1.00 | ${x(f.rateMedian)} | ${x(p.rateMedian)} | Jobs queries and task reads, retries included; ranges ${range(f.perInterval)} and ${range(p.perInterval)} |`
].join('\n')
if (p.lateMedian > TARGET_LATE)
  failures.push(`predictive: ${x(p.lateMedian)} × interval (median) > ${TARGET_LATE}`)
if (p.rateMedian > TARGET_PER_INTERVAL)
  failures.push(`predictive: ${x(p.rateMedian)} requests per interval > ${TARGET_PER_INTERVAL}`)
const header =
  `${jobCount} jobs, each waited for by its own action, Queued ${queuedMs / 1000} s then Processing until ` +
  `${((endMs - (jobCount - 1) * staggerMs) / 60_000).toFixed(2)} to ${(endMs / 60_000).toFixed(2)} min, ` +
  `poll-interval ${pollInterval}, random fault rate ${faultRate} (seed ${seed}), ${version}`
const verdict =
  failures.length === 0 ? 'All checks passed.' : `FAILED:\n${failures.map(m => `- ${m}`).join('\n')}`
console.log(`${header}\n\n${table}\n\n${verdict}`)
if (args.write) {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
  } catch {
    /* not a git checkout */
  }
  writeFileSync(
    join(ROOT, 'bench', 'long-jobs-result.md'),
    `# Long jobs, one wait each (node bench/long-jobs.js --minutes ${minutes} --write)\n\n` +
      `${new Date().toISOString()}, commit ${commit}. ${header}.\n\n${table}\n\n${verdict}\n`
  )
}
process.exit(failures.length === 0 ? 0 : 1)
