// Module hooks (they run on a thread of their own): the signal goes to the process as the runner sends it.
let sent = false

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (!sent && /\/dist\/\d+\.index\.js$/.test(url)) {
    sent = true
    process.kill(process.pid, /** @type {NodeJS.Signals} */ (process.env.AMS_TEST_SIGNAL ?? 'SIGINT'))
  }
  return nextLoad(url, context)
}
