/**
 * A trusted-hosts wildcard may cover one owner's hosts only. `*.X` is refused when a Public Suffix List rule
 * (ICANN or private) lies at or beneath X, or X is at, beneath or above shared hosting the list lacks.
 */
import { describe, expect, it } from '@jest/globals'
import { publicSuffixAtOrBeneath, strangersUnder, type Trie } from '../../../src/settings/public-suffix.js'
import { parseTrustedHosts } from '../../../src/settings/endpoints.js'
import { UserError } from '../../../src/errors.js'
import { rejectedWith } from '../../../__fixtures__/failure.js'

describe('wildcards over hosts that strangers can register are refused', () => {
  it.each([
    // at a public suffix (private section)
    ['*.s3.amazonaws.com', 's3.amazonaws.com', 'public'],
    ['*.br.com', 'br.com', 'public'],
    ['*.myshopify.com', 'myshopify.com', 'public'],
    ['*.github.io', 'github.io', 'public'],
    ['*.azurewebsites.net', 'azurewebsites.net', 'public'],
    // at a public suffix (ICANN section)
    ['*.co.uk', 'co.uk', 'public'],
    ['.com.br', 'com.br', 'public'],
    // above a wildcard rule (*.r.appspot.com) or an exception's parent
    ['*.r.appspot.com', '*.r.appspot.com', 'public'],
    // a rule beneath the wildcard's domain
    ['*.fastly.net', /\.fastly\.net$/, 'public'],
    ['*.on.aws', /\.on\.aws$/, 'public'],
    ['*.railway.app', 'up.railway.app', 'public'],
    ['*.amazonaws.com', /\.amazonaws\.com$/, 'public'],
    ['*.windows.net', /\.windows\.net$/, 'public'],
    // shared hosting the list lacks: at, beneath or above it
    ['*.scm.azurewebsites.net', 'scm.azurewebsites.net', 'shared'],
    ['*.westeurope.cloudapp.azure.com', '*.cloudapp.azure.com', 'shared'],
    ['*.cloudapp.azure.com', '*.cloudapp.azure.com', 'shared'],
    ['*.azure.com', '*.cloudapp.azure.com', 'shared'],
    ['*.queue.core.windows.net', 'queue.core.windows.net', 'shared'],
    ['*.github.dev', 'app.github.dev', 'shared'],
    ['*.app.github.dev', 'app.github.dev', 'shared']
  ])('%s (covers %s, %s)', async (wildcard, suffix, kind) => {
    const found = await strangersUnder(wildcard.replace(/^\*?\./, ''))
    expect(found?.kind).toBe(kind)
    if (typeof suffix === 'string') expect(found?.suffix).toBe(suffix)
    else expect(found?.suffix).toMatch(suffix)
  })

  it.each(['*.github.dev', '*.github.dev:8443', '.s3.amazonaws.com:443', '*.fastly.net:8080'])(
    'trusted-hosts refuses %s, with or without a port, naming the input',
    async value => {
      const e = await rejectedWith(parseTrustedHosts(value), UserError)
      expect(e.input).toBe('trusted-hosts')
      expect(e.message).toMatch(
        /^Input trusted-hosts: '.+' would trust hosts that anyone can (register|create) under /
      )
    }
  )
})

describe('wildcards over one owner’s hosts are accepted', () => {
  it.each([
    '*.contoso-media.com',
    '*.media.example.co.uk',
    '*.example.com.br',
    '*.foo.github.io',
    '*.myaccount.blob.core.windows.net',
    '*.myvm.westeurope.cloudapp.azure.com',
    '*.media.azure.net',
    '*.restv2.westeurope.media.azure.net'
  ])('%s', async wildcard => {
    expect(await strangersUnder(wildcard.slice(2))).toBeUndefined()
    expect(await parseTrustedHosts(wildcard)).toEqual([wildcard.slice(1)])
  })
})

/**
 * The walk over tldts's flat trie, on a trie built by hand: com (ICANN), co.uk, *.ck with !www.ck, and a
 * private rule deep under example.net (nodes: 0 root, 1 com, 2 uk, 3 co.uk, 4 ck, 5 *.ck, 6 net,
 * 7 example.net, 8 cdn.example.net, 9 x.cdn.example.net; exceptions: 10 root, 11 ck, 12 www.ck).
 */
describe('publicSuffixAtOrBeneath on a small trie', () => {
  const edges: [number, string, number][] = [
    [0, 'com', 1],
    [0, 'uk', 2],
    [0, 'ck', 4],
    [0, 'net', 6],
    [2, 'co', 3],
    [4, '*', 5],
    [6, 'example', 7],
    [7, 'cdn', 8],
    [8, 'x', 9],
    [10, 'ck', 11],
    [11, 'www', 12]
  ]
  const flags = [0, 1, 0, 1, 0, 1, 0, 0, 0, 2, 0, 0, 1]
  const trie: Trie = {
    nodeFlags: flags,
    edgeStart: flags.map((_, node) => edges.filter(e => e[0] < node).length).concat(edges.length),
    edgeLength: edges.map(e => e[1].length),
    edgeChild: edges.map(e => e[2]),
    labelText: edges.map(e => e[1]).join(''),
    rulesRoot: 0,
    exceptionsRoot: 10
  }

  it.each([
    ['com', 'com'],
    ['co.uk', 'co.uk'],
    ['uk', 'co.uk'],
    ['example.co.uk', undefined],
    ['foo.ck', 'foo.ck'],
    ['ck', '*.ck'],
    ['www.ck', undefined],
    ['net', 'x.cdn.example.net'],
    ['example.net', 'x.cdn.example.net'],
    ['cdn.example.net', 'x.cdn.example.net'],
    ['x.cdn.example.net', 'x.cdn.example.net'],
    ['y.cdn.example.net', undefined],
    ['contoso.org', undefined]
  ])('%s: %s', (domain, rule) => {
    expect(publicSuffixAtOrBeneath(domain, trie)).toBe(rule)
  })
})
