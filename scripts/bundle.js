// npm run bundle: ncc builds src/index.ts into dist/ (index.js, and the chunk that holds MSAL, loaded only
// for a sign-in), then licenses.txt lists the license of every bundled package. ncc's own --license writes
// one file per chunk under the same name, so one chunk's list would overwrite the other's: the list is
// made here from webpack's module stats instead. check-dist runs the same function into a scratch folder.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recordBuild } from './dist-fresh.js'

/** @param {string} out @param {{ quiet?: boolean }} [options] */
export function bundle(out, options = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'ams-stats-'))
  try {
    const statsFile = join(scratch, 'stats.json')
    const quiet = options.quiet ? ['--quiet'] : []
    execFileSync('npx', ['ncc', 'build', 'src/index.ts', '-o', out, '--stats-out', statsFile, ...quiet], {
      stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit']
    })
    writeFileSync(join(out, 'licenses.txt'), licenses(JSON.parse(readFileSync(statsFile, 'utf8'))))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * One entry per bundled package (name, license, license text), sorted by name.
 * @param {{ modules?: { name?: string, modules?: unknown[] }[] }} stats
 */
export function licenses(stats) {
  const dirs = new Set()
  /** @param {{ name?: string, modules?: unknown[] }} m */
  const walk = m => {
    // The package is the last node_modules/<name> (or <@scope/name>) in the module's path (greedy .*).
    const dir = /^(?:\.\/)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(m.name ?? '')
    if (dir) dirs.add(dir[1])
    for (const inner of m.modules ?? []) walk(/** @type {{ name?: string }} */ (inner))
  }
  for (const m of stats.modules ?? []) walk(m)
  const entries = [...dirs].map(dir => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const file = readdirSync(dir).find(f => /^licen[cs]e/i.test(f))
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : ''
    return { name: String(pkg.name), text: `${pkg.name}\n${pkg.license ?? 'UNKNOWN'}\n${text}\n` }
  })
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(e => e.text)
    .join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? 'dist'
  if (existsSync(out)) for (const f of readdirSync(out)) if (/\.js$/.test(f)) rmSync(join(out, f))
  bundle(out)
  // What dist/ was built from, for the e2e tests' check that it is not stale (scripts/dist-fresh.js).
  if (resolve(out) === resolve('dist')) recordBuild()
}
