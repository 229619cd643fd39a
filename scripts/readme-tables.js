// The README's inputs and outputs tables are generated from action.yml, so they cannot drift.
// `node scripts/readme-tables.js` rewrites them in place; the unit tests fail when they differ.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))

/** @param {string | undefined} text */
const cell = text =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim()

export function tables(actionYml = readFileSync(`${root}action.yml`, 'utf8')) {
  const action = parse(actionYml)
  const inputs = Object.entries(action.inputs).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default === undefined ? '' : `\`${i.default}\``} | ${cell(i.description)} |`
  )
  const outputs = Object.entries(action.outputs).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`
  )
  return {
    inputs: ['| input | required | default | description |', '| --- | --- | --- | --- |', ...inputs].join(
      '\n'
    ),
    outputs: ['| output | description |', '| --- | --- |', ...outputs].join('\n')
  }
}

/** @param {string} readme @param {{ inputs: string, outputs: string }} [t] */
export function render(readme, t = tables()) {
  /** @param {string} text @param {string} name @param {string} table */
  const put = (text, name, table) =>
    text.replace(
      new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`),
      (_m, /** @type {string} */ a, /** @type {string} */ b) => `${a}\n${table}\n${b}`
    )
  return put(put(readme, 'inputs', t.inputs), 'outputs', t.outputs)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = `${root}README.md`
  const before = readFileSync(path, 'utf8')
  const after = render(before)
  if (after !== before) writeFileSync(path, after)
  console.log(after === before ? 'README tables are up to date.' : 'README tables rewritten from action.yml.')
}
