// @ts-check
/**
 * Entra ID token endpoint (client credentials): client secret, certificate assertion (RS256/PS256
 * with x5t or x5t#S256) or GitHub OIDC federated assertion. Test-only code.
 */
import crypto from 'node:crypto'
import { decodeJwt, verifyJwt } from './jwt.js'
import { sendJson, uuid, entraError } from './util.js'
import { GITHUB_ISSUER, GITHUB_SUBJECT } from './github.js'

/** @typedef {import('./entra.js').EntraState} EntraState */
/** @typedef {import('./entra.js').TokenRequestRecord} TokenRequestRecord */

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * @param {EntraState} st
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URLSearchParams} form
 * @param {string} tenant
 */
export function handleToken(st, req, res, form, tenant) {
  /** @type {TokenRequestRecord} */
  const rec = {
    client_id: form.get('client_id'),
    scope: form.get('scope'),
    grant_type: form.get('grant_type'),
    credential: 'invalid',
    at: Date.now()
  }
  st.tokenRequests.push(rec)
  const hasSecret = form.has('client_secret')
  const assertion = form.get('client_assertion')
  /**
   * @param {number} status @param {string} error @param {number} code @param {string} text
   */
  const fail = (status, error, code, text) => {
    rec.error = `${error} AADSTS${code}`
    return entraError(res, status, error, code, text, req)
  }

  const a = st.authority
  if (a.failWith && (a.failTimes === null || a.failTimes > 0)) {
    if (a.failTimes !== null) a.failTimes -= 1
    const failWith = a.failWith
    if (a.failTimes === 0) a.failWith = null
    if (failWith === 'invalid_client') {
      return fail(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.'
      )
    }
    const status = a.status || 503
    if (status === 503)
      return fail(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
    return fail(
      status,
      'server_error',
      50000,
      'There was an error issuing a token or an issue with our sign-in service.'
    )
  }

  if (rec.grant_type !== 'client_credentials') {
    return fail(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${rec.grant_type}'.`
    )
  }
  if (rec.client_id !== st.clientId) {
    return fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${rec.client_id}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`
    )
  }
  if (rec.scope !== st.scope) {
    return fail(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${rec.scope} is not valid.`
    )
  }
  if (hasSecret && assertion) {
    return fail(
      400,
      'invalid_request',
      90015,
      'Requested grant type requires exactly one of client_secret or client_assertion.'
    )
  }
  if (hasSecret) {
    if (form.get('client_secret') !== st.clientSecret) {
      return fail(
        401,
        'invalid_client',
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" +
          st.clientId +
          "'."
      )
    }
    return issue(st, req, res, rec, 'secret')
  }
  if (!assertion) {
    return fail(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
    )
  }
  if (form.get('client_assertion_type') !== JWT_BEARER) {
    return fail(
      400,
      'invalid_request',
      90014,
      "The required field 'client_assertion_type' is missing or invalid."
    )
  }
  const jwt = decodeJwt(assertion)
  if (!jwt) return fail(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.')
  const now = Math.floor(Date.now() / 1000)
  const { header, payload } = jwt
  const exp = typeof payload.exp === 'number' ? payload.exp : 0
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : 0

  if (payload.iss === GITHUB_ISSUER) {
    if (!verifyJwt(jwt, st.oidcPublicKey)) {
      return fail(401, 'invalid_client', 700027, 'Client assertion failed signature validation.')
    }
    if (exp <= now || nbf > now + 300) {
      return fail(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.')
    }
    if (payload.aud !== st.requireOidcAudience || payload.sub !== GITHUB_SUBJECT) {
      return fail(
        401,
        'invalid_client',
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${payload.iss}'. Assertion Subject: '${payload.sub}'. Assertion Audience: '${payload.aud}'.`
      )
    }
    return issue(st, req, res, rec, 'oidc')
  }
  if (typeof payload.iss === 'string' && payload.iss.startsWith('https://')) {
    return fail(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${payload.iss}'.`
    )
  }
  const thumb = header['x5t#S256'] || header.x5t
  const matches = header['x5t#S256']
    ? header['x5t#S256'] === st.clientCert.x5tS256
    : header.x5t === st.clientCert.x5t
  if (!thumb || !matches || !verifyJwt(jwt, st.clientCert.publicKey)) {
    return fail(
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. Reason - The key was not found., Thumbprint of key used by client: '${thumb}'`
    )
  }
  if (payload.iss !== st.clientId || payload.sub !== st.clientId) {
    return fail(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter."
    )
  }
  const audOk = st.loginHosts.some(h => payload.aud === `https://${h}/${tenant}/oauth2/v2.0/token`)
  if (!audOk) {
    return fail(
      401,
      'invalid_client',
      700212,
      `Client assertion audience claim does not match the token endpoint: '${payload.aud}'.`
    )
  }
  if (exp <= now || nbf > now + 300) {
    return fail(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.')
  }
  return issue(st, req, res, rec, 'certificate')
}

/**
 * @param {EntraState} st
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {TokenRequestRecord} rec
 * @param {'secret' | 'certificate' | 'oidc'} credential
 */
function issue(st, req, res, rec, credential) {
  rec.credential = credential
  const token = `emu-at-${crypto.randomBytes(16).toString('hex')}`
  st.tokens.set(token, { expiresAt: Date.now() + st.tokenLifetimeSec * 1000, revoked: false })
  st.issuedTokens.push(token)
  sendJson(
    res,
    200,
    {
      token_type: 'Bearer',
      expires_in: st.tokenLifetimeSec,
      ext_expires_in: st.tokenLifetimeSec,
      access_token: token
    },
    {
      'Cache-Control': 'no-store, no-cache',
      'client-request-id': String(req.headers['client-request-id'] || uuid())
    }
  )
}
