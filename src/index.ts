// The runner's entry point. Its first act is to catch the runner's cancel (SIGINT, then SIGTERM 7.5 s later):
// a cancel that comes while the rest of the action is still loading must end written too (outputs, summary,
// one annotation), not by Node's default of dying on the spot. Everything else loads after this, and lives
// in main.ts and beside it.
const cancelHandlers: (() => void)[] = []
let cancelReceived = false
function onSignal(): void {
  cancelReceived = true
  for (const handler of cancelHandlers) handler()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
/** A handler registered after the cancel came is called at once: the wait it guards ends before it starts. */
function onCancel(handler: () => void): void {
  cancelHandlers.push(handler)
  if (cancelReceived) handler()
}

const { run, githubRuntime, failUnexpectedly, failUnsettled } = await import('./main.js')
let settled = false
// A safety net for a bug: if the event loop ever empties while run() still waits, say so and fail,
// rather than end with Node's "unsettled top-level await" (exit code 13) and nothing written.
process.once('beforeExit', () => {
  if (!settled) failUnsettled()
})
try {
  await run({ ...githubRuntime(), onCancel })
} catch (error) {
  failUnexpectedly(error)
}
settled = true
// The process ends by itself once every socket is gone and stdout is written (exit code in process.exitCode).
// A request we could not destroy must not hold the step open: once stdout is flushed, end anyway.
process.stdout.write('', () => setTimeout(() => process.exit(), 200).unref())
