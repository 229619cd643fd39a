import type { Credential } from '../auth/credential.js'
import { formatDuration } from '../time.js'
import type { Settings } from './inputs.js'

/**
 * One line per resolved setting, for the debug log (as actions/checkout logs its own): what the inputs came to,
 * defaults and cloud included. A secret is never shown, only that it is there (`***`); ids of up to 3 jobs.
 */
export function settingLines(s: Settings): string[] {
  const { jobs, auth, wait } = s
  const more = jobs.ids.length > 3 ? ` and ${jobs.ids.length - 3} more` : ''
  return [
    `jobs: ${jobs.ids.length} ${jobs.kind} (${jobs.ids.slice(0, 3).join(', ')}${more})`,
    `endpoint: ${jobs.endpoint}`,
    `trusted hosts: ${jobs.trustedHosts.join(', ')}`,
    `sign-in: ${signIn(auth.credential)}`,
    `authority host: ${auth.authorityHost.origin}`,
    `token scope: ${auth.scope || '(none: the given access-token is sent as it is)'}`,
    `poll interval: ${formatDuration(wait.intervalMs)}, polling ${wait.policy}`,
    `timeout: ${formatDuration(wait.timeoutMs)}`,
    `fail on: ${wait.failOn.size ? [...wait.failOn].join(', ') : 'none'}`,
    `cancel on abort: ${s.cancelOnAbort}`
  ].map(line => `Setting ${line}`)
}

function signIn(c: Credential): string {
  switch (c.kind) {
    case 'secret':
      return `client secret *** for client ${c.clientId} in tenant ${c.tenantId}`
    case 'certificate':
      return `certificate ${c.certificate.thumbprintSha256} (${c.certificate.subject}, key ***) for client ${c.clientId} in tenant ${c.tenantId}`
    case 'oidc':
      return `GitHub OIDC (audience ${c.audience}) for client ${c.clientId} in tenant ${c.tenantId}`
    case 'token':
      return 'the given access-token ***'
  }
}
