import { GITHUB_OIDC, ServiceError, UserError } from '../errors.js'
import {
  header,
  type Http,
  type HttpResponse,
  type RequestLimits,
  retryAfterMs,
  TRANSIENT_STATUS
} from '../transport/http.js'

const PERMISSION_HINT = 'The workflow job needs "permissions: id-token: write".'

/**
 * GitHub's OIDC token for `audience`, asked the way @actions/core's getIDToken asks, but on our HTTP
 * stack: core's request has no time limit, no cancel and retries on its own for minutes.
 */
export async function githubIdToken(
  http: Http,
  env: NodeJS.ProcessEnv,
  audience: string,
  limits: RequestLimits
): Promise<string> {
  const base = env.ACTIONS_ID_TOKEN_REQUEST_URL
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!base || !requestToken) {
    throw new UserError(
      `Could not get a GitHub OIDC token: this job has no ACTIONS_ID_TOKEN_REQUEST_URL. ${PERMISSION_HINT}`,
      'client-id',
      GITHUB_OIDC
    )
  }
  const url = `${base}${base.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`
  return tokenOf(await ask(http, url, requestToken, limits))
}

/** The exchange itself; a transport failure says it was GitHub's token service. */
async function ask(
  http: Http,
  url: string,
  requestToken: string,
  limits: RequestLimits
): Promise<HttpResponse> {
  try {
    const headers = { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }
    return await http.request('GET', url, headers, undefined, limits)
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    throw new ServiceError(`GitHub OIDC token: ${error.message}`, {
      status: error.status,
      transient: error.transient,
      source: GITHUB_OIDC
    })
  }
}

/** The token in GitHub's answer `{"value": "<jwt>"}`, or why there is none. */
function tokenOf(res: HttpResponse): string {
  if (res.status === 401 || res.status === 403) {
    throw new UserError(
      `Could not get a GitHub OIDC token (GitHub answered HTTP ${res.status}). ${PERMISSION_HINT}`,
      'client-id',
      GITHUB_OIDC
    )
  }
  if (res.status < 200 || res.status >= 300) {
    throw new ServiceError(`GitHub OIDC token: HTTP ${res.status}`, {
      status: res.status,
      transient: TRANSIENT_STATUS.has(res.status),
      retryAfterMs: retryAfterMs(header(res, 'retry-after')),
      source: GITHUB_OIDC
    })
  }
  let value: unknown
  try {
    value = (JSON.parse(res.body) as { value?: unknown })?.value
  } catch {
    value = undefined
  }
  if (typeof value !== 'string' || value === '') {
    throw new ServiceError('GitHub OIDC token: the answer holds no token', {
      status: res.status,
      transient: true,
      source: GITHUB_OIDC
    })
  }
  return value
}
