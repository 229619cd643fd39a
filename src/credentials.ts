import { X509Certificate, createPrivateKey, createHash, KeyObject } from 'node:crypto'
import { UserError } from './errors.js'

/** How the action proves who it is. Exactly one kind is chosen by inputs.ts. */
export type Credential =
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificate: ClientCertificate }
  | { kind: 'oidc'; tenantId: string; clientId: string; audience: string }
  | { kind: 'token'; accessToken: string }

export interface ClientCertificate {
  /** Hex SHA-256 of the certificate's DER bytes, as MSAL expects. */
  thumbprintSha256: string
  /** The private key as PKCS#8 PEM (MSAL signs the client assertion with it). */
  privateKey: string
  /** The certificate as PEM; MSAL sends it as x5c (subject-name/issuer authentication). */
  x5c: string
  subject: string
  notAfter: Date
}

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
