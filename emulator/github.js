// @ts-check
/** GitHub Actions OIDC token endpoint (what @actions/core getIDToken calls). Test-only code. */
import crypto from 'node:crypto'
import { signJwt, base64url } from './jwt.js'
import { sendJson, send, uuid } from './util.js'

/** @typedef {import('./entra.js').EntraState} EntraState */

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const GITHUB_SUBJECT = 'repo:octo/app:ref:refs/heads/main'

/**
 * GitHub Actions OIDC: GET /github/idtoken?api-version=2.0&audience=...
 * @param {EntraState} st
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 */
export function handleGithub(st, req, res, url) {
  if (url.pathname !== '/github/idtoken' || req.method !== 'GET') {
    return sendJson(res, 404, { message: 'Not Found' })
  }
  if (req.headers.authorization !== `Bearer ${st.oidcRequestToken}`) {
    return send(res, 401, { 'Content-Type': 'application/json' }, '{"message":"Unauthorized"}')
  }
  const now = Math.floor(Date.now() / 1000)
  const aud = url.searchParams.get('audience') || 'https://github.com/octo'
  const payload = {
    jti: uuid(),
    sub: GITHUB_SUBJECT,
    aud,
    ref: 'refs/heads/main',
    repository: 'octo/app',
    repository_owner: 'octo',
    run_id: '4242',
    event_name: 'push',
    workflow: 'ci',
    iss: GITHUB_ISSUER,
    nbf: now - 5,
    iat: now - 5,
    exp: now + 600
  }
  const token = signJwt({ typ: 'JWT', alg: 'RS256', x5t: st.oidcKid, kid: st.oidcKid }, payload, st.oidcKey)
  st.issuedOidcTokens.push(token)
  sendJson(res, 200, { count: st.issuedOidcTokens.length, value: token })
}

/**
 * Key id for the OIDC key (base64url SHA-1 of the SPKI DER), used as kid and x5t like GitHub does.
 * @param {crypto.KeyObject} publicKey
 * @returns {string}
 */
export function keyId(publicKey) {
  return base64url(
    crypto
      .createHash('sha1')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest()
  )
}
