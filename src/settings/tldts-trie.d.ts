// The compiled Public Suffix List inside tldts (its src/data/trie.ts), which public-suffix.ts walks.
declare module 'tldts/dist/cjs/src/data/trie.js' {
  export const nodeFlags: Uint8Array
  export const edgeStart: Uint16Array
  export const edgeLength: Uint8Array
  export const edgeChild: Uint16Array
  export const labelText: string
  export const rulesRoot: number
  export const exceptionsRoot: number
}
