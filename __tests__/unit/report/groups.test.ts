/** Each poll's detail in a group of the log, opened only when there is something to put in it (groups.ts). */
import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../../__fixtures__/clock.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'
import { view } from '../../../__fixtures__/jobs.js'
import type { Logger } from '../../../src/logger.js'
import { PollLog } from '../../../src/report/groups.js'

/** A logger that writes what the runner would print, group commands included. */
function runnerLog(showsDebug: boolean): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    showsDebug,
    debug: m => void lines.push(`::debug::${m}`),
    info: m => void lines.push(m),
    warning: m => void lines.push(`::warning::${m}`),
    startGroup: t => void lines.push(`::group::${t}`),
    endGroup: () => void lines.push('::endgroup::')
  }
}

describe('PollLog', () => {
  it('puts a poll’s detail in a group named by the poll and its time, and its changes after the group', () => {
    const clock = fakeClock()
    const log = runnerLog(false)
    const polls = new PollLog(log, clock.now)
    clock.advance(20_000)
    polls.detail.info('Media Services: busy (503); retrying in 2.0s (attempt 2)')
    polls.detail.info('Media Services redirected to https://acct/api/; later requests go there directly.')
    polls.onPoll([view(JOB_A, 'Processing')], 22_000)
    expect(log.lines).toEqual([
      '::group::Poll 1 [00:20]',
      'Media Services: busy (503); retrying in 2.0s (attempt 2)',
      'Media Services redirected to https://acct/api/; later requests go there directly.',
      '::endgroup::',
      `[00:22] ${JOB_A} (encode trailer): Processing`
    ])
  })

  it('opens no group for debug lines the runner hides, and one for them when it shows them', () => {
    const hidden = runnerLog(false)
    const quiet = new PollLog(hidden, fakeClock().now)
    quiet.detail.debug('GET https://acct/api/Jobs() -> 200 in 12 ms')
    quiet.onPoll([], 0)
    expect(hidden.lines).toEqual(['::debug::GET https://acct/api/Jobs() -> 200 in 12 ms'])

    const shown = runnerLog(true)
    const verbose = new PollLog(shown, fakeClock().now)
    verbose.detail.debug('GET one')
    verbose.onPoll([], 0)
    verbose.detail.debug('GET two')
    verbose.onPoll([], 0)
    expect(shown.lines).toEqual([
      '::group::Poll 1 [00:00]',
      '::debug::GET one',
      '::endgroup::',
      '::group::Poll 2 [00:00]',
      '::debug::GET two',
      '::endgroup::'
    ])
  })

  it('never hides a warning in a group', () => {
    const log = runnerLog(true)
    const polls = new PollLog(log, fakeClock().now)
    polls.detail.debug('GET one')
    polls.detail.warning('Could not read the output assets')
    polls.detail.debug('GET two')
    polls.close()
    expect(log.lines).toEqual([
      '::group::Poll 1 [00:00]',
      '::debug::GET one',
      '::endgroup::',
      '::warning::Could not read the output assets',
      '::group::Poll 1 [00:00]',
      '::debug::GET two',
      '::endgroup::'
    ])
  })

  it('names what comes after the wait as such, and writes plainly to a logger without groups', () => {
    const log = runnerLog(true)
    const polls = new PollLog(log, fakeClock().now)
    polls.waitEnded()
    polls.detail.debug('GET OutputMediaAssets')
    polls.close()
    expect(log.lines[0]).toBe('::group::After the wait [00:00]')

    const lines: string[] = []
    const plain = new PollLog(
      { debug: m => lines.push(m), info: m => lines.push(m), warning: m => lines.push(m) },
      Date.now
    )
    plain.detail.info('a')
    plain.close()
    expect(lines).toEqual(['a'])
  })
})
