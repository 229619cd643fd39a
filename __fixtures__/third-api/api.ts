/**
 * A third job API, for tests only: the proof that a job API is one folder and one registry line. Its jobs are
 * named by the input `test-job` at `test-url`; one GET of `<test-url>jobs/<id>` answers `{"state", "progress"}`.
 * It signs in only with access-token, and has no cancel. Nothing in settings/, main.ts or report/ knows it.
 */
import type { JobApi, SourceDeps } from '../../src/jobs/api.js'
import { GuardedExchange } from '../../src/jobs/guarded.js'
import { parseState, type Job } from '../../src/jobs/model.js'
import type { JobSource } from '../../src/jobs/source.js'
import type { CallOptions } from '../../src/transport/call.js'
import { trustEntry } from '../../src/transport/trust.js'
import { serverText } from '../../src/text.js'
import { ServiceError, UserError } from '../../src/errors.js'

const SERVICE = 'the test job service'

export const testJobs: JobApi = {
  name: 'test jobs',
  input: 'test-job',
  takes: 'test job names (any word)',
  jobs: 'test jobs (any word)',
  ownInputs: [{ name: 'test-url', default: 'https://jobs.test.invalid/' }],
  read(input) {
    const ids = input('test-job')
      .split(/[\s,]+/)
      .filter(Boolean)
    if (ids.some(id => !/^\w+$/.test(id))) throw new UserError('Input test-job: give words only.', 'test-job')
    const url = new URL(input('test-url') || 'https://jobs.test.invalid/')
    return {
      ids,
      kind: 'test',
      endpoint: url.href,
      origin: {
        service: SERVICE,
        noun: { one: 'Test job', many: 'Test jobs' },
        notFoundHint: 'Check test-job.'
      },
      accessTokenRequired: 'Input access-token is required for test jobs.',
      trustedHosts: [trustEntry(url)],
      cannotCancel: 'cancel-on-abort: test jobs cannot be canceled.',
      options: { url },
      createSource: deps => new TestJobsClient(deps, url)
    }
  }
}

class TestJobsClient implements JobSource {
  readonly service = SERVICE
  readonly cost = { queries: (open: number) => open, progress: 'in-job' } as const
  private readonly guarded: GuardedExchange

  constructor(
    deps: SourceDeps,
    private readonly url: URL
  ) {
    this.guarded = new GuardedExchange({
      ...deps,
      dialect: {
        service: SERVICE,
        urlInput: 'test-url',
        untrustedHost: host => `Refused to send the token to ${host}.`,
        errorText: body => serverText(body, 200),
        resourceName: u => u.pathname,
        explain: () => undefined
      }
    })
  }

  get requests(): number {
    return this.guarded.requests
  }

  get apiRoot(): string {
    return this.url.href
  }

  async getJobs(ids: readonly string[], call: CallOptions): Promise<Job[]> {
    const jobs: Job[] = []
    for (const id of ids) {
      const request = { method: 'GET', url: new URL(`jobs/${id}`, this.url), headers: {} } as const
      jobs.push(await this.guarded.request(request, call, res => parse(id, res.body)))
    }
    return jobs
  }
}

function parse(id: string, body: string): Job {
  const { state, progress } = JSON.parse(body) as { state: string; progress?: number }
  const parsed = parseState(state)
  if (!parsed) throw new ServiceError(`${SERVICE} answered the state ${serverText(state, 40)}`)
  return { id, name: id, state: parsed, progress, runningDuration: 0, errorDetails: [] }
}
