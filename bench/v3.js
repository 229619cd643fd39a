// @ts-check
/**
 * node bench/v3.js: how long one poll of many v3 jobs takes (one GET per job, PARALLEL_GETS in flight),
 * against the local Resource Manager emulator, with dist/index.js started as the runner starts it.
 * Prints a Markdown table. Exits non-zero when the action gave a wrong result.
 *
 *   (a) N jobs already Finished: wall time spawn -> exit, ARM requests, first -> last job GET
 *   (b) N jobs Processing for one poll, then Finished: requests per poll
 */
import { startArmEmulator } from '../emulator/arm.js'
import { startEmulator } from '../emulator/index.js'
import { fmtMs, nodeBinary, nodeVersion, runAction } from './lib.js'

const SIZES = [1, 20, 100]
const emu = await startEmulator({ scope: 'https://management.azure.com/.default' })
const v3 = await startArmEmulator({ isIssuedToken: t => emu.issuedTokens.includes(t) })
/** @type {string[]} */
const failures = []
/** @type {string[]} */
const rows = []

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
} finally {
  await v3.close()
  await emu.close()
}

console.log(`v3 polling, ${await nodeVersion(nodeBinary())}\n`)
console.log('| scenario | wall time | requests |\n|---|---|---|')
for (const r of rows) console.log(r)
if (failures.length) {
  console.error(failures.join('\n'))
  process.exit(1)
}
