import { AbortedError, ENTRA_ID, errorMessage, ServiceError, UserError } from '../errors.js'
import { serverMessage, serverName } from '../text.js'
import type { LastExchange } from './msal-network.js'

type Msal = typeof import('@azure/msal-node')

/**
 * What a failed MSAL sign-in means for the user: a transient answer of the token service (retried), a
 * refusal with the AADSTS code and the input to check, or the transport failure MSAL hid.
 */
export function signInFailure(
  error: unknown,
  msal: Msal | undefined,
  last: LastExchange | undefined,
  description: string
): Error {
  if (error instanceof UserError || error instanceof ServiceError || error instanceof AbortedError)
    return error
  const requestId = last?.requestId
  if (msal && error instanceof msal.ServerError) {
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
      `Entra ID refused the sign-in with ${description}: ${said}${hint(error.errorCode, aadsts)}`,
      undefined,
      ENTRA_ID
    )
  }
  if (last?.transportError) return last.transportError
  if (msal && error instanceof msal.AuthError) {
    return new ServiceError(
      `Entra ID sign-in failed: ${serverName(error.errorCode)}${error.errorMessage ? ` (${serverMessage(error.errorMessage.split('\n')[0])})` : ''}`,
      { source: ENTRA_ID }
    )
  }
  return new ServiceError(`Entra ID sign-in failed: ${serverMessage(errorMessage(error))}`, {
    source: ENTRA_ID
  })
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
