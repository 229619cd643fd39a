/** scripts/step-inputs.js: the pure part of `npm run local-action -- --step workflow.yml#<step id>`. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { parse } from 'yaml'
import {
  contextLookup,
  dotenvLine,
  fillExpressions,
  findStep,
  inputVariables,
  parseYamlText,
  splitStepRef,
  unexpectedInputsWarning,
  withValues
} from '../../../scripts/step-inputs.js'

const WORKFLOW = `
env:
  TOP: \${{ secrets.TOP_SECRET }}
  SHADOWED: workflow
jobs:
  build:
    env:
      SHADOWED: job
    steps:
      - uses: actions/checkout@v4
      - id: wait
        name: Wait for the encode
        uses: ./
        env:
          STEP_ONLY: from-step
        with:
          job-id: \${{ env.JOB }}
          x-ms-version: 2.10
          cancel-on-abort: true
          trusted-hosts:
      - id: report
        run: echo done
  deploy:
    steps:
      - id: wait
        uses: ./
      - name: Wait for the encode
        uses: ./
`

const wf = parseYamlText(WORKFLOW)
const none = () => undefined

describe('splitStepRef', () => {
  it('splits FILE#STEP at the last #, and refuses a ref without either part', () => {
    expect(splitStepRef('.github/workflows/ci.yml#wait')).toEqual({
      file: '.github/workflows/ci.yml',
      step: 'wait'
    })
    expect(splitStepRef('a#b.yml#wait')).toEqual({ file: 'a#b.yml', step: 'wait' })
    for (const bad of ['ci.yml', 'ci.yml#', '#wait'])
      expect(() => splitStepRef(bad)).toThrow(/--step wants FILE#STEP, e\.g\. .*; got/)
  })
})

describe('findStep', () => {
  it('finds a step by <job>.<id>, and by an id that one job has', () => {
    const found = findStep(wf, 'build.wait', 'wf.yml')
    expect([found.job, found.step.name]).toEqual(['build', 'Wait for the encode'])
    expect(findStep(wf, 'report', 'wf.yml').step.run).toBe('echo done')
  })

  it('an id two jobs have, or a name two steps have, asks for <job>.<step id>', () => {
    expect(() => findStep(wf, 'wait', 'wf.yml')).toThrow(
      "2 steps in wf.yml match 'wait' (build.wait, deploy.wait): name one by <job>.<step id>"
    )
    expect(() => findStep(wf, 'Wait for the encode', 'wf.yml')).toThrow(
      /2 steps .*build\.wait, deploy \(no id\)/
    )
  })

  it('finds a step by its name when one step has it', () => {
    const one = parseYamlText('jobs:\n  a:\n    steps:\n      - name: Only\n        uses: ./\n')
    expect(findStep(one, 'Only', 'x.yml').step.name).toBe('Only')
  })

  it('a missing step is one line listing the step ids there are', () => {
    expect(() => findStep(wf, 'nope', 'wf.yml')).toThrow(
      "no step 'nope' in wf.yml; the step ids there are: wait, report, wait"
    )
    expect(() => findStep(parseYamlText('jobs:\n  a:\n    steps: []\n'), 'x', 'y.yml')).toThrow(
      "no step 'x' in y.yml; no step there has an id:"
    )
    expect(() => findStep(parseYamlText('a: 1'), 'x', 'inputs.yml')).toThrow('inputs.yml is not a workflow')
  })
})

describe('fillExpressions', () => {
  const values: Record<string, string> = { A: 'one', B: 'two' }
  const lookup = (_: string, name: string) => values[name]

  it('fills secrets, vars and env, in any spacing and inside text', () => {
    expect(fillExpressions('${{ secrets.A }}', 'with: x', lookup)).toBe('one')
    expect(fillExpressions('pre-${{vars.A}}-${{  env.B  }}-post', 'with: x', lookup)).toBe('pre-one-two-post')
    expect(fillExpressions('no expression', 'with: x', lookup)).toBe('no expression')
  })

  it('another expression is an error naming it and what to do', () => {
    expect(() => fillExpressions('${{ steps.encode.outputs.job-id }}', 'with: job-id', lookup)).toThrow(
      'with: job-id: ${{ steps.encode.outputs.job-id }} cannot be worked out locally (only secrets.NAME, ' +
        'vars.NAME and env.NAME are); write the value there, or ${{ env.NAME }} and set NAME in the environment or the .env'
    )
    expect(() => fillExpressions('${{ github.token }}', 'with: access-token', lookup)).toThrow(
      /github\.token/
    )
  })

  it('a name that is not set is an error naming it', () => {
    expect(() => fillExpressions('${{ secrets.MISSING }}', 'with: client-secret', lookup)).toThrow(
      'with: client-secret: ${{ secrets.MISSING }} is not set; set MISSING in the environment or the .env'
    )
  })
})

describe('contextLookup', () => {
  const outside: Record<string, string> = {
    JOB: 'nb:jid:UUID:1',
    TOP_SECRET: 's3',
    SHADOWED: 'outside',
    lower: 'l'
  }
  const lookup = contextLookup(findStep(wf, 'build.wait', 'wf.yml'), name => outside[name])

  it("env: the step's, then the job's, then the workflow's env:, then the environment and the .env", () => {
    expect(lookup('env', 'STEP_ONLY')).toBe('from-step')
    expect(lookup('env', 'SHADOWED')).toBe('job')
    expect(lookup('env', 'TOP')).toBe('s3')
    expect(lookup('env', 'JOB')).toBe('nb:jid:UUID:1')
    expect(lookup('env', 'NOWHERE')).toBeUndefined()
  })

  it('secrets and vars come from outside, by their name or in upper case', () => {
    expect(lookup('secrets', 'top_secret')).toBe('s3')
    expect(lookup('vars', 'lower')).toBe('l')
    expect(lookup('secrets', 'STEP_ONLY')).toBeUndefined()
  })
})

describe('withValues', () => {
  it('gives every value as the text written (failsafe YAML), an empty key as empty, expressions filled', () => {
    const { step } = findStep(wf, 'build.wait', 'wf.yml')
    expect(
      withValues(
        step.with,
        contextLookup(undefined, n => (n === 'JOB' ? 'nb:jid:UUID:9' : undefined))
      )
    ).toEqual({
      'job-id': 'nb:jid:UUID:9',
      'x-ms-version': '2.10',
      'cancel-on-abort': 'true',
      'trusted-hosts': ''
    })
  })

  it('a list or a mapping where an input goes is an error', () => {
    expect(() => withValues({ 'job-id': ['a'] }, none)).toThrow(
      'with: job-id is a list; a value here is one string'
    )
  })
})

describe('unexpectedInputsWarning', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }
  const valid = Object.keys(action.inputs)

  it("is the runner's own text (actions/runner ActionRunner.cs), action.yml's inputs in its order", () => {
    expect(unexpectedInputsWarning(['job-id', 'foo', 'Timeout', 'bar'], valid)).toBe(
      `Unexpected input(s) 'foo', 'bar', valid inputs are ['${valid.join("', '")}']`
    )
    expect(unexpectedInputsWarning(['foo'], ['job-id', 'timeout'])).toBe(
      "Unexpected input(s) 'foo', valid inputs are ['job-id', 'timeout']"
    )
  })

  it('is nothing when every key is an input (without regard to case, as the runner compares)', () => {
    expect(unexpectedInputsWarning(['job-id', 'API-URL'], valid)).toBeUndefined()
  })
})

describe('inputVariables', () => {
  it('takes no job input from the .env when the step names its own jobs, of either kind', () => {
    const env = { 'INPUT_JOB-ID': 'nb:jid:UUID:from-env', 'INPUT_API-URL': 'https://emu/api/' }
    const vars = inputVariables({}, env, { 'job-url': 'https://api.mk.io/x/transforms/t/jobs/j' })
    expect(vars['INPUT_JOB-ID']).toBeUndefined()
    expect(vars['INPUT_JOB-URL']).toBe('https://api.mk.io/x/transforms/t/jobs/j')
    expect(inputVariables({}, env, {})['INPUT_JOB-ID']).toBe('nb:jid:UUID:from-env')
  })

  it("INPUT_<NAME> in upper case with spaces as _: defaults, then the .env's, then the step's own", () => {
    const vars = inputVariables(
      { timeout: '5h30m', 'poll-interval': '10s', 'fail-on': 'Error, Canceled' },
      { 'INPUT_POLL-INTERVAL': '1s', 'INPUT_JOB-ID': 'from-env-file', input_timeout: '2m' },
      { 'job-id': 'from-step', 'my input': 'x' }
    )
    expect(vars).toEqual({
      INPUT_TIMEOUT: '2m',
      'INPUT_POLL-INTERVAL': '1s',
      'INPUT_FAIL-ON': 'Error, Canceled',
      'INPUT_JOB-ID': 'from-step',
      INPUT_MY_INPUT: 'x'
    })
  })
})

describe('dotenvLine', () => {
  it('quotes a value so that dotenv reads it back unchanged, line breaks and # included', () => {
    for (const value of ['plain', "it's", "it's `x`", 'a#b c', 'two\nlines', 'back\\slash', ''])
      expect(parseEnv(dotenvLine('INPUT_X', value)).INPUT_X).toBe(value)
  })

  it('refuses a value it cannot quote', () => {
    expect(() => dotenvLine('INPUT_X', `' \` "`)).toThrow(
      /INPUT_X: a value with ', ` and " in it cannot be passed/
    )
  })
})
