// node scripts/summary-picture.js: docs/summary.png, the README's picture of a step summary.
// The action (dist/index.js, as a runner starts it) waits for three jobs on the local HTTPS emulator: one
// finishes, one ends in Error, one is still running at the timeout. Its step summary is made into an HTML page
// (the tables as GitHub draws them, the timeline drawn by mermaid, from node_modules: no network) and
// screenshot in headless Chromium from Debian's packages (`apt-get install chromium`). Not part of npm test.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { startEmulator } from '../emulator/index.js'
import { ACTION, nodeBinary, prepareRun, ROOT, secretInputs } from './runner.js'

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const OUT = join(ROOT, 'docs', 'summary.png')
/** GitHub's look, near enough. */
const STYLE = `
body { margin: 0; background: #fff; }
main { width: 960px; padding: 16px 24px; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
h3 { font-size: 1.25em; margin: 0 0 12px; }
p { margin: 0 0 12px; }
table { border-collapse: collapse; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; text-align: left; }
th { font-weight: 600; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; background: #eff1f3; padding: 2px 4px; border-radius: 6px; }
pre.mermaid { margin: 0 0 16px; background: #fff; }
`

const emu = await startEmulator()
const ids = [
  emu.addJob({
    name: 'encode trailer 1080p',
    timeline: [
      { state: 'Queued', polls: 2 },
      { state: 'Processing', polls: 1, progress: 30 },
      { state: 'Processing', polls: 3, progress: 75 },
      { state: 'Finished' }
    ],
    outputAssets: [{ Name: 'trailer-1080p-mbr' }]
  }),
  emu.addJob({
    name: 'thumbnails',
    timeline: [
      { state: 'Queued', polls: 1 },
      { state: 'Processing', polls: 3, progress: 40 },
      { state: 'Error' }
    ],
    errorDetails: [{ Code: 'ContentMalformed', Message: 'The input file has no video track.' }]
  }),
  emu.addJob({
    name: 'encode feature 4K',
    timeline: [
      { state: 'Queued', polls: 3 },
      { state: 'Processing', polls: 3, progress: 10 },
      { state: 'Processing', progress: 35 }
    ]
  })
]
const run = prepareRun({ ...secretInputs(emu), 'job-id': ids.join(' '), 'fail-on': 'none', timeout: '12s' })
const child = spawn(nodeBinary(), [ACTION], { env: run.env, cwd: run.dir, stdio: 'ignore' })
await new Promise(resolve => child.on('close', resolve))
const { summary } = run.results()
run.cleanup()
await emu.close()

const profile = mkdtempSync(join(tmpdir(), 'summary-picture-'))
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  offline: true,
  viewport: { width: 1000, height: 600 },
  deviceScaleFactor: 1,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
  ]
})
try {
  const page = context.pages()[0] ?? (await context.newPage())
  await page.setContent(pageOf(summary))
  await page.addScriptTag({ path: join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') })
  // GitHub draws the summary's Mermaid in UTC no more than the reader's browser does: the times say UTC.
  await page.evaluate(async () => {
    const mermaid = /** @type {any} */ (globalThis).mermaid
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', gantt: { useWidth: 900 } })
    await mermaid.run({ querySelector: 'pre.mermaid' })
  })
  await page.waitForSelector('pre.mermaid svg')
  await page.locator('main').screenshot({ path: OUT })
  console.log(`Wrote ${OUT}`)
} finally {
  await context.close()
  rmSync(profile, { recursive: true, force: true })
}

/**
 * The summary as GitHub draws it, for what the action writes: a heading, paragraphs, tables, bold, code spans,
 * backslash escapes and entities, and ```mermaid blocks (which mermaid draws).
 * @param {string} markdown
 */
function pageOf(markdown) {
  /** @type {string[]} */
  const html = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '```mermaid') {
      const end = lines.indexOf('```', i + 1)
      html.push(`<pre class="mermaid">${escape(lines.slice(i + 1, end).join('\n'))}</pre>`)
      i = end
    } else if (line.startsWith('### ')) html.push(`<h3>${inline(line.slice(4))}</h3>`)
    else if (line.startsWith('|')) {
      const rows = []
      for (; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]))
      i--
      const [head, , ...body] = rows
      html.push(
        `<table><thead><tr>${head.map(c => `<th>${c}</th>`).join('')}</tr></thead><tbody>${body
          .map(r => `<tr>${r.map(c => `<td>${c}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`
      )
    } else if (line.trim()) html.push(`<p>${inline(line)}</p>`)
  }
  return `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body><main>${html.join('\n')}</main></body></html>`
}

/** @param {string} row */
function cells(row) {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map(c => inline(c.trim()))
}

/** @param {string} text */
function inline(text) {
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, i) =>
      i % 2
        ? `<code>${escape(part.replace(/^`+ ?| ?`+$/g, '').replace(/\\\|/g, '|'))}</code>`
        : part.replace(/\\([\\`*_[\]|~#!:@$.])/g, '$1').replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    )
    .join('')
}

/** @param {string} text */
function escape(text) {
  return text
    .replace(/&(?![a-z]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}
