import { errorMessage } from './errors.js'
import type { Http } from './transport/http.js'
import { within } from './transport/call.js'
import { readSettings, type Settings } from './settings/inputs.js'
import { settingLines } from './settings/describe.js'
import type { JobApi } from './jobs/api.js'
import { JOB_APIS } from './jobs/apis.js'
import type { JobSource } from './jobs/source.js'
import { githubIdToken } from './auth/github-oidc.js'
import { createTokenSource } from './auth/index.js'
import type { AuthDeps } from './auth/token-source.js'
import { githubRuntime, type Runtime } from './runtime.js'
import { waitForJobs, type WaitResult } from './wait/waiter.js'
import { finish } from './wait/finish.js'
import { LAST_POLL_MS, requestTimeout } from './wait/limits.js'
import { introLine } from './report/log.js'
import { PollLog } from './report/groups.js'
import type { Logger } from './logger.js'
import { publish, publishInputError } from './report/publish.js'

/** Read the settings, build the parts, wait, finish, publish. `apis`: the job APIs to choose from. */
export async function run(rt: Runtime = githubRuntime(), apis: readonly JobApi[] = JOB_APIS): Promise<void> {
  const settings = await readOrReport(rt, apis)
  if (!settings) return
  settings.warnings.forEach(w => rt.log.warning(w))
  settingLines(settings).forEach(line => rt.log.debug(line))
  const http = rt.createHttp(requestTimeout(settings.wait.timeoutMs))
  let result: WaitResult
  let source: JobSource
  try {
    const { log, now, sleep } = rt
    // Sign-in and the job source write during the polls: their lines go in each poll's group.
    const polls = new PollLog(log, now)
    const tokens = createTokenSource(settings.auth, authDeps(http, rt, polls.detail))
    const trustedHosts = settings.jobs.trustedHosts
    source = settings.jobs.createSource({ http, tokens, log: polls.detail, now, sleep, trustedHosts })
    log.info(introLine(settings.jobs, settings.wait, tokens.description))
    const stop = within(settings.wait.timeoutMs + LAST_POLL_MS, now, canceledByRunner(rt, polls))
    result = await wait(settings, source, stop, rt, polls)
    polls.waitEnded()
    result = await finish(source, result, {
      cancelOnAbort: settings.cancelOnAbort,
      stop: stop.signal,
      log,
      now
    })
    polls.close()
  } finally {
    http.dispose()
  }
  rt.log.debug(
    `${source.requests} ${source.service} requests in ${result.polls} polls; API root ${source.apiRoot}`
  )
  await publish(result, settings.wait.timeoutMs, settings.jobs.origin, rt)
}

/** The settings, or undefined when an input is wrong: then the step has already ended, outputs and all. */
async function readOrReport(rt: Runtime, apis: readonly JobApi[]): Promise<Settings | undefined> {
  try {
    return await readSettings(rt.getInput, { mask: rt.mask, env: rt.env, apis })
  } catch (error) {
    await publishInputError(errorMessage(error), rt)
    return undefined
  }
}

function authDeps(http: Http, rt: Runtime, log: Logger): AuthDeps {
  const getIDToken: AuthDeps['getIDToken'] = (audience, limits) =>
    githubIdToken(http, rt.env, audience, limits)
  return { http, log, mask: rt.mask, getIDToken, now: rt.now, sleep: rt.sleep }
}

/** Aborts with 'canceled' when the runner cancels the step, and says so outside any poll's group. */
function canceledByRunner(rt: Runtime, polls: PollLog): AbortSignal {
  const cancel = new AbortController()
  rt.onCancel(() => {
    polls.close()
    if (!cancel.signal.aborted) rt.log.info('Cancel requested by the runner: stopping the wait.')
    cancel.abort('canceled')
  })
  return cancel.signal
}

/** The waiter keeps the deadline itself (its last poll may start at it); `stop` is the hard stop behind it. */
function wait(
  settings: Settings,
  source: JobSource,
  stop: { signal: AbortSignal; endBy: number },
  rt: Runtime,
  polls: PollLog
): Promise<WaitResult> {
  return waitForJobs({
    ids: settings.jobs.ids,
    source,
    ...settings.wait,
    now: rt.now,
    sleep: rt.sleep,
    signal: stop.signal,
    endBy: stop.endBy,
    onPoll: (views, elapsed) => polls.onPoll(views, elapsed)
  })
}

export type { Runtime } from './runtime.js'
export { failUnexpectedly, failUnsettled, githubRuntime } from './runtime.js'
