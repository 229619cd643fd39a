/** The README is part of the product: its inputs and outputs tables must say what action.yml says. */
import { v3Origin } from '../../../src/jobs/v3/api.js'
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { render } from '../../../scripts/readme-tables.js'
import { ENTRA_ID, UserError } from '../../../src/errors.js'
import { INPUT_NAMES } from '../../../src/settings/input-names.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import type { JobsOrigin } from '../../../src/report/naming.js'
import { OUTPUT_NAMES } from '../../../src/report/outputs.js'
import { verdict } from '../../../src/report/verdict.js'

const readme = readFileSync('README.md', 'utf8')
const action = parse(readFileSync('action.yml', 'utf8'))

describe('README and action.yml', () => {
  it('has the inputs and outputs tables generated from action.yml (npm run docs)', () => {
    expect(readme).toBe(render(readme))
    // Exactly one of job-id and job-url is required, which inputs.ts enforces: neither is required alone.
    expect(readme).toContain('| `job-id` | no |')
    expect(readme).toContain('| `job-url` | no |')
  })

  it('declares exactly the inputs the action reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort())
  })

  it('declares the outputs the action sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
  })

  it('runs on the runtime GitHub provides', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('lists every annotation title the action can give, for job-id and for job-url', () => {
    const finished = view(JOB_A, 'Finished')
    const results = [
      waitResult('failure', [view(JOB_A, 'Error')]),
      waitResult('failure', [view(JOB_A, 'Canceled')]),
      waitResult('failure', [finished], { failed: [finished] }),
      waitResult('not-found', [view(JOB_A, undefined, { missingPolls: 3 })]),
      waitResult('timeout', [view(JOB_A, 'Processing')]),
      waitResult('canceled', [view(JOB_A, 'Processing')]),
      waitResult('error', [view(JOB_A)], { error: new Error('refused') }),
      waitResult('error', [view(JOB_A)], {
        error: new UserError('Entra ID refused the sign-in', undefined, ENTRA_ID)
      })
    ]
    const arm: JobsOrigin = v3Origin('Azure Resource Manager')
    const rows = results.map(
      r => `| ${verdict(r, 60_000, V2_ORIGIN).title} | ${verdict(r, 60_000, arm).title} |`
    )
    expect(rows).toContain('| Media Services request failed | Azure Resource Manager request failed |')
    for (const row of [...rows, '| Invalid input | Invalid input |']) expect(readme).toContain(row)
    // report/publish.ts names the refused-input title itself.
    expect(readFileSync('src/report/publish.ts', 'utf8')).toContain("'Invalid input'")
  })

  it('documents every value of the state output', () => {
    for (const state of [
      'Finished',
      'Error',
      'Canceled',
      'Queued',
      'Scheduled',
      'Processing',
      'Canceling',
      'NotFound',
      'Unknown'
    ])
      expect(action.outputs.state.description).toContain(state)
  })

  it('uses one placeholder for the action in every example, and says to replace it', () => {
    const uses = [...readme.matchAll(/uses: (\S*ams-job-wait\S*)/g)].map(m => m[1])
    expect(uses.length).toBeGreaterThan(3)
    expect(new Set(uses)).toEqual(new Set(['<owner>/ams-job-wait@v1']))
    expect(readme).toContain('`<owner>/ams-job-wait` is a placeholder: replace it')
  })

  it('answers "is it for me, and what do I write" on its first screen (60 lines)', () => {
    const first = readme.split('\n').slice(0, 60).join('\n')
    expect(first).toMatch(/retired on 2024-06-30/)
    expect(first).toMatch(/^\| your jobs \| live today\? \| sign-in \| minimal step \|$/m)
    for (const kind of ['MK.IO', 'Azure Resource Manager', 'v2 REST API', 'emulator'])
      expect(first).toContain(kind)
    // A minimal step per live kind: MK.IO (job-url + access-token), ARM (job-url + OIDC), v2 (job-id + api-url).
    const steps = [...first.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map(m => m[1])
    expect(steps.some(b => /job-url: https:/.test(b) && /access-token:/.test(b))).toBe(true)
    expect(steps.some(b => /job-url: \/subscriptions\//.test(b) && /id-token: write/.test(b))).toBe(true)
    expect(steps.some(b => /job-id:/.test(b) && /api-url:/.test(b) && /id-token: write/.test(b))).toBe(true)
    expect(first).toContain('[Gate a deploy](#gate-a-deploy)')
  })

  it('keeps the two-command quick start', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm test')
  })
})
