import { describe, it, expect } from '@jest/globals'
import { describe as quoted } from '../../../src/jobs/json.js'

describe('describe: a value quoted in an error, for both job APIs', () => {
  it.each<[string, unknown, string]>([
    ['a text, quoted', 'Done', '"Done"'],
    ['an empty text', '', '""'],
    ['a text with a line break, neutralised', 'a\nb', '"a b"'],
    ['a number as written', 42.5, '42.5'],
    ['a boolean as written', false, 'false'],
    ['null as written', null, 'null'],
    ['no value: missing', undefined, 'missing'],
    ['an array by its kind only', ['Finished'], 'an array'],
    ['an object by its kind only', { name: 'Finished' }, 'an object']
  ])('%s', (_, value, expected) => {
    expect(quoted(value)).toBe(expected)
  })

  it('never serialises a deeply nested value whole', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(quoted(deep)).toBe('an array')
  })
})
