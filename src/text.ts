/**
 * Server text is data. Whatever a server wrote (job names and ids, error codes and messages, error bodies,
 * headers) passes through here before it reaches the log, an annotation, the step summary or an output:
 * the runner reads every stdout line for workflow commands, and GitHub renders the summary as Markdown.
 */

/** A name, an id, an error code or a request id. */
export const NAME_LIMIT = 200
/** An error message or a URL. */
export const MESSAGE_LIMIT = 1000

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ … ST), other two-byte escapes,
// and the 8-bit CSI. Each alternative is linear: no nested quantifiers.
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]?/g
// C0 and C1 controls (line feed, carriage return, vertical tab, form feed, next line among them), DEL, the
// Unicode line and paragraph separators, and the bidirectional overrides that reorder what a reader sees.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

/**
 * Server text as one plain line of at most `limit` characters: ANSI escapes dropped, control characters
 * and line breaks made spaces, runs of spaces one space, cut with an ellipsis when longer.
 */
export function serverText(value: string, limit: number): string {
  // Only the head can survive the cut: a 5 MiB name is not scanned whole. A high surrogate at its end is half
  // a character (the head cut a pair, or the server sent half of one), and goes.
  const head = value.slice(0, limit * 4 + 64).replace(/[\ud800-\udbff]$/, '')
  const plain = head.replace(ANSI, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ')
  return cut(plain.trim(), limit)
}

export const serverName = (value: string): string => serverText(value, NAME_LIMIT)
export const serverMessage = (value: string): string => serverText(value, MESSAGE_LIMIT)

/** At most `limit` characters (UTF-16 units), the last one an ellipsis when cut; never half a surrogate pair. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text
  let end = Math.max(0, limit - 1)
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/**
 * One log line the runner reads as text, whatever it carries: no line break (the runner splits on `\n`
 * and on a lone `\r`), no legacy `##[command]` (recognised anywhere in a line) and no leading `::` (a
 * command, even after leading spaces).
 */
export function logLine(message: string): string {
  const line = message.replace(ANSI, '').replace(CONTROLS, ' ').replace(/##\[/g, '## [')
  return /^\s*::/.test(line) ? `> ${line}` : line
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/**
 * Text that GitHub's Markdown renders as itself, on one line: no HTML (tags, comments, entities), no
 * emphasis, code, links, images, headings or table cell breaks, and no autolinks (`:` of `https://`, `@`
 * of an address, the dot of `www.` escaped). Backslash escapes come first, so the entities' own `&` and
 * `;` are not escaped again.
 */
export function markdownText(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(CONTROLS, ' ')
    .replace(/[\\`*_[\]|~#!:@$]/g, '\\$&')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/[&<>]/g, c => ENTITIES[c])
}

/** "a, b and 3 more": at most `max` items named. */
export function someOf(items: readonly string[], max: number, separator = ', '): string {
  if (items.length <= max) return items.join(separator)
  return `${items.slice(0, max).join(separator)} and ${items.length - max} more`
}

/**
 * A web page (a gateway's, a web server's) rather than an API's answer: it begins with a tag, or its
 * Content-Type, when the caller has it, says HTML. trimStart() drops a byte order mark too.
 */
export function isWebPage(body: string, contentType?: string): boolean {
  return body.trimStart().startsWith('<') || /html/i.test(contentType ?? '')
}

/** What a body that is not JSON is, in words: an empty body, an HTML page, or other text. */
export function bodyKind(body: string, contentType?: string): string {
  if (body.trim() === '') return 'an empty body'
  return isWebPage(body, contentType) ? 'an HTML page' : 'text that is not JSON'
}

/** Some servers start UTF-8 JSON with a byte order mark, which JSON.parse refuses. */
export function withoutBom(body: string): string {
  return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
}
