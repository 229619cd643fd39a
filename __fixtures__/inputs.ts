import type { InputReader } from '../src/settings/input-names.js'

/** Job ids and service principal ids that look like the real thing. */
export const JOB_A = 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000a'
export const JOB_B = 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000b'
export const JOB_C = 'nb:jid:UUID:1f3c9a2e-0000-4000-8000-00000000000c'
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const CLIENT = '0c3d2b1a-1111-4222-8333-444455556666'
export const SECRET = 'Xy7~s3cr3t.value_that-is-long'
/** A Media Services account's v2 endpoint: api-url has no default. */
export const ACCOUNT_API = 'https://acct.restv2.westeurope.media.azure.net/api/'

/** The runner's view of `with:`: unset inputs read as ''. */
export function inputReader(inputs: Record<string, string>): InputReader {
  return name => inputs[name] ?? ''
}

/** A workflow step that signs in with a client secret and waits for one job on an account endpoint. */
export function secretInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'job-id': JOB_A,
    'api-url': ACCOUNT_API,
    'tenant-id': TENANT,
    'client-id': CLIENT,
    'client-secret': SECRET,
    ...extra
  }
}

/** What GitHub sets when the job has `permissions: id-token: write`. */
export const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runtime-token'
}
