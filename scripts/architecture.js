// The architecture of src/ as dependency-cruiser sees it, with the rules of .dependency-cruiser.cjs. One
// cruise serves three readers: the unit test (no violation beyond the known ones), `npm run docs` (the
// folder graph in docs/architecture.md) and the test that the committed docs match a fresh drawing.
import { cruise } from 'dependency-cruiser'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
const CONFIG = join(root, '.dependency-cruiser.cjs')
/** Written by `npx depcruise-baseline src --config .dependency-cruiser.cjs`; absent once all are fixed. */
export const KNOWN_VIOLATIONS = join(root, '.dependency-cruiser-known-violations.json')
const DOCS = join(root, 'docs', 'architecture.md')

/** @typedef {import('dependency-cruiser').IViolation} Violation */
/** @typedef {import('dependency-cruiser').ICruiseResult} CruiseResult */

/** @returns {import('dependency-cruiser').IConfiguration} */
export function rules() {
  return createRequire(import.meta.url)(CONFIG)
}

/** @returns {Violation[]} */
export function knownViolations() {
  return existsSync(KNOWN_VIOLATIONS) ? JSON.parse(readFileSync(KNOWN_VIOLATIONS, 'utf8')) : []
}

/**
 * Cruises `src` under baseDir (the repository, or a fixture tree with its own src/) with our rules.
 * @param {{ baseDir?: string, known?: Violation[] }} [options]
 * @returns {Promise<CruiseResult>}
 */
export async function cruiseSrc({ baseDir = root, known = [] } = {}) {
  const config = rules()
  const result = await cruise(
    ['src'],
    { ...config.options, baseDir, validate: true, ruleSet: config, knownViolations: known },
    {},
    { tsConfig: extractTSConfig(join(root, 'tsconfig.json')) }
  )
  return /** @type {CruiseResult} */ (result.output)
}

/** The violations a cruise reports, known ones (softened to "ignore") left out. @param {CruiseResult} result */
export function violations(result) {
  return result.summary.violations.filter(v => v.rule.severity !== 'ignore')
}

/**
 * One steady poll, counted by reading the code (the poll's path to the wire is checked by
 * __tests__/unit/docs/steady-poll.test.ts).
 */
const STEADY_POLL = [
  '## One steady poll',
  '',
  'A poll of one Processing Media Services v2 job, the token cached and every answer 200, is a Jobs query and a',
  'Tasks read. It crosses between the nodes of the graph (the floor, and helpers that return a value and call',
  'nothing back, such as the trust check and the header reads, left out) 10 crossings in all, 5 a request:',
  '',
  '| # | from → to | the call |',
  '| --- | --- | --- |',
  '| 1 | wait → jobs/v2 | `waiter.ts` poll → `MediaServicesClient.getJobs` (up to 20 jobs: one query, no pool) |',
  '| 2 | jobs/v2 → jobs | `MediaServicesClient.get` → `GuardedExchange.request` (the retry loop is its own) |',
  "| 3 | jobs → auth | `GuardedExchange.send` → the token source's `getToken` (cached) |",
  '| 4 | jobs → transport | `GuardedExchange.exchange` → `Http.request` |',
  "| 5 | jobs → jobs/v2 | the answer → the client's parser (`parseJobs`) |",
  '| 6–10 | the same | `waiter.ts` readDetails → `MediaServicesClient.readProgress` → Tasks, as 2–5 |',
  '',
  'Before #23 the same count was 12 (a `source.ts` adapter in front of each client, the pool around a single',
  'query, the request URL read back from the client at every attempt); the review that asked for fewer',
  'counted about 15 by a looser reckoning.',
  ''
]

/** Folder-level nodes: each folder of src/ is one node; the floor's files are one node. @param {string} path */
export function nodeOf(path) {
  if (/^src\/(errors|text|time|logger|clouds|values)\.ts$/.test(path)) return 'floor'
  const inSrc = /^src\/(.+)$/.exec(path)
  if (inSrc) {
    const parts = inSrc[1].split('/')
    if (parts[0] === 'jobs' && parts.length > 2) return `jobs/${parts[1]}`
    return parts.length > 1 ? parts[0] : parts[0].replace(/\.ts$/, '')
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  return pkg ? pkg[1] : path
}

/** @param {string} node */
const id = node => node.replace(/[^a-z0-9]/gi, '_')

/**
 * The folder graph as Mermaid: one arrow per folder that imports another (types included), packages as
 * rounded nodes; an arrow that breaks a rule is dotted and names the rule.
 * @param {CruiseResult} result
 */
export function mermaid(result) {
  /** @type {Map<string, Set<string>>} */
  const edges = new Map()
  const broken = new Map()
  const packages = new Set()
  for (const m of result.modules) {
    if (m.coreModule || !m.source.startsWith('src/')) continue
    const from = nodeOf(m.source)
    for (const d of m.dependencies) {
      if (d.coreModule) continue
      const to = nodeOf(d.resolved)
      // Every folder may use the floor: its arrows would only hide the others.
      if (to === from || to === 'floor') continue
      if (!d.resolved.startsWith('src/')) packages.add(to)
      const key = `${from} ${to}`
      if (!edges.has(key)) edges.set(key, new Set())
      for (const r of d.rules ?? []) if (r.name !== 'no-circle') edges.get(key)?.add(r.name)
      if (d.rules?.some(r => r.name !== 'no-circle')) broken.set(key, true)
    }
  }
  const nodes = new Set([...edges.keys()].flatMap(k => k.split(' ')))
  const label = (/** @type {string} */ n) =>
    packages.has(n)
      ? `${id(n)}(["${n}"])`
      : `${id(n)}["${['index', 'main', 'runtime', 'floor'].includes(n) ? n : `${n}/`}"]`
  const lines = ['flowchart TD', ...[...nodes].sort().map(n => `  ${label(n)}`)]
  for (const [key, names] of [...edges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [from, to] = key.split(' ')
    lines.push(
      broken.has(key)
        ? `  ${id(from)} -.->|breaks ${[...names].sort().join(', ')}| ${id(to)}`
        : `  ${id(from)} --> ${id(to)}`
    )
  }
  return lines.join('\n')
}

/** The files of each folder node, for the prose. */
function filesByNode() {
  /** @type {Map<string, string[]>} */
  const byNode = new Map()
  /** @param {string} dir */
  const walk = dir => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory()) walk(path)
      else if (path.endsWith('.ts')) byNode.set(nodeOf(path), [...(byNode.get(nodeOf(path)) ?? []), path])
    }
  }
  walk('src')
  return byNode
}

/** The comment block that opens .dependency-cruiser.cjs: the architecture in words. */
function header() {
  const lines = readFileSync(CONFIG, 'utf8').split('\n')
  const end = lines.findIndex(l => !l.startsWith('//'))
  return lines.slice(0, end).map(l => l.replace(/^\/\/ ?/, ''))
}

/** @param {CruiseResult} result */
export function render(result) {
  const words = header()
  const picture = words.filter(l => /^ {2}/.test(l))
  const intro = words.filter(l => !/^ {2}/.test(l) && l.trim())
  const files = [...filesByNode()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const config = rules()
  const known = knownViolations()
  return [
    '# Architecture',
    '',
    '<!-- Generated by `npm run docs` (scripts/architecture.js) from .dependency-cruiser.cjs and src/: do not edit. -->',
    '',
    intro.join('\n'),
    '',
    '## The folders and what they may use',
    '',
    '```text',
    ...picture.map(l => l.replace(/^ {2}/, '')),
    '```',
    '',
    '## The graph',
    '',
    'One node per folder of `src/`, one arrow per folder that imports another, type imports included; packages are',
    'the rounded nodes. A dotted arrow breaks the rule it names. The floor (`errors.ts`, `text.ts`, `time.ts`,',
    '`logger.ts`, `clouds.ts`, `values.ts`) is used by every folder, so arrows into it are not drawn.',
    '',
    '```mermaid',
    mermaid(result),
    '```',
    '',
    ...STEADY_POLL,
    '## The rules',
    '',
    '| rule | what it keeps true |',
    '| --- | --- |',
    ...(config.forbidden ?? []).map(
      r => `| \`${r.name}\` | ${r.comment ?? 'Every import resolves to a file.'} |`
    ),
    '',
    known.length
      ? `Known violations, to be fixed (\`.dependency-cruiser-known-violations.json\`, which \`npm run lint\` ignores):\n\n${known
          .map(
            v =>
              `- \`${v.rule.name}\`: ${v.cycle ? [v.from, ...v.cycle.map(c => c.name)].join(' → ') : `${v.from} → ${v.to}`}`
          )
          .join('\n')}\n`
      : 'No known violations: every rule holds.\n',
    '## The files',
    '',
    '| node | files |',
    '| --- | --- |',
    ...files.map(([node, list]) => `| ${node} | ${list.map(f => `\`${f}\``).join(', ')} |`),
    ''
  ].join('\n')
}

export async function architecture() {
  return render(await cruiseSrc({ known: knownViolations() }))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = existsSync(DOCS) ? readFileSync(DOCS, 'utf8') : ''
  const after = await architecture()
  if (after !== before) writeFileSync(DOCS, after)
  console.log(
    after === before ? 'docs/architecture.md is up to date.' : 'docs/architecture.md drawn from src/.'
  )
}
