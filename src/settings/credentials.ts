import { X509Certificate, createPrivateKey, createHash, type KeyObject } from 'node:crypto'
import type { Cloud } from './clouds.js'
import type { InputName } from './inputs.js'
import { UserError } from '../errors.js'
import type { ClientCertificate, Credential } from '../auth/credential.js'

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

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

/** Picks the one way to sign in from the inputs (see the README's table); UserError names what to change. */
export function chooseCredential(
  get: (name: InputName) => string,
  creds: Creds,
  cloud: Cloud,
  env: NodeJS.ProcessEnv,
  warnings: string[]
): Credential {
  const pick = (input: InputName, key: keyof Creds): string => {
    const own = get(input)
    const fromCreds = creds[key]
    if (own && fromCreds && own !== fromCreds) {
      warnings.push(`Both ${input} and creds.${key} are given; using ${input}.`)
    }
    return own || fromCreds || ''
  }
  const tenantId = pick('tenant-id', 'tenantId')
  const clientId = pick('client-id', 'clientId')
  const clientSecret = pick('client-secret', 'clientSecret')
  const certificate = get('client-certificate')
  const accessToken = get('access-token')

  const given = [
    clientSecret && (get('client-secret') ? 'client-secret' : 'creds.clientSecret'),
    certificate && 'client-certificate',
    accessToken && 'access-token'
  ].filter(Boolean) as string[]
  if (given.length > 1) {
    throw new UserError(
      `Inputs ${given.join(' and ')} are both given; they are different ways to sign in. Keep exactly one.`,
      given[0]
    )
  }

  if (accessToken) {
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
    if (tenantId || clientId) warnings.push('access-token is given, so tenant-id and client-id are not used.')
    return { kind: 'token', accessToken }
  }

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
      `Input client-id: '${clientId}' is not a GUID. Use the application (client) id of the service principal.`,
      'client-id'
    )
  }
  if (
    /^(common|organizations|consumers)$/i.test(tenantId) ||
    !(GUID.test(tenantId) || HOSTNAME.test(tenantId))
  ) {
    throw new UserError(
      `Input tenant-id: '${tenantId}' is not a tenant. Use the directory (tenant) id GUID or its domain (contoso.onmicrosoft.com); common, organizations and consumers cannot be used by a service principal.`,
      'tenant-id'
    )
  }

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
  return { kind: 'oidc', tenantId, clientId, audience: get('audience') || cloud.oidcAudience }
}
