/**
 * scripts/release.sh against a scratch clone and a bare "origin" in a temp folder: what it refuses (and that it
 * then tags and pushes nothing), and the release commit and tags it pushes. RELEASE_TEST_CMD stands in for
 * `npm test`, so that these tests do not run the whole suite.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
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
/** The project's own preamble (it says that the first release is still to come) above a small [Unreleased]. */
const PREAMBLE = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8').split(/^## /m)[0]
const CHANGELOG = `${PREAMBLE}## [Unreleased]

### Added

- Something new.

[Unreleased]: https://github.com/OWNER/ams-job-wait/commits/main
`
let dir: string
let work: string
let origin: string

const run = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, encoding: 'utf8' }).trim()
const git = (...args: string[]): string => run(work, ...args)
const remote = (...args: string[]): string => run(origin, ...args)

function release(args: string | string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['scripts/release.sh', ...[args].flat()], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, ...IDENTITY, RELEASE_TEST_CMD: 'true', ...env }
  })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}

/** A commit on main, pushed to origin. */
function commit(files: Record<string, string>, message: string, push = true): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text)
  git('add', '-A')
  git('commit', '-qm', message)
  if (push) git('push', '-q', 'origin', 'HEAD:refs/heads/main')
}

const remoteTags = (): string => remote('tag', '--list')
const remoteTag = (tag: string): string => remote('rev-parse', `refs/tags/${tag}^{commit}`)
const remoteMain = (): string => remote('rev-parse', 'refs/heads/main')

/** Asserts a refusal: the message, a failing exit, and nothing new on origin. */
function refused(r: { code: number | null; out: string }, message: string | RegExp, main: string): void {
  expect(r.out).toMatch(message)
  expect(r.code).toBe(1)
  expect(remoteTags()).toBe('')
  expect(remoteMain()).toBe(main)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ams-release-'))
  origin = join(dir, 'origin.git')
  work = join(dir, 'work')
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', origin])
  execFileSync('git', ['clone', '-q', origin, work], { stdio: 'ignore' })
  git('checkout', '-q', '-b', 'main')
  mkdirSync(join(work, 'scripts'))
  copyFileSync(join(ROOT, 'scripts', 'release.sh'), join(work, 'scripts', 'release.sh'))
  const lock = {
    name: 'x',
    version: '0.9.0',
    lockfileVersion: 3,
    packages: { '': { name: 'x', version: '0.9.0' } }
  }
  commit(
    {
      'package.json': `${JSON.stringify({ name: 'x', version: '0.9.0' }, null, 2)}\n`,
      'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
      'CHANGELOG.md': CHANGELOG
    },
    'start'
  )
})

afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('scripts/release.sh', () => {
  it('pushes one release commit (CHANGELOG, package.json, package-lock.json) with v1.0.0 and v1 on it', () => {
    const before = git('rev-parse', 'HEAD')
    const r = release('1.0.0')
    expect(r.out).toContain('in one atomic push')
    expect(r.code).toBe(0)

    const head = git('rev-parse', 'HEAD')
    expect(git('rev-parse', 'HEAD~1')).toBe(before)
    expect(remoteMain()).toBe(head)
    expect(remoteTag('v1.0.0')).toBe(head)
    expect(remoteTag('v1')).toBe(head)
    expect(git('show', '--name-only', '--format=%s', 'HEAD').split('\n')).toEqual([
      'Release v1.0.0',
      '',
      'CHANGELOG.md',
      'package-lock.json',
      'package.json'
    ])

    const today = new Date().toISOString().slice(0, 10)
    const md = readFileSync(join(work, 'CHANGELOG.md'), 'utf8')
    expect(md).toContain(`## [Unreleased]\n\n## [1.0.0] - ${today}\n\n### Added\n\n- Something new.\n`)
    expect(md).toContain('[Unreleased]: https://github.com/OWNER/ams-job-wait/compare/v1.0.0...HEAD\n')
    expect(md).toContain('[1.0.0]: https://github.com/OWNER/ams-job-wait/releases/tag/v1.0.0\n')
    expect(JSON.parse(readFileSync(join(work, 'package.json'), 'utf8')).version).toBe('1.0.0')
    const lock = JSON.parse(readFileSync(join(work, 'package-lock.json'), 'utf8'))
    expect([lock.version, lock.packages[''].version]).toEqual(['1.0.0', '1.0.0'])
  })

  it('moves v1 to the next release and leaves v1.0.0 where it was', () => {
    expect(release('1.0.0').code).toBe(0)
    const first = git('rev-parse', 'HEAD')
    commit(
      {
        'CHANGELOG.md': readFileSync(join(work, 'CHANGELOG.md'), 'utf8').replace(
          '## [Unreleased]\n',
          '## [Unreleased]\n\n- Fixed.\n'
        )
      },
      'fix'
    )
    expect(release('v1.1.0').code).toBe(0)
    const second = git('rev-parse', 'HEAD')
    expect(remoteTag('v1.0.0')).toBe(first)
    expect(remoteTag('v1.1.0')).toBe(second)
    expect(remoteTag('v1')).toBe(second)
    const md = readFileSync(join(work, 'CHANGELOG.md'), 'utf8')
    expect(md).toMatch(/^## \[Unreleased\]\n\n## \[1\.1\.0\] - [\d-]+\n\n- Fixed\.\n\n## \[1\.0\.0\] - /m)
    expect(md).toContain('[Unreleased]: https://github.com/OWNER/ams-job-wait/compare/v1.1.0...HEAD\n')
    expect(md).toContain('[1.1.0]: https://github.com/OWNER/ams-job-wait/releases/tag/v1.1.0\n')
    expect(md).toContain('[1.0.0]: https://github.com/OWNER/ams-job-wait/releases/tag/v1.0.0\n')
  })

  it('refuses a commit that origin/main does not have: nothing is tagged or pushed', () => {
    const main = remoteMain()
    commit({ 'local.txt': 'not pushed\n' }, 'local only', false)
    refused(release('1.0.0'), /HEAD \(\w+\) is not origin's main \(\w+\)/, main)
    expect(git('tag', '--list')).toBe('')
  })

  it('refuses when origin/main moved on since this clone last fetched', () => {
    const other = join(dir, 'other')
    execFileSync('git', ['clone', '-q', origin, other], { stdio: 'ignore' })
    writeFileSync(join(other, 'more.txt'), 'more\n')
    run(other, 'add', '-A')
    run(other, 'commit', '-qm', 'more')
    run(other, 'push', '-q', 'origin', 'HEAD:refs/heads/main')
    refused(release('1.0.0'), /is not origin's main/, remoteMain())
  })

  it('refuses a dirty working tree', () => {
    writeFileSync(join(work, 'CHANGELOG.md'), 'edited\n')
    refused(release('1.0.0'), 'the working tree is not clean', remoteMain())
  })

  it('runs RELEASE_TEST_CMD and refuses when the tests fail', () => {
    const main = remoteMain()
    refused(release('1.0.0', { RELEASE_TEST_CMD: 'false' }), 'the tests failed: nothing was tagged', main)
    const r = release('1.0.0', { RELEASE_TEST_CMD: 'echo the-tests-ran' })
    expect(r.out).toContain('the-tests-ran')
    expect(r.code).toBe(0)
  })

  it('does not run the tests again for the commit a separate job tested (RELEASE_TESTED_SHA)', () => {
    const head = git('rev-parse', 'HEAD')
    const r = release('1.0.0', { RELEASE_TEST_CMD: 'false', RELEASE_TESTED_SHA: head })
    expect(r.out).toContain(`the tests passed for ${head.slice(0, 12)} in a separate job`)
    expect(r.code).toBe(0)
  })

  it('refuses when [Unreleased] has no entries', () => {
    const main = remoteMain()
    commit({ 'CHANGELOG.md': CHANGELOG.replace('### Added\n\n- Something new.\n\n', '') }, 'empty')
    refused(release('1.0.0'), "no entries under '## [Unreleased]'", remoteMain())
    expect(remoteMain()).not.toBe(main)
  })

  it('refuses a version that is already tagged (on origin too) or older than the latest', () => {
    expect(release('1.0.0').code).toBe(0)
    commit(
      {
        'CHANGELOG.md': readFileSync(join(work, 'CHANGELOG.md'), 'utf8').replace(
          '## [Unreleased]\n',
          '## [Unreleased]\n\n- Fixed.\n'
        )
      },
      'fix'
    )
    git('tag', '-d', 'v1.0.0')
    const main = remoteMain()
    const tags = remoteTags()
    for (const [version, message] of [
      ['1.0.0', 'v1.0.0 already exists'],
      ['0.9.5', 'older than the latest release v1.0.0']
    ]) {
      const r = release(version)
      expect(r.out).toContain(message)
      expect(r.code).toBe(1)
      expect(remoteTags()).toBe(tags)
      expect(remoteMain()).toBe(main)
    }
  })

  it.each(['1.0', 'v1', '1.0.0-beta', '01.0.0', ''])('refuses the version %j and tags nothing', version => {
    refused(release(version), 'is not a version: give X.Y.Z', remoteMain())
    expect(git('tag', '--list')).toBe('')
  })

  it('pushes nothing when origin refuses any ref: the commit and both tags go together', () => {
    // origin already has v1 from elsewhere, and refuses to let it move (as a protected tag would).
    const main = remoteMain()
    remote('tag', 'v1', main)
    remote('config', 'receive.denyNonFastForwards', 'true')
    writeFileSync(join(origin, 'hooks', 'update'), '#!/bin/sh\n[ "$1" = refs/tags/v1 ] && exit 1\nexit 0\n', {
      mode: 0o755
    })
    const r = release('1.0.0')
    expect(r.out).toContain('the push was refused: nothing was released')
    expect(r.code).toBe(1)
    expect(remoteMain()).toBe(main)
    expect(remoteTags()).toBe('v1')
    // The clone is back where it was: a rerun after the fix is not refused for a tag that only exists here.
    expect(git('rev-parse', 'HEAD')).toBe(main)
    expect(git('tag', '--list')).toBe('v1')
    expect(git('status', '--porcelain')).toBe('')
  })
  it.each([
    [['1.0.0', '--no-pushh'], "unknown option '--no-pushh'"],
    [['1.0.0', '--dry-runn'], "unknown option '--dry-runn'"],
    [['--force', '1.0.0'], "unknown option '--force'"],
    [['-n', '1.0.0'], "unknown option '-n'"],
    [['1.0.0', '1.1.0'], 'give one version, not 2'],
    [['1.0.0', '--no-push', '--dry-run'], '--no-push and --dry-run do not go together']
  ])('refuses %j before it fetches, tests or tags anything', (args, message) => {
    const main = remoteMain()
    const r = release(args, { RELEASE_TEST_CMD: 'echo the-tests-ran' })
    refused(r, message, main)
    expect(r.out).not.toMatch(/fetching|the-tests-ran/)
    expect(git('rev-parse', 'HEAD')).toBe(main)
    expect(git('tag', '--list')).toBe('')
  })

  it('--help lists the options and does nothing else', () => {
    const main = remoteMain()
    const r = release(['--help', '1.0.0'])
    expect(r.code).toBe(0)
    for (const option of ['--no-push', '--dry-run', '--help', 'RELEASE_REMOTE', 'RELEASE_BRANCH'])
      expect(r.out).toContain(option)
    expect(r.out).not.toContain('fetching')
    expect([remoteTags(), remoteMain(), git('tag', '--list')]).toEqual(['', main, ''])
  })

  it('--dry-run makes every check and shows the release commit, then commits, tags and pushes nothing', () => {
    const main = remoteMain()
    const r = release(['1.0.0', '--dry-run'], { RELEASE_TEST_CMD: 'echo the-tests-ran' })
    expect(r.out).toContain('fetching main')
    expect(r.out).toContain('the-tests-ran')
    expect(r.out).toContain('+## [1.0.0] - ')
    expect(r.out).toContain('+  "version": "1.0.0"')
    expect(r.out).toContain('nothing was committed, tagged or pushed')
    expect(r.code).toBe(0)
    expect([remoteTags(), remoteMain(), git('tag', '--list')]).toEqual(['', main, ''])
    expect(git('rev-parse', 'HEAD')).toBe(main)
    expect(git('status', '--porcelain')).toBe('')
    // A check that fails still fails a dry run.
    refused(release(['--dry-run', '1.0.0'], { RELEASE_TEST_CMD: 'false' }), 'the tests failed', main)
    // And after --, a version is a version even where an option could be.
    expect(release(['--', '1.0.0']).code).toBe(0)
    expect(remoteTag('v1.0.0')).toBe(git('rev-parse', 'HEAD'))
  })

  it.each(['RELEASE_REMOTE', 'RELEASE_BRANCH'])(
    'refuses an option as %s: git never runs the command in --upload-pack=',
    name => {
      const main = remoteMain()
      const marker = join(dir, 'ran')
      const r = release('1.0.0', { [name]: `--upload-pack=touch ${marker};` })
      refused(r, `${name} '--upload-pack=touch ${marker};' is not a`, main)
      expect(existsSync(marker)).toBe(false)
    }
  )

  it('releases to a remote and branch given by name (RELEASE_REMOTE, RELEASE_BRANCH)', () => {
    git('remote', 'add', 'upstream', origin)
    git('push', '-q', 'upstream', 'HEAD:refs/heads/stable')
    const r = release('1.0.0', { RELEASE_REMOTE: 'upstream', RELEASE_BRANCH: 'stable' })
    expect(r.code).toBe(0)
    expect(remote('rev-parse', 'refs/heads/stable')).toBe(git('rev-parse', 'HEAD'))
  })

  it('copies the links literally: a $& or $1 in the repository URL is not a replacement pattern', () => {
    commit({ 'CHANGELOG.md': CHANGELOG.replace('OWNER/ams-job-wait', () => "o$&w$1n$'er/a$`b$$") }, 'odd url')
    expect(release('1.0.0').code).toBe(0)
    const md = readFileSync(join(work, 'CHANGELOG.md'), 'utf8')
    expect(md).toContain("[Unreleased]: https://github.com/o$&w$1n$'er/a$`b$$/compare/v1.0.0...HEAD\n")
    expect(md).toContain("[1.0.0]: https://github.com/o$&w$1n$'er/a$`b$$/releases/tag/v1.0.0\n")
  })

  it('drops the preamble sentence that says the release has not been tagged yet, and keeps the rest', () => {
    expect(PREAMBLE).toContain('has not been tagged yet')
    expect(release('1.0.0').code).toBe(0)
    const md = readFileSync(join(work, 'CHANGELOG.md'), 'utf8')
    expect(md).not.toContain('not been tagged yet')
    const kept = PREAMBLE.replace(/\s+The first release, [\d.]+,\s+has not been tagged yet[^\n]*\n/, '\n')
    expect(kept).not.toBe(PREAMBLE)
    expect(md.startsWith(`${kept}## [Unreleased]\n\n## [1.0.0] - `)).toBe(true)
  })
})
