/**
 * `npm run local-action -- --step workflow.yml#wait`: a workflow's own step, run from the source with
 * @github/local-action against the emulator, as the runner would run it (defaults, INPUT_* names, the runner's
 * warning for an unknown input, secrets from the environment), its step summary and outputs left in files.
 * Each run compiles src/ with local-action's TypeScript loader: about 4 s on an idle machine, so the limits here
 * are generous.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PRESETS, envText } from '../../emulator/cli.js'
import { ROOT, nodeWarnings, parseOutputFile } from '../../scripts/runner.js'
import { useEmulator } from './emulators.js'

const RUN_LIMIT_MS = 150_000
const emu = useEmulator({}, 'file')
let dir: string
let finished: string
let broken: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ams-local-action-'))
  finished = emu.addJob(PRESETS.finished)
  broken = emu.addJob(PRESETS.error)
  // The .env `npm run emulator` writes, both jobs in its INPUT_JOB-ID, without the client secret: the step's
  // with: gives that, from ${{ secrets.EMU_SECRET }} (the environment), and its own job-id.
  const env = envText(emu, [
    { label: 'finished', id: finished },
    { label: 'broken', id: broken }
  ])
  writeFileSync(join(dir, '.env'), env.replace(/^INPUT_CLIENT-SECRET=.*\n/m, ''))
  writeFileSync(
    join(dir, 'wf.yml'),
    [
      'on: push',
      'jobs:',
      '  media:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - id: wait',
      '        uses: ./',
      '        with:',
      '          job-id: ${{ env.AMS_EMU_JOB_FINISHED }}',
      '          client-secret: ${{ secrets.EMU_SECRET }}',
      '          poll-interval: 1s',
      '          colour: blue',
      ''
    ].join('\n')
  )
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Run {
  code: number | null
  stdout: string
  stderr: string
  out: string
}

/** `npm run local-action -- <args>` from the project root, with the environment given. */
async function localAction(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`)
  // Not jest's NODE_OPTIONS (--experimental-vm-modules) nor its NODE_NO_WARNINGS: as from a terminal.
  const { NODE_OPTIONS: _o, NODE_NO_WARNINGS: _w, ...ours } = process.env
  const child = spawn('npm', ['run', '--silent', 'local-action', '--', ...args, '--out', out], {
    cwd: ROOT,
    env: { ...ours, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS - 10_000)
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  clearTimeout(killer)
  expect(nodeWarnings(stderr)).toEqual([])
  return { code, stdout, stderr, out }
}

describe('npm run local-action -- --step', () => {
  it(
    "runs the step's with:, the secret from the environment, and leaves the summary and outputs in files",
    async () => {
      const run = await localAction(['--step', join(dir, 'wf.yml#wait'), '--env', join(dir, '.env')], {
        EMU_SECRET: emu.clientSecret
      })
      expect([run.code, run.stderr]).toEqual([0, expect.any(String)])
      const lines = run.stdout.split('\n')
      // The runner's own warning for an input action.yml does not declare, before the action runs.
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^::warning::Unexpected input\(s\) 'colour', valid inputs are \['job-id', 'job-url', /
        )
      )
      // The step's job-id won over the .env's two jobs (one of them in Error): the wait ended Finished.
      const summary = readFileSync(join(run.out, 'summary.md'), 'utf8')
      expect(summary).toContain(`| \`${finished}\` |`)
      expect(summary).toContain('Finished')
      expect(summary).not.toContain(broken)
      const outputs = parseOutputFile(readFileSync(join(run.out, 'output'), 'utf8'))
      expect(outputs).toMatchObject({ state: 'Finished', progress: '100', 'asset-name': expect.any(String) })
      expect(JSON.parse(outputs.jobs)).toEqual([expect.objectContaining({ id: finished, state: 'Finished' })])
      // Printed at the end: where the summary is, and the outputs.
      expect(lines).toContain(`Step summary: ${join(run.out, 'summary.md')}`)
      expect(lines).toContain('  state=Finished')
      // The inputs' file (it holds the secret) is gone.
      expect(existsSync(join(run.out, 'step.env'))).toBe(false)
    },
    RUN_LIMIT_MS
  )

  it(
    '--with inputs.yml: a failed job fails the run, with its summary',
    async () => {
      writeFileSync(
        join(dir, 'inputs.yml'),
        [
          'job-id: ${{ env.AMS_EMU_JOB_BROKEN }}',
          'client-secret: ${{ secrets.EMU_SECRET }}',
          'poll-interval: 1s',
          ''
        ].join('\n')
      )
      const run = await localAction(['--with', join(dir, 'inputs.yml'), '--env', join(dir, '.env')], {
        EMU_SECRET: emu.clientSecret
      })
      expect(run.code).not.toBe(0)
      expect(readFileSync(join(run.out, 'summary.md'), 'utf8')).toContain(`| \`${broken}\` |`)
      expect(parseOutputFile(readFileSync(join(run.out, 'output'), 'utf8')).state).toBe('Error')
    },
    RUN_LIMIT_MS
  )

  it(
    'a step that is not there, or a secret that is not set, is one line before anything runs',
    async () => {
      const missing = await localAction(['--step', join(dir, 'wf.yml#nope'), '--env', join(dir, '.env')])
      expect([missing.code, missing.stderr]).toEqual([
        2,
        `local-action: no step 'nope' in ${join(dir, 'wf.yml')}; the step ids there are: wait\n`
      ])
      const unset = await localAction(['--step', join(dir, 'wf.yml#wait'), '--env', join(dir, '.env')])
      expect([unset.code, unset.stderr]).toEqual([
        2,
        'local-action: with: client-secret: ${{ secrets.EMU_SECRET }} is not set; set EMU_SECRET in the environment or the .env\n'
      ])
    },
    RUN_LIMIT_MS
  )
})
