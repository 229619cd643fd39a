import type { JobApi, JobsOrigin } from '../api.js'
import { trustEntry } from '../../transport/trust.js'
import { serviceOf, V3JobsClient, type V3ClientOptions } from './client.js'
import { parseArmUrl, parseJobUrls } from './inputs.js'

/** What a v3 client is given from the inputs. */
export type V3Options = Pick<V3ClientOptions, 'targets' | 'arm' | 'endpointInput'>

/** How the report names v3 jobs: by the service that answers, which may not be Microsoft's. */
export function v3Origin(service: string): JobsOrigin {
  return {
    service,
    noun: { one: `Job on ${service}`, many: `Jobs on ${service}` },
    notFoundHint: 'Check job-url (jobs older than 90 days are deleted).'
  }
}

/**
 * v3-shaped jobs: job resource URLs (MK.IO, any v3-shaped service) or ARM resource ids (Azure Resource
 * Manager, which signs in with Entra ID and alone documents cancelJob).
 */
export const v3Jobs: JobApi = {
  name: 'v3-shaped jobs',
  input: 'job-url',
  takes: 'v3 job URLs or ARM resource ids (/subscriptions/…/transforms/<transform>/jobs/<job>)',
  jobs: 'v3-shaped jobs (Azure Resource Manager, MK.IO)',
  ownInputs: [{ name: 'arm-url' }],
  read(input, cloud, warnings) {
    const armUrl = input('arm-url')
    const { targets, arm, host, endpointInput } = parseJobUrls(input('job-url'), parseArmUrl(armUrl, cloud))
    if (armUrl !== '' && !arm) {
      warnings.push(
        `arm-url is not used: job-url names jobs on ${host}, not on Azure Resource Manager at ${new URL(armUrl).host}. Leave arm-url out, or give the jobs as resource ids (/subscriptions/…).`
      )
    }
    const options: V3Options = { targets, arm, endpointInput }
    const origin = new URL(`${targets[0].url.origin}/`)
    return {
      ids: targets.map(t => t.id),
      kind: 'v3',
      endpoint: origin.href,
      origin: v3Origin(serviceOf(targets, arm)),
      scope: arm ? cloud.armScope : undefined,
      accessTokenRequired: `Input access-token is required for job-url on ${host}: only Azure Resource Manager hosts sign in with Entra ID. Give the service's API token (for MK.IO, a personal API token) as a secret.`,
      // The jobs' own host on its port; nothing else unless trusted-hosts says so.
      trustedHosts: [trustEntry(origin)],
      cannotCancel: arm
        ? undefined
        : `cancel-on-abort is not supported for jobs on ${host} (only Azure Resource Manager's cancelJob is documented): a canceled or timed-out wait leaves the jobs running.`,
      options,
      createSource: deps => new V3JobsClient({ ...deps, ...options })
    }
  }
}
