/**
 * scripts/release.sh against a scratch clone and a bare "origin" in a temp folder: what it refuses, and the
 * tags it creates and moves. The dist/ check and the tests are stubbed (RELEASE_CHECK_DIST, RELEASE_TEST).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../scripts/runner.js'

const IDENTITY = {
  GIT_AUTHOR_NAME: 'release test',
  GIT_AUTHOR_EMAIL: 'release@example.test',
  GIT_COMMITTER_NAME: 'release test',
  GIT_COMMITTER_EMAIL: 'release@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir()
}
let dir: string
let work: string
let origin: string

const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: work, env: { ...process.env, ...IDENTITY }, encoding: 'utf8' }).trim()

function release(version: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['scripts/release.sh', version], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, ...IDENTITY, RELEASE_CHECK_DIST: 'true', RELEASE_TEST: 'true', ...env }
  })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}

/** A commit that sets package.json's version and adds its CHANGELOG section. */
function prepare(version: string): void {
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'x', version }))
  writeFileSync(
    join(work, 'CHANGELOG.md'),
    `# Changelog\n\n## [Unreleased]\n\n## [${version}] - 2026-11-23\n`
  )
  git('add', '-A')
  git('commit', '-qm', `version ${version}`)
}

const remoteTag = (tag: string): string =>
  execFileSync('git', ['rev-parse', `refs/tags/${tag}^{commit}`], { cwd: origin, encoding: 'utf8' }).trim()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ams-release-'))
  origin = join(dir, 'origin.git')
  work = join(dir, 'work')
  execFileSync('git', ['init', '-q', '--bare', origin])
  execFileSync('git', ['clone', '-q', origin, work], { stdio: 'ignore' })
  mkdirSync(join(work, 'scripts'))
  copyFileSync(join(ROOT, 'scripts', 'release.sh'), join(work, 'scripts', 'release.sh'))
  prepare('1.0.0')
  git('push', '-q', 'origin', 'HEAD')
})

afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('scripts/release.sh', () => {
  it('tags v1.0.0, points v1 at the same commit and pushes both', () => {
    const r = release('1.0.0')
    expect(r.out).toContain('tagged v1.0.0 and moved v1')
    expect(r.code).toBe(0)
    const head = git('rev-parse', 'HEAD')
    expect(remoteTag('v1.0.0')).toBe(head)
    expect(remoteTag('v1')).toBe(head)
  })

  it('moves v1 to the next release and leaves v1.0.0 where it was', () => {
    expect(release('1.0.0').code).toBe(0)
    const first = git('rev-parse', 'HEAD')
    prepare('1.1.0')
    expect(release('v1.1.0').code).toBe(0)
    const second = git('rev-parse', 'HEAD')
    expect(remoteTag('v1.0.0')).toBe(first)
    expect(remoteTag('v1.1.0')).toBe(second)
    expect(remoteTag('v1')).toBe(second)
  })

  it.each(['1.0', 'v1', '1.0.0-beta', '01.0.0', ''])('refuses the version %j and tags nothing', version => {
    const r = release(version)
    expect(r.code).not.toBe(0)
    expect(r.out).toContain('is not a version: give X.Y.Z')
    expect(git('tag', '--list')).toBe('')
  })

  it('refuses a dirty working tree', () => {
    writeFileSync(join(work, 'CHANGELOG.md'), 'edited\n')
    const r = release('1.0.0')
    expect(r.code).toBe(1)
    expect(r.out).toContain('the working tree is not clean')
    expect(git('tag', '--list')).toBe('')
  })

  it('refuses when dist/ is stale or the tests fail', () => {
    expect(release('1.0.0', { RELEASE_CHECK_DIST: 'false' }).out).toContain('dist/ is stale')
    expect(release('1.0.0', { RELEASE_TEST: 'false' }).out).toContain('the tests failed')
    expect(git('tag', '--list')).toBe('')
  })

  it('refuses a version that package.json does not say, an existing tag and an older version', () => {
    expect(release('1.0.1').out).toContain('package.json says 1.0.0')
    expect(release('1.0.0').code).toBe(0)
    expect(release('1.0.0').out).toContain('v1.0.0 already exists')
    prepare('0.9.0')
    expect(release('0.9.0').out).toContain('older than the latest release v1.0.0')
  })
})
