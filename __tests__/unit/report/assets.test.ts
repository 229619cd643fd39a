/** The output assets in the outputs and the step summary: what the next step of a deploy reads. */
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, it, expect } from '@jest/globals'
import { summaryMarkdown } from '../../../src/report/summary.js'
import { JOB_A, JOB_B } from '../../../__fixtures__/inputs.js'
import { view, waitResult } from '../../../__fixtures__/jobs.js'
import type { OutputAsset } from '../../../src/jobs/model.js'
import { jobsJson, OUTPUT_BYTES, outputs } from '../../../src/report/outputs.js'

const V2_ASSET: OutputAsset = {
  id: 'nb:cid:UUID:9a1e0c3b-0000-4000-8000-000000000001',
  name: 'trailer-output',
  storageAccount: 'mediastore',
  uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b'
}
const finished = (id: string, outputAssets?: OutputAsset[]) =>
  view(id, 'Finished', { progress: 100 }, { outputAssets })

describe('the assets outputs', () => {
  it('one finished job with one asset: assets, asset-name and asset-id', () => {
    const out = outputs(waitResult('success', [finished(JOB_A, [V2_ASSET])]))
    expect(JSON.parse(out.assets)).toEqual([{ job: JOB_A, ...V2_ASSET }])
    expect(out['asset-name']).toBe('trailer-output')
    expect(out['asset-id']).toBe(V2_ASSET.id)
    expect(JSON.parse(out.jobs)[0].assets).toEqual([V2_ASSET])
  })

  it('a v3 asset has a name and a label, no id: asset-id stays empty and no field is made up', () => {
    const out = outputs(waitResult('success', [finished(JOB_A, [{ name: 'out-1', label: 'hd' }])]))
    expect(out.assets).toBe(JSON.stringify([{ job: JOB_A, name: 'out-1', label: 'hd' }]))
    expect(out['asset-name']).toBe('out-1')
    expect(out['asset-id']).toBe('')
  })

  it('several assets, across jobs in input order: no single asset-name', () => {
    const b = { ...V2_ASSET, id: 'nb:cid:UUID:b', name: 'b-out' }
    const out = outputs(waitResult('success', [finished(JOB_A, [V2_ASSET]), finished(JOB_B, [b])]))
    expect(JSON.parse(out.assets).map((a: { job: string; name: string }) => [a.job, a.name])).toEqual([
      [JOB_A, 'trailer-output'],
      [JOB_B, 'b-out']
    ])
    expect(out['asset-name']).toBe('')
    expect(out['asset-id']).toBe('')
  })

  it('a job that did not finish hands over no asset, even when its body named one', () => {
    const failed = view(JOB_B, 'Error', {}, { outputAssets: [{ name: 'half-made' }] })
    const out = outputs(waitResult('failure', [finished(JOB_A, [V2_ASSET]), failed]))
    expect(JSON.parse(out.assets)).toHaveLength(1)
    expect(out['asset-name']).toBe('trailer-output')
    expect(JSON.parse(out.jobs)[1].assets).toEqual([])
  })

  it('assets whose read failed are left out: []', () => {
    const out = outputs(waitResult('success', [finished(JOB_A)]))
    expect(out.assets).toBe('[]')
    expect(out['asset-name']).toBe('')
  })

  it('stays valid JSON under 1 MB, with the truncated marker', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...V2_ASSET, name: `${i}-${'é'.repeat(199)}` }))
    const views = Array.from({ length: 40 }, (_, i) => finished(`${JOB_A}-${i}`, many))
    const out = outputs(waitResult('success', views))
    expect(Buffer.byteLength(out.assets)).toBeLessThanOrEqual(OUTPUT_BYTES)
    const list = JSON.parse(out.assets)
    expect(list.at(-1)).toEqual({ truncated: true, omitted: 4000 - (list.length - 1) })
    expect(list.length).toBeGreaterThan(1000)
    expect(jobsJson([{ a: 1 }], 10)).toBe('[{"a":1}]')
  })
})

describe('the assets in the step summary', () => {
  it('lists each finished job’s assets, server text escaped', () => {
    const hostile = { name: 'x <img src=y> | [a](https://evil.test) *b*', label: '`l`' }
    const md = summaryMarkdown(
      waitResult('success', [finished(JOB_A, [V2_ASSET, hostile])]),
      {
        ok: true,
        message: 'ok'
      },
      V2_ORIGIN
    )
    expect(md).toContain('**Output assets**')
    expect(md).toContain(`| \`${JOB_A}\` | trailer-output | \`${V2_ASSET.id}\` | mediastore |  |`)
    expect(md).toContain(
      `| \`${JOB_A}\` | x &lt;img src=y&gt; \\| \\[a\\](https\\://evil.test) \\*b\\* |  |  | \\\`l\\\` |`
    )
  })

  it('has no assets part when no job made one', () => {
    const md = summaryMarkdown(
      waitResult('success', [finished(JOB_A, [])]),
      { ok: true, message: 'ok' },
      V2_ORIGIN
    )
    expect(md).not.toContain('Output assets')
  })

  it('stays within its limit when the assets do not fit, and says how many are not shown', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `asset ${i} ${'n'.repeat(150)}` }))
    const md = summaryMarkdown(
      waitResult('success', [finished(JOB_A, many)]),
      { ok: true, message: 'ok' },
      V2_ORIGIN,
      4000
    )
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(4000)
    expect(md).toMatch(/… and \d+ more assets not shown/)
  })
})
