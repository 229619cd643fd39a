import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The emulator's registered client certificate: a certificate and its PKCS#8 key in one PEM. */
export const EMULATOR_CLIENT_PEM = join(process.cwd(), 'emulator', 'certs', 'client.pem')

let generated: string | undefined

/**
 * A PEM with a certificate and its unencrypted private key, the way a user pastes a certificate secret.
 * Uses the emulator's client.pem when it is there, otherwise makes one with openssl.
 */
export function clientCertificatePem(): string {
  if (existsSync(EMULATOR_CLIENT_PEM)) return readFileSync(EMULATOR_CLIENT_PEM, 'utf8')
  generated ??= generateCertificatePem('ams-job-wait-unit-test-client')
  return generated
}

export function generateCertificatePem(commonName: string, days = 2): string {
  const dir = mkdtempSync(join(tmpdir(), 'ams-job-wait-cert-'))
  try {
    const key = join(dir, 'key.pem')
    const crt = join(dir, 'crt.pem')
    const p8 = join(dir, 'key.p8')
    const quiet = { stdio: ['ignore', 'ignore', 'pipe'] as ['ignore', 'ignore', 'pipe'] }
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        String(days),
        '-keyout',
        key,
        '-out',
        crt,
        '-subj',
        `/CN=${commonName}`
      ],
      quiet
    )
    execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', key, '-out', p8], quiet)
    return readFileSync(crt, 'utf8') + readFileSync(p8, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
