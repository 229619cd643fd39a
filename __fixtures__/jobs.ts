import type { JobView, Outcome, WaitResult } from '../src/wait/waiter.js'
import { type ErrorDetail, type Job, type JobState, JOB_STATES } from '../src/jobs/model.js'

/** A job entity as Media Services sends it with minimal metadata (Accept: application/json). */
export function jobEntity(
  id: string,
  state: JobState,
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    Id: id,
    Name: 'encode trailer',
    Created: '2015-02-11T01:46:08.897',
    LastModified: '2015-02-11T01:47:08.897',
    EndTime: null,
    Priority: 0,
    RunningDuration: 0.0,
    StartTime: '2015-02-11T01:46:16.58',
    State: (JOB_STATES as readonly string[]).indexOf(state),
    TemplateId: null,
    JobNotificationSubscriptions: [],
    ...extra
  }
}

/** `{"odata.metadata": …, "value": [...]}` */
export function minimalBody(entities: unknown[], what = 'Jobs'): string {
  return JSON.stringify({
    'odata.metadata': `https://media.windows.net/api/$metadata#${what}`,
    value: entities
  })
}

/** `{"d": {"results": [...]}}` */
export function verboseBody(entities: unknown[]): string {
  return JSON.stringify({ d: { results: entities } })
}

export function taskEntity(
  progress: number,
  errors: ErrorDetail[] = [],
  extra: Record<string, unknown> = {}
) {
  return {
    Id: 'nb:tid:UUID:5e1b7a77-0000-4000-8000-000000000001',
    Name: 'Media Encoder Standard task',
    Progress: progress,
    RunningDuration: 0,
    StartTime: '2015-02-11T01:46:16.58',
    EndTime: null,
    ErrorDetails: errors.map(e => ({ Code: e.code, Message: e.message })),
    ...extra
  }
}

/** A parsed job, as the waiter and the report see it. */
export function job(id: string, state: JobState, extra: Partial<Job> = {}): Job {
  return { id, name: 'encode trailer', state, runningDuration: 0, ...extra }
}

export function view(
  id: string,
  state?: JobState,
  extra: Partial<JobView> = {},
  jobExtra: Partial<Job> = {}
): JobView {
  return {
    id,
    job: state ? job(id, state, jobExtra) : undefined,
    errorDetails: [],
    missingPolls: 0,
    ...extra
  }
}

/** A finished wait; for a failure, the failed jobs default to those that ended Error or Canceled. */
export function waitResult(outcome: Outcome, views: JobView[], extra: Partial<WaitResult> = {}): WaitResult {
  const failed =
    outcome === 'failure' ? views.filter(v => v.job?.state === 'Error' || v.job?.state === 'Canceled') : []
  return { outcome, views, elapsedMs: 125_000, polls: 13, failed, ...extra }
}

/** A job that ended Error with these errors. */
export const errorView = (id: string, name: string, errors: { code: string; message: string }[]): JobView =>
  view(id, 'Error', { errorDetails: errors }, { name })

/** The `i`th of many v2 job ids. */
export const numberedJobId = (i: number): string =>
  `nb:jid:UUID:1f3c9a2e-0000-4000-8000-${String(i).padStart(12, '0')}`
