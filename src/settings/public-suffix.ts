/**
 * Which wildcard in trusted-hosts would hand the token to strangers. `*.X` is refused when a Public Suffix
 * List rule (ICANN or private section) lies at or beneath X: then some name under X is anyone's to register
 * (`*.s3.amazonaws.com`, `*.fastly.net` over `global.ssl.fastly.net`), not one owner's. The list is the one
 * tldts ships, updated weekly; tldts exposes no rule list, only its compiled trie, which this walks. It is
 * loaded only when a wildcard is given, so a run without one does not pay for it (ncc keeps it in its own
 * chunk). tldts is pinned to an exact version: the trie's layout is its own, and the tests below hold it.
 */

/**
 * Shared hosting that the Public Suffix List lacks (checked against tldts 7.4.16), as rules in the list's own
 * form: customers pick the names at these suffixes (`*.` for one label of the provider's, a region), so a
 * wildcard at or above one is refused. Azure's own, and GitHub Codespaces' forwarded ports.
 */
const SHARED_HOSTING = [
  '*.cloudapp.azure.com',
  'scm.azurewebsites.net',
  'chinacloudsites.cn',
  'chinacloudapp.cn',
  '*.cloudapp.chinacloudapi.cn',
  '*.cloudapp.usgovcloudapi.net',
  'queue.core.windows.net',
  'table.core.windows.net',
  'dfs.core.windows.net',
  'database.windows.net',
  'blob.core.chinacloudapi.cn',
  'vault.azure.net',
  'azurecr.io',
  'azurehdinsight.net',
  'app.github.dev'
]

export interface Strangers {
  /** The rule at or beneath the wildcard's domain (`*.` for any one label there). */
  suffix: string
  kind: 'public' | 'shared'
}

/** `domain` (lower case, no trailing dot) is `parent` or beneath it. */
function atOrBeneath(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`)
}

/** Some name the rule makes a public suffix lies at or beneath `domain`. */
function ruleAtOrBeneath(rule: string, domain: string): boolean {
  const wild = rule.startsWith('*.')
  const base = wild ? rule.slice(2) : rule
  if (atOrBeneath(base, domain)) return true
  return wild && domain.endsWith(`.${base}`) && !domain.slice(0, -base.length - 1).includes('.')
}

/** Why `*.domain` would trust strangers, or undefined when it names one owner's hosts. */
export async function strangersUnder(domain: string): Promise<Strangers | undefined> {
  const d = domain.toLowerCase().replace(/\.$/, '')
  const suffix = publicSuffixAtOrBeneath(d, await loadTrie())
  if (suffix) return { suffix, kind: 'public' }
  const shared = SHARED_HOSTING.find(rule => ruleAtOrBeneath(rule, d))
  return shared ? { suffix: shared, kind: 'shared' } : undefined
}

/** The parts of tldts's flat trie that this reads (tldts/src/data/trie.ts). */
export interface Trie {
  nodeFlags: ArrayLike<number>
  edgeStart: ArrayLike<number>
  edgeLength: ArrayLike<number>
  edgeChild: ArrayLike<number>
  labelText: string
  rulesRoot: number
  exceptionsRoot: number
}

let trie: Promise<Trie> | undefined

function loadTrie(): Promise<Trie> {
  trie ??= import('tldts/dist/cjs/src/data/trie.js').then(m => ({
    nodeFlags: m.nodeFlags,
    edgeStart: m.edgeStart,
    edgeLength: m.edgeLength,
    edgeChild: m.edgeChild,
    labelText: m.labelText,
    rulesRoot: m.rulesRoot,
    exceptionsRoot: m.exceptionsRoot
  }))
  return trie
}

/** A node's edges: label and child. Edges are stored node after node, their labels back to back. */
function edgesOf(t: Trie): (node: number) => { label: string; child: number }[] {
  const offsets: number[] = []
  for (let e = 0, at = 0; e < t.edgeLength.length; e++) {
    offsets.push(at)
    at += t.edgeLength[e]
  }
  return node => {
    const edges = []
    for (let e = t.edgeStart[node]; e < t.edgeStart[node + 1]; e++) {
      edges.push({
        label: t.labelText.slice(offsets[e], offsets[e] + t.edgeLength[e]),
        child: t.edgeChild[e]
      })
    }
    return edges
  }
}

/**
 * The first rule at or beneath `domain`, as a name (`*` for a wildcard rule's label), or undefined. A rule
 * that an exception lifts at `domain` itself (`!www.ck` under `*.ck`) does not count there.
 */
export function publicSuffixAtOrBeneath(domain: string, t: Trie): string | undefined {
  const edges = edgesOf(t)
  const walk = (root: number): number | undefined => {
    let node = root
    for (const label of domain.split('.').reverse()) {
      const next = edges(node).find(e => e.label === label) ?? edges(node).find(e => e.label === '*')
      if (!next) return undefined
      node = next.child
    }
    return node
  }
  const at = walk(t.rulesRoot)
  if (at === undefined) return undefined
  const excepted = walk(t.exceptionsRoot) !== undefined && t.nodeFlags[walk(t.exceptionsRoot)!] !== 0
  if (t.nodeFlags[at] !== 0 && !excepted) return domain
  // Depth first beneath `domain`: the shortest rule found along the first branch that has one.
  const seen = new Set<number>()
  const below = (node: number, name: string): string | undefined => {
    if (seen.has(node)) return undefined
    seen.add(node)
    for (const e of edges(node)) {
      const child = `${e.label}.${name}`
      if (t.nodeFlags[e.child] !== 0) return child
      const deeper = below(e.child, child)
      if (deeper) return deeper
    }
    return undefined
  }
  return below(at, domain)
}
