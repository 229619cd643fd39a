/** Comments in src/ that cite a source file name one that exists (files move; comments were left behind). */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'

const files = (readdirSync('src', { recursive: true }) as string[]).map(f => join('src', f))
const sources = files.filter(f => f.endsWith('.ts'))
const existing = new Set(files.map(f => basename(f)))

/** Names of files outside src/: tldts's compiled trie (src/data/trie.ts, dist/…/trie.js) and the bundle. */
const ELSEWHERE = new Set(['trie.ts', 'trie.js', 'index.js'])

const COMMENT = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g
const FILE_NAME = /(?<![\w.-])(?:[\w-]+\/)*([\w-]+(?:\.[\w-]+)*\.(?:ts|js))\b/g

/** Each cited name that is no file under src/ (a `.js` import name stands for its `.ts`). */
function strays(text: string): string[] {
  const found: string[] = []
  for (const comment of text.match(COMMENT) ?? [])
    for (const [, name] of comment.matchAll(FILE_NAME)) {
      const asTs = name.replace(/\.js$/, '.ts')
      if (!existing.has(name) && !existing.has(asTs) && !ELSEWHERE.has(name)) found.push(name)
    }
  return found
}

describe('file names cited in src/ comments', () => {
  it('finds a stray name, and none in a string outside a comment', () => {
    expect(
      strays('/** see report.ts and text.ts */ const a = "job.ts"\n// inputs.test.ts, naming.js')
    ).toEqual(['report.ts', 'inputs.test.ts'])
  })

  it('each names a file that exists under src/', () => {
    expect(sources.length).toBeGreaterThan(20)
    const stray = sources.flatMap(file => strays(readFileSync(file, 'utf8')).map(name => `${file}: ${name}`))
    expect(stray).toEqual([])
  })
})
