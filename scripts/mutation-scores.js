// The mutation score of each module from Stryker's JSON report (npm run mutate writes
// reports/mutation/mutation.json), as a Markdown table for docs/mutation.md; with --min N, exits 1 when a
// module scores below N %. Stryker's own thresholds apply to the total only; the aim is per module.
// The score is Stryker's: detected (killed or timed out) over valid mutants (detected, survived, not covered);
// mutants that did not compile, or were ignored, are not counted. Timed out mutants are shown apart, since on
// a loaded machine a timeout is not always a detection.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * @typedef {{ status: string }} Mutant
 * @typedef {{ mutants: Mutant[] }} FileResult
 * @typedef {{ file: string, killed: number, timeout: number, survived: number, noCoverage: number,
 *   compileError: number, score: number }} Score
 */

/** @param {Record<string, FileResult>} files @returns {Score[]} */
export function scores(files) {
  return Object.entries(files)
    .map(([file, { mutants }]) => {
      const count = (/** @type {string} */ status) => mutants.filter(m => m.status === status).length
      const killed = count('Killed')
      const timeout = count('Timeout')
      const survived = count('Survived')
      const noCoverage = count('NoCoverage')
      const valid = killed + timeout + survived + noCoverage
      const score = valid === 0 ? 100 : (100 * (killed + timeout)) / valid
      return { file, killed, timeout, survived, noCoverage, compileError: count('CompileError'), score }
    })
    .sort((a, b) => a.file.localeCompare(b.file))
}

/** @param {Score[]} rows */
export function table(rows) {
  const head = [
    '| module | score | killed | timed out | survived | no coverage | not compiled (not counted) |',
    '|---|---|---|---|---|---|---|'
  ]
  const line = (/** @type {Score} */ s) =>
    `| \`${s.file.replace(/^src\//, '')}\` | ${s.score.toFixed(1)} % | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.compileError} |`
  return [...head, ...rows.map(line)].join('\n')
}

/** @param {string[]} argv */
function main(argv) {
  const at = argv.indexOf('--min')
  const min = at >= 0 ? Number(argv[at + 1]) : undefined
  const path =
    argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--min') ?? 'reports/mutation/mutation.json'
  /** @type {{ files: Record<string, FileResult> }} */
  const report = JSON.parse(readFileSync(path, 'utf8'))
  const rows = scores(report.files)
  console.log(table(rows))
  const low = min === undefined ? [] : rows.filter(s => s.score < min)
  for (const s of low) console.error(`${s.file}: ${s.score.toFixed(1)} % is below ${min} %`)
  return low.length ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2))
