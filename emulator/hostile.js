// @ts-check
/**
 * Hostile server text, for tests that the action treats what a server says as data: line breaks followed
 * by workflow commands, HTML and Markdown that would render in the step summary, terminal escapes. Put it
 * in a job's `name` or `errorDetails` (addJob), or in a fault's `body` with the helpers below. Test-only.
 */

/** Every way a server could try to reach the runner or the summary, in one string. */
export const HOSTILE_TEXT = [
  'evil ##[add-mask]y <!-- hidden \u001b[31mred\u001b[0m <img src=x onerror=alert(1)>',
  ' [click](https://evil.example.test) | cell | `code` *bold*',
  '\n::stop-commands::pause',
  '\r::add-mask::x',
  '\r\n::error title=Deploy approved::all good',
  '\u2028::warning::x',
  '\n# heading',
  '\u001b]0;title\u0007'
].join('')

/**
 * A Media Services (OData) error body saying `text`.
 * @param {string} text
 */
export const odataErrorBody = text =>
  JSON.stringify({ 'odata.error': { code: text, message: { lang: 'en-US', value: text } } })

/**
 * An Entra ID token error body saying `text`.
 * @param {string} text
 */
export const entraErrorBody = text =>
  JSON.stringify({
    error: 'invalid_client',
    error_description: `AADSTS7000215: ${text}`,
    error_codes: [7000215]
  })

/**
 * A gateway's HTML page whose title is `text`.
 * @param {string} text
 */
export const htmlPage = text =>
  `<!DOCTYPE html><html><head><title>${text}</title></head><body>${text}</body></html>`
