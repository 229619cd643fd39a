/** The developer's tools work as a developer calls them, not only through npm scripts. */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

// semver comes with npm's own tree (no types); satisfies() is all this needs, the same in every version.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
/** Every minor release of the Node versions anyone might use, as the sample the ranges are compared on. */
const NODES = Array.from({ length: 9 }, (_, i) => 18 + i).flatMap(major =>
  Array.from({ length: 40 }, (_, minor) => `${major}.${minor}.0`)
)

describe('the toolchain', () => {
  it('runs a test file with a plain `npx jest <file>`, without NODE_OPTIONS', () => {
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    const run = spawnSync(
      process.execPath,
      [
        'node_modules/jest/bin/jest.js',
        '--selectProjects',
        'unit',
        '--',
        '__tests__/unit/floor/time.test.ts'
      ],
      { env, encoding: 'utf8' }
    )
    expect(run.stderr).not.toContain('Must use import to load ES Module')
    expect(run.stderr).toMatch(/Tests: +\d+ passed, \d+ total/)
    expect(run.status).toBe(0)
  })

  it('states in engines exactly the Node versions every direct dependency supports', () => {
    const ranges = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).flatMap(name => {
      const engines = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).engines
      return engines?.node ? [{ name, range: String(engines.node) }] : []
    })
    expect(ranges.map(r => r.name)).toContain('dependency-cruiser')
    const wrong = NODES.filter(
      v => semver.satisfies(v, pkg.engines.node) !== ranges.every(r => semver.satisfies(v, r.range))
    ).map(
      v =>
        `${v}: ${
          ranges
            .filter(r => !semver.satisfies(v, r.range))
            .map(r => `${r.name} ${r.range}`)
            .join(', ') || 'supported by all'
        }`
    )
    expect(wrong).toEqual([])
  })
})
