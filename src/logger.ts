import * as core from '@actions/core'
import { logLine } from './text.js'

/** The log, injected so that tests can read what a user would see. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

/**
 * core.info writes its message raw, so a line break in it would start a line the runner reads as a workflow
 * command. Server text is neutralised where it enters; every line is made safe here once more.
 */
export const coreLogger: Logger = {
  debug: message => core.debug(logLine(message)),
  info: message => core.info(logLine(message)),
  warning: message => core.warning(logLine(message))
}
