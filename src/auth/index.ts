import type { AuthSettings, AuthDeps, TokenSource } from './token-source.js'
import { MsalTokenSource } from './msal.js'
/** The token source for a credential: the given access-token as it is, or an Entra ID sign-in through MSAL. */
export function createTokenSource(settings: AuthSettings, deps: AuthDeps): TokenSource {
  const c = settings.credential
  if (c.kind === 'token') {
    return { canRefresh: false, description: 'the given access-token', getToken: async () => c.accessToken }
  }
  return new MsalTokenSource(settings, c, deps)
}
