/** The developer's tools work as a developer calls them, not only through npm scripts. */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'

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
})
