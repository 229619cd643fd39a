/** scripts/runner.js starts the action for the e2e tests, the demo and the benchmarks: as the runner does. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { nodeWarnings, prepareRun } from '../../../scripts/runner.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string } | null>
}
const withDefault = Object.entries(action.inputs).filter(([, spec]) => spec?.default !== undefined)

describe('prepareRun', () => {
  it('sets every input that action.yml gives a default, as the runner does when the step does not', () => {
    expect(withDefault.length).toBeGreaterThan(0)
    const run = prepareRun({ 'job-id': 'nb:jid:UUID:1' })
    try {
      for (const [name, spec] of withDefault)
        expect([name, run.env[`INPUT_${name.toUpperCase()}`]]).toEqual([name, String(spec!.default)])
      expect(run.env['INPUT_JOB-ID']).toBe('nb:jid:UUID:1')
      // Inputs without a default are absent, as on the runner.
      expect(run.env['INPUT_API-URL']).toBeUndefined()
    } finally {
      run.cleanup()
    }
  })

  it("the step's value wins over the default, even an empty one", () => {
    const [name] = withDefault[0]
    const run = prepareRun({ [name]: 'given', timeout: '' })
    try {
      expect(run.env[`INPUT_${name.toUpperCase()}`]).toBe('given')
      expect(run.env.INPUT_TIMEOUT).toBe('')
    } finally {
      run.cleanup()
    }
  })

  it("gives the action none of the test runner's Node options, so Node's warnings reach stderr", () => {
    const run = prepareRun({})
    try {
      expect(run.env.NODE_NO_WARNINGS).toBeUndefined()
      expect(run.env.NODE_OPTIONS).toBeUndefined()
    } finally {
      run.cleanup()
    }
  })
})

describe('nodeWarnings', () => {
  it("finds Node's own warning lines, and nothing the action logs", () => {
    const stderr = [
      '(node:4242) MaxListenersExceededWarning: Possible EventEmitter memory leak detected.',
      '(Use `node --trace-warnings ...` to show where the warning was created)',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      '(node:4242) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to 0',
      '::warning::a workflow command, not Node',
      'the job said (node:1) Warning: in its name'
    ].join('\n')
    expect(nodeWarnings(stderr)).toEqual([
      '(node:4242) MaxListenersExceededWarning: Possible EventEmitter memory leak detected.',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      '(node:4242) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to 0'
    ])
    expect(nodeWarnings('')).toEqual([])
  })
})
