/** The e2e tests refuse a dist/ built before the last change to src/, and only that. */
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordBuild, STALE, staleness } from '../../../scripts/dist-fresh.js'

function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'ams-fresh-'))
  mkdirSync(join(root, 'src', 'wait'), { recursive: true })
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'src', 'wait', 'waiter.ts'), 'export const a = 1\n')
  writeFileSync(join(root, 'package-lock.json'), '{}\n')
  writeFileSync(join(root, 'dist', 'index.js'), 'built\n')
  return root
}

describe('dist-fresh (the e2e globalSetup)', () => {
  it('says nothing on a fresh clone, which has no record of a build', () => {
    const root = checkout()
    expect(staleness(root)).toBeUndefined()
    rmSync(root, { recursive: true })
  })

  it('says nothing right after npm run bundle', () => {
    const root = checkout()
    recordBuild(root)
    expect(staleness(root)).toBeUndefined()
    rmSync(root, { recursive: true })
  })

  it('fails with the fix when src/ (or the lock file) changed after the bundle', () => {
    for (const file of ['src/wait/waiter.ts', 'src/wait/new.ts', 'package-lock.json']) {
      const root = checkout()
      recordBuild(root)
      writeFileSync(join(root, file), 'export const a = 2\n')
      expect(staleness(root)).toBe('dist/ is older than src/: npm run bundle')
      rmSync(root, { recursive: true })
    }
    expect(STALE).toBe('dist/ is older than src/: npm run bundle')
  })

  it('trusts a dist/ that changed since the record (a pull or a checkout brought both)', () => {
    const root = checkout()
    recordBuild(root)
    writeFileSync(join(root, 'src', 'wait', 'waiter.ts'), 'export const a = 2\n')
    writeFileSync(join(root, 'dist', 'index.js'), 'built from the new source\n')
    expect(staleness(root)).toBeUndefined()
    rmSync(root, { recursive: true })
  })
})
