// The e2e tests run the committed dist/index.js. After a change to src/ without `npm run bundle`, they would
// test the old code and fail in puzzling ways (or pass). bundle.js records what it built from: a hash of the
// sources and of the dist/ it wrote, outside dist/ (dist/ must equal a fresh build). Before the e2e tests, this
// check fails at once when dist/ is still what was built but the sources have changed since. No record, or a
// dist/ that changed since (a pull, a checkout): nothing to say; `npm test` runs check-dist before e2e anyway.
// Hashes, not mtimes: git sets mtimes as it likes on a clone or a checkout.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** What the bundle is built from, besides the packages (package-lock.json stands for them). */
const SOURCES = ['src', 'build', 'tsconfig.json', 'package-lock.json', 'scripts/bundle.js']
export const RECORD = join('node_modules', '.cache', 'ams-job-wait', 'dist-source.json')
export const STALE = 'dist/ is older than src/: npm run bundle'

/** @param {string} root @param {string} path @returns {string[]} the files under path, sorted */
function files(root, path) {
  const full = join(root, path)
  if (!existsSync(full)) return []
  if (!statSync(full).isDirectory()) return [path]
  return readdirSync(full)
    .sort()
    .flatMap(name => files(root, join(path, name)))
}

/** @param {string} root @param {string[]} paths */
function hash(root, paths) {
  const h = createHash('sha256')
  for (const f of paths.flatMap(p => files(root, p)))
    h.update(`${f}\0`)
      .update(readFileSync(join(root, f)))
      .update('\0')
  return h.digest('hex')
}

/** Written by `npm run bundle` into dist/: what dist/ was built from. @param {string} [root] */
export function recordBuild(root = ROOT) {
  const file = join(root, RECORD)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify({ source: hash(root, SOURCES), dist: hash(root, ['dist']) }))
}

/** The reason dist/ is stale, or undefined when it is fresh or cannot be told. @param {string} [root] */
export function staleness(root = ROOT) {
  const file = join(root, RECORD)
  if (!existsSync(file)) return undefined
  const record = JSON.parse(readFileSync(file, 'utf8'))
  if (record.dist !== hash(root, ['dist'])) return undefined
  return record.source === hash(root, SOURCES) ? undefined : STALE
}

/** jest globalSetup of the e2e project. */
export default function fresh() {
  const stale = staleness()
  if (!stale) return
  // The fix is the whole message: no stack under it.
  const error = new Error(stale)
  error.stack = stale
  throw error
}
