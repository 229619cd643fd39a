import { ServiceError } from '../errors.js'
import { bodyKind, serverMessage, serverName, withoutBom } from '../text.js'

/** Reading service answers as JSON, for both job APIs: dates, byte order marks, bodies that are not JSON. */

/** A JSON object (not null, not an array): an entity or a resource. */
export type Entity = Record<string, unknown>

export function isEntity(v: unknown): v is Entity {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * A value quoted in an error, whatever its shape: a text quoted (neutralised), a number, boolean or null as
 * written, `missing` for no value, and an array or object by its kind only (never serialised whole: a deeply
 * nested one overflows). Read after the field's name: "State missing", "Id 42.5".
 */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(serverName(v))
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v)
  if (v === undefined) return 'missing'
  return Array.isArray(v) ? 'an array' : 'an object'
}

/** A value that should be text, as text: a number or boolean as written, anything else as ''. */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''
}

/**
 * Dates come as ISO strings without a zone (UTC), ISO strings with one, or the verbose
 * `/Date(1449033042667)/` form (milliseconds since 1970, optionally with an offset suffix).
 */
export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  const ms = /^\/?Date\((-?\d+)(?:[+-]\d{4})?\)\/?$/.exec(text.replace(/\\\//g, '/'))
  if (ms) return validDate(new Date(Number(ms[1])))
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text)
  if (!iso) return undefined
  return validDate(new Date(iso[3] ? text : `${text}Z`))
}

function validDate(d: Date): Date | undefined {
  return Number.isNaN(d.getTime()) ? undefined : d
}

/**
 * Parses a response body as JSON, or explains (transiently: gateways answer HTML) why not, naming the
 * service that answered.
 */
export function parseJson(body: string, what: string, service = 'Media Services'): unknown {
  try {
    return JSON.parse(withoutBom(body))
  } catch {
    throw new ServiceError(`${service} answered ${what} with ${bodyKind(body)}`, { transient: true })
  }
}

/**
 * The service's own words in an error body, neutralised: `fromJson` reads them from a JSON body in the API's
 * shape; a body that is not JSON (a gateway's HTML page) gives its title. Undefined when nothing is readable.
 */
export function errorTextOf(body: string, fromJson: (doc: Entity) => string | undefined): string | undefined {
  let doc: unknown
  let said: string | undefined
  try {
    doc = JSON.parse(withoutBom(body))
  } catch {
    said = /<title(?:\s[^>]*)?>([^<]*)<\/title>/i.exec(body.slice(0, 64 * 1024))?.[1]
  }
  if (said === undefined && isEntity(doc)) said = fromJson(doc)
  return said === undefined ? undefined : serverMessage(said) || undefined
}
