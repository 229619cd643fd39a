/**
 * A wrong endpoint fails in minutes, not at the timeout: with action.yml's defaults (a timeout of hours),
 * a closed port at api-url, a web server at api-url that answers every request with a page, and a closed
 * port at authority-host each end the step within two minutes of trying, with one input error naming the
 * input to check and what came back. The three run side by side: each takes about two minutes.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:net'
import { useEmulator } from './emulators.js'
import { expectWrittenEnding } from './endings.js'
import { runAction, secretInputs } from './harness.js'

const emu = useEmulator()
/** The first-answer budget, and startup, sign-in and a loaded machine around it. */
const BUDGET_MS = 120_000
const SLACK_MS = 30_000

/** A loopback port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise<void>(done => server.close(() => done()))
  return port
}

/** The inputs of a user who gave ids and credentials and left everything else to action.yml. */
function defaultsBut(inputs: Record<string, string>): Record<string, string> {
  const { 'poll-interval': _p, timeout: _t, ...given } = { ...secretInputs(emu), ...inputs }
  return given
}

describe('a wrong endpoint, with the default timeout', () => {
  it(
    'a closed port and a web page at api-url, and a closed port at authority-host: each named within two minutes',
    async () => {
      const id = emu.addJob({ timeline: [{ state: 'Processing' }] })
      emu.injectFaults([{ server: 'account', path: 'Jobs()', kind: 'html', status: 200, times: 1000 }])
      const port = await closedPort()
      const killAfterMs = BUDGET_MS + 2 * SLACK_MS
      const [refused, page, authority] = await Promise.all([
        runAction({
          inputs: defaultsBut({ 'job-id': id, 'api-url': `https://127.0.0.1:${port}/api/` }),
          killAfterMs
        }),
        runAction({ inputs: defaultsBut({ 'job-id': id }), killAfterMs }),
        runAction({
          inputs: defaultsBut({ 'job-id': id, 'authority-host': `https://127.0.0.1:${port}` }),
          killAfterMs
        })
      ])
      const secrets = [emu.clientSecret, ...emu.issuedTokens]
      for (const run of [refused, page, authority]) {
        expectWrittenEnding(run, 1, secrets)
        expect(run.ms).toBeLessThan(BUDGET_MS + SLACK_MS)
        expect(run.outputs.state).toBe('Unknown')
      }
      expect(refused.errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^::error title=Media Services request failed::Input api-url: Media Services has not answered as its API does for [\\dms ]+ \\(.*127\\.0\\.0\\.1:${port}.*\\)\\. Check api-url: it must be the service's endpoint\\.$`
          )
        )
      ])
      expect(page.errors).toEqual([
        expect.stringMatching(
          /^::error title=Media Services request failed::Input api-url: Media Services has not answered as its API does for [\dms ]+ \(GET Jobs\(\) answered HTTP 200 with an HTML page: .*\)\. Check api-url: it must be the service's endpoint\.$/
        )
      ])
      expect(authority.errors).toEqual([expect.stringMatching(/^::error title=.*Check authority-host/)])
      // Retried, not given up at the first failure; the web page was asked for again and again.
      expect(page.lines.filter(l => /^Media Services: .*retrying in/.test(l)).length).toBeGreaterThan(2)
      expect(refused.lines.filter(l => /^Media Services: .*retrying in/.test(l)).length).toBeGreaterThan(2)
    },
    BUDGET_MS + 3 * SLACK_MS
  )
})
