import type { BearerTokens } from '../transport/call.js'
import type { Http, RequestLimits } from '../transport/http.js'
import type { Logger } from '../logger.js'
import type { Credential } from './credential.js'
/** Where access tokens come from: a sign-in with Entra ID (msal.ts), or a token given as input. */
export type TokenSource = BearerTokens

export interface AuthDeps {
  http: Http
  log: Logger
  /** core.setSecret: every token we obtain is masked before anything could print it. */
  mask: (secret: string) => void
  /** GitHub's OIDC token for an audience, within the limits of the call that needs it. */
  getIDToken: (audience: string, limits: RequestLimits) => Promise<string>
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
}

export interface AuthSettings {
  credential: Credential
  authorityHost: URL
  scope: string
}
