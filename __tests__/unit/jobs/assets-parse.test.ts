/** Output assets where they enter: v2's OutputMediaAssets answer and v3's job outputs. */
import { describe, it, expect } from '@jest/globals'
import { ServiceError } from '../../../src/errors.js'
import { containerUri, parseOutputAssets } from '../../../src/jobs/v2/parse.js'
import { outputAssetsPath } from '../../../src/jobs/v2/paths.js'
import { parseV3Job } from '../../../src/jobs/v3/parse.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'

const ASSET = {
  Id: 'nb:cid:UUID:9a1e0c3b-0000-4000-8000-000000000001',
  Name: 'trailer-output',
  State: 0,
  Options: 0,
  AlternateId: null,
  Created: '/Date(1449033042667)/',
  LastModified: '2015-12-02T05:10:42.667',
  Uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b',
  StorageAccountName: 'mediastore',
  FormatOption: 0
}
const EXPECTED = {
  id: ASSET.Id,
  name: 'trailer-output',
  storageAccount: 'mediastore',
  uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b'
}

describe('v2 OutputMediaAssets', () => {
  it('the path is the navigation property of the job, its key a quoted, encoded literal', () => {
    expect(outputAssetsPath(JOB_A)).toBe(`Jobs(${encodeURIComponent(`'${JOB_A}'`)})/OutputMediaAssets`)
  })

  it('reads minimal metadata and verbose answers alike', () => {
    const minimal = { 'odata.metadata': 'https://x/api/$metadata#Assets', value: [ASSET] }
    const verbose = { d: { results: [{ __metadata: { uri: 'https://x/api/Assets(...)' }, ...ASSET }] } }
    expect(parseOutputAssets(JSON.stringify(minimal))).toEqual([EXPECTED])
    expect(parseOutputAssets(JSON.stringify(verbose))).toEqual([EXPECTED])
    expect(parseOutputAssets(JSON.stringify({ value: [] }))).toEqual([])
    expect(parseOutputAssets(JSON.stringify({ d: { results: [] } }))).toEqual([])
  })

  it('leaves out what the service did not give; an entity with neither Id nor Name is dropped', () => {
    const body = JSON.stringify({
      value: [{ Id: 'nb:cid:UUID:1' }, { Name: 'only-name', Uri: null }, { State: 1 }]
    })
    expect(parseOutputAssets(body)).toEqual([{ id: 'nb:cid:UUID:1', name: '' }, { name: 'only-name' }])
  })

  it('never hands over a SAS, credentials or a fragment in Uri; a Uri that is not http(s) is left out', () => {
    expect(containerUri('https://s.blob.core.windows.net/asset-1?sv=2012&sig=SECRET')).toBe(
      'https://s.blob.core.windows.net/asset-1'
    )
    expect(containerUri('https://user:pw@s.blob.core.windows.net/a#frag')).toBe(
      'https://s.blob.core.windows.net/a'
    )
    expect(containerUri('javascript:alert(1)')).toBeUndefined()
    expect(containerUri('not a url')).toBeUndefined()
  })

  it('neutralises names where they enter, and keeps at most 100 assets', () => {
    const hostile = {
      Id: 'nb:cid:\n::error::x',
      Name: 'a\r\n::add-mask::b\u001b[31m',
      StorageAccountName: 'x'.repeat(5000)
    }
    const [a] = parseOutputAssets(JSON.stringify({ value: [hostile] }))
    expect(a.id).toBe('nb:cid: ::error::x')
    expect(a.name).toBe('a ::add-mask::b')
    expect(a.storageAccount).toHaveLength(200)
    const many = Array.from({ length: 150 }, (_, i) => ({ Id: `nb:cid:UUID:${i}`, Name: `n${i}` }))
    expect(parseOutputAssets(JSON.stringify({ value: many }))).toHaveLength(100)
  })

  it('an answer of another shape is a service error, not a crash', () => {
    expect(() => parseOutputAssets('{"value":"x"}')).toThrow(ServiceError)
    expect(() => parseOutputAssets('<html>')).toThrow(ServiceError)
  })
})

describe('v3 job outputs', () => {
  const body = (outputs: unknown[]) => ({ name: 'j', properties: { state: 'Finished', outputs } })

  it('names each output asset with its label, from the job body', () => {
    const job = parseV3Job(
      body([
        { '@odata.type': '#Microsoft.Media.JobOutputAsset', assetName: 'out-hd', label: 'hd' },
        { '@odata.type': '#Microsoft.Media.JobOutputAsset', assetName: 'out-sd' },
        { label: 'no asset' }
      ]),
      'https://x/jobs/j'
    )
    expect(job.outputAssets).toEqual([{ name: 'out-hd', label: 'hd' }, { name: 'out-sd' }])
  })

  it('neutralises hostile asset names', () => {
    const job = parseV3Job(body([{ assetName: 'a\n::error::b', label: 'l\u2028m' }]), 'https://x/jobs/j')
    expect(job.outputAssets).toEqual([{ name: 'a ::error::b', label: 'l m' }])
  })
})
