/**
 * What the encode made, handed to the next step: dist/index.js reads a finished v2 job's OutputMediaAssets
 * (both OData shapes) and a v3 job's output asset names, and sets assets, asset-name and asset-id.
 */
import { describe, expect, it } from '@jest/globals'
import { HOSTILE_TEXT } from '../../emulator/hostile.js'
import { armInputs as armInputsOf, type Emulator, useEmulatorFactory, useV3Emulators } from './emulators.js'
import { runAction, type RunResult, secretInputs } from './harness.js'

const assetReads = (emu: Emulator) => emu.requests.filter(r => r.path.includes('/OutputMediaAssets'))
const warnings = (run: RunResult): string[] => run.stdout.split('\n').filter(l => l.startsWith('::warning'))
const ASSET_ID = /^nb:cid:UUID:[0-9a-f-]{36}$/

describe('a v2 job that finishes', () => {
  const start = useEmulatorFactory()

  it.each(['minimal', 'verbose'] as const)(
    'hands over its output asset (%s OData): one read, the outputs, the jobs record and the summary',
    async shape => {
      const emu = await start({ shape })
      const id = emu.addJob({
        name: 'encode-trailer',
        timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }]
      })
      const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

      expect(run.code).toBe(0)
      expect(warnings(run)).toEqual([])
      const reads = assetReads(emu)
      expect(reads).toHaveLength(1)
      expect(reads[0].decodedPath).toBe(`/api/Jobs('${id}')/OutputMediaAssets`)
      expect(reads[0].headers['x-ms-version']).toBe('2.19')

      const assets = JSON.parse(run.outputs.assets)
      expect(assets).toEqual([
        {
          job: id,
          id: expect.stringMatching(ASSET_ID),
          name: 'encode-trailer-output',
          storageAccount: 'emumediastore',
          uri: expect.stringMatching(
            /^https:\/\/emumediastore\.blob\.core\.windows\.net\/asset-[0-9a-f-]{36}$/
          )
        }
      ])
      expect(run.outputs['asset-name']).toBe('encode-trailer-output')
      expect(run.outputs['asset-id']).toBe(assets[0].id)
      const { job, ...asset } = assets[0]
      expect(job).toBe(id)
      expect(JSON.parse(run.outputs.jobs)[0].assets).toEqual([asset])
      expect(run.summary).toContain('**Output assets**')
      expect(run.summary).toContain(
        `| \`${id}\` | encode-trailer-output | \`${assets[0].id}\` | emumediastore |  |`
      )
    }
  )

  it('several jobs: one read per finished job, none for a failed one; no single asset-name', async () => {
    const emu = await start()
    const finished = [{ state: 'Finished' as const }]
    const a = emu.addJob({
      name: 'a',
      timeline: finished,
      outputAssets: [{ Name: 'a-hd' }, { Name: 'a-sd' }]
    })
    const b = emu.addJob({ name: 'b', timeline: finished, outputAssets: [] })
    const c = emu.addJob({ name: 'c', timeline: finished })
    const d = emu.addJob({ name: 'd', timeline: [{ state: 'Error' }] })
    const run = await runAction({
      inputs: { ...secretInputs(emu), 'job-id': [a, b, c, d].join('\n'), 'fail-on': 'Canceled' }
    })

    expect(run.code).toBe(0)
    expect(
      assetReads(emu)
        .map(r => r.decodedPath)
        .sort()
    ).toEqual([a, b, c].map(id => `/api/Jobs('${id}')/OutputMediaAssets`).sort())
    const assets: { job: string; name: string }[] = JSON.parse(run.outputs.assets)
    expect(assets.map(x => [x.job, x.name])).toEqual([
      [a, 'a-hd'],
      [a, 'a-sd'],
      [c, 'c-output']
    ])
    expect(run.outputs['asset-name']).toBe('')
    expect(run.outputs['asset-id']).toBe('')
    const jobs: { assets: unknown[] }[] = JSON.parse(run.outputs.jobs)
    expect(jobs.map(j => j.assets.length)).toEqual([2, 0, 1, 0])
  })

  it('never hands over a SAS from an asset Uri', async () => {
    const emu = await start()
    const id = emu.addJob({
      timeline: [{ state: 'Finished' }],
      outputAssets: [
        { Name: 'out', Uri: 'https://store.blob.core.windows.net/asset-1?sv=2012-02-12&sig=SASSIG123' }
      ]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.assets)[0].uri).toBe('https://store.blob.core.windows.net/asset-1')
    expect(JSON.stringify(run.outputs) + run.stdout + run.summary).not.toContain('SASSIG123')
  })
})

describe('an assets read that fails', () => {
  const start = useEmulatorFactory()

  it('a busy read is asked again (no sooner than Retry-After): the assets are in the outputs', async () => {
    const emu = await start()
    const id = emu.addJob({ name: 'busy', timeline: [{ state: 'Finished' }] })
    emu.injectFaults([
      { path: '/OutputMediaAssets', kind: 'status', status: 503, headers: { 'Retry-After': '1' }, times: 2 }
    ])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(0)
    expect(warnings(run)).toEqual([])
    const reads = assetReads(emu)
    expect(reads.map(r => r.status)).toEqual([503, 503, 200])
    expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(1000)
    expect(run.outputs['asset-name']).toBe('busy-output')
  })

  it('a refused read is one warning: the job finished, the step succeeds, one request', async () => {
    const emu = await start()
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    emu.injectFaults([{ path: '/OutputMediaAssets', kind: 'status', status: 403, times: 5 }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(assetReads(emu)).toHaveLength(1)
    expect(warnings(run)).toHaveLength(1)
    expect(warnings(run)[0]).toMatch(/^::warning::Could not read the output assets of a finished job .*403/)
    expect(run.stdout).toMatch(/^✓ Job .* Finished/m)
    expect(run.outputs.state).toBe('Finished')
    expect(run.outputs.assets).toBe('[]')
    expect(run.outputs['asset-name']).toBe('')
  })

  it('a read that never answers is given 10 s, then a warning: the step does not hang', async () => {
    const emu = await start()
    const id = emu.addJob({ timeline: [{ state: 'Finished' }] })
    emu.injectFaults([{ path: '/OutputMediaAssets', kind: 'hang' }])
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id, timeout: '10m' } })

    expect(run.code).toBe(0)
    expect(run.ms).toBeLessThan(20_000)
    expect(warnings(run)).toHaveLength(1)
    expect(warnings(run)[0]).toMatch(/Could not read the output assets/)
    expect(run.outputs.state).toBe('Finished')
  }, 30_000)

  it('hostile asset names are text: in the log, the summary and the outputs', async () => {
    const emu = await start()
    const id = emu.addJob({
      timeline: [{ state: 'Finished' }],
      outputAssets: [{ Name: HOSTILE_TEXT, StorageAccountName: `${HOSTILE_TEXT}${'s'.repeat(100_000)}` }]
    })
    const run = await runAction({ inputs: { ...secretInputs(emu), 'job-id': id } })

    expect(run.code).toBe(0)
    for (const line of run.stdout.split('\n')) {
      if (line.trimStart().startsWith('::')) expect(line).toMatch(/^::(debug|add-mask|group|endgroup)::/)
    }
    expect(run.summary).not.toMatch(/<[a-z!/?]/i)
    expect(run.summary.split('\n').filter(l => /^\s{0,3}#/.test(l))).toHaveLength(1)
    expect(run.summary).toContain(
      'evil \\#\\#\\[add-mask\\]y &lt;\\!-- hidden red &lt;img src=x onerror=alert(1)&gt;'
    )
    const name = run.outputs['asset-name']
    // eslint-disable-next-line no-control-regex
    expect(name).not.toMatch(/[\r\n\u2028\u001b]/)
    expect(name).toMatch(/^evil ##\[add-mask\]y <!-- hidden red <img/)
    expect(name.length).toBeLessThanOrEqual(200)
    expect(JSON.parse(run.outputs.assets)[0].storageAccount).toHaveLength(200)
  })
})

describe('a v3 job that finishes', () => {
  const { emu, v3 } = useV3Emulators()
  const armInputs = (jobUrl: string) => armInputsOf(emu, v3, jobUrl)

  it('names its output assets from the job body: no extra request, no id made up', async () => {
    const id = v3.addArmJob({
      name: 'encode',
      assetNames: ['encode-hd', 'encode-sd'],
      timeline: [{ state: 'Finished' }]
    })
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(0)
    expect(warnings(run)).toEqual([])
    expect(v3.requests.every(r => r.method === 'GET' && r.path.includes(`${id}?api-version=`))).toBe(true)
    expect(JSON.parse(run.outputs.assets)).toEqual([
      { job: id, name: 'encode-hd', label: 'output0' },
      { job: id, name: 'encode-sd', label: 'output1' }
    ])
    expect(run.outputs['asset-name']).toBe('')
    expect(run.summary).toContain('| encode-hd |  |  | output0 |')
  })

  it('one output: asset-name is set, asset-id stays empty; a hostile name is text', async () => {
    const id = v3.addArmJob({
      name: 'one',
      assetNames: [`out\n::error::x ${HOSTILE_TEXT}`],
      timeline: [{ state: 'Finished' }]
    })
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs['asset-name']).toMatch(/^out ::error::x evil/)
    expect(run.outputs['asset-id']).toBe('')
    expect(run.summary).not.toMatch(/<[a-z!/?]/i)
  })

  it('a Finished job with an output in Error (onError: ContinueJob): its asset left out, one warning naming it', async () => {
    const id = v3.addArmJob({
      name: 'mixed',
      assetNames: ['mixed-video', 'mixed-thumbs'],
      outputStates: ['Finished', 'Error'],
      error: {
        code: 'ContentUnsupported',
        message: 'There was a problem with the input content.\n::error::x'
      },
      timeline: [{ state: 'Processing', polls: 1 }, { state: 'Finished' }]
    })
    const run = await runAction({ inputs: armInputs(id) })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(warnings(run)).toEqual([
      `::warning::An output of a Finished job did not finish, and its asset is left out of assets and asset-name: ${id}: output "output1" (asset mixed-thumbs) ended Error: ContentUnsupported: There was a problem with the input content. ::error::x (Content error; DoNotRetry: correct the cause, then resubmit the job)`
    ])
    expect(JSON.parse(run.outputs.assets)).toEqual([{ job: id, name: 'mixed-video', label: 'output0' }])
    expect(run.outputs['asset-name']).toBe('mixed-video')
    expect(run.outputs.state).toBe('Finished')
    expect(run.summary).not.toContain('mixed-thumbs')
  })
})
