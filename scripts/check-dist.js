// dist/ is what GitHub runs. Rebuild it into a scratch folder and fail when it differs from what is committed.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const out = mkdtempSync(join(tmpdir(), 'ams-dist-'))
try {
  execFileSync('npx', ['ncc', 'build', 'src/index.ts', '-o', out, '--license', 'licenses.txt', '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const stale = []
  const files = new Set([...readdirSync(out), ...(existsSync('dist') ? readdirSync('dist') : [])])
  for (const f of files) {
    const built = existsSync(join(out, f)) ? readFileSync(join(out, f)) : null
    const committed = existsSync(join('dist', f)) ? readFileSync(join('dist', f)) : null
    if (!built || !committed || !built.equals(committed)) stale.push(f)
  }
  if (stale.length) {
    console.error(
      `dist/ is stale (${stale.join(', ')} differ from a fresh build). Run 'npm run bundle' and commit dist/.`
    )
    process.exit(1)
  }
  console.log('dist/ matches a fresh build of src/.')
} finally {
  rmSync(out, { recursive: true, force: true })
}
