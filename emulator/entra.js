// @ts-check
/**
 * Entra ID (Azure AD v2 endpoints as MSAL Node uses them with knownAuthorities): discovery and
 * routing of the emulator's "login" listener, which also serves the GitHub OIDC endpoint.
 * Test-only code.
 */
import { sendJson, hostName, originOf, entraError } from './util.js'
import { handleToken } from './token.js'
import { handleGithub } from './github.js'

/**
 * State the Entra module shares with the rest of the emulator (built by index.js).
 * @typedef {{
 *   tenantId: string, clientId: string, clientSecret: string, oidcRequestToken: string,
 *   scope: string, tokenLifetimeSec: number, requireOidcAudience: string,
 *   clientCert: { x5t: string, x5tS256: string, publicKey: import('node:crypto').KeyObject },
 *   oidcKey: import('node:crypto').KeyObject, oidcPublicKey: import('node:crypto').KeyObject, oidcKid: string,
 *   tokens: Map<string, { expiresAt: number, revoked: boolean }>,
 *   issuedTokens: string[], issuedOidcTokens: string[], tokenRequests: TokenRequestRecord[],
 *   authority: { failWith: string | null, failTimes: number | null, status: number | null },
 *   loginHosts: string[]
 * }} EntraState
 */
/**
 * @typedef {{ client_id: string | null, scope: string | null, grant_type: string | null,
 *   credential: 'secret' | 'certificate' | 'oidc' | 'invalid', error?: string, at: number }} TokenRequestRecord
 */

/**
 * Handles a request that reached the login listener.
 * @param {EntraState} st
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 * @param {string} body
 */
export function handleLogin(st, req, res, url, body) {
  const base = originOf(req.headers.host, 'login.emu.test')
  const host = base.slice('https://'.length)
  const segs = url.pathname.split('/').filter(Boolean)
  if (segs[0] === 'github') return handleGithub(st, req, res, url)
  if (req.method === 'GET' && segs[0] === 'common' && segs[1] === 'discovery' && segs[2] === 'instance') {
    const m = /\/([^/]+)\/oauth2\//.exec(url.searchParams.get('authorization_endpoint') || '')
    const tenant = m ? m[1] : 'common'
    const name = hostName(host)
    return sendJson(res, 200, {
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host, name] }]
    })
  }
  const tenant = segs[0] || ''
  const known = tenant.toLowerCase() === st.tenantId.toLowerCase()
  const rest = segs.slice(1).join('/')
  const isConfig =
    rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration'
  if (isConfig || rest === 'oauth2/v2.0/token' || rest === 'discovery/v2.0/keys') {
    if (!known) {
      return entraError(
        res,
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        req
      )
    }
  }
  if (req.method === 'GET' && isConfig) {
    const t = `${base}/${tenant}`
    return sendJson(res, 200, {
      token_endpoint: `${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${t}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${t}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'ver'],
      tenant_region_scope: 'EU',
      cloud_instance_name: hostName(host),
      cloud_graph_host_name: 'graph.emu.test',
      msgraph_host: 'graph.emu.test'
    })
  }
  if (req.method === 'GET' && rest === 'discovery/v2.0/keys') return sendJson(res, 200, { keys: [] })
  if (rest === 'oauth2/v2.0/token') {
    if (req.method !== 'POST')
      return entraError(res, 405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.', req)
    return handleToken(st, req, res, new URLSearchParams(body), `${tenant}`)
  }
  return entraError(res, 404, 'invalid_request', 900561, `The endpoint ${url.pathname} does not exist.`, req)
}
