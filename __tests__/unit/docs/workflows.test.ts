/** What GitHub reads before it runs anything: the workflows and action.yml, checked offline by npm test. */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { lintActionYml, lintWorkflow, unpinned } from '../../../scripts/lint-workflows.js'

const GOOD = `name: t
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
      - id: wait
        uses: ./
      - run: echo "\${{ steps.wait.outputs.state }}"
`

describe('the workflows', () => {
  it.each(readdirSync('.github/workflows'))('%s passes actionlint and pins every action', async file => {
    const text = readFileSync(`.github/workflows/${file}`, 'utf8')
    expect(await lintWorkflow(text, file)).toEqual([])
  })

  it('a broken expression is reported with its line', async () => {
    const bad = GOOD.replace('outputs.state }}', 'outputs.state }')
    expect(await lintWorkflow(GOOD, 'good.yml')).toEqual([])
    expect((await lintWorkflow(bad, 'bad.yml')).join('\n')).toMatch(/^bad\.yml:10:\d+: .*end marker/)
  })

  it('an unknown job key is reported', async () => {
    const bad = GOOD.replace('runs-on:', 'run-on:')
    expect((await lintWorkflow(bad, 'bad.yml')).join('\n')).toMatch(/run-on/)
  })

  it('an action pinned to a tag, or to a SHA without its version, is reported', () => {
    expect(unpinned('      - uses: actions/checkout@v5\n', 'w.yml')).toEqual([
      'w.yml:1: actions/checkout@v5 is not pinned: use owner/repo@<full commit SHA> # vX.Y.Z [pinning]'
    ])
    expect(
      unpinned('- uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8\n', 'w.yml')
    ).toHaveLength(1)
    expect(unpinned('- uses: ./\n- uses: docker://alpine:3\n', 'w.yml')).toEqual([])
  })
})

describe('action.yml', () => {
  const text = readFileSync('action.yml', 'utf8')

  it('has only the keys GitHub reads, described inputs and outputs, and an entry point that exists', () => {
    expect(lintActionYml(text)).toEqual([])
  })

  it.each([
    [
      'an unquoted boolean default',
      text.replace("default: 'false'", 'default: false'),
      /cancel-on-abort: default must be a quoted string/
    ],
    [
      'a runtime GitHub does not have',
      text.replace("using: 'node24'", "using: 'node12x'"),
      /runs.using 'node12x'/
    ],
    [
      'a missing entry point',
      text.replace("main: 'dist/index.js'", "main: 'dist/main.js'"),
      /runs.main 'dist\/main.js' does not exist/
    ],
    [
      'a misspelt input key',
      text.replace('    required: false', '    requried: false'),
      /input job-id: unknown key 'requried'/
    ]
  ])('reports %s', (_what, broken, problem) => {
    expect(lintActionYml(broken).join('\n')).toMatch(problem)
  })
})
