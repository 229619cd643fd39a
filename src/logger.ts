import * as core from '@actions/core'
import { logLine } from './text.js'

/** The log, injected so that tests can read what a user would see. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  /** A collapsible group of the lines that follow, until endGroup (the runner's ::group::). */
  startGroup?(title: string): void
  endGroup?(): void
  /** Debug lines are shown (the runner's debug logging is on). */
  readonly showsDebug?: boolean
}

/**
 * core.info writes its message raw, so a line break in it would start a line the runner reads as a workflow
 * command. Server text is neutralised where it enters; every line is made safe here once more.
 */
export const coreLogger: Logger = {
  debug: message => core.debug(logLine(message)),
  info: message => core.info(logLine(message)),
  warning: message => core.warning(logLine(message)),
  startGroup: title => core.startGroup(logLine(title)),
  endGroup: () => core.endGroup(),
  get showsDebug() {
    return core.isDebug()
  }
}
