import { beforeAll, describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { UserError } from '../../../src/errors.js'
import { rejectedWith } from '../../../__fixtures__/failure.js'
import { CLOUDS } from '../../../src/clouds.js'
import { INPUT_NAMES } from '../../../src/settings/input-names.js'
import { readSettings, type Settings } from '../../../src/settings/inputs.js'
import type { V2Options } from '../../../src/jobs/v2/api.js'
import { clientCertificatePem } from '../../../__fixtures__/certificate.js'
import {
  ACCOUNT_API,
  CLIENT,
  JOB_A,
  JOB_B,
  OIDC_ENV,
  SECRET,
  TENANT,
  inputReader,
  secretInputs
} from '../../../__fixtures__/inputs.js'

const CHINA_API = 'https://acct.restv2.chinaeast2.media.chinacloudapi.cn/api/'

/** Reads the inputs of a step, the way main does. */
function settingsFor(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<Settings> {
  return readSettings(inputReader(inputs), { env })
}

/** The Media Services v2 client options of a job-id step, and the hosts its token may go to. */
function v2(s: Settings): V2Options & { trustedHosts: string[] } {
  if (s.jobs.kind !== 'Media Services') throw new Error(`expected a job-id (v2) step, got ${s.jobs.kind}`)
  return { ...(s.jobs.options as V2Options), trustedHosts: s.jobs.trustedHosts }
}

/** The cloud a job-id step signs in to, known by its Media Services token scope. */
function cloudOf(s: Settings): string | undefined {
  return Object.values(CLOUDS).find(c => `${c.mediaResource}/.default` === s.auth.scope)?.name
}

/** The UserError a step with these inputs fails with. */
function refusal(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<UserError> {
  return rejectedWith(settingsFor(inputs, env), UserError)
}

describe('a step with only job-id, api-url and a client secret gets the documented defaults', () => {
  let s: Settings
  beforeAll(async () => {
    s = await settingsFor(secretInputs())
  })

  it('talks to the given endpoint in the public cloud with x-ms-version 2.19', () => {
    expect(cloudOf(s)).toBe('AzureCloud')
    expect(v2(s).apiUrl.href).toBe(ACCOUNT_API)
    expect(s.auth.authorityHost.href).toBe('https://login.microsoftonline.com/')
    expect(v2(s).msVersion).toBe('2.19')
  })

  it('polls every 10 s for at most 5 h 30 m and fails on Error and Canceled', () => {
    expect(s.wait.intervalMs).toBe(10_000)
    expect(s.wait.timeoutMs).toBe(5.5 * 3_600_000)
    expect([...s.wait.failOn].sort()).toEqual(['Canceled', 'Error'])
    expect(s.cancelOnAbort).toBe(false)
  })

  it('polls predictively', () => {
    expect(s.wait.policy).toBe('predictive')
  })

  it('asks Entra ID for a Media Services token', () => {
    expect(s.auth.scope).toBe('https://rest.media.azure.net/.default')
  })

  it('trusts the api-url host and the Media Services domains with the token', () => {
    expect(v2(s).trustedHosts).toContain('acct.restv2.westeurope.media.azure.net')
    expect(v2(s).trustedHosts).toContain('.media.azure.net')
    expect(v2(s).trustedHosts).toContain('.media.windows.net')
  })

  it('signs in with the secret and has nothing to warn about', () => {
    expect(s.auth.credential).toEqual({
      kind: 'secret',
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET
    })
    expect(s.warnings).toEqual([])
    expect(s.jobs.ids).toEqual([JOB_A])
  })

  it('ignores blanks around every input', async () => {
    const spaced = await settingsFor({
      ...secretInputs({ 'job-id': `  ${JOB_A}\n` }),
      'poll-interval': ' 15s '
    })
    expect(spaced.jobs.ids).toEqual([JOB_A])
    expect(spaced.wait.intervalMs).toBe(15_000)
  })
})

describe('job-id', () => {
  const guidA = JOB_A.slice('nb:jid:UUID:'.length)

  it.each([
    ['newlines', `${JOB_A}\n${JOB_B}\n`],
    ['commas', `${JOB_A},${JOB_B}`],
    ['spaces', `${JOB_A} ${JOB_B}`],
    ['a mix with a duplicate', `${JOB_A},\n  ${JOB_B} ${JOB_A}`]
  ])('a list separated by %s gives each job once, in order', async (_how, text) => {
    expect((await settingsFor(secretInputs({ 'job-id': text }))).jobs.ids).toEqual([JOB_A, JOB_B])
  })

  it.each([`'${JOB_A}'`, `"${JOB_A}"`, `${JOB_A}'`, `'${JOB_A}', '${JOB_B}'`])(
    'an id pasted with quotes (%s) is refused, saying to remove them',
    async text => {
      const e = await refusal(secretInputs({ 'job-id': text }))
      expect(e.input).toBe('job-id')
      expect(e.message).toMatch(/^Input job-id: remove the quotes around nb:jid:UUID:[0-9a-f-]+ \(give/)
    }
  )

  it('accepts a bare GUID and prefixes it', async () => {
    expect((await settingsFor(secretInputs({ 'job-id': guidA }))).jobs.ids).toEqual([JOB_A])
  })

  it('lower-cases an upper-case GUID, keeping UUID upper case, so duplicates are found', async () => {
    const upper = `nb:jid:UUID:${guidA.toUpperCase()}`
    expect((await settingsFor(secretInputs({ 'job-id': `${upper}\n${JOB_A}` }))).jobs.ids).toEqual([JOB_A])
  })

  it.each([
    ['empty', ''],
    ['garbage', 'my-encoding-job'],
    ['a task id', 'nb:tid:UUID:1f3c9a2e-0000-4000-8000-00000000000a'],
    ['a truncated GUID', 'nb:jid:UUID:1f3c9a2e-0000-4000-8000']
  ])('%s is refused, naming job-id', async (_what, text) => {
    const e = await refusal(secretInputs({ 'job-id': text }))
    expect(e.input).toBe('job-id')
    expect(e.message).toMatch(/job-id/)
  })

  it('more than 1000 jobs are refused', async () => {
    const ids = Array.from(
      { length: 1001 },
      (_, i) => `1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`
    )
    expect((await refusal(secretInputs({ 'job-id': ids.join('\n') }))).message).toMatch(
      /job-id: 1001 jobs given; at most 1000/
    )
  })
})

describe('api-url', () => {
  it.each([
    ['left out', { 'api-url': '' }],
    ['blank', { 'api-url': '  ' }],
    ['left out, with a given access-token', { 'api-url': '', 'access-token': 'eyJ0eXAi.eyJhdWQi.c2ln' }]
  ])(
    'is required with job-id (%s): the retired global endpoint is no default, and the error says so',
    async (_what, inputs) => {
      const given = { ...secretInputs(inputs) }
      if ('access-token' in inputs) delete given['client-secret']
      const e = await refusal(given)
      expect(e.input).toBe('api-url')
      expect(e.message).toMatch(/^Input api-url is required with job-id/)
      expect(e.message).toContain('https://<account>.restv2.<region>.media.azure.net/api/')
      expect(e.message).toMatch(/Azure Media Services was retired on 2024-06-30/)
    }
  )

  it('is named after job-id: of a wrong job-id and a missing api-url, job-id is the one reported', async () => {
    expect((await refusal(secretInputs({ 'job-id': 'encode-1', 'api-url': '' }))).input).toBe('job-id')
  })

  it("an account's own endpoint is used as given, with a trailing slash added, and trusted", async () => {
    const s = await settingsFor(
      secretInputs({ 'api-url': 'https://acct.restv2.westeurope.media.azure.net/api' })
    )
    expect(v2(s).apiUrl.href).toBe('https://acct.restv2.westeurope.media.azure.net/api/')
    expect(v2(s).trustedHosts[0]).toBe('acct.restv2.westeurope.media.azure.net')
  })

  it.each(['http://127.0.0.1:8443/api/', 'http://localhost:8080/api/'])(
    'plain http to loopback (%s) is allowed',
    async url => {
      expect(v2(await settingsFor(secretInputs({ 'api-url': url }))).apiUrl.protocol).toBe('http:')
    }
  )

  it.each([
    ['plain http to a real host', 'http://media.windows.net/api/', /https/],
    ['a query', 'https://media.windows.net/api/?x=1', /query/],
    ['a fragment', 'https://media.windows.net/api/#top', /fragment/],
    [
      'credentials',
      'https://user:pw@media.windows.net/api/',
      /user name or password: 'https:\/\/\*\*\*@media/
    ],
    [
      'a user name that looks like the host',
      'https://media.windows.net@evil.test/api/',
      /user name or password/
    ],
    ['not a URL', 'media.windows.net/api', /not a URL/]
  ])('%s is refused, naming api-url', async (_what, url, why) => {
    const e = await refusal(secretInputs({ 'api-url': url }))
    expect(e.input).toBe('api-url')
    expect(e.message).toMatch(/api-url/)
    expect(e.message).toMatch(why)
  })
})

describe('authority-host', () => {
  it('a bare host name is taken as https', async () => {
    expect(
      (await settingsFor(secretInputs({ 'authority-host': 'login.example.test' }))).auth.authorityHost.href
    ).toBe('https://login.example.test/')
  })

  it.each([
    ['with the tenant in its path', `https://login.microsoftonline.com/${TENANT}`],
    ['over http', 'http://login.microsoftonline.com'],
    ['with a query', 'https://login.microsoftonline.com/?x=1'],
    ['not a URL', 'https://']
  ])('%s is refused, naming authority-host', async (_what, value) => {
    const e = await refusal(secretInputs({ 'authority-host': value }))
    expect(e.input).toBe('authority-host')
    expect(e.message).toMatch(/authority-host/)
  })

  it.each([
    ['a user name', 'https://login.microsoftonline.com@other-host'],
    ['a user name and password', 'https://login.microsoftonline.com:pw@other-host.test'],
    ['a user name, without the scheme', 'login.microsoftonline.com@other-host']
  ])('with %s (the host is what follows the @) is refused, naming the real host', async (_what, value) => {
    const e = await refusal(secretInputs({ 'authority-host': value }))
    expect(e.input).toBe('authority-host')
    expect(e.message).toMatch(
      /^Input authority-host must not contain a user name or password \(the host would be other-host/
    )
  })
})

describe('x-ms-version', () => {
  it('any 2.x version is passed through', async () => {
    expect(v2(await settingsFor(secretInputs({ 'x-ms-version': '2.11' }))).msVersion).toBe('2.11')
  })

  it.each(['3.0', '2', '2.19.1', 'latest'])('%j is refused, naming x-ms-version', async value => {
    const e = await refusal(secretInputs({ 'x-ms-version': value }))
    expect(e.input).toBe('x-ms-version')
    expect(e.message).toMatch(/x-ms-version.*2\.19/)
  })
})

describe('poll-interval and timeout', () => {
  it('accept seconds or units', async () => {
    const s = await settingsFor(secretInputs({ 'poll-interval': '30', timeout: '1h30m' }))
    expect(s.wait.intervalMs).toBe(30_000)
    expect(s.wait.timeoutMs).toBe(5_400_000)
  })

  it('accept units as people write them: 2 hours, 90min, 45 sec', async () => {
    const s = await settingsFor(secretInputs({ 'poll-interval': '45 sec', timeout: '2 hours' }))
    expect(s.wait.intervalMs).toBe(45_000)
    expect(s.wait.timeoutMs).toBe(7_200_000)
    expect((await settingsFor(secretInputs({ timeout: '90min' }))).wait.timeoutMs).toBe(5_400_000)
  })

  it("default to a timeout of 5h 30m, under GitHub's 6-hour job limit", async () => {
    const inputs = secretInputs({})
    delete inputs.timeout
    expect((await settingsFor(inputs)).wait.timeoutMs).toBe(5.5 * 3_600_000)
  })

  it('a poll-interval equal to the timeout is allowed', async () => {
    expect((await settingsFor(secretInputs({ 'poll-interval': '1m', timeout: '60s' }))).wait.timeoutMs).toBe(
      60_000
    )
  })

  it.each([
    ['poll-interval', '0.5s', /at least 1s/],
    ['poll-interval', 'abc', /not a duration/],
    ['timeout', 'forever', /not a duration/],
    ['timeout', '500ms', /at least 1s/]
  ])('%s %j is refused, naming the input', async (input, value, why) => {
    const e = await refusal(secretInputs({ [input]: value }))
    expect(e.input).toBe(input)
    expect(e.message).toMatch(new RegExp(`Input ${input}`))
    expect(e.message).toMatch(why)
  })

  it('a poll-interval longer than the timeout is refused, naming both', async () => {
    const e = await refusal(secretInputs({ 'poll-interval': '10m', timeout: '5m' }))
    expect(e.input).toBe('poll-interval')
    expect(e.message).toMatch(/poll-interval \(10m 00s\) is longer than timeout \(5m 00s\)/)
  })
})

describe('a timeout longer than GitHub lets the job run: a warning, since the step would end with nothing', () => {
  const hosted = { RUNNER_ENVIRONMENT: 'github-hosted' }
  const selfHosted = { RUNNER_ENVIRONMENT: 'self-hosted' }
  const warningsOf = async (timeout: string, env: NodeJS.ProcessEnv) =>
    (await settingsFor(secretInputs({ timeout }), env)).warnings

  it.each(['7h', '6h', '1 day'])(
    '%s on a GitHub-hosted runner warns: 6 hours, what happens, the fix',
    async t => {
      const [warning, ...more] = await warningsOf(t, hosted)
      expect(more).toEqual([])
      expect(warning).toMatch(
        /^timeout \(.+\) does not end before the 6 hours GitHub lets a job run on a GitHub-hosted runner/
      )
      expect(warning).toContain(
        'GitHub would stop the job first, and this step would end without its outputs or step summary'
      )
      expect(warning).toMatch(/Give a timeout under 6h .*timeout-minutes/)
    }
  )

  it.each([
    ['the default', ''],
    ['5h59m', '5h59m']
  ])('%s on a GitHub-hosted runner does not warn', async (_what, t) => {
    expect(await warningsOf(t, hosted)).toEqual([])
  })

  it.each([
    ['a self-hosted runner', selfHosted],
    ['a runner that does not say (GHES, a local run)', {}]
  ])('on %s, 7h and 4 days do not warn, 5 days and more do', async (_where, env) => {
    expect(await warningsOf('7h', env)).toEqual([])
    expect(await warningsOf('4 days', env)).toEqual([])
    for (const t of ['5 days', '6 days', '24 days']) {
      const [warning] = await warningsOf(t, env)
      expect(warning).toMatch(
        /does not end before the 5 days GitHub lets any job run, on self-hosted runners too/
      )
      expect(warning).toMatch(/Give a timeout under 5 days, and raise the job's timeout-minutes/)
    }
  })
})

describe('fail-on', () => {
  it.each([
    ['Error', ['Error']],
    ['error, canceled', ['Canceled', 'Error']],
    ['Finished Error Canceled', ['Canceled', 'Error', 'Finished']]
  ])('%j fails on %j', async (value, states) => {
    expect([...(await settingsFor(secretInputs({ 'fail-on': value }))).wait.failOn].sort()).toEqual(states)
  })

  it.each(['none', 'NONE'])('%j fails on nothing', async value => {
    expect((await settingsFor(secretInputs({ 'fail-on': value }))).wait.failOn.size).toBe(0)
  })

  it.each(['none, Error', 'Error none', 'none none'])('%j is refused: none stands alone', async value => {
    const e = await refusal(secretInputs({ 'fail-on': value }))
    expect(e.input).toBe('fail-on')
    expect(e.message).toMatch(
      /^Input fail-on: none stands alone \(got '.*'\)\. Give none to fail on no state, or a list of Finished, Error, Canceled\.$/
    )
    expect(e.message).not.toMatch(/is not a final job state/)
  })

  it.each(['Queued', 'Processing', 'Foo', '4'])('%j is refused, naming fail-on', async value => {
    const e = await refusal(secretInputs({ 'fail-on': value }))
    expect(e.input).toBe('fail-on')
    expect(e.message).toMatch(/fail-on.*Finished, Error, Canceled, or none/)
  })
})

describe('trusted-hosts', () => {
  it('adds host names, URL forms (reduced to their host) and *.domain wildcards', async () => {
    const s = await settingsFor(
      secretInputs({
        'trusted-hosts': 'acct.example.com, https://Other.Example.com/api/\n*.example.com'
      })
    )
    expect(v2(s).trustedHosts).toEqual(
      expect.arrayContaining(['acct.example.com', 'other.example.com', '.example.com'])
    )
  })

  it('keeps a port: 127.0.0.1:8443 trusts that port, a name alone means 443', async () => {
    const s = await settingsFor(
      secretInputs({ 'trusted-hosts': '127.0.0.1:8443 acct.example.com:443 *.example.com:9443' })
    )
    expect(v2(s).trustedHosts).toEqual(
      expect.arrayContaining(['127.0.0.1:8443', 'acct.example.com', '.example.com:9443'])
    )
  })

  it("trusts the api-url's host on exactly its port", async () => {
    expect(
      v2(await settingsFor(secretInputs({ 'api-url': 'https://127.0.0.1:8443/api/' }))).trustedHosts[0]
    ).toBe('127.0.0.1:8443')
    expect(v2(await settingsFor(secretInputs({ 'api-url': 'http://localhost/api/' }))).trustedHosts[0]).toBe(
      'localhost:80'
    )
  })

  it('lists each host once', async () => {
    const s = await settingsFor(secretInputs({ 'trusted-hosts': 'media.windows.net .media.azure.net' }))
    expect(v2(s).trustedHosts.filter(h => h === 'media.windows.net')).toHaveLength(1)
    expect(v2(s).trustedHosts.filter(h => h === '.media.azure.net')).toHaveLength(1)
  })

  it.each([
    ['*.co.uk', /anyone can register under co\.uk \(on the Public Suffix List\)/],
    ['*.com.au', /under com\.au \(on the Public Suffix List\)/],
    ['.co.jp', /under co\.jp \(on the Public Suffix List\)/],
    ['*.com.br', /under com\.br \(on the Public Suffix List\)/],
    ['*.gc.ca', /under gc\.ca \(on the Public Suffix List\)/],
    ['*.azurewebsites.net', /under azurewebsites\.net \(on the Public Suffix List\)/],
    ['*.github.io', /under github\.io \(on the Public Suffix List\)/],
    ['*.blob.core.windows.net', /under blob\.core\.windows\.net \(on the Public Suffix List\)/],
    ['*.windows.net', /under [a-z.]+\.windows\.net \(on the Public Suffix List\)/],
    [
      'https://x.cloudapp.azure.com *.azure.com',
      /anyone can create under \*\.cloudapp\.azure\.com \(shared hosting\)/
    ]
  ])('a wildcard over strangers %j is refused, naming trusted-hosts and why', async (value, why) => {
    const e = await refusal(secretInputs({ 'trusted-hosts': value }))
    expect(e.input).toBe('trusted-hosts')
    expect(e.message).toMatch(why)
    expect(e.message).toMatch(/Name your own host .* or a domain you own/)
  })

  it('a wildcard over your own domain, and single hosts on shared hosting, are accepted', async () => {
    const s = await settingsFor(
      secretInputs({
        'trusted-hosts': '*.example.co.uk *.contoso.com myacct.blob.core.windows.net co.uk *.media.azure.net'
      })
    )
    expect(v2(s).trustedHosts).toEqual(
      expect.arrayContaining(['.example.co.uk', '.contoso.com', 'myacct.blob.core.windows.net', 'co.uk'])
    )
  })

  it.each(['not a host!', 'https://', '*', 'a..b', '*.-bad-.com', 'acct.example.com:99999'])(
    '%j is refused, naming trusted-hosts',
    async value => {
      const e = await refusal(secretInputs({ 'trusted-hosts': value }))
      expect(e.input).toBe('trusted-hosts')
      expect(e.message).toMatch(/trusted-hosts/)
    }
  )
})

describe('cancel-on-abort', () => {
  it.each([
    ['true', true],
    ['Yes', true],
    ['1', true],
    ['false', false],
    ['off', false]
  ])('%j is %s', async (value, expected) => {
    expect((await settingsFor(secretInputs({ 'cancel-on-abort': value }))).cancelOnAbort).toBe(expected)
  })

  it("'maybe' is refused, naming cancel-on-abort", async () => {
    const e = await refusal(secretInputs({ 'cancel-on-abort': 'maybe' }))
    expect(e.input).toBe('cancel-on-abort')
    expect(e.message).toMatch(/cancel-on-abort.*true or false/)
  })
})

describe('polling', () => {
  it.each([
    ['fixed', 'fixed'],
    ['Predictive', 'predictive']
  ])('%j is %s', async (value, expected) => {
    expect((await settingsFor(secretInputs({ polling: value }))).wait.policy).toBe(expected)
  })

  it("'smart' is refused, naming polling and its two values", async () => {
    const e = await refusal(secretInputs({ polling: 'smart' }))
    expect(e.input).toBe('polling')
    expect(e.message).toMatch(/polling.*predictive.*fixed/)
  })
})

describe('cloud', () => {
  it.each(['AzureChinaCloud', 'azurechinacloud', ' AZURECHINACLOUD '])(
    '%j selects the China cloud: its endpoint, authority, token scope and domains',
    async name => {
      const s = await settingsFor(secretInputs({ cloud: name, 'api-url': CHINA_API }))
      expect(cloudOf(s)).toBe('AzureChinaCloud')
      expect(s.warnings).toEqual([])
      expect(s.auth.authorityHost.href).toBe('https://login.chinacloudapi.cn/')
      expect(s.auth.scope).toBe('https://rest.media.chinacloudapi.cn/.default')
      expect(v2(s).trustedHosts).toContain('.media.chinacloudapi.cn')
      expect(v2(s).trustedHosts).not.toContain('.media.azure.net')
    }
  )

  it("without api-url, each cloud's refusal shows its own account endpoint form", async () => {
    const without = (cloud: string) => refusal(secretInputs({ cloud, 'api-url': '' }))
    expect((await without('AzureChinaCloud')).message).toContain(
      'https://<account>.restv2.<region>.media.chinacloudapi.cn/api/'
    )
    expect((await without('azureusgovernment')).input).toBe('api-url')
    expect((await without('azureusgovernment')).message).toContain(
      'https://<account>.restv2.<region>.media.usgovcloudapi.net/api/'
    )
  })

  it('AzureUSGovernment with its account endpoint uses the US Government authority and scope', async () => {
    const s = await settingsFor(
      secretInputs({
        cloud: 'AzureUSGovernment',
        'api-url': 'https://acct.restv2.usgovvirginia.media.usgovcloudapi.net/api/'
      })
    )
    expect(s.auth.authorityHost.href).toBe('https://login.microsoftonline.us/')
    expect(s.auth.scope).toBe('https://rest.media.usgovcloudapi.net/.default')
  })

  it('an unknown cloud is refused, listing the clouds', async () => {
    const e = await refusal(secretInputs({ cloud: 'Mars' }))
    expect(e.input).toBe('cloud')
    expect(e.message).toBe(
      "Input cloud: 'Mars' is not a cloud. Use one of: AzureCloud, AzureChinaCloud, AzureUSGovernment (any case)."
    )
  })

  it.each([
    ['azurestack', /'azurestack' cannot be used: Azure Stack Hub has no Media Services/],
    ['AzureGermanCloud', /'AzureGermanCloud' cannot be used: Microsoft Cloud Deutschland closed in 2021/]
  ])('%s, which azure/login knows, is refused saying why', async (name, why) => {
    const e = await refusal(secretInputs({ cloud: name }))
    expect(e.input).toBe('cloud')
    expect(e.message).toMatch(why)
  })

  it.each([
    ['AzureCloud', 'AzureCloud'],
    ['azurecloud', 'AzureCloud'],
    ['AzurePublicCloud', 'AzureCloud'],
    ['AZURECHINACLOUD', 'AzureChinaCloud'],
    ['AzureUSGovernmentCloud', 'AzureUSGovernment']
  ])("azure/login's and the SDKs' spelling %j is %s", async (name, cloud) => {
    const inputs = { 'api-url': 'https://acct.example.com/api/' }
    expect(cloudOf(await settingsFor(secretInputs({ ...inputs, cloud: name })))).toBe(cloud)
  })
})

describe("environment: azure/login's name for cloud", () => {
  it('selects the cloud when cloud is not given', async () => {
    const s = await settingsFor(secretInputs({ environment: 'AzureChinaCloud', 'api-url': CHINA_API }))
    expect(cloudOf(s)).toBe('AzureChinaCloud')
    expect(s.warnings).toEqual([])
  })

  it('may repeat cloud in another spelling', async () => {
    const s = await settingsFor(secretInputs({ cloud: 'AzureChinaCloud', environment: 'azurechinacloud' }))
    expect(cloudOf(s)).toBe('AzureChinaCloud')
  })

  it('is refused when it names another cloud than cloud', async () => {
    const e = await refusal(secretInputs({ cloud: 'AzureCloud', environment: 'AzureChinaCloud' }))
    expect(e.input).toBe('environment')
    expect(e.message).toBe(
      'Inputs cloud (AzureCloud) and environment (AzureChinaCloud) disagree: environment is another name for cloud. Keep one.'
    )
  })

  it('names itself when its value is wrong', async () => {
    expect((await refusal(secretInputs({ environment: 'azurestack' }))).input).toBe('environment')
  })

  it.each([
    ['AzureCloud', 'api://AzureADTokenExchange'],
    ['AzureChinaCloud', 'api://AzureADTokenExchangeChina'],
    ['AzureUSGovernment', 'api://AzureADTokenExchangeUSGov']
  ])('GitHub OIDC in %s uses the audience %s by default', async (cloud, audience) => {
    const s = await settingsFor(
      {
        'job-id': JOB_A,
        'tenant-id': TENANT,
        'client-id': CLIENT,
        cloud,
        'api-url': 'https://acct.example.com/api/'
      },
      OIDC_ENV
    )
    expect(s.auth.credential).toEqual({ kind: 'oidc', tenantId: TENANT, clientId: CLIENT, audience })
  })
})

describe('credentials: which way to sign in', () => {
  const ids = { 'job-id': JOB_A, 'api-url': ACCOUNT_API, 'tenant-id': TENANT, 'client-id': CLIENT }

  it('a client certificate PEM signs in with the certificate', async () => {
    const s = await settingsFor({ ...ids, 'client-certificate': clientCertificatePem() })
    expect(s.auth.credential.kind).toBe('certificate')
    if (s.auth.credential.kind !== 'certificate') return
    expect(s.auth.credential.certificate.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/)
    expect(s.auth.credential.certificate.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/)
  })

  it('client-secret and client-certificate together are refused, naming both', async () => {
    const e = await refusal({ ...ids, 'client-secret': SECRET, 'client-certificate': clientCertificatePem() })
    expect(e.message).toMatch(/client-secret and client-certificate/)
    expect(e.message).toMatch(/Keep exactly one/)
  })

  it('access-token and client-secret together are refused', async () => {
    const e = await refusal({ ...ids, 'client-secret': SECRET, 'access-token': 'eyJ0eXAi.eyJhdWQi.c2ln' })
    expect(e.message).toMatch(/client-secret and access-token/)
  })

  it('an access-token alone is used as is; tenant-id and client-id are then ignored with a warning', async () => {
    expect(
      (
        await settingsFor({
          'job-id': JOB_A,
          'api-url': ACCOUNT_API,
          'access-token': 'eyJ0eXAi.eyJhdWQi.c2ln'
        })
      ).auth.credential
    ).toEqual({
      kind: 'token',
      accessToken: 'eyJ0eXAi.eyJhdWQi.c2ln'
    })
    const s = await settingsFor({ ...ids, 'access-token': 'eyJ0eXAi.eyJhdWQi.c2ln' })
    expect(s.warnings).toEqual([expect.stringMatching(/tenant-id and client-id are not used/)])
  })

  it.each([
    ['a line feed inside', 'eyJ0eXAi.eyJhdWQi\n.c2ln'],
    ['a carriage return inside', 'eyJ0eXAi.eyJhdWQi\r.c2ln'],
    ['a NUL', 'eyJ0eXAi\u0000.eyJhdWQi.c2ln'],
    ['a space inside', 'eyJ0eXAi eyJhdWQi.c2ln'],
    ['a character beyond ASCII', 'eyJ0eXAi.eyJhdWQi.c2ln\u2028x']
  ])('an access-token with %s is refused as an input error, not ERR_INVALID_CHAR', async (_what, token) => {
    const e = await refusal({ 'job-id': JOB_A, 'api-url': ACCOUNT_API, 'access-token': token })
    expect(e.input).toBe('access-token')
    expect(e.message).toMatch(/^Input access-token contains a line break/)
    expect(e.message).not.toContain('eyJ')
  })

  it('an access-token with a trailing line break (as pasted) is trimmed and used', async () => {
    expect(
      (
        await settingsFor({
          'job-id': JOB_A,
          'api-url': ACCOUNT_API,
          'access-token': 'eyJ0eXAi.eyJhdWQi.c2ln\r\n'
        })
      ).auth.credential
    ).toEqual({
      kind: 'token',
      accessToken: 'eyJ0eXAi.eyJhdWQi.c2ln'
    })
  })

  it("an access-token with a 'Bearer ' prefix is refused, naming access-token", async () => {
    const e = await refusal({ 'job-id': JOB_A, 'api-url': ACCOUNT_API, 'access-token': 'Bearer x' })
    expect(e.input).toBe('access-token')
    expect(e.message).toMatch(/without the "Bearer " prefix/)
  })

  it('the Azure/login creds JSON signs in with its client secret', async () => {
    const creds = JSON.stringify({
      clientId: CLIENT,
      clientSecret: SECRET,
      tenantId: TENANT,
      subscriptionId: 'x'
    })
    const s = await settingsFor({ 'job-id': JOB_A, 'api-url': ACCOUNT_API, creds })
    expect(s.auth.credential).toEqual({
      kind: 'secret',
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET
    })
    expect(s.warnings).toEqual([])
  })

  it('separate inputs win over creds, with a warning', async () => {
    const otherTenant = '11111111-2222-4333-8444-555555555555'
    const creds = JSON.stringify({
      clientId: CLIENT,
      clientSecret: 'creds-secret-value',
      tenantId: otherTenant
    })
    const s = await settingsFor({
      'job-id': JOB_A,
      'api-url': ACCOUNT_API,
      creds,
      'tenant-id': TENANT,
      'client-secret': SECRET
    })
    expect(s.auth.credential).toEqual({
      kind: 'secret',
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET
    })
    expect(s.warnings).toEqual(
      expect.arrayContaining([
        'Both creds and tenant-id, client-secret are given; using tenant-id, client-secret (creds.tenantId, creds.clientSecret differ).'
      ])
    )
  })

  it.each([
    ['not JSON', `{"clientSecret": "${SECRET}", oops`],
    ['an array', `["${SECRET}"]`]
  ])('creds that is %s is refused without quoting the secret', async (_what, creds) => {
    const e = await refusal({ 'job-id': JOB_A, 'api-url': ACCOUNT_API, creds })
    expect(e.input).toBe('creds')
    expect(e.message).not.toContain(SECRET)
    expect(e.message).not.toContain('s3cr3t')
  })

  it('tenant-id without client-id is refused, naming client-id', async () => {
    const e = await refusal({
      'job-id': JOB_A,
      'api-url': ACCOUNT_API,
      'tenant-id': TENANT,
      'client-secret': SECRET
    })
    expect(e.input).toBe('client-id')
    expect(e.message).toMatch(/client-id is required with tenant-id/)
  })

  it('client-id without tenant-id is refused, naming tenant-id', async () => {
    const e = await refusal({
      'job-id': JOB_A,
      'api-url': ACCOUNT_API,
      'client-id': CLIENT,
      'client-secret': SECRET
    })
    expect(e.input).toBe('tenant-id')
    expect(e.message).toMatch(/tenant-id is required with client-id/)
  })

  it('no credentials at all are refused, listing the ways to sign in', async () => {
    expect((await refusal({ 'job-id': JOB_A, 'api-url': ACCOUNT_API })).message).toMatch(
      /No credentials.*creds, or access-token/
    )
  })

  it.each(['common', 'organizations', 'Consumers', 'not a tenant!'])(
    'tenant-id %j is refused',
    async tenant => {
      const e = await refusal({ ...ids, 'tenant-id': tenant, 'client-secret': SECRET })
      expect(e.input).toBe('tenant-id')
    }
  )

  it('a tenant domain name is accepted', async () => {
    const s = await settingsFor({ ...ids, 'tenant-id': 'contoso.onmicrosoft.com', 'client-secret': SECRET })
    expect(s.auth.credential).toMatchObject({ kind: 'secret', tenantId: 'contoso.onmicrosoft.com' })
  })

  it('a client-id that is not a GUID is refused', async () => {
    expect((await refusal({ ...ids, 'client-id': 'my-app', 'client-secret': SECRET })).input).toBe(
      'client-id'
    )
  })

  it('tenant-id and client-id without a secret use GitHub OIDC when the job may request an id token', async () => {
    expect((await settingsFor(ids, OIDC_ENV)).auth.credential).toEqual({
      kind: 'oidc',
      tenantId: TENANT,
      clientId: CLIENT,
      audience: 'api://AzureADTokenExchange'
    })
  })

  it('the OIDC audience can be overridden', async () => {
    expect(
      (await settingsFor({ ...ids, audience: 'api://MyAudience' }, OIDC_ENV)).auth.credential
    ).toMatchObject({
      kind: 'oidc',
      audience: 'api://MyAudience'
    })
  })

  it('without the id-token permission, OIDC is refused, saying which permission to add', async () => {
    expect((await refusal(ids)).message).toMatch(/id-token: write/)
    expect(
      (await refusal(ids, { ACTIONS_ID_TOKEN_REQUEST_URL: OIDC_ENV.ACTIONS_ID_TOKEN_REQUEST_URL })).message
    ).toMatch(/id-token: write/)
  })
})

describe('a job-id step has Media Services v2 settings only', () => {
  it('gets the v2 job source options and no v3 ones', async () => {
    const s = await settingsFor(secretInputs())
    expect(s.jobs.kind).toBe('Media Services')
    expect(Object.keys(s.jobs.options).sort()).toEqual(['apiUrl', 'mediaResource', 'msVersion'])
    expect(v2(s).mediaResource).toBe('https://rest.media.azure.net')
  })
})

describe('inputs are read once', () => {
  it('readSettings asks the runner for each input action.yml declares exactly once, and for nothing else', async () => {
    const asked: string[] = []
    const inputs = secretInputs({ 'x-ms-version': '2.19' })
    await readSettings(name => {
      asked.push(name)
      return inputs[name] ?? ''
    })
    expect([...asked].sort()).toEqual([...INPUT_NAMES].sort())
  })
})

describe('secrets are masked before anything is validated', () => {
  it('the mask sees client-secret, access-token, the creds secret and each line of the certificate', async () => {
    const pem = clientCertificatePem()
    const masked: string[] = []
    const inputs = {
      'job-id': 'garbage',
      'client-secret': SECRET,
      'access-token': 'eyJ0eXAi.token-value.c2ln',
      'client-certificate': pem,
      creds: JSON.stringify({ clientId: CLIENT, clientSecret: 'creds-secret-value', tenantId: TENANT })
    }
    await expect(readSettings(inputReader(inputs), { mask: s => masked.push(s) })).rejects.toThrow(UserError)
    expect(masked).toEqual(
      expect.arrayContaining([SECRET, 'eyJ0eXAi.token-value.c2ln', 'creds-secret-value'])
    )
    const longLines = pem
      .split('\n')
      .map(l => l.trim())
      .filter(l => l.length >= 8 && !l.startsWith('-----'))
    expect(longLines.length).toBeGreaterThan(10)
    expect(masked).toEqual(expect.arrayContaining(longLines))
    expect(masked).toContain(pem.trim())
  })

  it('a certificate stored on one line with literal \\n is masked line by line too', async () => {
    const pem = clientCertificatePem()
    const oneLine = pem.trim().split('\n').join('\\n')
    const masked: string[] = []
    await readSettings(
      inputReader({
        'job-id': JOB_A,
        'api-url': ACCOUNT_API,
        'tenant-id': TENANT,
        'client-id': CLIENT,
        'client-certificate': oneLine
      }),
      {
        mask: s => masked.push(s)
      }
    )
    expect(masked).toContain(pem.split('\n')[1])
  })

  it('the mask is called even when the cloud input is wrong', async () => {
    const masked: string[] = []
    await expect(
      readSettings(inputReader(secretInputs({ cloud: 'Mars' })), { mask: s => masked.push(s) })
    ).rejects.toThrow(/cloud/)
    expect(masked).toContain(SECRET)
  })
})

describe('for any text in any input (property-based)', () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom(
      '',
      'true',
      'none',
      '10s',
      '0',
      JOB_A,
      TENANT,
      CLIENT,
      'https://x.media.azure.net/api/',
      '{}',
      'Bearer x'
    )
  )

  it('readSettings either returns settings or throws a UserError naming an input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...INPUT_NAMES), text),
        fc.boolean(),
        async (inputs, oidc) => {
          try {
            await readSettings(inputReader(inputs), { env: oidc ? OIDC_ENV : {}, mask: () => undefined })
          } catch (error) {
            expect(error).toBeInstanceOf(UserError)
            expect((error as UserError).message).toMatch(/\S/)
          }
        }
      ),
      { numRuns: 500 }
    )
  })

  it('with a valid job and secret, any one other input gives settings or a UserError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INPUT_NAMES), text, async (name, value) => {
        try {
          await settingsFor(secretInputs({ [name]: value }))
        } catch (error) {
          expect(error).toBeInstanceOf(UserError)
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe('an api-url of another cloud', () => {
  it('is warned about, naming the cloud to set', async () => {
    const s = await settingsFor({
      ...secretInputs(),
      cloud: 'AzureCloud',
      'api-url': 'https://acct.restv2.chinaeast2.media.chinacloudapi.cn/api/'
    })
    expect(s.warnings).toContainEqual(
      expect.stringMatching(/belongs to AzureChinaCloud, but cloud is AzureCloud.*Set cloud: AzureChinaCloud/)
    )
  })

  it('is not warned about when it matches the cloud, or is a host of no known cloud', async () => {
    for (const apiUrl of [
      'https://acct.restv2.westeurope.media.azure.net/api/',
      'https://127.0.0.1:8443/api/'
    ]) {
      expect((await settingsFor({ ...secretInputs(), 'api-url': apiUrl })).warnings).toEqual([])
    }
  })
})
