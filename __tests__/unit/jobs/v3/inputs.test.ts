import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { UserError } from '../../../../src/errors.js'
import { readSettings, type Settings } from '../../../../src/settings/inputs.js'
import type { V3Options } from '../../../../src/jobs/v3/api.js'
import { CLIENT, inputReader, JOB_A, SECRET, TENANT } from '../../../../__fixtures__/inputs.js'
import { rejectedWith } from '../../../../__fixtures__/failure.js'

const RID =
  '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Media/mediaServices/acct/transforms/enc/jobs/job1'
const MKIO = 'https://api.mk.io/api/ams/my-sub/transforms/enc/jobs/job1'
const sp = { 'tenant-id': TENANT, 'client-id': CLIENT, 'client-secret': SECRET }

function settings(inputs: Record<string, string>) {
  return readSettings(inputReader(inputs))
}

/** The v3 client options of a job-url step, and the hosts its token may go to. */
function v3(s: Settings): V3Options & { trustedHosts: string[] } {
  if (s.jobs.kind !== 'v3') throw new Error(`expected a job-url (v3) step, got ${s.jobs.kind}`)
  return { ...(s.jobs.options as V3Options), trustedHosts: s.jobs.trustedHosts }
}

function inputError(inputs: Record<string, string>): Promise<UserError> {
  return rejectedWith(settings(inputs), UserError)
}

describe('job-url with an ARM resource id and a service principal', () => {
  let s: Settings
  beforeAll(async () => {
    s = await settings({ ...sp, 'job-url': RID })
  })

  it('resolves the id against the cloud’s Resource Manager with api-version 2022-07-01', () => {
    expect(v3(s).arm).toBe(true)
    expect(v3(s).targets.map(t => t.url.href)).toEqual([
      `https://management.azure.com${RID}?api-version=2022-07-01`
    ])
    expect(s.jobs.ids).toEqual([RID])
  })

  it('asks Entra ID for a Resource Manager token and trusts that host alone (no Media Services domain)', async () => {
    expect(s.auth.scope).toBe('https://management.azure.com/.default')
    expect(s.auth.credential.kind).toBe('secret')
    expect(v3(s).trustedHosts).toEqual(['management.azure.com'])
    expect(
      v3(await settings({ ...sp, 'job-url': RID, 'trusted-hosts': 'mirror.example.com' })).trustedHosts
    ).toEqual(['management.azure.com', 'mirror.example.com'])
  })

  it('uses each cloud’s Resource Manager', async () => {
    const cn = await settings({ ...sp, 'job-url': RID, cloud: 'AzureChinaCloud' })
    expect(v3(cn).targets[0].url.host).toBe('management.chinacloudapi.cn')
    expect(cn.auth.scope).toBe('https://management.chinacloudapi.cn/.default')
    const gov = await settings({ ...sp, 'job-url': RID, cloud: 'AzureUSGovernment' })
    expect(gov.auth.scope).toBe('https://management.usgovcloudapi.net/.default')
  })

  it('keeps an api-version that is given; full ARM URLs are ARM too', async () => {
    const s2 = await settings({
      ...sp,
      'job-url': `https://management.azure.com${RID}?api-version=2023-01-01`
    })
    expect(v3(s2).arm).toBe(true)
    expect(v3(s2).targets[0].url.searchParams.get('api-version')).toBe('2023-01-01')
  })

  it('several jobs, one per line, duplicates dropped', async () => {
    const other = RID.replace('job1', 'job2')
    const s2 = await settings({ ...sp, 'job-url': `${RID}\n${other}\n${RID}` })
    expect(s2.jobs.ids).toEqual([RID, other])
  })

  it('arm-url moves Resource Manager (e.g. an emulator) and keeps the ARM scope', async () => {
    const s2 = await settings({ ...sp, 'job-url': RID, 'arm-url': 'https://127.0.0.1:8443' })
    expect(v3(s2).targets[0].url.origin).toBe('https://127.0.0.1:8443')
    expect(v3(s2).arm).toBe(true)
    expect(s2.auth.scope).toBe('https://management.azure.com/.default')
    expect(v3(s2).trustedHosts).toEqual(['127.0.0.1:8443'])
  })

  it('api-url and x-ms-version are v2 inputs: given with job-url, they draw a warning', async () => {
    const s2 = await settings({ ...sp, 'job-url': RID, 'api-url': 'https://media.windows.net/api/' })
    expect(s2.warnings).toContain('api-url is for job-id (Media Services v2); it is not used with job-url.')
    const s3 = await settings({ ...sp, 'job-url': RID, 'x-ms-version': '2.11' })
    expect(s3.warnings).toEqual([
      'x-ms-version is for job-id (Media Services v2); it is not used with job-url.'
    ])
  })
})

describe('job-url as the runner starts it: every default of action.yml filled in', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const defaults = Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, i]) => i.default !== undefined)
      .map(([name, i]) => [name, String(i.default)])
  )

  it('action.yml has defaults, x-ms-version among them (else this test proves nothing)', () => {
    expect(defaults['x-ms-version']).toBeDefined()
  })

  it.each([
    ['an ARM resource id', { ...sp, 'job-url': RID }],
    ['an MK.IO job with a token', { 'job-url': MKIO, 'access-token': 'mkio-personal-token' }]
  ])('%s: no warning', async (_, inputs) => {
    expect((await settings({ ...defaults, ...inputs })).warnings).toEqual([])
  })
})

describe('job-url: which ids are one job', () => {
  it('Resource Manager ids are case-insensitive: one job, named as first given', async () => {
    const s = await settings({
      ...sp,
      'job-url': `${RID}\n${RID.toUpperCase()}\n${RID.replace('job1', 'JOB1')}`
    })
    expect(s.jobs.ids).toEqual([RID])
  })

  it('on another host the path is as given: …/jobs/clip and …/jobs/CLIP are two jobs', async () => {
    const clip = MKIO.replace('job1', 'clip')
    const CLIP = MKIO.replace('job1', 'CLIP')
    const s = await settings({ 'job-url': `${clip}\n${CLIP}\n${clip}`, 'access-token': 't' })
    expect(s.jobs.ids).toEqual([clip, CLIP])
    expect(v3(s).targets.map(t => t.url.pathname)).toEqual([new URL(clip).pathname, new URL(CLIP).pathname])
  })
})

describe('job-url on another host (MK.IO)', () => {
  it('needs access-token, sent as is; the token goes to that host only', async () => {
    const s = await settings({ 'job-url': MKIO, 'access-token': 'mkio-personal-token' })
    expect(v3(s).arm).toBe(false)
    expect(s.auth.credential).toEqual({ kind: 'token', accessToken: 'mkio-personal-token' })
    expect(v3(s).trustedHosts).toEqual(['api.mk.io'])
    expect(v3(s).targets[0].url.href).toBe(MKIO) // no api-version added
    expect(s.jobs.ids).toEqual([MKIO])
  })

  it('without access-token: an input error naming access-token, even with a service principal', async () => {
    const e = await inputError({ ...sp, 'job-url': MKIO })
    expect(e.input).toBe('access-token')
    expect(e.message).toMatch(
      /access-token is required for job-url on api\.mk\.io: only Azure Resource Manager/
    )
  })

  it('cancel-on-abort draws a warning that it is not supported there', async () => {
    const s = await settings({ 'job-url': MKIO, 'access-token': 't', 'cancel-on-abort': 'true' })
    expect(s.warnings.join('\n')).toMatch(/cancel-on-abort is not supported for jobs on api\.mk\.io/)
  })
})

describe('arm-url with jobs elsewhere', () => {
  it('is not used, and a warning says so, naming both hosts', async () => {
    const s = await settings({ 'job-url': MKIO, 'access-token': 't', 'arm-url': 'https://arm.example.com' })
    expect(s.warnings).toEqual([
      'arm-url is not used: job-url names jobs on api.mk.io, not on Azure Resource Manager at arm.example.com. Leave arm-url out, or give the jobs as resource ids (/subscriptions/…).'
    ])
  })

  it('draws no warning when it is used (resource ids) or not given', async () => {
    expect(
      (await settings({ ...sp, 'job-url': RID, 'arm-url': 'https://arm.example.com' })).warnings
    ).toEqual([])
    expect((await settings({ 'job-url': MKIO, 'access-token': 't' })).warnings).toEqual([])
  })
})

describe('the input a wrong endpoint is named by', () => {
  it('is arm-url when job-url gives resource ids, job-url when it gives URLs', async () => {
    expect(v3(await settings({ ...sp, 'job-url': RID })).endpointInput).toBe('arm-url')
    expect(v3(await settings({ 'job-url': MKIO, 'access-token': 't' })).endpointInput).toBe('job-url')
    const full = `https://management.azure.com${RID}`
    expect(v3(await settings({ ...sp, 'job-url': full })).endpointInput).toBe('job-url')
  })
})

describe('a Media Services v2 job id given to job-url', () => {
  it('is called what it is, and sent to job-id', async () => {
    const e = await inputError({ ...sp, 'job-url': JOB_A })
    expect(e.input).toBe('job-url')
    expect(e.message).toBe(
      `Input job-url: '${JOB_A}' is a Media Services v2 job id; give it in job-id instead (job-url is for v3 job URLs and ARM resource ids).`
    )
    expect(e.message).not.toMatch(/https/)
  })
})

describe('job-url mistakes are named before any request', () => {
  it.each([
    ['not a URL', 'job-url: .* is not a URL'],
    ['http://api.mk.io/api/ams/s/transforms/t/jobs/j', 'must use https'],
    ['https://user:pw@api.mk.io/api/ams/s/transforms/t/jobs/j', 'must not contain credentials'],
    ['https://api.mk.io/api/ams/s/assets/a', 'is not a v3 job resource'],
    [`${MKIO}\nhttps://other.example.com/transforms/t/jobs/j`, 'all jobs must be on one host']
  ])('%s', async (value, message) => {
    const e = await inputError({ 'job-url': value, 'access-token': 't' })
    expect(e.input).toBe('job-url')
    expect(e.message).toMatch(new RegExp(message))
  })

  it('arm-url must be an https origin', async () => {
    expect((await inputError({ ...sp, 'job-url': RID, 'arm-url': 'https://x.example.com/path' })).input).toBe(
      'arm-url'
    )
    expect((await inputError({ ...sp, 'job-url': RID, 'arm-url': 'http://x.example.com' })).input).toBe(
      'arm-url'
    )
  })
})

describe('a job-url step has v3 settings only', () => {
  it('has no api-url, x-ms-version or other Media Services v2 option', async () => {
    const s = await settings({
      ...sp,
      'job-url': RID,
      'x-ms-version': '2.19',
      'api-url': 'https://media.windows.net/api/'
    })
    expect(s.jobs.kind).toBe('v3')
    expect(Object.keys(s.jobs.options).sort()).toEqual(['arm', 'endpointInput', 'targets'])
    expect(Object.keys(s).sort()).toEqual(['auth', 'cancelOnAbort', 'jobs', 'wait', 'warnings'])
  })

  it('does not parse x-ms-version: a value no v2 service would take draws the warning, not an error', async () => {
    const s = await settings({ ...sp, 'job-url': RID, 'x-ms-version': 'latest' })
    expect(s.warnings).toEqual([
      'x-ms-version is for job-id (Media Services v2); it is not used with job-url.'
    ])
  })
})
