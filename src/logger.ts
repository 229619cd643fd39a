import * as core from '@actions/core'

/** The log, injected so that tests can read what a user would see. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

export const coreLogger: Logger = {
  debug: message => core.debug(message),
  info: message => core.info(message),
  warning: message => core.warning(message)
}
