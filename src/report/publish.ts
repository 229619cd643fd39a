import { errorMessage, UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { WaitResult } from '../wait/waiter.js'
import type { JobsOrigin } from './naming.js'
import { noJobOutputs, outputs, unfinishedOutputsWarning } from './outputs.js'
import { inputErrorMarkdown, summaryMarkdown } from './summary.js'
import { verdict } from './verdict.js'

/** Where a step's ending is written: the runner's outputs, step summary, log and one annotation. */
export interface Sink {
  log: Logger
  setOutput: (name: string, value: string) => void
  writeSummary: (markdown: string) => Promise<void>
  /** The one failure annotation of the step. */
  fail: (message: string, title: string) => void
}

/** Every ending is written the same way: outputs, the step summary, the verdict in the log or the annotation. */
export async function publish(
  result: WaitResult,
  timeoutMs: number,
  origin: JobsOrigin,
  to: Sink
): Promise<void> {
  for (const [name, value] of Object.entries(outputs(result))) to.setOutput(name, value)
  const v = verdict(result, timeoutMs, origin)
  if (result.error && !(result.error instanceof UserError))
    to.log.debug(result.error.stack ?? result.error.message)
  await writeSummary(to, summaryMarkdown(result, v, origin))
  const unfinished = unfinishedOutputsWarning(result.views)
  if (unfinished) to.log.warning(unfinished)
  if (v.ok && v.warning) to.log.warning(`⚠ ${v.message}`)
  else if (v.ok) to.log.info(`✓ ${v.message}`)
  else to.fail(v.message, v.title)
}

/** A wrong input ends the step before any request, written too: outputs (no job looked at) and a summary. */
export async function publishInputError(message: string, to: Sink): Promise<void> {
  for (const [name, value] of Object.entries(noJobOutputs())) to.setOutput(name, value)
  await writeSummary(to, inputErrorMarkdown(message))
  to.fail(message, 'Invalid input')
}

/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, a full disk) is no reason to fail the step. */
async function writeSummary(to: Sink, markdown: string): Promise<void> {
  try {
    await to.writeSummary(markdown)
  } catch (error) {
    to.log.debug(`No step summary written: ${errorMessage(error)}`)
  }
}
