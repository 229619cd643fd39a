import { hostInDomain } from '../transport/trust.js'

/**
 * Domains under which strangers can get a name: a wildcard in trusted-hosts that covers one of them would
 * send the token to hosts anyone can create. A compact list instead of the full Public Suffix List (no
 * dependency): the rule below catches most country-code suffixes, the lists the common rest.
 */

/** Second-level labels that registries under a two-letter country code hand out to the public. */
const GENERIC_SECOND_LEVEL = new Set([
  'ac',
  'ad',
  'co',
  'com',
  'ed',
  'edu',
  'gen',
  'go',
  'gob',
  'gov',
  'gr',
  'gv',
  'id',
  'in',
  'int',
  'lg',
  'ltd',
  'me',
  'mil',
  'ne',
  'net',
  'nhs',
  'nom',
  'or',
  'org',
  'plc',
  'sch'
])

/** Multi-label public suffixes that the rule does not catch. */
const PUBLIC_SUFFIXES = ['asn.au', 'gc.ca', 'police.uk', 'k12.ca.us', 'eu.org', 'us.com', 'uk.com', 'eu.com']

/** Shared hosting: customers pick the first label (the clouds' own and the common code hosts). */
const SHARED_HOSTING = [
  'azurewebsites.net',
  'azurewebsites.us',
  'chinacloudsites.cn',
  'cloudapp.net',
  'cloudapp.azure.com',
  'chinacloudapp.cn',
  'cloudapp.usgovcloudapi.net',
  'blob.core.windows.net',
  'web.core.windows.net',
  'file.core.windows.net',
  'queue.core.windows.net',
  'table.core.windows.net',
  'dfs.core.windows.net',
  'blob.core.chinacloudapi.cn',
  'blob.core.usgovcloudapi.net',
  'servicebus.windows.net',
  'azureedge.net',
  'azurefd.net',
  'azure-api.net',
  'azurestaticapps.net',
  'azurecontainer.io',
  'azurecr.io',
  'trafficmanager.net',
  'github.io',
  'githubusercontent.com',
  'gitlab.io',
  'amazonaws.com',
  'cloudfront.net',
  'appspot.com',
  'web.app',
  'firebaseapp.com',
  'herokuapp.com',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'workers.dev',
  'trycloudflare.com',
  'ngrok.io',
  'ngrok-free.app',
  'onrender.com',
  'fly.dev',
  'blogspot.com',
  'duckdns.org',
  'ddns.net'
]

function isRuleSuffix(domain: string): boolean {
  const labels = domain.split('.')
  return labels.length === 2 && /^[a-z]{2}$/.test(labels[1]) && GENERIC_SECOND_LEVEL.has(labels[0])
}

/**
 * Why trusting `domain` and all its subdomains would trust strangers: the public suffix or shared hosting
 * domain it covers, or undefined when it covers none.
 */
export function strangersUnder(domain: string): { suffix: string; kind: 'public' | 'shared' } | undefined {
  const d = domain.toLowerCase().replace(/^\.|\.$/g, '')
  if (isRuleSuffix(d)) return { suffix: d, kind: 'public' }
  const pub = PUBLIC_SUFFIXES.find(s => hostInDomain(s, d))
  if (pub) return { suffix: pub, kind: 'public' }
  const shared = SHARED_HOSTING.find(s => hostInDomain(s, d))
  return shared ? { suffix: shared, kind: 'shared' } : undefined
}
