/**
 * The architecture is a rule, not a wish: src/ keeps the rules of .dependency-cruiser.cjs (beyond the known
 * violations, which only shrink), a tree that breaks them is caught, and docs/architecture.md is drawn from it.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { architecture, cruiseSrc, knownViolations, root, violations } from '../../../scripts/architecture.js'

const brief = (v: { rule: { name: string }; from: string; to: string }) =>
  `${v.rule.name}: ${v.from} -> ${v.to}`

describe('the architecture of src/', () => {
  it('breaks no rule beyond the known violations', async () => {
    expect(violations(await cruiseSrc({ known: knownViolations() })).map(brief)).toEqual([])
  })

  it('lists only known violations that still occur (delete the baseline when none is left)', async () => {
    const found = (await cruiseSrc()).summary.violations.map(brief)
    for (const known of knownViolations()) expect(found).toContain(brief(known))
  })

  it('catches a forbidden import, a type import that crosses a line, and a circle', async () => {
    const fixture = join(root, '__fixtures__', 'architecture')
    const found = violations(await cruiseSrc({ baseDir: fixture, known: knownViolations() })).map(brief)
    expect(found.sort()).toEqual([
      'job-apis-apart: src/jobs/v4/client.ts -> src/jobs/v2/client.ts',
      'no-bundle-stubs: src/transport/proxy.ts -> ../../build/stubs/no-undici.ts',
      'no-circle: src/report/lines.ts -> src/report/summary.ts',
      'report-is-pure: src/report/service.ts -> src/jobs/v4/client.ts',
      'transport-knows-no-job: src/transport/http.ts -> src/jobs/model.ts',
      'wait-knows-no-client: src/wait/waiter.ts -> src/jobs/v2/client.ts'
    ])
  })

  it('is drawn in docs/architecture.md as npm run docs draws it', async () => {
    expect(readFileSync(join(root, 'docs', 'architecture.md'), 'utf8')).toBe(await architecture())
  })
})
