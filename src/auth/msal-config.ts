import type { Configuration, INetworkModule } from '@azure/msal-node'
import type { Logger } from '../logger.js'
import type { AuthSettings } from './token-source.js'
import type { Credential } from './credential.js'

type Msal = typeof import('@azure/msal-node')
type AppCredential = Exclude<Credential, { kind: 'token' }>

/**
 * MSAL's configuration for one app credential: the authority's endpoints handed over (no discovery request),
 * our network client (our HTTP stack, its limits), no retries of its own, and its log at debug level.
 */
export function msalConfiguration(
  msal: Msal,
  settings: AuthSettings,
  c: AppCredential,
  parts: { network: INetworkModule; log: Logger; assertion: (audience: string) => Promise<string> }
): Configuration {
  const host = settings.authorityHost.origin
  const authority = `${host}/${c.tenantId}`
  const auth: Configuration['auth'] = {
    clientId: c.clientId,
    authority,
    knownAuthorities: [settings.authorityHost.host],
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
  if (c.kind === 'oidc') auth.clientAssertion = () => parts.assertion(c.audience)
  return {
    auth,
    system: {
      networkClient: parts.network,
      disableInternalRetries: true,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: msal.LogLevel.Warning,
        loggerCallback: (_level, message) => parts.log.debug(`MSAL: ${message}`)
      }
    }
  }
}
