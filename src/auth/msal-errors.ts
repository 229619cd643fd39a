import { AbortedError, ENTRA_ID, errorMessage, ServiceError, UserError } from '../errors.js'
import { serverMessage, serverName } from '../text.js'
import type { LastExchange } from './msal-network.js'
import type { Said } from './token-reply.js'

type Msal = typeof import('@azure/msal-node')

/**
 * A ServiceError made by the sign-in itself, whose message already says that the Entra ID sign-in failed:
 * passed on as it is, while a failure from below (the transport, a token service's transient reply, GitHub's
 * OIDC service, a retry's give-up) is worded as the sign-in's.
 */
export class SignInFailed extends ServiceError {}

/**
 * What a failed MSAL sign-in means for the user: the failure our network client read from the reply or the
 * transport (a transient answer, retried; a refusal with the AADSTS code and the input to check), else
 * whatever MSAL itself found wrong, never an internal error's wording alone.
 */
export function signInFailure(
  error: unknown,
  msal: Msal | undefined,
  last: LastExchange | undefined,
  description: string
): Error {
  if (error instanceof UserError || error instanceof ServiceError || error instanceof AbortedError)
    return error
  // Every reply was read before MSAL saw it (token-reply.ts): what failed is there, whatever MSAL made of it.
  if (last?.failure) return last.failure
  if (msal && error instanceof msal.AuthError) {
    const code = typeof error.errorCode === 'string' ? serverName(error.errorCode) : ''
    const said =
      typeof error.errorMessage === 'string' ? serverMessage(error.errorMessage.split('\n')[0]) : ''
    return new SignInFailed(`Entra ID sign-in failed: ${code || 'an error'}${said ? ` (${said})` : ''}`, {
      source: ENTRA_ID
    })
  }
  return new SignInFailed(
    `Entra ID sign-in failed with ${description}: ${serverMessage(errorMessage(error))}`,
    {
      source: ENTRA_ID
    }
  )
}

/** The input to check for what Entra ID said: its AADSTS number first, else its error code. */
export function fixFor(said: Said): string {
  return hint(said.code ?? '', said.aadsts)
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
