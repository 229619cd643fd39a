// @ts-check
/**
 * Shared helpers of the benchmarks: run dist/index.js exactly as the GitHub runner does (a fresh
 * `node` process, INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), sample its memory
 * from /proc/<pid>/status, and small statistics. Node built-ins only.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { ACTION, nodeBinary, prepareRun } from '../scripts/runner.js'

export {
  ACTION,
  CA_FILE,
  nodeBinary,
  nodeVersion,
  nodeWarnings,
  parseOutputFile,
  ROOT,
  secretInputs
} from '../scripts/runner.js'

/** Actions still running; killed if the bench exits early (watchdog, signal, error). */
const running = new Set()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * @typedef {{ t: number, rssKb: number, hwmKb: number }} MemSample
 *   t: ms since the sampler started; rssKb: VmRSS; hwmKb: VmHWM (peak RSS so far), in KiB.
 */

/**
 * VmRSS and VmHWM of a process, in KiB, or null when it is gone (or a zombie: no Vm* lines).
 * @param {number} pid
 * @returns {{ rssKb: number, hwmKb: number } | null}
 */
export function readMemory(pid) {
  let text
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return null
  }
  const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(text)
  const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(text)
  if (!rss || !hwm) return null
  return { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) }
}

/**
 * Samples a process's memory every `intervalMs` until stop() or until it is gone (no sample at once:
 * right after spawn the child may not have exec'd node yet).
 * VmHWM is the kernel's own peak, so a short spike between samples is still seen by the next
 * sample; only a spike in the last interval before exit can be missed.
 * @param {number} pid
 * @param {number} intervalMs
 * @param {(s: MemSample) => void} [onSample]
 */
export function sampleMemory(pid, intervalMs, onSample) {
  const started = performance.now()
  /** @type {MemSample[]} */
  const samples = []
  const take = () => {
    const m = readMemory(pid)
    if (!m) return
    const s = { t: Math.round(performance.now() - started), ...m }
    samples.push(s)
    onSample?.(s)
  }
  const timer = setInterval(take, intervalMs)
  timer.unref()
  return {
    samples,
    take,
    stop() {
      clearInterval(timer)
      return memorySummary(samples)
    }
  }
}

/**
 * @param {MemSample[]} samples
 * @returns {{ samples: number, lastRssKb: number, maxRssKb: number, hwmKb: number }}
 */
export function memorySummary(samples) {
  const last = samples[samples.length - 1]
  return {
    samples: samples.length,
    lastRssKb: last ? last.rssKb : 0,
    maxRssKb: samples.reduce((m, s) => Math.max(m, s.rssKb), 0),
    hwmKb: samples.reduce((m, s) => Math.max(m, s.hwmKb), 0)
  }
}

/**
 * @typedef {{
 *   inputs: Record<string, string>, env?: Record<string, string>, killAfterMs?: number,
 *   sampleMs?: number, onSample?: (s: MemSample) => void, onStdout?: (chunk: string) => void,
 *   keepStdout?: boolean, args?: string[], onSpawn?: (pid: number) => void
 * }} RunOptions
 * @typedef {{
 *   code: number | null, signal: NodeJS.Signals | null, killed: boolean, pid: number,
 *   stdout: string, stderr: string, outputs: Record<string, string>, summary: string,
 *   errors: string[], spawnedAt: number, exitedAt: number, ms: number,
 *   memory: ReturnType<typeof memorySummary> & { series: MemSample[] }
 * }} RunResult
 */

/**
 * Runs the action like the runner: `node dist/index.js` with INPUT_<NAME> variables (upper case,
 * spaces as underscores), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files and the emulator's CA.
 * `spawnedAt`/`exitedAt` are Date.now() (comparable with the emulator's request log);
 * `ms` is the wall time from spawn to exit measured with the monotonic clock. `args` replaces
 * [dist/index.js] (e.g. for a baseline process).
 * @param {RunOptions} o
 * @returns {Promise<RunResult>}
 */
export async function runAction(o) {
  const run = prepareRun(o.inputs, o.env)

  const spawnedAt = Date.now()
  const t0 = performance.now()
  const child = spawn(nodeBinary(), o.args ?? [ACTION], {
    env: run.env,
    cwd: run.dir,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const pid = child.pid ?? 0
  o.onSpawn?.(pid)
  running.add(child)
  child.on('exit', () => running.delete(child))
  const sampler = o.sampleMs ? sampleMemory(pid, o.sampleMs, o.onSample) : null
  let stdout = ''
  let stderr = ''
  const keep = o.keepStdout ?? true
  child.stdout.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
    if (keep) stdout += chunk
    o.onStdout?.(chunk)
  })
  child.stderr.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (stderr += chunk))
  let killed = false
  const killer = setTimeout(() => {
    killed = true
    child.kill('SIGKILL')
  }, o.killAfterMs ?? 60_000)

  let exitedAt = 0
  let ms = 0
  /** @type {[number | null, NodeJS.Signals | null]} */
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (c, s) => {
      ms = performance.now() - t0
      exitedAt = Date.now()
      resolve([c, s])
    })
  })
  // The exit event comes before stdio is drained: wait for 'close' too (bounded).
  await new Promise(resolve => {
    if (child.stdout.readableEnded && child.stderr.readableEnded) return resolve(undefined)
    const t = setTimeout(resolve, 5_000)
    child.on('close', () => {
      clearTimeout(t)
      resolve(undefined)
    })
  })
  clearTimeout(killer)
  const mem = sampler ? sampler.stop() : memorySummary([])
  const result = {
    code,
    signal,
    killed,
    pid,
    stdout,
    stderr,
    ...run.results(),
    errors: stdout.split('\n').filter(l => l.startsWith('::error')),
    spawnedAt,
    exitedAt,
    ms,
    memory: { ...mem, series: sampler ? sampler.samples : [] }
  }
  run.cleanup()
  return result
}

/** @typedef {import('../emulator/util.js').RequestRecord} RequestRecord */

/** @param {RequestRecord} r */
export const isMedia = r => r.server === 'global' || r.server === 'account'
/** @param {RequestRecord} r */
export const isToken = r =>
  r.server === 'login' && /\/oauth2\/v2\.0\/token$/.test(r.decodedPath.split('?')[0])
/** A Jobs collection query (a poll's batch), not a read by key. @param {RequestRecord} r */
export const isJobsQuery = r => isMedia(r) && /\/Jobs(\(\))?(\?|$)/.test(r.decodedPath)
/** @param {RequestRecord} r */
export const isTasksRead = r => isMedia(r) && /\/Jobs\('[^']*'\)\/Tasks/.test(r.decodedPath)

/**
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** @param {number} kb */
export const mib = kb => `${(kb / 1024).toFixed(1)} MiB`
/** @param {number} ms */
export const fmtMs = ms => `${Math.round(ms)} ms`

/**
 * Parses `--name value` / `--name=value` / `--flag` arguments.
 * @param {string[]} argv
 * @returns {Record<string, string | true>}
 */
export function parseArgs(argv) {
  /** @type {Record<string, string | true>} */
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i])
    if (!m) throw new Error(`unexpected argument '${argv[i]}'`)
    if (m[2] !== undefined) out[m[1]] = m[2]
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[m[1]] = argv[++i]
    else out[m[1]] = true
  }
  return out
}

/**
 * Rejects after `ms` unless the promise settles first.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function within(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let t
  const timeout = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms)
  })
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(t)))
}

/**
 * How soon each job's end was seen, from the emulator's request log: the last Jobs query that asked for it
 * and got an answer (after its end, the one that saw it ended: a job that ended is not asked for again),
 * minus its EndTime. And the Media Services requests of those jobs per poll-interval, first to last (Jobs
 * queries and task reads, not the output-assets reads after the wait).
 * @param {import('../emulator/util.js').RequestRecord[]} requests
 * @param {{ id: string, endTime: number | null }[]} jobs
 * @param {number} intervalMs
 * @returns {{ late: number[], perInterval: number, requests: number }}
 */
export function detection(requests, jobs, intervalMs) {
  const tails = jobs.map(j => j.id.slice(-12))
  const mine = requests.filter(
    q => isMedia(q) && (isJobsQuery(q) || isTasksRead(q)) && tails.some(t => q.decodedPath.includes(t))
  )
  const late = jobs.flatMap(j => {
    const asked = mine.filter(q => isJobsQuery(q) && !q.fault && q.decodedPath.includes(j.id.slice(-12)))
    const last = asked[asked.length - 1]
    return last && j.endTime !== null ? [last.at - j.endTime] : []
  })
  const span = mine.length ? mine[mine.length - 1].at - mine[0].at : 0
  return { late, perInterval: span > 0 ? mine.length / (span / intervalMs) : NaN, requests: mine.length }
}

/**
 * One line of figures against the limit (a poller that knew the end: 0 × interval at 1 request per
 * interval). @param {number[]} late @param {number} perInterval @param {number} intervalMs
 */
export function againstLimit(late, perInterval, intervalMs) {
  const x = (/** @type {number} */ ms) => (ms / intervalMs).toFixed(2)
  return (
    `${x(median(late))} × interval (median of ${late.length}; ${x(Math.min(...late))}–${x(Math.max(...late))}) ` +
    `at ${perInterval.toFixed(2)} requests per interval`
  )
}
