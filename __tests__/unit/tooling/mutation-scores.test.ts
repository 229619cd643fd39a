/** scripts/mutation-scores.js: the per-module scores of a Stryker report, and the 90 % aim per module. */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scores, table } from '../../../scripts/mutation-scores.js'

const mutants = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })))

const report = {
  files: {
    'src/time.ts': { mutants: mutants({ Killed: 8, Timeout: 1, Survived: 1, CompileError: 4 }) },
    'src/text.ts': { mutants: mutants({ Killed: 17, Survived: 2, NoCoverage: 1, Ignored: 3 }) }
  }
}

describe('mutation scores per module', () => {
  it('counts as Stryker does: detected (killed, timed out) over valid (and survived, not covered)', () => {
    expect(scores(report.files)).toEqual([
      { file: 'src/text.ts', killed: 17, timeout: 0, survived: 2, noCoverage: 1, compileError: 0, score: 85 },
      { file: 'src/time.ts', killed: 8, timeout: 1, survived: 1, noCoverage: 0, compileError: 4, score: 90 }
    ])
  })

  it('prints a Markdown table, one row a module', () => {
    expect(table(scores(report.files)).split('\n')).toEqual([
      '| module | score | killed | timed out | survived | no coverage | not compiled (not counted) |',
      '|---|---|---|---|---|---|---|',
      '| `text.ts` | 85.0 % | 17 | 0 | 2 | 1 | 0 |',
      '| `time.ts` | 90.0 % | 8 | 1 | 1 | 0 | 4 |'
    ])
  })

  it('with --min, fails naming each module below it, and passes when none is', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mutation-')), 'mutation.json')
    writeFileSync(path, JSON.stringify(report))
    const run = (min: string) =>
      spawnSync(process.execPath, ['scripts/mutation-scores.js', path, '--min', min], { encoding: 'utf8' })
    const failing = run('90')
    expect(failing.status).toBe(1)
    expect(failing.stderr.trim()).toBe('src/text.ts: 85.0 % is below 90 %')
    expect(run('85').status).toBe(0)
  })
})
