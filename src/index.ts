import * as core from '@actions/core'
import { run } from './main.js'

// The runner's entry point. Everything else lives in main.ts and beside it.
let settled = false
// A safety net for a bug: if the event loop ever empties while run() still waits, say so and fail,
// rather than end with Node's "unsettled top-level await" (exit code 13) and nothing written.
process.once('beforeExit', () => {
  if (settled) return
  core.setFailed('ams-job-wait stopped with a request that never settled; this is a bug, please report it')
})
try {
  await run()
} catch (error) {
  // A bug, not a user's mistake: say what happened in one line; the stack only with debug logging.
  core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
  core.setFailed(
    `ams-job-wait failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`
  )
}
settled = true
// The process ends by itself once every socket is gone and stdout is written (exit code in process.exitCode).
// A request we could not destroy must not hold the step open: once stdout is flushed, end anyway.
process.stdout.write('', () => setTimeout(() => process.exit(), 200).unref())
