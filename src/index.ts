import * as core from '@actions/core'
import { run } from './main.js'

// The runner's entry point. Everything else lives in main.ts and beside it.
try {
  await run()
} catch (error) {
  // A bug, not a user's mistake: say what happened in one line; the stack only with debug logging.
  core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
  core.setFailed(
    `ams-job-wait failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`
  )
}
// Keep-alive sockets or a request left behind by a cancel must not hold the step open.
process.exit()
