// @ts-check
/**
 * Minimal JWS (compact JWT) helpers for the emulator: RS256 and PS256 with node:crypto only.
 * Test-only code: it checks what the emulator needs, not every rule of RFC 7515/7519.
 */
import crypto from 'node:crypto'

/** @typedef {{ alg: string, typ?: string, kid?: string, x5t?: string, 'x5t#S256'?: string, x5c?: string[] } & Record<string, unknown>} JwtHeader */
/** @typedef {Record<string, unknown>} JwtPayload */
/** @typedef {{ header: JwtHeader, payload: JwtPayload, signingInput: string, signature: Buffer }} DecodedJwt */

/**
 * @param {Buffer | string} data
 * @returns {string}
 */
export function base64url(data) {
  return Buffer.from(data).toString('base64url')
}

/**
 * @param {string} alg
 * @returns {number | undefined}
 */
function paddingFor(alg) {
  if (alg === 'RS256') return crypto.constants.RSA_PKCS1_PADDING
  if (alg === 'PS256') return crypto.constants.RSA_PKCS1_PSS_PADDING
  return undefined
}

/**
 * Signs a JWT. `header.alg` must be RS256 or PS256.
 * @param {JwtHeader} header
 * @param {JwtPayload} payload
 * @param {crypto.KeyObject} privateKey
 * @returns {string}
 */
export function signJwt(header, payload, privateKey) {
  const padding = paddingFor(header.alg)
  if (padding === undefined) throw new Error(`unsupported alg ${header.alg}`)
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  const signature = crypto.sign('sha256', Buffer.from(signingInput), {
    key: privateKey,
    padding,
    saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST
  })
  return `${signingInput}.${base64url(signature)}`
}

/**
 * Splits and parses a compact JWT without verifying it. Returns null when it is not a JWT.
 * @param {string} token
 * @returns {DecodedJwt | null}
 */
export function decodeJwt(token) {
  if (typeof token !== 'string') return null
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'))
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return null
    return {
      header,
      payload,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url')
    }
  } catch {
    return null
  }
}

/**
 * Verifies the signature of a decoded JWT (RS256 or PS256) with a public key.
 * @param {DecodedJwt} decoded
 * @param {crypto.KeyObject} publicKey
 * @returns {boolean}
 */
export function verifyJwt(decoded, publicKey) {
  const padding = paddingFor(decoded.header.alg)
  if (padding === undefined) return false
  try {
    return crypto.verify(
      'sha256',
      Buffer.from(decoded.signingInput),
      { key: publicKey, padding, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO },
      decoded.signature
    )
  } catch {
    return false
  }
}

/**
 * Thumbprints of a certificate as used in JWT headers: x5t (SHA-1) and x5t#S256 (SHA-256), base64url.
 * @param {string | Buffer} certPem
 * @returns {{ x5t: string, x5tS256: string, sha1Hex: string, sha256Hex: string, publicKey: crypto.KeyObject }}
 */
export function certificateThumbprints(certPem) {
  const cert = new crypto.X509Certificate(certPem)
  const der = cert.raw
  const sha1 = crypto.createHash('sha1').update(der).digest()
  const sha256 = crypto.createHash('sha256').update(der).digest()
  return {
    x5t: base64url(sha1),
    x5tS256: base64url(sha256),
    sha1Hex: sha1.toString('hex').toUpperCase(),
    sha256Hex: sha256.toString('hex').toUpperCase(),
    publicKey: cert.publicKey
  }
}
