/**
 * A stand-in for @actions/core, in the manner of actions/typescript-action:
 *   jest.unstable_mockModule('@actions/core', () => core)
 * before `await import(...)` of the module under test. Nothing here touches the runner.
 */
import type * as core from '@actions/core'
import { jest } from '@jest/globals'

export const debug = jest.fn<typeof core.debug>()
export const info = jest.fn<typeof core.info>()
export const warning = jest.fn<typeof core.warning>()
export const error = jest.fn<typeof core.error>()
export const notice = jest.fn<typeof core.notice>()
export const getInput = jest.fn<typeof core.getInput>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const getIDToken = jest.fn<typeof core.getIDToken>()
export const isDebug = jest.fn<typeof core.isDebug>(() => false)
export const summary = {
  addRaw: jest.fn(() => summary),
  write: jest.fn(async () => summary)
}
