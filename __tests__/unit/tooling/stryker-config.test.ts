/** stryker.config.mjs and stryker.static.config.mjs: what `npm run mutate` and `npm run mutate:static` mutate. */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

interface Config {
  mutate: string[]
  ignoreStatic: boolean
  incrementalFile: string
}

// Loaded by Node itself (as Stryker does), not through jest's module system.
function load(file: string): Config {
  const code = `import(${JSON.stringify(`./${file}`)}).then(m => console.log(JSON.stringify(m.default)))`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout) as Config
}

const base = load('stryker.config.mjs')
const statics = load('stryker.static.config.mjs')
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
  .scripts

/** Where a token may go, and what a job's state is. */
const MUST_MUTATE = [
  'src/transport/trust.ts',
  'src/settings/endpoints.ts',
  'src/settings/public-suffix.ts',
  'src/values.ts',
  'src/jobs/v3/inputs.ts',
  'src/jobs/v2/inputs.ts',
  'src/jobs/v2/api.ts',
  'src/jobs/v3/api.ts',
  'src/jobs/answers.ts',
  'src/jobs/model.ts',
  'src/jobs/v2/parse.ts',
  'src/jobs/v3/parse.ts'
]

describe('mutation testing configuration', () => {
  it('names only files that exist', () => {
    for (const file of [...base.mutate, ...statics.mutate])
      expect([file, existsSync(file)]).toEqual([file, true])
  })

  it('mutates every module deciding where a token may go or what a job state is, in both runs', () => {
    for (const file of MUST_MUTATE) {
      expect(base.mutate).toContain(file)
      expect(statics.mutate).toContain(file)
    }
  })

  it('the static run counts module constants, with its own incremental file, and npm can start it', () => {
    expect(base.ignoreStatic).toBe(true)
    expect(statics.ignoreStatic).toBe(false)
    expect(statics.incrementalFile).not.toBe(base.incrementalFile)
    expect(scripts['mutate:static']).toBe('stryker run stryker.static.config.mjs')
  })
})
