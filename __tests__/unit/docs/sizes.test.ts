/**
 * A reader can hold a unit in mind: no function in src/ runs over 50 lines, no class over 120 (issue #23).
 * Measured from the first line to the last, comments inside included.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

const MAX_FUNCTION_LINES = 50
const MAX_CLASS_LINES = 120

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : []
  )
}

/** Every function and class of `file` longer than its limit, as `file:line name (n lines)`. */
export function oversized(file: string, text = readFileSync(file, 'utf8')): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    const isClass = ts.isClassDeclaration(node) || ts.isClassExpression(node)
    const isFunction = ts.isFunctionLike(node) && 'body' in node && node.body !== undefined
    if (isClass || isFunction) {
      const first = src.getLineAndCharacterOfPosition(node.getStart()).line
      const lines = src.getLineAndCharacterOfPosition(node.getEnd()).line - first + 1
      const name = (node as { name?: ts.Node }).name?.getText(src) ?? '(anonymous)'
      if (lines > (isClass ? MAX_CLASS_LINES : MAX_FUNCTION_LINES))
        found.push(`${file}:${first + 1} ${name} (${lines} lines)`)
    }
    ts.forEachChild(node, visit)
  }
  visit(src)
  return found
}

describe('the size of a unit', () => {
  it(`no function in src/ is over ${MAX_FUNCTION_LINES} lines, no class over ${MAX_CLASS_LINES}`, () => {
    expect(sourceFiles('src').flatMap(f => oversized(f))).toEqual([])
  })

  it('measures what it says', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES - 1 }, (_, i) => `  const a${i} = ${i}`).join('\n')
    expect(oversized('f.ts', `function ok() {\n${body.split('\n').slice(1).join('\n')}\n}`)).toEqual([])
    expect(oversized('f.ts', `function long() {\n${body}\n}`)).toEqual([
      `f.ts:1 long (${MAX_FUNCTION_LINES + 1} lines)`
    ])
    const methods = Array.from({ length: 40 }, (_, i) => `  m${i}() {\n    return ${i}\n  }`).join('\n')
    expect(oversized('c.ts', `class Big {\n${methods}\n}`)).toEqual(['c.ts:1 Big (122 lines)'])
  })
})
