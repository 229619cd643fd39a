import { v3Origin } from '../../../src/jobs/v3/api.js'
/** The step summary as a whole: its exact Markdown, the invalid-input summary, the 1 MiB budget and code spans. */
import { V2_ORIGIN } from '../../../src/jobs/v2/api.js'
import { describe, it, expect } from '@jest/globals'
import { codeCell, inputErrorMarkdown, summaryMarkdown } from '../../../src/report/summary.js'
import { JOB_A, JOB_B, JOB_C } from '../../../__fixtures__/inputs.js'
import { view, waitResult, errorView, numberedJobId as jobId } from '../../../__fixtures__/jobs.js'
import type { JobsOrigin } from '../../../src/report/naming.js'
import { verdict } from '../../../src/report/verdict.js'
import type { JobView } from '../../../src/wait/waiter.js'
import { at, finishedA, finishedWith, THUMBS, V2_ASSET, VIDEO } from '../../../__fixtures__/report.js'

const OK = { ok: true, message: 'ok' }
/** The heading names one job in the singular, several in the plural. */
const headOf = (jobs: number): string[] => [
  `### ✅ Media Services ${jobs === 1 ? 'job' : 'jobs'}`,
  '',
  'ok',
  '',
  '| Job | Name | State | Progress | Start (UTC) | End (UTC) | Duration | Error |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |'
]
const HEAD = headOf(1)
const HEADS = headOf(2)
const ASSETS_HEAD = [
  '',
  '**Output assets**',
  '',
  '| Job | Asset | Asset id | Storage account | Label |',
  '| --- | --- | --- | --- | --- |'
]
const rowOf = (id: string): string => `| \`${id}\` | encode trailer | ✅ Finished |  |  |  |  |  |`
const finished = (id: string, outputAssets?: { name: string }[]): JobView =>
  view(id, 'Finished', {}, { outputAssets })
const note = (what: string): string => `… and ${what} not shown (the step summary is limited to 1 MiB).`
/** The summary keeps room for two notes on rows left out, each with a six-digit count, and their line breaks. */
const NOTES_ROOM = 2 * Buffer.byteLength(note('999999 more jobs')) + 8

describe('the invalid-input summary', () => {
  it('is a failed heading and the reason, escaped, on its own line', () => {
    expect(inputErrorMarkdown('job-id | *x* is not a job id')).toBe(
      '### ❌ Media Services jobs\n\nInvalid input: job-id \\| \\*x\\* is not a job id\n'
    )
  })
})

describe('the whole step summary', () => {
  it('is the heading, the verdict, the table of jobs and a final line break, with no assets part', () => {
    const md = summaryMarkdown(waitResult('success', [finished(JOB_A)]), OK, V2_ORIGIN)
    expect(md).toBe([...HEAD, rowOf(JOB_A), ''].join('\n'))
  })

  it('with output assets: the jobs table, then the assets table, and no note when all are shown', () => {
    const md = summaryMarkdown(waitResult('success', [finished(JOB_A, [{ name: 'out-1' }])]), OK, V2_ORIGIN)
    expect(md).toBe(
      [...HEAD, rowOf(JOB_A), ...ASSETS_HEAD, `| \`${JOB_A}\` | out-1 |  |  |  |`, ''].join('\n')
    )
  })
})

describe('the step summary stays within its limit, keeping room for the notes on rows left out', () => {
  /** The bytes a limit must allow for every row of `views` to be shown. */
  const needed = (views: JobView[]): number =>
    Buffer.byteLength(summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN)) - 1 + NOTES_ROOM

  it('every job row is shown at exactly the limit they need; one byte less leaves out the last, said singular', () => {
    const views = [finished(JOB_A), finished(JOB_B)]
    const limit = needed(views)
    const all = summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN, limit)
    expect(all).toBe([...HEADS, rowOf(JOB_A), rowOf(JOB_B), ''].join('\n'))
    const short = summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN, limit - 1)
    expect(short).toBe([...HEADS, rowOf(JOB_A), '', note('1 more job'), ''].join('\n'))
    expect(Buffer.byteLength(short)).toBeLessThanOrEqual(limit - 1)
  })

  it('several job rows left out are counted in the plural', () => {
    const views = [finished(JOB_A), finished(JOB_B), finished(`${JOB_B}-2`)]
    // One byte more than one job needs: "jobs" in the heading of several.
    const md = summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN, needed(views.slice(0, 1)) + 1)
    expect(md).toBe([...HEADS, rowOf(JOB_A), '', note('2 more jobs'), ''].join('\n'))
  })

  it('job rows left out leave no room for the assets table: a second note counts its rows', () => {
    const views = [
      finished(JOB_A, [{ name: 'out-1' }]),
      finished(JOB_B, [{ name: 'out-2' }, { name: 'out-3' }])
    ]
    const limit = needed([finished(JOB_A)]) + 1
    const md = summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN, limit)
    expect(md).toBe(
      [...HEADS, rowOf(JOB_A), '', note('1 more job'), '', note('3 more assets'), ''].join('\n')
    )
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(limit)
  })

  it('every asset row is shown at exactly the limit they need; one byte less leaves out the last, said singular', () => {
    const views = [finished(JOB_A, [{ name: 'out-1' }, { name: 'out-2' }])]
    const limit = needed(views)
    const asset = (name: string): string => `| \`${JOB_A}\` | ${name} |  |  |  |`
    const all = summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN, limit)
    expect(all).toBe([...HEAD, rowOf(JOB_A), ...ASSETS_HEAD, asset('out-1'), asset('out-2'), ''].join('\n'))
    const short = summaryMarkdown(waitResult('success', views), OK, V2_ORIGIN, limit - 1)
    expect(short).toBe(
      [...HEAD, rowOf(JOB_A), ...ASSETS_HEAD, asset('out-1'), '', note('1 more asset'), ''].join('\n')
    )
  })
})

describe('the timeline in the step summary', () => {
  /** Seen Processing from 12:00:00, and at 12:01:00 Finished (or still Processing, last seen then). */
  const seen = (id: string, state: 'Finished' | 'Processing', outputAssets?: { name: string }[]): JobView =>
    view(
      id,
      state,
      {
        firstSeen: { [state]: at('12:01:00').getTime(), Processing: at('12:00:00').getTime() },
        lastSeen: at('12:01:00').getTime()
      },
      { outputAssets }
    )
  const sectionsIn = (md: string): number => md.split('\n').filter(l => l.startsWith('  section ')).length

  it('follows the jobs table, before the assets table, when a job was seen', () => {
    const md = summaryMarkdown(
      waitResult('timeout', [seen(JOB_A, 'Finished', [{ name: 'out-1' }]), seen(JOB_B, 'Processing')]),
      OK,
      V2_ORIGIN
    )
    const lines = md.split('\n')
    const [table, timeline, fence, assets] = [
      '| Job |',
      '**Timeline (UTC)**',
      '```mermaid',
      '**Output assets**'
    ].map(l => lines.findIndex(x => x.startsWith(l)))
    expect(table).toBeGreaterThan(0)
    expect(timeline).toBeGreaterThan(table + 3)
    expect(fence).toBe(timeline + 2)
    expect(assets).toBeGreaterThan(lines.indexOf('```', fence + 1))
    expect(sectionsIn(md)).toBe(2)
    expect(md).toContain(
      '  Processing (still running) :active, j2s0, 2024-05-01 12:00:00.000, 2024-05-01 12:01:00.000'
    )
  })

  it('is shortened, then dropped, before a table row is left out, and the whole stays within the limit', () => {
    const views = Array.from({ length: 5 }, (_, i) =>
      seen(`${JOB_A}-${i}`, 'Finished', [{ name: `out-${i}` }])
    )
    const result = waitResult('success', views)
    const full = Buffer.byteLength(summaryMarkdown(result, OK, V2_ORIGIN))
    const tablesOnly = summaryMarkdown(result, OK, V2_ORIGIN, full - 700)
    expect(sectionsIn(tablesOnly)).toBe(0)
    expect(tablesOnly).not.toContain('mermaid')
    expect(tablesOnly).not.toContain('not shown')
    const seenSections: number[] = []
    for (let limit = full + NOTES_ROOM + 200; limit > full - 1000; limit -= 13) {
      const md = summaryMarkdown(result, OK, V2_ORIGIN, limit)
      expect(Buffer.byteLength(md)).toBeLessThanOrEqual(limit)
      const sections = sectionsIn(md)
      seenSections.push(sections)
      // While the timeline is there, every table row is.
      if (sections > 0) expect(md).not.toContain('not shown')
      if (sections > 0 && sections < 5)
        expect(md).toContain(`The timeline shows the first ${sections} of 5 jobs.`)
    }
    expect(new Set(seenSections)).toEqual(new Set([5, 4, 3, 2, 1, 0]))
  })
})

describe('a job id as a code span in a table cell', () => {
  it('is one line: each run of line breaks is one space', () => {
    expect(codeCell('a\r\nb\nc')).toBe('`a b c`')
  })

  it('is fenced by one backtick more than its longest run of backticks', () => {
    expect(codeCell('a``b`c')).toBe('```a``b`c```')
  })

  it('is padded with spaces when it ends with a backtick, as when it starts with one', () => {
    expect(codeCell('a`')).toBe('`` a` ``')
  })

  it('keeps a | escaped, so the row is not split', () => {
    expect(codeCell('a|b')).toBe('`a\\|b`')
  })
})

describe('a dollar in server text never opens math in the step summary (#27)', () => {
  const MATH = '$x$'
  const ESCAPED = '\\$x\\$'
  const summaryOf = (v: JobView, verdict = OK): string =>
    summaryMarkdown(waitResult('success', [v]), verdict, V2_ORIGIN)

  it.each<[string, () => string]>([
    ['a job name', () => summaryOf(view(JOB_A, 'Finished', {}, { name: `enc ${MATH}` }))],
    [
      'a state the action does not know',
      () => summaryOf(view(JOB_A, 'Processing', {}, { reportedState: `Paused ${MATH}` }))
    ],
    [
      'an error code and message',
      () => summaryOf(view(JOB_A, 'Error', { errorDetails: [{ code: `E${MATH}`, message: `bad ${MATH}` }] }))
    ],
    [
      'an asset name',
      () => summaryOf(view(JOB_A, 'Finished', {}, { outputAssets: [{ name: `a ${MATH}` }] }))
    ],
    [
      'a storage account',
      () =>
        summaryOf(view(JOB_A, 'Finished', {}, { outputAssets: [{ name: 'a', storageAccount: `s${MATH}` }] }))
    ],
    [
      'an output label',
      () => summaryOf(view(JOB_A, 'Finished', {}, { outputAssets: [{ name: 'a', label: `l${MATH}` }] }))
    ],
    ['the verdict line', () => summaryOf(view(JOB_A, 'Finished'), { ok: false, message: `failed ${MATH}` })],
    ['an input error', () => inputErrorMarkdown(`Input job-id: ${MATH} is not a job id`)]
  ])('%s', (_where, markdown) => {
    const md = markdown()
    expect(md).toContain(ESCAPED)
    expect(md.replace(/\\\$/g, '')).not.toContain('$')
  })
})

describe('the heading and the duration of a job', () => {
  it('one job: the heading is singular; several: plural', () => {
    expect(summaryMarkdown(waitResult('success', [finished(JOB_A)]), OK, V2_ORIGIN)).toMatch(
      /^### ✅ Media Services job\n/
    )
    expect(summaryMarkdown(waitResult('success', [finished(JOB_A), finished(JOB_B)]), OK, V2_ORIGIN)).toMatch(
      /^### ✅ Media Services jobs\n/
    )
  })

  it('a job still running with no running time from the service (v3) shows running, not 0s', () => {
    const started = new Date('2024-05-01T12:00:00Z')
    const md = summaryMarkdown(
      waitResult('timeout', [view(JOB_A, 'Processing', {}, { startTime: started, runningDuration: 0 })]),
      { ok: false, message: 'timed out' },
      V2_ORIGIN
    )
    expect(md).toContain('| ⏳ Processing |  | 2024-05-01T12:00:00.000Z |  | running |  |')
    expect(md).not.toMatch(/\| 0s \|/)
  })

  it('the Duration cell says ranMs: a RunningDuration without a startTime (v2), nothing for an unknown one', () => {
    const noStart = view(JOB_A, 'Finished', {}, { runningDuration: 4200 })
    const noEnd = view(
      JOB_B,
      'Error',
      {},
      { startTime: new Date('2024-05-01T12:00:00Z'), runningDuration: 0 }
    )
    const md = summaryMarkdown(waitResult('success', [noStart, noEnd]), OK, V2_ORIGIN)
    expect(md).toContain('| ✅ Finished |  |  |  | 4s |  |')
    expect(md).toContain('| ❌ Error |  | 2024-05-01T12:00:00.000Z |  |  |  |')
    expect(md).not.toMatch(/\| 0s \|/)
  })
})

describe('summaryMarkdown: the step summary', () => {
  it('has the verdict and one table row per job with its state marker', () => {
    const result = waitResult('failure', [
      finishedA(),
      view(JOB_B, 'Error', { errorDetails: [{ code: 'ErrorProcessingTask', message: 'no video track' }] }),
      view(JOB_C, undefined, { missingPolls: 3 })
    ])
    const md = summaryMarkdown(result, { ok: false, message: 'it failed' }, V2_ORIGIN)
    const lines = md.split('\n')
    expect(lines[0]).toBe('### ❌ Media Services jobs')
    expect(lines).toContain('it failed')
    expect(lines).toContain('| Job | Name | State | Progress | Start (UTC) | End (UTC) | Duration | Error |')
    expect(lines).toContain(
      `| \`${JOB_A}\` | trailer | ✅ Finished | 100% | 2024-05-01T12:00:05.000Z | 2024-05-01T12:02:05.000Z | 2m 00s |  |`
    )
    expect(lines).toContain(
      `| \`${JOB_B}\` | encode trailer | ❌ Error |  |  |  |  | ErrorProcessingTask\\: no video track |`
    )
    expect(lines).toContain(`| \`${JOB_C}\` |  | ❓ Not found |  |  |  |  |  |`)
    expect(lines.filter(l => l.startsWith('| `'))).toHaveLength(3)
  })

  it('escapes | and new lines in names, errors and the verdict so the table holds', () => {
    const result = waitResult('success', [
      view(
        JOB_A,
        'Finished',
        { errorDetails: [{ code: 'X', message: 'a|b\nc' }] },
        { name: 'promo | cut\n2' }
      )
    ])
    const md = summaryMarkdown(result, { ok: true, message: 'done | ok' }, V2_ORIGIN)
    expect(md).toContain('### ✅ Media Services job\n')
    expect(md).toContain('done \\| ok')
    expect(md).toContain('| promo \\| cut 2 |')
    expect(md).toContain('| X\\: a\\|b c |')
  })

  it('a | in a job id is escaped inside its code span, so the row keeps its 8 cells', () => {
    const id = 'https://mkio.example/api/ams/s/transforms/t/jobs/a|b'
    const md = summaryMarkdown(
      waitResult('success', [view(id, 'Finished')]),
      { ok: true, message: 'ok' },
      V2_ORIGIN
    )
    const row = md.split('\n').find(l => l.includes('jobs/a'))!
    expect(row).toContain('| `https://mkio.example/api/ams/s/transforms/t/jobs/a\\|b` |')
    // GitHub splits a row on every | that has no backslash before it, in code spans too.
    expect(row.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(8)
  })

  it('a backtick in a job id cannot close its code span', () => {
    expect(codeCell('a`b')).toBe('``a`b``')
    expect(codeCell('`a')).toBe('`` `a ``')
  })

  it('a job still Processing shows its progress and a duration from RunningDuration', () => {
    const md = summaryMarkdown(
      waitResult('timeout', [
        view(JOB_A, 'Processing', { progress: 42.25 }, { startTime: at('12:00:00'), runningDuration: 90_000 })
      ]),
      { ok: false, message: 'timed out' },
      V2_ORIGIN
    )
    expect(md).toContain('| ⏳ Processing | 42.3% | 2024-05-01T12:00:00.000Z |  | 1m 30s |')
  })

  it('a warning verdict (fail-on none, a job in Error) heads the summary with ⚠️, never ✅', () => {
    const result = waitResult('success', [view(JOB_A, 'Error')])
    const md = summaryMarkdown(result, verdict(result, 6 * 3_600_000, V2_ORIGIN), V2_ORIGIN)
    expect(md).toMatch(/^### ⚠️ Media Services job\n/)
    expect(md).not.toContain('✅')
  })

  it('a job in a state outside the seven shows the name the service gave', () => {
    const paused = view(JOB_A, 'Unknown', {}, { name: 'clip', reportedState: 'Paused' })
    expect(
      summaryMarkdown(waitResult('timeout', [paused]), { ok: false, message: 'x' }, V2_ORIGIN)
    ).toContain('| ❓ Unknown ("Paused") |')
  })
})

describe('the summary of jobs on a v3-shaped service names that service', () => {
  const ARM: JobsOrigin = v3Origin('Azure Resource Manager')
  const MKIO: JobsOrigin = v3Origin('api.mk.io')
  const URL_A = 'https://api.mk.io/api/ams/s/transforms/t/jobs/a'

  it('the summary heading', () => {
    const result = waitResult('success', [view(URL_A, 'Finished')])
    expect(summaryMarkdown(result, { ok: true, message: 'ok' }, MKIO).split('\n')[0]).toBe(
      '### ✅ Job on api.mk.io'
    )
    expect(summaryMarkdown(result, { ok: true, message: 'ok' }, ARM).split('\n')[0]).toBe(
      '### ✅ Job on Azure Resource Manager'
    )
  })
})

describe('the assets in the step summary', () => {
  it('lists each finished job’s assets, server text escaped', () => {
    const hostile = { name: 'x <img src=y> | [a](https://evil.test) *b*', label: '`l`' }
    const md = summaryMarkdown(
      waitResult('success', [finishedWith(JOB_A, [V2_ASSET, hostile])]),
      {
        ok: true,
        message: 'ok'
      },
      V2_ORIGIN
    )
    expect(md).toContain('**Output assets**')
    expect(md).toContain(`| \`${JOB_A}\` | trailer-output | \`${V2_ASSET.id}\` | mediastore |  |`)
    expect(md).toContain(
      `| \`${JOB_A}\` | x &lt;img src=y&gt; \\| \\[a\\](https\\://evil.test) \\*b\\* |  |  | \\\`l\\\` |`
    )
  })

  it('has no assets part when no job made one', () => {
    const md = summaryMarkdown(
      waitResult('success', [finishedWith(JOB_A, [])]),
      { ok: true, message: 'ok' },
      V2_ORIGIN
    )
    expect(md).not.toContain('Output assets')
  })

  it('stays within its limit when the assets do not fit, and says how many are not shown', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `asset ${i} ${'n'.repeat(150)}` }))
    const md = summaryMarkdown(
      waitResult('success', [finishedWith(JOB_A, many)]),
      { ok: true, message: 'ok' },
      V2_ORIGIN,
      4000
    )
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(4000)
    expect(md).toMatch(/… and \d+ more assets not shown/)
  })

  it('leaves out the asset of an output that did not finish in a Finished job (onError: ContinueJob)', () => {
    const result = waitResult('success', [view(JOB_A, 'Finished', {}, { outputAssets: [VIDEO, THUMBS] })])
    const md = summaryMarkdown(result, OK, V2_ORIGIN)
    expect(md).toContain('| job4-video |')
    expect(md).not.toContain('job4-thumbnails')
  })
})

describe('the step summary: server text renders as text, and the whole stays under 1 MiB', () => {
  it('escapes names, errors and the verdict line', () => {
    const views = [
      errorView(JOB_A, 'a <!-- b # c', [{ code: '<b>E</b>', message: '[x](https://evil.test) | *y*' }])
    ]
    const md = summaryMarkdown(
      waitResult('failure', views),
      { ok: false, message: '<img src=x> # no' },
      V2_ORIGIN
    )
    expect(md).not.toMatch(/<[a-z!/]/i)
    expect(md).toContain('&lt;img src=x&gt; \\# no')
    expect(md).toContain('| a &lt;\\!-- b \\# c |')
    expect(md).toContain('| &lt;b&gt;E&lt;/b&gt;\\: \\[x\\](https\\://evil.test) \\| \\*y\\* |')
    expect(md.split('\n').filter(l => l.startsWith('#'))).toEqual(['### ❌ Media Services job'])
  })

  it('leaves out the rows that do not fit, and says how many', () => {
    const views = Array.from({ length: 1000 }, (_, i) =>
      errorView(
        jobId(i),
        '名'.repeat(200),
        Array.from({ length: 10 }, () => ({ code: 'E', message: '<'.repeat(1000) }))
      )
    )
    const md = summaryMarkdown(waitResult('failure', views), { ok: false, message: 'failed' }, V2_ORIGIN)
    const bytes = Buffer.byteLength(md)
    expect(bytes).toBeLessThanOrEqual(1_000_000)
    expect(bytes).toBeGreaterThan(900_000)
    const rows = md.split('\n').filter(l => l.startsWith('| `')).length
    expect(rows).toBeGreaterThan(100)
    expect(md).toContain(`… and ${1000 - rows} more jobs not shown (the step summary is limited to 1 MiB).`)
  })

  it('keeps every row when they fit', () => {
    const md = summaryMarkdown(
      waitResult('success', [view(JOB_A, 'Finished')]),
      { ok: true, message: 'ok' },
      V2_ORIGIN
    )
    expect(md).not.toContain('not shown')
  })
})
