import { X509Certificate, createPrivateKey, createHash, type KeyObject } from 'node:crypto'
import type { Cloud } from '../clouds.js'
import type { Inputs } from './input-names.js'
import { UserError } from '../errors.js'
import { GUID, HOSTNAME, quoted } from '../values.js'
import type { ClientCertificate, Credential } from '../auth/credential.js'

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g

/**
 * Reads a PEM holding a certificate and its private key (the way a certificate secret is usually stored).
 * Pure: throws UserError naming `input` with the fix; never quotes the key.
 */
export function parseClientCertificate(pem: string, input: string, now = new Date()): ClientCertificate {
  const text = pem.replace(/\\n/g, '\n').replace(/\r\n/g, '\n')
  const blocks = [...text.matchAll(PEM_BLOCK)].map(m => ({ type: m[1], text: m[0] }))
  const certBlock = blocks.find(b => b.type === 'CERTIFICATE')
  const keyBlock = blocks.find(b => /PRIVATE KEY$/.test(b.type))
  if (!certBlock || !keyBlock) {
    const missing =
      !certBlock && !keyBlock
        ? 'a certificate and a private key'
        : !certBlock
          ? 'the certificate'
          : 'the private key'
    throw new UserError(
      `Input ${input} must be a PEM with the certificate (-----BEGIN CERTIFICATE-----) and its private key (-----BEGIN PRIVATE KEY-----); ${missing} is missing.`,
      input
    )
  }
  if (keyBlock.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:.*ENCRYPTED/.test(keyBlock.text)) {
    throw new UserError(
      `Input ${input}: the private key is encrypted. Store it without a passphrase (for example: openssl pkcs8 -topk8 -nocrypt).`,
      input
    )
  }
  let cert: X509Certificate
  let key: KeyObject
  try {
    cert = new X509Certificate(certBlock.text)
  } catch {
    throw new UserError(`Input ${input}: the certificate block is not a valid X.509 certificate.`, input)
  }
  try {
    key = createPrivateKey(keyBlock.text)
  } catch {
    throw new UserError(`Input ${input}: the private key block could not be read as a private key.`, input)
  }
  if (!cert.checkPrivateKey(key)) {
    throw new UserError(`Input ${input}: the private key does not belong to the certificate.`, input)
  }
  const notAfter = new Date(cert.validTo)
  if (notAfter.getTime() < now.getTime()) {
    throw new UserError(`Input ${input}: the certificate expired on ${notAfter.toISOString()}.`, input)
  }
  return {
    thumbprintSha256: createHash('sha256').update(cert.raw).digest('hex').toUpperCase(),
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    x5c: certBlock.text,
    subject: cert.subject.replace(/\n/g, ', '),
    notAfter
  }
}

/** Lines of a secret worth masking separately: the runner masks line by line in multi-line values. */
export function secretParts(value: string): string[] {
  const parts = new Set<string>([value.trim()])
  for (const line of value.split(/\r?\n|\\n/)) {
    const l = line.trim()
    if (l.length >= 8 && !/^-----(BEGIN|END) /.test(l)) parts.add(l)
  }
  return [...parts].filter(p => p.length > 0)
}

export interface Creds {
  clientId?: string
  clientSecret?: string
  tenantId?: string
}

/** The Azure/login `creds` JSON. Never quotes the value: it holds a secret. */
export function parseCreds(value: string, mask?: (s: string) => void): Creds {
  if (!value) return {}
  let doc: unknown
  try {
    doc = JSON.parse(value)
  } catch {
    throw new UserError(
      'Input creds is not valid JSON. Expected the Azure/login form: {"clientId": "…", "clientSecret": "…", "tenantId": "…"}.',
      'creds'
    )
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UserError(
      'Input creds must be a JSON object with clientId, clientSecret and tenantId.',
      'creds'
    )
  }
  const field = (k: string): string | undefined => {
    const v = (doc as Record<string, unknown>)[k]
    return typeof v === 'string' && v.trim() ? v.trim() : undefined
  }
  const creds = {
    clientId: field('clientId'),
    clientSecret: field('clientSecret'),
    tenantId: field('tenantId')
  }
  if (creds.clientSecret) mask?.(creds.clientSecret)
  return creds
}

/** The inputs that say how to sign in. */
export type CredentialInputs = Pick<
  Inputs,
  'tenant-id' | 'client-id' | 'client-secret' | 'client-certificate' | 'access-token' | 'audience'
>

/** The inputs that hold a secret, each masked (line by line too) before anything else is checked. */
export function maskSecrets(
  inputs: Pick<Inputs, 'client-secret' | 'client-certificate' | 'access-token'>,
  mask?: (secret: string) => void
): void {
  for (const name of ['client-secret', 'client-certificate', 'access-token'] as const) {
    const v = inputs[name]
    if (v) secretParts(v).forEach(p => mask?.(p))
  }
}

/** A service principal's ids and secret, each from its own input or else from creds. */
interface Identity {
  tenantId: string
  clientId: string
  clientSecret: string
  /** Where the client secret came from, as the user would name it. */
  secretFrom: 'client-secret' | 'creds.clientSecret'
}

/**
 * Picks the one way to sign in (see the README's table) from the inputs' values, creds and whether GitHub
 * offers an OIDC token. UserError names what to change; remarks go to `warnings`.
 */
export function chooseCredential(
  inputs: CredentialInputs,
  creds: Creds,
  cloud: Cloud,
  env: NodeJS.ProcessEnv,
  warnings: string[]
): Credential {
  const id = identityOf(inputs, creds, warnings)
  const certificate = inputs['client-certificate']
  const accessToken = inputs['access-token']
  requireOneWay([
    id.clientSecret && id.secretFrom,
    certificate && 'client-certificate',
    accessToken && 'access-token'
  ])
  if (accessToken) return givenToken(accessToken, id, warnings)

  checkServicePrincipal(id)
  const { tenantId, clientId, clientSecret } = id
  if (clientSecret) return { kind: 'secret', tenantId, clientId, clientSecret }
  if (certificate) {
    return {
      kind: 'certificate',
      tenantId,
      clientId,
      certificate: parseClientCertificate(certificate, 'client-certificate')
    }
  }
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new UserError(
      'tenant-id and client-id are given without a secret, so GitHub OIDC is used, but this job cannot request an OIDC token. Add "permissions: id-token: write" to the workflow job (or give client-secret, client-certificate or access-token).',
      'client-id'
    )
  }
  return { kind: 'oidc', tenantId, clientId, audience: inputs.audience || cloud.oidcAudience }
}

/**
 * The own input wins over creds. Whenever both name the same value, one warning says which won, and where
 * creds said something else: a stale creds must not pass unnoticed, nor a duplicate leave doubt.
 */
function identityOf(inputs: CredentialInputs, creds: Creds, warnings: string[]): Identity {
  const both: string[] = []
  const differ: string[] = []
  const pick = (input: 'tenant-id' | 'client-id' | 'client-secret', key: keyof Creds): string => {
    const own = inputs[input]
    const fromCreds = creds[key]
    if (own && fromCreds) {
      both.push(input)
      if (own !== fromCreds) differ.push(`creds.${key}`)
    }
    return own || fromCreds || ''
  }
  const identity: Identity = {
    tenantId: pick('tenant-id', 'tenantId'),
    clientId: pick('client-id', 'clientId'),
    clientSecret: pick('client-secret', 'clientSecret'),
    secretFrom: inputs['client-secret'] ? 'client-secret' : 'creds.clientSecret'
  }
  if (both.length) {
    const names = both.join(', ')
    warnings.push(
      `Both creds and ${names} are given; using ${names}${differ.length ? ` (${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'})` : ' (the same values)'}.`
    )
  }
  return identity
}

/** At most one of the ways that carry a secret: which one was meant cannot be guessed. */
function requireOneWay(ways: (string | false)[]): void {
  const given = ways.filter(Boolean) as string[]
  if (given.length > 1) {
    throw new UserError(
      `Inputs ${given.join(' and ')} are both given; they are different ways to sign in. Keep exactly one.`,
      given[0]
    )
  }
}

function givenToken(accessToken: string, id: Identity, warnings: string[]): Credential {
  if (/^bearer\s/i.test(accessToken)) {
    throw new UserError(
      'Input access-token: give the token alone, without the "Bearer " prefix.',
      'access-token'
    )
  }
  // A control character (a line break from a pasted secret) would otherwise fail in Node's header check.
  if (/[^\x21-\x7e]/.test(accessToken)) {
    throw new UserError(
      'Input access-token contains a line break, a space or another character a token cannot have. Give the token alone, on one line.',
      'access-token'
    )
  }
  if (id.tenantId || id.clientId)
    warnings.push('access-token is given, so tenant-id and client-id are not used.')
  return { kind: 'token', accessToken }
}

/** Both ids, each of the right form; UserError names the one to fix. */
function checkServicePrincipal({ tenantId, clientId }: Identity): void {
  if (!tenantId && !clientId) {
    throw new UserError(
      'No credentials: give tenant-id and client-id (with id-token: write permission for GitHub OIDC, or with client-secret or client-certificate), or creds, or access-token.',
      'client-id'
    )
  }
  if (!clientId) {
    throw new UserError(
      'Input client-id is required with tenant-id: the application (client) id of the service principal.',
      'client-id'
    )
  }
  if (!tenantId) {
    throw new UserError(
      'Input tenant-id is required with client-id: the directory (tenant) id, a GUID or a domain like contoso.onmicrosoft.com.',
      'tenant-id'
    )
  }
  if (!GUID.test(clientId)) {
    throw new UserError(
      `Input client-id: ${quoted(clientId)} is not a GUID. Use the application (client) id of the service principal.`,
      'client-id'
    )
  }
  if (
    /^(common|organizations|consumers)$/i.test(tenantId) ||
    !(GUID.test(tenantId) || HOSTNAME.test(tenantId))
  ) {
    throw new UserError(
      `Input tenant-id: ${quoted(tenantId)} is not a tenant. Use the directory (tenant) id GUID or its domain (contoso.onmicrosoft.com); common, organizations and consumers cannot be used by a service principal.`,
      'tenant-id'
    )
  }
}
