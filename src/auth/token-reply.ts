/**
 * What a token service's reply means, whatever its shape, read before MSAL sees it (MSAL reads `error` and
 * `error_description` as strings and fails on anything else, and invents an error for a body that is not
 * JSON). A reply is one of: a token (handed to MSAL), a transient failure (429 and 5xx, whatever the body:
 * retried, honouring Retry-After), or a refusal (any other status, or a 2xx without a token: not retried),
 * with a reason a person can read.
 */
import { ENTRA_ID, ServiceError, UserError } from '../errors.js'
import { bodyKind, cut, serverMessage, serverName, withoutBom } from '../text.js'
import { header, type HttpResponse, requestIdOf, retryAfterMs, TRANSIENT_STATUS } from '../transport/http.js'

/** The first sentence of an Entra ID message is at most this long in an error. */
const SENTENCE_LIMIT = 300

type Reading = { kind: 'json'; doc: Record<string, unknown> } | { kind: 'other'; what: string; doc?: unknown }

/** The body as a JSON object, or what came back instead, in words. */
export function readBody(res: HttpResponse): Reading {
  const body = withoutBom(res.body)
  let doc: unknown
  try {
    doc = JSON.parse(body)
  } catch {
    return { kind: 'other', what: bodyKind(body, header(res, 'content-type')) }
  }
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    return { kind: 'json', doc: doc as Record<string, unknown> }
  }
  const type = doc === null ? 'null' : Array.isArray(doc) ? 'an array' : `a ${typeof doc}`
  return { kind: 'other', what: `JSON that is ${type}, not an object`, doc }
}

/** What the service said: its error code and its AADSTS sentence, when the body has them as text. */
export interface Said {
  code?: string
  /** `AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found.` (the first sentence), or `AADSTS90002`. */
  aadsts?: string
}

export function saidIn(doc: Record<string, unknown>): Said {
  const error = doc.error
  const rawCode =
    typeof error === 'string'
      ? error
      : typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
        ? (error as { code: string }).code
        : undefined
  const code = rawCode === undefined ? undefined : serverName(rawCode) || undefined
  const description = typeof doc.error_description === 'string' ? doc.error_description : undefined
  const sentence = description === undefined ? undefined : firstAadstsSentence(description)
  const codes = Array.isArray(doc.error_codes) ? doc.error_codes : []
  const number = typeof codes[0] === 'number' && Number.isInteger(codes[0]) ? codes[0] : undefined
  return { code, aadsts: sentence ?? (number === undefined ? undefined : `AADSTS${number}`) }
}

/**
 * `AADSTS<n>: …` up to the end of its first sentence: a full stop followed by a space, a line break or the
 * end (the dots of `'contoso.onmicrosoft.com'` and other names are not one), cut at SENTENCE_LIMIT.
 */
export function firstAadstsSentence(description: string): string | undefined {
  const at = description.slice(0, 64 * 1024).search(/AADSTS\d+:/)
  if (at < 0) return undefined
  const rest = description.slice(at, at + 4 * SENTENCE_LIMIT)
  const end = /\.(?=\s|$)|[\r\n]/.exec(rest)
  const sentence = end ? rest.slice(0, end[0] === '.' ? end.index + 1 : end.index) : rest
  return cut(serverMessage(sentence), SENTENCE_LIMIT)
}

/** The reason a person reads: the AADSTS sentence, else the error code, else the status and the body's kind. */
export function reasonOf(status: number, reading: Reading): string {
  const said = reading.kind === 'json' ? saidIn(reading.doc) : {}
  if (said.aadsts) return said.aadsts
  if (said.code) return said.code
  const what = reading.kind === 'other' ? reading.what : 'a JSON body without an error code'
  return `HTTP ${status} with ${what}`
}

/**
 * The token in a token service's reply, or the failure the reply is. `description` names the credential
 * ("the client secret"); `fix` adds the input to check for an AADSTS number or code.
 */
export function tokenReply(
  res: HttpResponse,
  description: string,
  now: number,
  fix: (said: Said) => string
): Record<string, unknown> {
  const reading = readBody(res)
  const requestId = requestIdOf(res)
  if (res.status === 429 || res.status >= 500 || TRANSIENT_STATUS.has(res.status)) {
    const said = reading.kind === 'json' ? saidIn(reading.doc) : {}
    const what = said.aadsts ?? said.code ?? (reading.kind === 'other' ? reading.what : undefined)
    throw new ServiceError(`token request answered ${res.status}${what ? ` (${what})` : ''}`, {
      status: res.status,
      requestId,
      transient: true,
      retryAfterMs: retryAfterMs(header(res, 'retry-after'), now),
      source: ENTRA_ID
    })
  }
  if (res.status >= 200 && res.status < 300) {
    if (reading.kind === 'json' && typeof reading.doc.access_token === 'string' && reading.doc.access_token) {
      return reading.doc
    }
    const what = reading.kind === 'other' ? reading.what : 'a JSON body without access_token'
    throw new UserError(
      `Entra ID answered the sign-in with ${description} without an access token (HTTP ${res.status} with ${what}). Check authority-host: it must be an Entra ID authority.`,
      'authority-host',
      ENTRA_ID
    )
  }
  const said = reading.kind === 'json' ? saidIn(reading.doc) : {}
  const known = said.aadsts !== undefined || said.code !== undefined
  const hint = known
    ? fix(said)
    : ' Check authority-host: it answered like no Entra ID authority (no error code in its reply).'
  const reason = reasonOf(res.status, reading)
  const id = requestId ? ` (x-ms-request-id ${requestId})` : ''
  throw new UserError(
    `Entra ID refused the sign-in with ${description}${id}: ${reason}${/[.!?]$/.test(reason) ? '' : '.'}${hint}`,
    known ? undefined : 'authority-host',
    ENTRA_ID
  )
}
