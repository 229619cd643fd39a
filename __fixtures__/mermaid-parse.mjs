/**
 * Hands Mermaid blocks to the `mermaid` package itself, in a jsdom window: reads a JSON array of diagram
 * texts on stdin, writes a JSON array of answers, `{ ok: true, tasks }` or `{ ok: false, error }`. A gantt is
 * parsed (mermaid.parse, the syntax; `config` is what directives in it set) and its tasks computed (the dates its dateFormat must read), as
 * mermaid does before it draws. A child process of the test: mermaid is an ES module tree that wants a DOM
 * and a plain Node, not jest's VM.
 */
import { JSDOM } from 'jsdom'

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true })
for (const name of ['window', 'document', 'navigator', 'Element', 'HTMLElement', 'SVGElement', 'DOMParser']) {
  if (!(name in globalThis))
    Object.defineProperty(globalThis, name, {
      value: name === 'window' ? dom.window : dom.window[name],
      configurable: true,
      writable: true
    })
}
const { default: mermaid } = await import('mermaid')
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })

/**
 * The gantt's own store, as mermaid's gantt parser fills it (its types are not exported).
 * @typedef {{ id: string, task: string, section: string, startTime: Date, endTime: Date } & Record<string, unknown>} Task
 * @typedef {{ getTasks(): Task[], getSections(): string[] }} GanttDb
 */

/** @param {string} text */
async function check(text) {
  try {
    const { diagramType, config } = await mermaid.parse(text)
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text)
    const db = /** @type {Partial<GanttDb>} */ (diagram.db)
    const tasks = db.getTasks?.() ?? []
    for (const t of tasks) {
      if (
        !(t.startTime instanceof Date) ||
        Number.isNaN(t.startTime.getTime()) ||
        Number.isNaN(t.endTime?.getTime())
      )
        throw new Error(`task ${t.id} has no valid time`)
    }
    return {
      ok: true,
      diagramType,
      config,
      sections: db.getSections?.() ?? [],
      tasks: tasks.map(t => ({
        id: t.id,
        task: t.task,
        section: t.section,
        start: t.startTime.getTime(),
        end: t.endTime.getTime(),
        tags: ['active', 'done', 'crit', 'milestone'].filter(tag => t[tag])
      }))
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

let input = ''
for await (const chunk of process.stdin) input += chunk
const answers = []
for (const text of JSON.parse(input)) answers.push(await check(text))
process.stdout.write(JSON.stringify(answers))
