/** The log the action writes through @actions/core: server text never starts a line or a command. */
import { describe, it, expect, jest } from '@jest/globals'
import * as core from '../../../__fixtures__/core.js'
import { BREAKS, HOSTILE } from '../../../__fixtures__/hostile.js'
import { JOB_A } from '../../../__fixtures__/inputs.js'

jest.unstable_mockModule('@actions/core', () => core)
const { coreLogger } = await import('../../../src/logger.js')

describe('the log: every info and warning line is one line the runner reads as text', () => {
  it('a server-made line break never starts a line, and a leading :: is quoted', () => {
    core.info.mockClear()
    coreLogger.info(`[00:05] Job ${JOB_A} (x${HOSTILE}): Error`)
    coreLogger.info('::add-mask::x')
    coreLogger.warning(`Could not cancel: ${HOSTILE}`)
    const written = [
      ...core.info.mock.calls.map(c => c[0]),
      ...core.warning.mock.calls.map(c => String(c[0]))
    ]
    for (const line of written) {
      expect(line).not.toMatch(BREAKS)
      expect(line.trimStart().startsWith('::')).toBe(false)
    }
    expect(core.info.mock.calls[1][0]).toBe('> ::add-mask::x')
  })
})
