import { execFileSync } from 'node:child_process'

/** Mermaid's own reading of a diagram (see mermaid-parse.mjs beside this file). */
export interface MermaidReading {
  ok: boolean
  error?: string
  diagramType?: string
  /** What front matter or directives in the text set (and only that: no job name may set any). */
  config?: object
  sections?: string[]
  tasks?: { id: string; task: string; section: string; start: number; end: number; tags: string[] }[]
}

/** Hands diagrams to the `mermaid` package itself, in one child process (about a second). */
export function mermaidReads(diagrams: string[]): MermaidReading[] {
  const out = execFileSync(process.execPath, ['__fixtures__/mermaid-parse.mjs'], {
    input: JSON.stringify(diagrams),
    // The timeline's times are UTC written as local times: read in UTC, they are the times meant.
    env: { ...process.env, TZ: 'UTC', NODE_OPTIONS: '' },
    timeout: 30_000
  })
  return JSON.parse(out.toString()) as MermaidReading[]
}

/** The diagram inside the first ```mermaid fence of Markdown (lines or text); empty when there is none. */
export function diagramOf(markdown: string | string[]): string {
  const lines = typeof markdown === 'string' ? markdown.split('\n') : markdown
  const from = lines.indexOf('```mermaid') + 1
  if (from === 0) return ''
  return lines.slice(from, lines.indexOf('```', from)).join('\n') + '\n'
}
