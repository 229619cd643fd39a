import type { JobApi, JobsOrigin } from '../api.js'
import { trustEntry } from '../../transport/trust.js'
import { type ClientOptions, MediaServicesClient } from './client.js'
import { DEFAULT_MS_VERSION, otherCloudOf, parseApiUrl, parseJobIds, parseMsVersion } from './inputs.js'

const SERVICE = 'Media Services'

/** What a v2 client is given from the inputs. */
export type V2Options = Pick<ClientOptions, 'apiUrl' | 'mediaResource' | 'msVersion'>

/** How the report names v2 jobs. */
export const V2_ORIGIN: JobsOrigin = {
  service: SERVICE,
  noun: { one: `${SERVICE} job`, many: `${SERVICE} jobs` },
  notFoundHint: 'Check job-id and api-url.'
}

/** Media Services v2: job ids at an account's v2 endpoint (api-url), signed in for the cloud's Media Services. */
export const mediaServicesV2: JobApi = {
  name: 'Media Services v2',
  input: 'job-id',
  takes: 'Media Services v2 job ids (nb:jid:UUID:<guid>)',
  jobs: 'Media Services v2 jobs (nb:jid:UUID:…)',
  ownInputs: [{ name: 'api-url' }, { name: 'x-ms-version', default: DEFAULT_MS_VERSION }],
  read(input, cloud, warnings) {
    const ids = parseJobIds(input('job-id'))
    const apiUrl = parseApiUrl(input('api-url'), cloud)
    const msVersion = parseMsVersion(input('x-ms-version') || DEFAULT_MS_VERSION)
    const other = otherCloudOf(apiUrl.hostname, cloud)
    if (other) {
      warnings.push(
        `api-url ${apiUrl.hostname} belongs to ${other.name}, but cloud is ${cloud.name}: the token would be for the wrong cloud. Set cloud: ${other.name}.`
      )
    }
    const options: V2Options = { apiUrl, mediaResource: cloud.mediaResource, msVersion }
    return {
      ids,
      kind: SERVICE,
      endpoint: apiUrl.href,
      origin: V2_ORIGIN,
      scope: `${cloud.mediaResource}/.default`,
      // The account's endpoint, and the cloud's Media Services domains it may redirect to.
      trustedHosts: [trustEntry(apiUrl), ...cloud.mediaDomains.map(d => `.${d}`)],
      options,
      createSource: deps => new MediaServicesClient({ ...deps, ...options })
    }
  }
}
