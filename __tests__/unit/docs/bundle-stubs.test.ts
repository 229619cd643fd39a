/**
 * build/stubs/ stands in for undici and @actions/exec in the bundle (tsconfig.json paths). That holds only
 * while the packages we bundle use of them exactly what the stubs export: an update that imports more would
 * get undefined from a stub, at run time, in the one path nobody tested. This reads what they import.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as noExec from '../../../build/stubs/no-exec.js'
import * as noUndici from '../../../build/stubs/no-undici.js'

/** The .js files of a package, nested folders included. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path)
    return /\.[cm]?js$/.test(name) ? [path] : []
  })
}

/** What `source` uses of module `name`: named imports, members of a namespace import, or a whole-module use. */
function usesOf(source: string, name: string): string[] {
  const quoted = `['"]${name.replace(/[/@]/g, m => `\\${m}`)}['"]`
  const used = new Set<string>()
  for (const m of source.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*${quoted}`, 'g')))
    for (const item of m[1]
      .split(',')
      .map(s => s.trim())
      .filter(Boolean))
      used.add(item.split(/\s+as\s+/)[0])
  for (const m of source.matchAll(new RegExp(`import\\s*\\*\\s*as\\s+(\\w+)\\s+from\\s*${quoted}`, 'g')))
    for (const member of source.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) used.add(member[1])
  if (new RegExp(`import\\s+\\w+\\s*(,|from)\\s*${quoted}`).test(source)) used.add('default')
  if (new RegExp(`(require|import)\\(\\s*${quoted}\\s*\\)`).test(source)) used.add('the whole module')
  return [...used].sort()
}

const PACKAGES = ['@actions/core', '@actions/http-client', '@azure/msal-node']

function usedOfAll(name: string): string[] {
  const used = new Set<string>()
  for (const pkg of PACKAGES)
    for (const file of sources(join('node_modules', pkg)))
      for (const u of usesOf(readFileSync(file, 'utf8'), name)) used.add(u)
  return [...used].sort()
}

describe('the bundle stubs', () => {
  it('read what a package imports, however it imports it', () => {
    expect(usesOf("import { ProxyAgent, fetch as f } from 'undici'", 'undici')).toEqual([
      'ProxyAgent',
      'fetch'
    ])
    expect(
      usesOf("import * as exec from '@actions/exec'\nexec.getExecOutput(); exec.exec()", '@actions/exec')
    ).toEqual(['exec', 'getExecOutput'])
    expect(usesOf('import undici from "undici"', 'undici')).toEqual(['default'])
    expect(usesOf("const u = require('undici')", 'undici')).toEqual(['the whole module'])
  })

  it('export exactly what @actions/http-client takes from undici', () => {
    expect(usedOfAll('undici')).toEqual(Object.keys(noUndici).sort())
  })

  it('export exactly what @actions/core takes from @actions/exec', () => {
    expect(usedOfAll('@actions/exec')).toEqual(Object.keys(noExec).sort())
  })
})
