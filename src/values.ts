/**
 * How an error quotes what the user wrote, and the host-name rule every host-bearing input shares. The
 * value may be a 120 KiB paste or hold a password in a URL: a quote is one line, at most QUOTE_LIMIT
 * characters, with any user name and password of a URL taken out.
 */
import { UserError } from './errors.js'
import { serverText } from './text.js'

export const QUOTE_LIMIT = 200

/** A GUID, as tenant ids, client ids and Media Services v2 job ids carry. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `scheme://userinfo@` or `userinfo@` before the host; the last `@` before the path ends the userinfo. */
const USERINFO = /^(\s*(?:[a-z][a-z0-9+.-]*:)?\/\/|\s*)([^/?#]*)@/i

/**
 * The value between quotes, ready for a message: `'https://***@host/api/'` and a note when a user name or
 * password was taken out, cut to QUOTE_LIMIT characters, line breaks and control characters made spaces.
 */
export function quoted(value: string): string {
  const m = USERINFO.exec(value)
  const shown = m ? `${m[1]}***@${value.slice(m[0].length)}` : value
  const quote = `'${serverText(shown, QUOTE_LIMIT)}'`
  return m ? `${quote} (its user name and password are not shown)` : quote
}

export const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** As HOSTNAME, with the underscores some real hosts carry. */
const URL_HOST =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/i

/**
 * A URL input's host must be one a request can reach: a DNS name (labels of 1 to 63 characters, 253 in all),
 * an IPv4 or a bracketed IPv6 address. WHATWG URL accepts a 64-character label; DNS never answers for it.
 */
export function refuseNonHost(url: URL, input: string, value: string): void {
  const h = url.hostname.replace(/\.$/, '')
  if (URL_HOST.test(h) || /^\[[0-9a-f:.]+\]$/i.test(h)) return
  throw new UserError(
    `Input ${input}: ${quoted(value)} does not name a host (a DNS name has labels of at most 63 letters, digits and hyphens, 253 characters in all).`,
    input
  )
}
