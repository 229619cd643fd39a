import type {
  ConfidentialClientApplication,
  Configuration,
  INetworkModule,
  NetworkRequestOptions,
  NetworkResponse
} from '@azure/msal-node'
import { AbortedError, ENTRA_ID, errorMessage, GITHUB_OIDC, ServiceError, UserError } from '../errors.js'
import {
  header,
  type Http,
  raceAbort,
  type RequestLimits,
  retryAfterMs,
  safeHost
} from '../transport/http.js'
import type { Logger } from '../logger.js'
import { logRetries, withRetries } from '../transport/retry.js'
import { serverMessage, serverName, withoutBom } from '../text.js'
import { requestIdOf } from '../transport/guarded.js'
import type { CallOptions } from '../transport/call.js'
import type { TokenSource, AuthSettings, AuthDeps } from './token-source.js'
import type { Credential } from './credential.js'

/** A token is reused until 5 minutes before it expires, as MSAL's own cache would. */
const EXPIRY_MARGIN_MS = 5 * 60_000

type AppCredential = Exclude<Credential, { kind: 'token' }>
type Msal = typeof import('@azure/msal-node')

/** MSAL is half of what the action loads: only a sign-in loads it (ncc puts it in a chunk of its own). */
let msalModule: Promise<Msal> | undefined
const loadMsal = (): Promise<Msal> => (msalModule ??= import('@azure/msal-node'))

/** Entra ID client credentials through MSAL: secret, certificate or GitHub OIDC assertion. */
export class MsalTokenSource implements TokenSource {
  readonly canRefresh = true
  readonly description: string
  private app?: ConfidentialClientApplication
  private msal?: Msal
  private token?: { value: string; expiresAt: number }
  private assertion?: { value: string; expiresAt: number }
  private signingIn?: Promise<string>
  private readonly network: RecordingNetworkClient

  constructor(
    private readonly settings: AuthSettings,
    private readonly credential: AppCredential,
    private readonly deps: AuthDeps
  ) {
    this.network = new RecordingNetworkClient(deps.http, deps.log, deps.now)
    this.description = {
      secret: 'the client secret',
      certificate: 'the client certificate',
      oidc: 'the GitHub OIDC identity'
    }[credential.kind]
  }

  async getToken(fresh: boolean, call: CallOptions): Promise<string> {
    if (!fresh && this.token && this.token.expiresAt - EXPIRY_MARGIN_MS > this.deps.now())
      return this.token.value
    // Requests run a few at a time: those that need a token together share one sign-in (each one makes a new
    // token, so a caller after a 401 is served too), and MSAL's network client serves one sign-in at a time.
    this.signingIn ??= this.signIn(call).finally(() => (this.signingIn = undefined))
    return this.signingIn
  }

  private async signIn(call: CallOptions): Promise<string> {
    try {
      return await withRetries(() => this.acquire(call), {
        deadline: call.deadline,
        signal: call.signal,
        now: this.deps.now,
        sleep: this.deps.sleep,
        random: this.deps.random,
        onRetry: logRetries(this.deps.log, 'Entra ID')
      })
    } catch (error) {
      // A give-up must say it was the sign-in, not Media Services, that failed.
      if (error instanceof ServiceError && !error.message.startsWith('Entra ID')) {
        throw new ServiceError(`Entra ID sign-in failed: ${error.message}`, {
          status: error.status,
          requestId: error.requestId,
          source: error.source?.kind === 'github-oidc' ? error.source : ENTRA_ID
        })
      }
      throw error
    }
  }

  /**
   * Always a new token: ours is the one cache, since MSAL's would disagree with it near expiry. The call's
   * limits bound every request MSAL makes for it (token service, GitHub OIDC), and a cancel ends it at once.
   */
  private async acquire(call: CallOptions): Promise<string> {
    this.msal ??= await loadMsal()
    this.app ??= new this.msal.ConfidentialClientApplication(this.configuration(this.msal))
    this.network.last = undefined
    this.network.limits = { signal: call.signal, deadline: call.endBy }
    try {
      const acquiring = this.app.acquireTokenByClientCredential({
        scopes: [this.settings.scope],
        skipCache: true
      })
      const result = await (call.signal ? raceAbort(acquiring, call.signal) : acquiring)
      if (!result?.accessToken)
        throw new ServiceError('Entra ID answered without an access token', {
          transient: true,
          source: ENTRA_ID
        })
      if (result.accessToken !== this.token?.value) this.deps.mask(result.accessToken)
      const expiresAt = result.expiresOn ? result.expiresOn.getTime() : this.deps.now() + 3_600_000
      this.token = { value: result.accessToken, expiresAt }
      return result.accessToken
    } catch (error) {
      const failure = this.classify(error)
      // MSAL replays a 429/5xx from the same instance for 60 s without asking again: start afresh.
      if (failure instanceof ServiceError && failure.transient) this.app = undefined
      throw failure
    }
  }

  private configuration(msal: Msal): Configuration {
    const c = this.credential
    const host = this.settings.authorityHost.origin
    const authority = `${host}/${c.tenantId}`
    const auth: Configuration['auth'] = {
      clientId: c.clientId,
      authority,
      knownAuthorities: [this.settings.authorityHost.host],
      // The endpoints are known; handing them over saves a discovery request on every run.
      authorityMetadata: JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `${authority}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`
      })
    }
    if (c.kind === 'secret') auth.clientSecret = c.clientSecret
    if (c.kind === 'certificate') {
      auth.clientCertificate = {
        thumbprintSha256: c.certificate.thumbprintSha256,
        privateKey: c.certificate.privateKey,
        x5c: c.certificate.x5c
      }
    }
    if (c.kind === 'oidc') auth.clientAssertion = () => this.githubToken(c.audience)
    return {
      auth,
      system: {
        networkClient: this.network,
        disableInternalRetries: true,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: msal.LogLevel.Warning,
          loggerCallback: (_level, message) => this.deps.log.debug(`MSAL: ${message}`)
        }
      }
    }
  }

  /** MSAL calls the assertion callback on every acquire, even on a cache hit: keep GitHub's token. */
  private async githubToken(audience: string): Promise<string> {
    if (this.assertion && this.assertion.expiresAt - 60_000 > this.deps.now()) return this.assertion.value
    let value: string
    try {
      value = await this.deps.getIDToken(audience, this.network.limits)
    } catch (error) {
      if (error instanceof UserError || error instanceof ServiceError || error instanceof AbortedError)
        throw error
      throw new UserError(
        `Could not get a GitHub OIDC token (${serverMessage(errorMessage(error))}). The workflow job needs "permissions: id-token: write".`,
        'client-id',
        GITHUB_OIDC
      )
    }
    this.deps.mask(value)
    this.assertion = { value, expiresAt: jwtExpiry(value) ?? this.deps.now() + 5 * 60_000 }
    return value
  }

  private classify(error: unknown): Error {
    if (error instanceof UserError || error instanceof ServiceError || error instanceof AbortedError)
      return error
    const last = this.network.last
    const requestId = last?.requestId
    if (this.msal && error instanceof this.msal.ServerError) {
      const status = error.status ?? last?.status
      // The token service's own words (error, error_description) are server text like any other.
      const code = serverName(error.errorCode)
      const aadsts = /AADSTS\d+:[^.\r\n]*\.?/.exec(error.errorMessage.slice(0, 64 * 1024))?.[0]
      const said = aadsts === undefined ? code : serverMessage(aadsts)
      if (
        (status !== undefined && (status >= 500 || status === 429)) ||
        /temporarily_unavailable|server_error/.test(error.errorCode)
      ) {
        return new ServiceError(`token request answered ${status ?? code}${said ? ` (${said})` : ''}`, {
          status,
          requestId,
          transient: true,
          retryAfterMs: last?.retryAfterMs,
          source: ENTRA_ID
        })
      }
      return new UserError(
        `Entra ID refused the sign-in with ${this.description}: ${said}${hint(error.errorCode, aadsts)}`,
        undefined,
        ENTRA_ID
      )
    }
    if (last?.transportError) return last.transportError
    if (this.msal && error instanceof this.msal.AuthError) {
      return new ServiceError(
        `Entra ID sign-in failed: ${serverName(error.errorCode)}${error.errorMessage ? ` (${serverMessage(error.errorMessage.split('\n')[0])})` : ''}`,
        { source: ENTRA_ID }
      )
    }
    return new ServiceError(`Entra ID sign-in failed: ${serverMessage(errorMessage(error))}`, {
      source: ENTRA_ID
    })
  }
}

function hint(code: string, aadsts?: string): string {
  const n = aadsts ? Number(/AADSTS(\d+)/.exec(aadsts)?.[1]) : undefined
  if (n === 90002) return ' Check tenant-id.'
  if (n === 700016) return ' Check client-id and tenant-id: the application is not in this tenant.'
  if (n === 7000215 || n === 7000222)
    return ' Check client-secret: use the secret value (not its id), and renew it if it expired.'
  if (n === 70021 || n === 700211 || n === 700213 || n === 700212)
    return ' Check the federated credential on the app registration: its issuer, subject (repo:owner/name:…) and audience must match this workflow.'
  if (n === 700027 || n === 700024)
    return ' Check client-certificate: upload this certificate to the app registration.'
  if (code === 'invalid_scope' || n === 70011 || n === 500011)
    return ' Check cloud: the Media Services resource differs per cloud.'
  if (code === 'invalid_client') return ' Check the client credential.'
  return ''
}

/** `exp` of a JWT in milliseconds, without verifying it (GitHub signed it for Entra ID, not for us). */
export function jwtExpiry(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined
  } catch {
    return undefined
  }
}

interface LastExchange {
  status?: number
  requestId?: string
  retryAfterMs?: number
  transportError?: ServiceError | AbortedError
}

/**
 * MSAL's network module on our HTTP stack (proxy support, one TLS trust store). It remembers the last
 * exchange, because MSAL turns transport failures into a generic error that says nothing useful.
 */
class RecordingNetworkClient implements INetworkModule {
  last?: LastExchange
  /** The limits of the acquire in progress: MSAL's interface has no room for them. */
  limits: RequestLimits = {}

  constructor(
    private readonly http: Http,
    private readonly log: Logger,
    private readonly now: () => number
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options)
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options)
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions
  ): Promise<NetworkResponse<T>> {
    const started = this.now()
    try {
      const res = await this.http.request(
        method,
        url,
        { ...(options?.headers ?? {}) },
        options?.body,
        this.limits
      )
      const requestId = requestIdOf(res)
      this.last = { status: res.status, requestId, retryAfterMs: undefined }
      this.last.retryAfterMs = retryAfterMs(header(res, 'retry-after'), this.now())
      this.log.debug(
        `${method} ${url.split('?')[0]} -> ${res.status} in ${this.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`
      )
      let body: unknown
      try {
        body = JSON.parse(withoutBom(res.body))
      } catch {
        // A gateway's HTML page: say so in the shape MSAL reads errors from.
        body = {
          error: 'temporarily_unavailable',
          error_description: `HTTP ${res.status} from ${safeHost(url)} with a body that is not JSON`
        }
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
      return { headers, body: body as T, status: res.status }
    } catch (error) {
      this.last = {
        transportError:
          error instanceof ServiceError || error instanceof AbortedError
            ? error
            : new ServiceError(errorMessage(error), { transient: true })
      }
      this.log.debug(`${method} ${url.split('?')[0]} failed: ${this.last.transportError?.message}`)
      throw error
    }
  }
}
