import { describe, it, expect } from '@jest/globals'
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { UserError } from '../../../src/errors.js'
import { thrownBy } from '../../../__fixtures__/failure.js'
import { CLOUDS } from '../../../src/clouds.js'
import {
  chooseCredential,
  type CredentialInputs,
  maskSecrets,
  parseClientCertificate,
  secretParts
} from '../../../src/settings/credentials.js'
import { CLIENT, OIDC_ENV, SECRET, TENANT } from '../../../__fixtures__/inputs.js'
import { clientCertificatePem, generateCertificatePem } from '../../../__fixtures__/certificate.js'

const pem = clientCertificatePem()
const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]
const keyBlock = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)![0]

function refusal(text: string, now?: Date): UserError {
  return thrownBy(() => parseClientCertificate(text, 'client-certificate', now), UserError)
}

describe('client-certificate: a PEM with the certificate and its private key', () => {
  it('gives MSAL the SHA-256 thumbprint, the PKCS#8 key and the certificate for x5c', () => {
    const c = parseClientCertificate(pem, 'client-certificate')
    const der = new X509Certificate(certBlock).raw
    expect(c.thumbprintSha256).toBe(createHash('sha256').update(der).digest('hex').toUpperCase())
    expect(c.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    expect(c.x5c).toBe(certBlock)
    expect(c.subject).toMatch(/^CN=/)
    expect(c.notAfter.getTime()).toBeGreaterThan(Date.now())
  })

  it('accepts the key before the certificate, CRLF line ends, and a one-line secret with literal \\n', () => {
    const expected = parseClientCertificate(pem, 'client-certificate').thumbprintSha256
    expect(parseClientCertificate(`${keyBlock}\n${certBlock}\n`, 'x').thumbprintSha256).toBe(expected)
    expect(parseClientCertificate(pem.replace(/\n/g, '\r\n'), 'x').thumbprintSha256).toBe(expected)
    expect(parseClientCertificate(pem.trim().split('\n').join('\\n'), 'x').thumbprintSha256).toBe(expected)
  })

  it.each([
    ['the private key is missing', () => certBlock, /the private key is missing/],
    ['the certificate is missing', () => keyBlock, /the certificate is missing/],
    ['it is not a PEM', () => 'MIIDKTCCAhGgAwIBAgIUV8', /a certificate and a private key is missing/],
    [
      'the key is encrypted',
      () =>
        `${certBlock}\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG\n-----END ENCRYPTED PRIVATE KEY-----`,
      /encrypted.*-nocrypt/
    ],
    [
      'the certificate block is garbage',
      () => `-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n${keyBlock}`,
      /not a valid X\.509/
    ],
    [
      'the key block is garbage',
      () => `${certBlock}\n-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----`,
      /could not be read/
    ],
    [
      'the key belongs to another certificate',
      () =>
        `${certBlock}\n${generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' })}`,
      /does not belong to the certificate/
    ]
  ])('is refused when %s, naming the input and never quoting the key', (_what, text, why) => {
    const e = refusal(text())
    expect(e.input).toBe('client-certificate')
    expect(e.message).toMatch(/client-certificate/)
    expect(e.message).toMatch(why)
    expect(e.message).not.toContain(keyBlock.split('\n')[1])
  })

  it('a certificate made with openssl req -x509 and pkcs8 -nocrypt is read (the fixture falls back to it)', () => {
    const c = parseClientCertificate(generateCertificatePem('ams-job-wait-generated'), 'client-certificate')
    expect(c.subject).toBe('CN=ams-job-wait-generated')
  })

  it('an expired certificate is refused with its expiry date', () => {
    expect(refusal(pem, new Date('2300-01-01T00:00:00Z')).message).toMatch(/expired on \d{4}-\d\d-\d\dT/)
  })
})

describe('secretParts: what to mask in a multi-line secret', () => {
  it('a one-line secret is masked whole', () => {
    expect(secretParts('  s3cr3t-value  ')).toEqual(['s3cr3t-value'])
  })

  it('a PEM is masked whole and line by line, without the BEGIN/END lines or short lines', () => {
    const parts = secretParts(
      '-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAA\nBBBBBBBBBBBB\nCC==\n-----END PRIVATE KEY-----\n'
    )
    expect(parts).toEqual([
      '-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAA\nBBBBBBBBBBBB\nCC==\n-----END PRIVATE KEY-----',
      'AAAAAAAAAAAA',
      'BBBBBBBBBBBB'
    ])
  })

  it('literal \\n separators split lines too', () => {
    expect(secretParts('AAAAAAAAAAAA\\nBBBBBBBBBBBB')).toEqual([
      'AAAAAAAAAAAA\\nBBBBBBBBBBBB',
      'AAAAAAAAAAAA',
      'BBBBBBBBBBBB'
    ])
  })

  it('an empty secret masks nothing', () => {
    expect(secretParts('   ')).toEqual([])
  })
})

describe("chooseCredential: the way to sign in, from the inputs' values", () => {
  const none: CredentialInputs = {
    'tenant-id': '',
    'client-id': '',
    'client-secret': '',
    'client-certificate': '',
    'access-token': '',
    audience: ''
  }
  const ids = { ...none, 'tenant-id': TENANT, 'client-id': CLIENT }
  const choose = (inputs: CredentialInputs, creds = {}, env: NodeJS.ProcessEnv = {}) => {
    const warnings: string[] = []
    return { credential: chooseCredential(inputs, creds, CLOUDS.AzureCloud, env, warnings), warnings }
  }

  it('a client secret', () => {
    expect(choose({ ...ids, 'client-secret': SECRET })).toEqual({
      credential: { kind: 'secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
      warnings: []
    })
  })

  it('the own input wins over creds, with a warning', () => {
    const { credential, warnings } = choose(
      { ...ids, 'client-secret': SECRET },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: 'other-secret-value' }
    )
    expect(credential).toMatchObject({ kind: 'secret', clientSecret: SECRET })
    expect(warnings).toEqual([
      'Both creds and tenant-id, client-id, client-secret are given; using tenant-id, client-id, client-secret (creds.clientSecret differs).'
    ])
  })

  it('the same values in both: still one warning, saying which input won', () => {
    const { warnings } = choose(
      { ...ids, 'client-secret': SECRET },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }
    )
    expect(warnings).toEqual([
      'Both creds and tenant-id, client-id, client-secret are given; using tenant-id, client-id, client-secret (the same values).'
    ])
  })

  it('creds alone is enough', () => {
    expect(choose(none, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }).credential).toEqual({
      kind: 'secret',
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET
    })
  })

  it("GitHub OIDC with the cloud's audience, when the job may request a token", () => {
    expect(choose(ids, {}, OIDC_ENV).credential).toEqual({
      kind: 'oidc',
      tenantId: TENANT,
      clientId: CLIENT,
      audience: CLOUDS.AzureCloud.oidcAudience
    })
  })

  it('an access-token, with a warning that the ids are not used', () => {
    expect(choose({ ...ids, 'access-token': 'eyJ0eXAi.eyJhdWQi.c2ln' })).toEqual({
      credential: { kind: 'token', accessToken: 'eyJ0eXAi.eyJhdWQi.c2ln' },
      warnings: ['access-token is given, so tenant-id and client-id are not used.']
    })
  })

  it('two ways at once are refused, naming both', () => {
    expect(() => choose({ ...ids, 'client-secret': SECRET, 'access-token': 'tok.en.x' })).toThrow(
      'Inputs client-secret and access-token are both given; they are different ways to sign in. Keep exactly one.'
    )
  })
})

describe('maskSecrets', () => {
  it('masks client-secret, access-token and the certificate, and nothing else', () => {
    const masked: string[] = []
    maskSecrets({ 'client-secret': SECRET, 'access-token': 'tok-value', 'client-certificate': '' }, s =>
      masked.push(s)
    )
    expect(masked).toEqual([SECRET, 'tok-value'])
  })
})
