import type { ConfidentialClientApplication } from '@azure/msal-node'
import { AbortedError, ENTRA_ID, errorMessage, GITHUB_OIDC, ServiceError, UserError } from '../errors.js'
import { raceAbort } from '../transport/http.js'
import { FirstAnswer, logRetries, withRetries } from '../transport/retry.js'
import { formatDuration } from '../time.js'
import { serverMessage } from '../text.js'
import { type CallOptions, retryUntilOf } from '../transport/call.js'
import type { TokenSource, AuthSettings, AuthDeps } from './token-source.js'
import type { Credential } from './credential.js'
import { fixFor, SignInFailed, signInFailure } from './msal-errors.js'
import { RecordingNetworkClient } from './msal-network.js'
import { msalConfiguration } from './msal-config.js'

/** A token is reused until 5 minutes before it expires, as MSAL's own cache would. */
const EXPIRY_MARGIN_MS = 5 * 60_000

type AppCredential = Exclude<Credential, { kind: 'token' }>
type Msal = typeof import('@azure/msal-node')

/** MSAL is half of what the action loads: only a sign-in loads it (ncc puts it in a chunk of its own). */
let msalModule: Promise<Msal> | undefined
const loadMsal = (): Promise<Msal> => (msalModule ??= import('@azure/msal-node'))

const DESCRIPTIONS: Record<AppCredential['kind'], string> = {
  secret: 'the client secret',
  certificate: 'the client certificate',
  oidc: 'the GitHub OIDC identity'
}

/** Until Entra ID has answered once, not reaching it is a wrong authority-host, given up in minutes. */
function unreachedAuthority(host: string): FirstAnswer {
  return new FirstAnswer(
    (error, triedMs) =>
      new UserError(
        `Entra ID at ${host} could not be reached for ${formatDuration(triedMs)} (${error.message}). Check authority-host and cloud: ${host} must be the Entra ID authority of your cloud.`,
        'authority-host',
        ENTRA_ID
      ),
    error => error.status === undefined && error.source?.kind !== 'github-oidc'
  )
}

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
  private readonly firstAnswer: FirstAnswer

  constructor(
    private readonly settings: AuthSettings,
    private readonly credential: AppCredential,
    private readonly deps: AuthDeps
  ) {
    this.description = DESCRIPTIONS[credential.kind]
    this.firstAnswer = unreachedAuthority(settings.authorityHost.host)
    this.network = new RecordingNetworkClient(deps.http, deps.log, deps.now, {
      description: this.description,
      fix: fixFor,
      firstAnswer: this.firstAnswer
    })
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
        retryUntil: retryUntilOf(call),
        signal: call.signal,
        now: this.deps.now,
        sleep: this.deps.sleep,
        random: this.deps.random,
        onRetry: logRetries(this.deps.log, 'Entra ID'),
        firstAnswer: this.firstAnswer
      })
    } catch (error) {
      // A give-up must say it was the sign-in, not Media Services, that failed.
      if (error instanceof ServiceError && !(error instanceof SignInFailed)) {
        const message = `Entra ID sign-in failed: ${error.message}`
        const source = error.source?.kind === 'github-oidc' ? error.source : ENTRA_ID
        const o = { status: error.status, requestId: error.requestId, source }
        // Given up for time too: a sign-in that cannot be made ends the wait now, naming the sign-in (it is no
        // outage in the last seconds of a wait that could still see its jobs, which OutOfTime would mean).
        throw new SignInFailed(message, o)
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
    this.app ??= new this.msal.ConfidentialClientApplication(
      msalConfiguration(this.msal, this.settings, this.credential, {
        network: this.network,
        log: this.deps.log,
        assertion: audience => this.githubToken(audience)
      })
    )
    this.network.last = undefined
    this.network.limits = { signal: call.signal, endBy: call.endBy }
    try {
      const acquiring = this.app.acquireTokenByClientCredential({
        scopes: [this.settings.scope],
        skipCache: true
      })
      const result = await (call.signal ? raceAbort(acquiring, call.signal) : acquiring)
      // The network client handed MSAL only replies that carry a token (token-reply.ts).
      if (!result?.accessToken)
        throw new SignInFailed('Entra ID sign-in gave no access token', { source: ENTRA_ID })
      if (result.accessToken !== this.token?.value) this.deps.mask(result.accessToken)
      const expiresAt = result.expiresOn ? result.expiresOn.getTime() : this.deps.now() + 3_600_000
      this.token = { value: result.accessToken, expiresAt }
      return result.accessToken
    } catch (error) {
      const failure = signInFailure(error, this.msal, this.network.last, this.description)
      // MSAL replays a 429/5xx from the same instance for 60 s without asking again: start afresh.
      if (failure instanceof ServiceError && failure.transient) this.app = undefined
      throw failure
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
