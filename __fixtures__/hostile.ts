/** What a hostile server writes into its texts: line breaks followed by workflow commands, HTML, Markdown, escapes. */
export const HOSTILE =
  '\n::stop-commands::pause\r::add-mask::x\u2028::error::owned <!-- # heading <img src=x>\u001b[31m'

/** Any line break. */
export const BREAKS = /[\r\n\u0085\u2028\u2029\v\f]/
