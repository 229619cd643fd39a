// @ts-check
/**
 * node bench/v3.js [--runs 12] [--write]: v3 jobs against the local Resource Manager emulator, with
 * dist/index.js started as the runner starts it. Prints Markdown tables; writes bench/v3-results.md only with
 * --write. Exits non-zero when the action gave a wrong result or a target was missed.
 *
 *   (a) N jobs already Finished: wall time spawn -> exit, ARM requests, first -> last job GET
 *   (b) N jobs Processing for one poll, then Finished: requests per poll
 *   (c) one job Queued 6 s, then Processing 29 to 31 s with its progress rising steadily in the job's body,
 *       then Finished; poll-interval 2s, both policies at once: median detection latency (the emulator's
 *       end time to the process's exit) and job GETs per poll-interval (first GET to exit), beside the
 *       limit (a poller that knew the end: 0 × interval at 1 GET per interval).
 */
import { execFileSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startArmEmulator } from '../emulator/arm.js'
import { startEmulator } from '../emulator/index.js'
import { ACTION, fmtMs, median, nodeBinary, nodeVersion, parseArgs, ROOT, runAction } from './lib.js'

const args = parseArgs(process.argv.slice(2))
const RUNS = Number(args.runs ?? 12)
const INTERVAL_MS = 2000
/** The targets of issue #15 for predictive polling of a steady v3 job. */
const TARGET_LATENCY = 0.15
const TARGET_PER_INTERVAL = 1.1
const SIZES = [1, 20, 100]
const emu = await startEmulator({ scope: 'https://management.azure.com/.default' })
const v3 = await startArmEmulator({ isIssuedToken: t => emu.issuedTokens.includes(t) })
/** @type {string[]} */
const failures = []
/** @type {string[]} */
const rows = []
/** @type {string[]} */
const latencyRows = []

/** @param {string[]} ids @param {Record<string, string>} [extra] */
const inputs = (ids, extra = {}) => ({
  'tenant-id': emu.tenantId,
  'client-id': emu.clientId,
  'client-secret': emu.clientSecret,
  'authority-host': emu.urls.authority,
  'arm-url': v3.urls.arm,
  'job-url': ids.join('\n'),
  'poll-interval': '1s',
  timeout: '120s',
  ...extra
})

try {
  for (const n of SIZES) {
    const ids = Array.from({ length: n }, (_, i) =>
      v3.addArmJob({ name: `done-${n}-${i}`, timeline: [{ state: 'Finished' }] })
    )
    const from = v3.requests.length
    const run = await runAction({ inputs: inputs(ids), killAfterMs: 120_000 })
    const gets = v3.requests.slice(from).filter(r => r.api === 'arm')
    if (run.code !== 0 || gets.length !== n)
      failures.push(`${n} finished jobs: exit ${run.code}, ${gets.length} GETs`)
    const span = gets.length ? gets[gets.length - 1].at - gets[0].at : 0
    rows.push(`| ${n} finished jobs | ${fmtMs(run.ms)} | ${gets.length} GETs, first to last ${fmtMs(span)} |`)
  }
  const n = 100
  const ids = Array.from({ length: n }, (_, i) =>
    v3.addArmJob({ name: `proc-${i}`, timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }] })
  )
  const from = v3.requests.length
  const run = await runAction({ inputs: inputs(ids), killAfterMs: 120_000 })
  const gets = v3.requests.slice(from).filter(r => r.api === 'arm').length
  if (run.code !== 0 || gets !== 2 * n) failures.push(`${n} processing jobs: exit ${run.code}, ${gets} GETs`)
  rows.push(`| ${n} jobs, 2 polls | ${fmtMs(run.ms)} | ${gets} GETs (${gets / 2} per poll) |`)
  await latency()
} finally {
  await v3.close()
  await emu.close()
}

const version = await nodeVersion(nodeBinary())
const text = [
  '| scenario | wall time | requests |',
  '|---|---|---|',
  ...rows,
  '',
  `Detection of a steady job's end (${RUNS} runs per policy, poll-interval ${INTERVAL_MS / 1000}s):`,
  '',
  '| measurement | the limit | `polling: fixed` | `polling: predictive` | notes |',
  '|---|---|---|---|---|',
  ...latencyRows
].join('\n')
const verdict =
  failures.length === 0 ? 'All checks passed.' : `FAILED:\n${failures.map(f => `- ${f}`).join('\n')}`
console.log(`v3 polling, ${version}\n`)
console.log(text)
console.log()
console.log(verdict)
if (args.write) {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
  } catch {
    /* not a git checkout */
  }
  writeFileSync(
    join(ROOT, 'bench', 'v3-results.md'),
    `# v3 polling benchmark (node bench/v3.js --write)\n\n${new Date().toISOString()}, commit ${commit} ` +
      `(dist/index.js as on disk, ${statSync(ACTION).size.toLocaleString('en-US')} bytes), ${version}, ` +
      `${process.platform}/${process.arch}.\n\n${text}\n\n${verdict}\n`
  )
}
process.exit(failures.length === 0 ? 0 : 1)

/** (c) A steady job's end, seen under each policy: latency and GETs per interval, all runs at once. */
async function latency() {
  /** @type {Record<'fixed' | 'predictive', { latency: number[], perInterval: number[] }>} */
  const by = { fixed: { latency: [], perInterval: [] }, predictive: { latency: [], perInterval: [] } }
  const one = async (/** @type {'fixed' | 'predictive'} */ policy, /** @type {number} */ i) => {
    // 29 to 31 s of Processing: the job ends at every phase of the polling schedule.
    const processingMs = Math.round(29_000 + (i * 2000) / RUNS + (policy === 'fixed' ? 1000 / RUNS : 0))
    const name = `steady-${policy}-${i}`
    const id = v3.addArmJob({
      name,
      timeline: [
        { state: 'Queued', ms: 6000 },
        { state: 'Processing', ms: processingMs },
        { state: 'Finished' }
      ]
    })
    const run = await runAction({
      inputs: inputs([id], { 'poll-interval': `${INTERVAL_MS / 1000}s`, polling: policy }),
      killAfterMs: 120_000
    })
    const endTime = v3.job('arm', name).endTime
    if (run.code !== 0 || run.outputs.state !== 'Finished' || endTime === null) {
      failures.push(`${policy} run ${i}: exit ${run.code}, state '${run.outputs.state}'`)
      return
    }
    const gets = v3.requests.filter(r => r.api === 'arm' && r.path.includes(`/jobs/${name}?`))
    by[policy].latency.push(run.exitedAt - endTime)
    by[policy].perInterval.push(gets.length / ((run.exitedAt - gets[0].at) / INTERVAL_MS))
  }
  await Promise.all([...Array(RUNS)].flatMap((_, i) => [one('fixed', i), one('predictive', i)]))
  const ms = (/** @type {number[]} */ v) =>
    `${Math.round(median(v))} ms (${(median(v) / INTERVAL_MS).toFixed(2)} × interval)`
  const range = (/** @type {number[]} */ v) =>
    `${(Math.min(...v) / INTERVAL_MS).toFixed(2)}–${(Math.max(...v) / INTERVAL_MS).toFixed(2)} × interval`
  latencyRows.push(
    `| detection latency, median (job end → exit) | 0 ms (0.00 × interval) | ${ms(by.fixed.latency)} | ${ms(by.predictive.latency)} | ranges ${range(by.fixed.latency)} and ${range(by.predictive.latency)} |`,
    `| job GETs per poll-interval, median | 1.00 | ${median(by.fixed.perInterval).toFixed(2)} | ${median(by.predictive.perInterval).toFixed(2)} | first GET to exit; the highest run ${Math.max(...by.predictive.perInterval).toFixed(2)} (predictive) |`
  )
  const late = median(by.predictive.latency) / INTERVAL_MS
  const rate = median(by.predictive.perInterval)
  if (late > TARGET_LATENCY)
    failures.push(`predictive: median latency ${late.toFixed(2)} × interval > ${TARGET_LATENCY}`)
  if (rate > TARGET_PER_INTERVAL)
    failures.push(`predictive: ${rate.toFixed(2)} GETs per interval > ${TARGET_PER_INTERVAL}`)
}
