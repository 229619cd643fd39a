/** Inputs poll-interval, timeout, polling and fail-on: how the wait runs and when it fails. Pure parsing. */
import { UserError } from '../errors.js'
import { quoted } from '../values.js'
import type { Inputs } from './input-names.js'
import { FINAL_STATES, type JobState, parseState } from '../jobs/model.js'
import { formatDuration, parseDuration } from '../time.js'
import type { PollingPolicy } from '../wait/schedule.js'

const MIN_POLL_MS = 1000
/** Node's timers cannot wait longer (2^31-1 ms, about 24.8 days). */
const MAX_WAIT_MS = 24 * 86_400_000
/** Under GitHub's 6 h job limit on hosted runners, so the action ends itself with outputs and a summary. */
export const DEFAULT_TIMEOUT = '5h30m'
/**
 * How long GitHub lets a job run: 6 h on its hosted runners, 5 days on self-hosted ones (docs.github.com,
 * "Usage limits for self-hosted runners"). A wait at or past it is cut off with the job: no outputs, no summary.
 */
export const HOSTED_JOB_LIMIT_MS = 6 * 3_600_000
export const SELF_HOSTED_JOB_LIMIT_MS = 5 * 86_400_000
const POLLING_POLICIES: readonly PollingPolicy[] = ['predictive', 'fixed']

export interface Timing {
  intervalMs: number
  timeoutMs: number
}

/** poll-interval and timeout, and that the wait lasts long enough for a second poll. */
export function readTiming(inputs: Inputs): Timing {
  const intervalMs = parseDurationInput('poll-interval', inputs['poll-interval'] || '10s', MIN_POLL_MS)
  const timeoutMs = parseDurationInput('timeout', inputs.timeout || DEFAULT_TIMEOUT, MIN_POLL_MS, MAX_WAIT_MS)
  if (intervalMs > timeoutMs) {
    throw new UserError(
      `Input poll-interval (${formatDuration(intervalMs)}) is longer than timeout (${formatDuration(timeoutMs)}): the wait would end before the second poll. Shorten poll-interval or lengthen timeout.`,
      'poll-interval'
    )
  }
  return { intervalMs, timeoutMs }
}

/**
 * A warning when the wait cannot end before GitHub stops the job. RUNNER_ENVIRONMENT is `github-hosted` or
 * `self-hosted` on GitHub's runners; anywhere else only the limit for every job (5 days) is sure.
 */
export function runnerLimitWarning(timeoutMs: number, env: NodeJS.ProcessEnv): string | undefined {
  const timeout = `timeout (${formatDuration(timeoutMs)})`
  const cutOff =
    'GitHub would stop the job first, and this step would end without its outputs or step summary'
  if (env.RUNNER_ENVIRONMENT === 'github-hosted' && timeoutMs >= HOSTED_JOB_LIMIT_MS) {
    return `${timeout} does not end before the 6 hours GitHub lets a job run on a GitHub-hosted runner: ${cutOff}. Give a timeout under 6h that leaves room for the job's other steps (the default is ${DEFAULT_TIMEOUT}), and a job timeout-minutes above it.`
  }
  if (timeoutMs >= SELF_HOSTED_JOB_LIMIT_MS) {
    return `${timeout} does not end before the 5 days GitHub lets any job run, on self-hosted runners too: ${cutOff}. Give a timeout under 5 days, and raise the job's timeout-minutes (360, 6 hours, by default) above it.`
  }
  return undefined
}

export function parsePolling(value: string): PollingPolicy {
  const policy = POLLING_POLICIES.find(p => p === value.toLowerCase())
  if (!policy) {
    throw new UserError(
      `Input polling: ${quoted(value)} is not a polling policy. Use predictive (the default) or fixed (every poll-interval).`,
      'polling'
    )
  }
  return policy
}

export function parseDurationInput(name: string, value: string, minMs: number, maxMs = MAX_WAIT_MS): number {
  const ms = parseDuration(value)
  if (ms === undefined) {
    throw new UserError(
      `Input ${name}: ${quoted(value)} is not a duration. Use seconds (15), or units: 15s, 2m, 90min, 1h30m, 2 hours.`,
      name
    )
  }
  if (ms < minMs) {
    throw new UserError(
      `Input ${name} must be at least ${formatDuration(minMs)} (got ${quoted(value)}).`,
      name
    )
  }
  if (ms > maxMs) {
    throw new UserError(
      `Input ${name} must be at most ${formatDuration(maxMs)} (got ${quoted(value)}).`,
      name
    )
  }
  return ms
}

export function parseFailOn(value: string): ReadonlySet<JobState> {
  const text = value || 'Error, Canceled'
  if (/^none$/i.test(text)) return new Set()
  const states = new Set<JobState>()
  for (const item of text.split(/[\s,;]+/).filter(Boolean)) {
    if (/^none$/i.test(item)) {
      throw new UserError(
        `Input fail-on: none stands alone (got ${quoted(text)}). Give none to fail on no state, or a list of Finished, Error, Canceled.`,
        'fail-on'
      )
    }
    const state = parseState(item)
    if (!state || /^\d+$/.test(item) || !FINAL_STATES.has(state)) {
      throw new UserError(
        `Input fail-on: ${quoted(item)} is not a final job state. Use any of Finished, Error, Canceled, or none.`,
        'fail-on'
      )
    }
    states.add(state)
  }
  if (states.size === 0) {
    throw new UserError(
      `Input fail-on: ${quoted(text)} names no state. Use any of Finished, Error, Canceled, or none.`,
      'fail-on'
    )
  }
  return states
}
