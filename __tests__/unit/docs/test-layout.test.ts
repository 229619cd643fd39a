/**
 * The unit tests mirror src/: the tests of `src/<path>.ts` are in `__tests__/unit/<path>.test.ts` (the floor
 * modules in `__tests__/unit/floor/`), except the modules listed below, each with its reason. And the reverse:
 * each unit test file outside docs/ and tooling/ is named after a module of src/ (or is main.test.ts).
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync } from 'node:fs'
import { posix } from 'node:path'

/** The floor every folder uses: src/<name>.ts, tested in floor/<name>.test.ts. */
const FLOOR = new Set(['errors', 'text', 'time', 'logger', 'clouds', 'values'])

/** Why a module has no test file of its own; a neighbour that covers it is named by its test file. */
type Exception = { why: string } | { coveredBy: string }

const EXCEPTIONS: Record<string, Exception> = {
  'index.ts': { why: 'the entry: run as the runner runs it, by every end-to-end test' },
  'auth/credential.ts': { why: 'types only (the sign-in chosen from the inputs)' },
  'auth/token-source.ts': { why: 'types only (the TokenSource interface)' },
  'jobs/api.ts': { why: 'types only (the JobApi descriptor)' },
  'jobs/source.ts': { why: 'types only (the JobSource interface)' },
  'settings/tldts-trie.d.ts': { why: "types only (tldts's compiled trie)" },
  'auth/msal-config.ts': { coveredBy: 'auth/msal.test.ts' },
  'auth/msal-errors.ts': { coveredBy: 'auth/msal.test.ts' },
  'auth/msal-network.ts': { coveredBy: 'auth/msal.test.ts' },
  'errors.ts': { coveredBy: 'report/verdict.test.ts' },
  'values.ts': { coveredBy: 'settings/inputs.test.ts' },
  'jobs/v2/api.ts': { coveredBy: 'settings/inputs.test.ts' },
  'jobs/v2/dialect.ts': { coveredBy: 'jobs/v2/client.test.ts' },
  'jobs/v3/api.ts': { coveredBy: 'jobs/v3/inputs.test.ts' },
  'jobs/v3/dialect.ts': { coveredBy: 'jobs/v3/client.test.ts' },
  'settings/input-names.ts': { coveredBy: 'settings/inputs.test.ts' },
  'settings/timing.ts': { coveredBy: 'settings/inputs.test.ts' },
  // finish() and publish() are tested through run(): they need main's wiring (a signed-in source, the budgets).
  'report/publish.ts': { coveredBy: 'main.test.ts' },
  'wait/finish.ts': { coveredBy: 'main.test.ts' },
  'wait/limits.ts': { coveredBy: 'main.test.ts' }
}

/** Unit test files that are about the project, not a module of src/. */
const NOT_MODULES = ['docs/', 'tooling/']

const list = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[]).map(f => f.split('\\').join('/')).sort()

/** Where the tests of a module of src/ are, under __tests__/unit. */
function mirrorOf(module: string): string {
  const path = module.replace(/(\.d)?\.ts$/, '')
  return FLOOR.has(path) ? `floor/${path}.test.ts` : `${path}.test.ts`
}

/** What is wrong with this layout: modules without their test file, and test files without their module. */
function layoutFaults(modules: string[], tests: string[]): string[] {
  const have = new Set(tests)
  const faults: string[] = []
  for (const m of modules) {
    const exception = EXCEPTIONS[m]
    if (!exception && !have.has(mirrorOf(m))) faults.push(`src/${m} has no ${mirrorOf(m)}`)
    if (exception && have.has(mirrorOf(m))) faults.push(`src/${m} has ${mirrorOf(m)}: drop its exception`)
    if (exception && 'coveredBy' in exception && !have.has(exception.coveredBy))
      faults.push(`src/${m} is said to be covered by ${exception.coveredBy}, which does not exist`)
  }
  const mirrors = new Set(modules.map(mirrorOf))
  for (const t of tests)
    if (!mirrors.has(t) && t !== 'main.test.ts' && !NOT_MODULES.some(d => t.startsWith(d)))
      faults.push(`${t} names no module of src/`)
  for (const m of Object.keys(EXCEPTIONS))
    if (!modules.includes(m)) faults.push(`the exception for src/${m} names no module`)
  return faults
}

const modules = list('src').filter(f => f.endsWith('.ts'))
const tests = list('__tests__/unit').filter(f => f.endsWith('.test.ts'))

describe('the unit tests mirror src/', () => {
  it('every module has its test file, or a listed reason; every test file names a module', () => {
    expect(modules.length).toBeGreaterThan(40)
    expect(layoutFaults(modules, tests)).toEqual([])
  })

  it('a module whose test file went missing is found, and so is a test file of no module', () => {
    const without = tests.filter(t => t !== 'jobs/v2/parse.test.ts' && t !== 'floor/time.test.ts')
    expect(layoutFaults(modules, [...without, 'jobs/v2-parse.test.ts'])).toEqual([
      'src/jobs/v2/parse.ts has no jobs/v2/parse.test.ts',
      'src/time.ts has no floor/time.test.ts',
      'jobs/v2-parse.test.ts names no module of src/'
    ])
  })

  it('a listed reason that no longer holds is found', () => {
    expect(layoutFaults(modules, [...tests, 'wait/finish.test.ts'])).toEqual([
      'src/wait/finish.ts has wait/finish.test.ts: drop its exception'
    ])
    expect(layoutFaults(['index.ts', 'main.ts'], ['main.test.ts'])).toContain(
      'the exception for src/jobs/api.ts names no module'
    )
  })

  it('the paths it reads are those of this project', () => {
    expect(existsSync(posix.join('__tests__/unit', mirrorOf('text.ts')))).toBe(true)
    expect(mirrorOf('settings/tldts-trie.d.ts')).toBe('settings/tldts-trie.test.ts')
  })
})
