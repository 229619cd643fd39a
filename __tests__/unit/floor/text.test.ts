/**
 * Server text is data: what a hostile or broken server writes comes out as one plain, bounded line in the
 * log, and as text (not Markdown or HTML) in the step summary.
 */
import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import {
  bodyKind,
  cut,
  isWebPage,
  logLine,
  markdownText,
  serverMessage,
  serverName,
  serverText,
  someOf
} from '../../../src/text.js'

describe('serverText: one plain line of bounded length', () => {
  it.each([
    ['a line feed', 'a\n::stop-commands::x', 'a ::stop-commands::x'],
    ['a lone carriage return', 'a\r::add-mask::x', 'a ::add-mask::x'],
    ['CR LF', 'a\r\nb', 'a b'],
    ['next line (U+0085)', 'a\u0085b', 'a b'],
    ['line separator (U+2028)', 'a\u2028b', 'a b'],
    ['paragraph separator (U+2029)', 'a\u2029b', 'a b'],
    ['vertical tab and form feed', 'a\u000b\u000cb', 'a b'],
    ['a tab', 'a\tb', 'a b'],
    ['NUL and DEL', 'a\u0000b\u007fc', 'a b c'],
    ['C1 controls', 'a\u0090\u009fb', 'a b'],
    ['colours (CSI)', '\u001b[31mred\u001b[0m text', 'red text'],
    ['a window title (OSC with BEL)', '\u001b]0;owned\u0007name', 'name'],
    ['a hyperlink (OSC 8 with ST)', '\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['the 8-bit CSI', '\u009b1mbold', 'bold'],
    ['a lone escape', 'a\u001b', 'a'],
    ['bidirectional overrides', 'abc\u202edef\u2066', 'abc def'],
    ['leading and trailing breaks', '\n\nname\n', 'name']
  ])('%s is dropped or becomes one space', (_what, value, expected) => {
    expect(serverText(value, 1000)).toBe(expected)
  })

  it('keeps ordinary text, accents and emoji as they are', () => {
    expect(serverName('Trailer – Sommer 2024 🎬 (1080p)')).toBe('Trailer – Sommer 2024 🎬 (1080p)')
  })

  it('cuts a name at 200 characters and a message at 1000, ending with an ellipsis', () => {
    const name = serverName('n'.repeat(5000))
    expect(name).toHaveLength(200)
    expect(name.endsWith('n…')).toBe(true)
    expect(serverMessage('m'.repeat(5000))).toHaveLength(1000)
    expect(serverName('n'.repeat(200))).toBe('n'.repeat(200))
  })

  it('never cuts an emoji in half', () => {
    const text = cut('a' + '🎬'.repeat(10), 4)
    expect(text).toBe('a🎬…')
    expect(text.length).toBeLessThanOrEqual(4)
  })

  it('never cuts a character in half, whichever surrogate pair lands on the cut', () => {
    expect(cut('ab🎬cd', 4)).toBe('ab…')
    expect(cut('ab\ud800\udc00cd', 4)).toBe('ab…')
    expect(cut('ab\udbff\udfffcd', 4)).toBe('ab…')
    expect(cut('abc🎬d', 4)).toBe('abc…')
  })

  it('for any text and limit: within the limit, and no half character before the ellipsis', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 60 }), (s, n) => {
        const out = cut(s, n)
        expect(out.length).toBeLessThanOrEqual(n)
        if (out !== s) expect(out).not.toMatch(/[\ud800-\udbff]…$/)
      })
    )
  })

  it('drops half a character the server sent at the end, and keeps whole ones anywhere', () => {
    expect(serverName('a\ud83c')).toBe('a')
    expect(serverName('a🎬b')).toBe('a🎬b')
    expect(serverName('🎬')).toBe('🎬')
  })

  it('never leaves half an emoji where a long text is read only in part', () => {
    // 864 characters are read: 'x', 800 of escapes, then 31 and a half emoji.
    const text = serverText('x' + '\u001b[0m'.repeat(200) + '🎬'.repeat(1000), 200)
    expect(text).toBe('x' + '🎬'.repeat(31))
  })

  it('reads only the head of a 5 MiB name, quickly', () => {
    const huge = '\n::error::x'.repeat(500_000)
    const started = Date.now()
    const name = serverName(huge)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(name.length).toBeLessThanOrEqual(200)
    expect(name).not.toMatch(/[\r\n]/)
  })

  it('for any text: no control character, no line break, no escape, within the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 250 }), (s, n) => {
        const out = serverText(s, n)
        expect(out.length).toBeLessThanOrEqual(n)
        // eslint-disable-next-line no-control-regex
        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
      })
    )
  })
})

describe('logLine: a log line the runner reads as text', () => {
  it('puts a server-made command into the middle of one line', () => {
    expect(logLine('[00:05] nb:jid:UUID:1 (x\n::add-mask::y): Error')).toBe(
      '[00:05] nb:jid:UUID:1 (x ::add-mask::y): Error'
    )
  })

  it('a line that would start with :: (even after spaces) is quoted', () => {
    expect(logLine('::error::x')).toBe('> ::error::x')
    expect(logLine('  ::warning::x')).toBe('>   ::warning::x')
    expect(logLine('\r::stop-commands::t')).toBe('>  ::stop-commands::t')
  })

  it('breaks the legacy ##[command] form, which the runner finds anywhere in a line', () => {
    expect(logLine('name ##[add-mask]secret')).toBe('name ## [add-mask]secret')
  })

  it('drops colours and other escapes', () => {
    expect(logLine('\u001b[31mred\u001b[0m text')).toBe('red text')
  })

  it("leaves the action's own lines alone", () => {
    const line = '[01:02] Job nb:jid:UUID:1 (encode): Queued -> Processing (40%)'
    expect(logLine(line)).toBe(line)
  })
})

describe('markdownText: server text renders as text in the step summary', () => {
  it.each([
    ['an HTML comment that would hide the rest', 'a <!-- b', 'a &lt;\\!-- b'],
    ['a tag', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an entity', '&lt;b&gt;', '&amp;lt;b&amp;gt;'],
    ['a heading', '# Deploy approved', '\\# Deploy approved'],
    ['a link', '[click](https://evil.test)', '\\[click\\](https\\://evil.test)'],
    ['an image', '![x](https://evil.test/pixel)', '\\!\\[x\\](https\\://evil.test/pixel)'],
    ['emphasis and code', '*a* _b_ `c` ~~d~~', '\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~'],
    ['a table cell break', 'a | b', 'a \\| b'],
    ['a backslash', 'a\\', 'a\\\\'],
    ['bare web and mail addresses', 'www.evil.test x@evil.test', 'www\\.evil.test x\\@evil.test'],
    ['a line break', 'a\n# b\r<c>', 'a \\# b &lt;c&gt;'],
    [
      'math, which GitHub renders between dollars',
      '$x^2$ and $$\\sum$$',
      '\\$x^2\\$ and \\$\\$\\\\sum\\$\\$'
    ],
    ['colours and a window title', '\u001b[1mbold\u001b]0;owned\u0007', 'bold']
  ])('%s', (_what, value, expected) => {
    expect(markdownText(value)).toBe(expected)
  })

  it('for any text: no raw <, no line break, every * _ ` [ ] | # $ escaped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), s => {
        const md = markdownText(s)
        expect(md).not.toMatch(/[<>\r\n\u2028\u2029]/)
        // Every Markdown character is preceded by an odd number of backslashes.
        expect(md.replace(/\\\\/g, '').replace(/\\[`*_[\]|~#!:@$]/g, '')).not.toMatch(/[`*_[\]|~#$]/)
      })
    )
  })
})

describe('someOf: a list that stays readable', () => {
  it('names all when there are few, the first ones and a count when there are many', () => {
    expect(someOf(['a', 'b'], 3)).toBe('a, b')
    expect(someOf(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c and 2 more')
    expect(someOf(['a', 'b', 'c'], 2, '; ')).toBe('a; b and 1 more')
  })
})

describe('bodyKind: one wording for a body that is not JSON, for the job APIs and the token service', () => {
  it.each([
    ['nothing', '', undefined, 'an empty body'],
    ['blanks and a byte order mark', '\ufeff \r\n', undefined, 'an empty body'],
    ['blanks said to be HTML', ' ', 'text/html', 'an empty body'],
    ['a tag', '<html><title>Bad Gateway</title></html>', undefined, 'an HTML page'],
    ['a tag after a byte order mark', '\ufeff<!DOCTYPE html>', undefined, 'an HTML page'],
    ['text said to be HTML', 'Bad Gateway', 'text/html; charset=utf-8', 'an HTML page'],
    ['text', 'Service Unavailable', undefined, 'text that is not JSON'],
    ['text said to be JSON', '{"error":"inval', 'application/json', 'text that is not JSON']
  ])('%s is %s', (_what, body, contentType, kind) => {
    expect(bodyKind(body, contentType)).toBe(kind)
  })

  it.each([
    ['a tag', '<html>', undefined, true],
    ['text said to be HTML', 'Bad Gateway', 'text/html', true],
    ['text', 'Bad Gateway', undefined, false],
    ['JSON that mentions html', '{"type":"html"}', 'application/json', false]
  ])('isWebPage: %s is %s', (_what, body, contentType, page) => {
    expect(isWebPage(body, contentType)).toBe(page)
  })
})
