// dist/ is what GitHub runs. Rebuild it into a scratch folder (the same build as npm run bundle: index.js,
// the MSAL chunk, licenses.txt) and fail when any file differs from what is committed, or is missing.
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundle } from './bundle.js'

const out = mkdtempSync(join(tmpdir(), 'ams-dist-'))
try {
  bundle(out, { quiet: true })
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
