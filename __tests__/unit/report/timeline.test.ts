/** The step summary's job timeline: its bars and times, its limits, its labels, and mermaid's own reading of it. */
import { describe, it, expect } from '@jest/globals'
import {
  mermaidText,
  TIMELINE_JOBS,
  TIMELINE_LABEL_LIMIT,
  timelineSection
} from '../../../src/report/timeline.js'
import type { JobView } from '../../../src/wait/waiter.js'
import { view } from '../../../__fixtures__/jobs.js'
import { at } from '../../../__fixtures__/report.js'
import { HOSTILE } from '../../../__fixtures__/hostile.js'
import { diagramOf, mermaidReads } from '../../../__fixtures__/mermaid.js'

const ms = (iso: string): number => at(iso).getTime()
const HEAD = [
  '',
  '**Timeline (UTC)**',
  '',
  '```mermaid',
  '---',
  'config:',
  '  gantt:',
  '    leftPadding: 220',
  '---',
  'gantt',
  '  dateFormat YYYY-MM-DD HH:mm:ss.SSS',
  '  axisFormat %H:%M:%S',
  '  todayMarker off'
]
const ROOM = 1_000_000
/** What the timeline's front matter sets, and all that any directive may set. */
const OUR_CONFIG = { gantt: { leftPadding: 220 } }

/** A job with the service's three times, seen by the wait a second after each. */
const finishedWithTimes = (): JobView =>
  view(
    'job-a',
    'Finished',
    {
      firstSeen: { Queued: ms('12:00:01'), Processing: ms('12:00:11'), Finished: ms('12:02:06') },
      lastSeen: ms('12:02:06')
    },
    { name: 'trailer', created: at('12:00:00'), startTime: at('12:00:10'), endTime: at('12:02:05') }
  )
/** A job the service gave no times for (v2 leaves them out until it starts): the wait's own sightings. */
const erroredSeen = (): JobView =>
  view('job-b', 'Error', {
    firstSeen: { Scheduled: ms('12:00:01'), Processing: ms('12:00:20'), Error: ms('12:01:00') },
    lastSeen: ms('12:01:00')
  })
/** Still running when the wait timed out: last seen at 12:03. */
const stillRunning = (): JobView =>
  view(
    'job-c',
    'Processing',
    { firstSeen: { Processing: ms('12:00:31') }, lastSeen: ms('12:03:00') },
    { name: 'poster', startTime: at('12:00:30') }
  )

describe('the timeline of a wait', () => {
  it('draws each job: the service times where given, the wait’s sightings else, and where a running job was last seen', () => {
    expect(timelineSection([finishedWithTimes(), erroredSeen(), stillRunning()], ROOM)).toEqual([
      ...HEAD,
      '  section 1. trailer',
      '  Queued :done, j1s0, 2024-05-01 12:00:00.000, 2024-05-01 12:00:10.000',
      '  Processing :done, j1s1, 2024-05-01 12:00:10.000, 2024-05-01 12:02:05.000',
      '  Finished :milestone, done, j1s2, 2024-05-01 12:02:05.000, 2024-05-01 12:02:05.000',
      '  section 2. encode trailer',
      '  Scheduled :done, j2s0, 2024-05-01 12:00:01.000, 2024-05-01 12:00:20.000',
      '  Processing :done, j2s1, 2024-05-01 12:00:20.000, 2024-05-01 12:01:00.000',
      '  Error :milestone, crit, j2s2, 2024-05-01 12:01:00.000, 2024-05-01 12:01:00.000',
      '  section 3. poster',
      '  Processing (still running) :active, j3s0, 2024-05-01 12:00:30.000, 2024-05-01 12:03:00.000',
      '```'
    ])
  })

  it('nothing to draw, no timeline: no job seen, or no time known of any', () => {
    expect(timelineSection([view('job-a'), view('job-b')], ROOM)).toEqual([])
    // A view the waiter did not make (no sightings) of a job the service gave no times for.
    expect(timelineSection([view('job-a', 'Finished')], ROOM)).toEqual([])
  })

  it('numbers jobs as the table does: a job not seen keeps its number', () => {
    const lines = timelineSection([view('job-x'), stillRunning()], ROOM)
    expect(lines.filter(l => l.includes('section'))).toEqual(['  section 2. poster'])
  })

  it('a job that ended with no end time known ends where it was last seen, without a milestone', () => {
    const v = view('job-a', 'Finished', {}, { startTime: at('12:00:00') })
    expect(timelineSection([v, stillRunning()], ROOM)).toContain(
      '  Processing (end not given) :j1s0, 2024-05-01 12:00:00.000, 2024-05-01 12:03:00.000'
    )
  })

  it('the end is drawn last even when the clocks disagree (seen Processing after the service says it ended)', () => {
    const v = view(
      'job-a',
      'Finished',
      { firstSeen: { Processing: ms('12:05:00') } },
      { endTime: at('12:04:00') }
    )
    expect(timelineSection([v], ROOM).slice(HEAD.length, -1)).toEqual([
      '  section 1. encode trailer',
      '  Processing :done, j1s0, 2024-05-01 12:05:00.000, 2024-05-01 12:05:00.000',
      '  Finished :milestone, done, j1s1, 2024-05-01 12:05:00.000, 2024-05-01 12:05:00.000'
    ])
  })

  it(`draws the first ${TIMELINE_JOBS} jobs and says how many there were`, () => {
    const views = Array.from({ length: 25 }, () => stillRunning())
    const lines = timelineSection(views, ROOM)
    expect(lines.filter(l => l.includes('section'))).toHaveLength(TIMELINE_JOBS)
    expect(lines.slice(-2)).toEqual(['', `The timeline shows the first ${TIMELINE_JOBS} of 25 jobs.`])
  })

  it('within the room it is given: fewer jobs with the note, or none at all', () => {
    const views = [finishedWithTimes(), erroredSeen(), stillRunning()]
    // In the summary the lines are joined, each with a line break after it.
    const bytes = (lines: string[]): number => Buffer.byteLength(lines.map(l => `${l}\n`).join(''))
    const all = bytes(timelineSection(views, ROOM))
    for (let room = 0; room <= all + 200; room += 7) {
      const lines = timelineSection(views, room)
      expect(bytes(lines)).toBeLessThanOrEqual(room)
      const drawn = lines.filter(l => l.includes('section')).length
      if (drawn > 0 && drawn < 3)
        expect(lines.at(-1)).toBe(`The timeline shows the first ${drawn} of 3 jobs.`)
    }
    expect(timelineSection(views, 100)).toEqual([])
    expect(timelineSection(views, all - 30).filter(l => l.includes('section'))).toHaveLength(2)
  })
})

describe('labels mermaid reads as text', () => {
  it('keeps letters, digits and plain punctuation, in any script', () => {
    expect(mermaidText('Encode 4K (trailer) v2.1 – Übersicht 名前', 60)).toBe(
      'Encode 4K (trailer) v2.1 Übersicht 名前'
    )
  })

  it('drops what Mermaid or the Markdown fence reads as syntax, and line breaks', () => {
    const hostile =
      'a:b;c#d%%{init: {"theme":"dark"}}%%e`f`g<b>h</b>&amp;\'i\'\n  click j call alert(1)\r\u2028k'
    const text = mermaidText(hostile, 200)
    expect(text).toMatch(/^[\p{L}\p{N}\p{M} .()/+=?!_-]*$/u)
    expect(text).toBe('a b c d init theme dark e f g b h /b amp i click j call alert(1) k')
  })

  it('is cut to its limit, and empty when nothing is left', () => {
    expect(mermaidText('x'.repeat(500), TIMELINE_LABEL_LIMIT)).toBe(
      'x'.repeat(TIMELINE_LABEL_LIMIT - 1) + '…'
    )
    expect(mermaidText(':;#%%``', 60)).toBe('')
  })

  it('a job with no name left is named by its id, and one with neither by its number alone', () => {
    const lines = (name: string, id: string): string[] =>
      timelineSection(
        [view(id, 'Processing', { lastSeen: ms('12:01:00') }, { name, startTime: at('12:00:00') })],
        ROOM
      )
    expect(lines(':::', 'nb:jid:UUID:1234')).toContain('  section 1. nb jid UUID 1234')
    expect(lines('%%', '##')).toContain('  section 1.')
  })
})

describe('mermaid itself', () => {
  const hostileNames = [
    HOSTILE,
    'a:b;c#d %%{init: {"theme":"dark","securityLevel":"loose"}}%% x',
    '```\n# heading\n```mermaid',
    'x\n  click j1s0 call alert(1)\n  section owned',
    '<img src=x onerror=alert(1)> &lt;script&gt; #quot; #9829;',
    'title owned\ndateFormat YYYY\nexcludes weekends',
    ':::,,,;;;'
  ]

  it('accepts the timeline, hostile names included, and reads back exactly the jobs, bars and times drawn', () => {
    const named = hostileNames.map((name, i) =>
      view(`job-${i}`, 'Processing', { lastSeen: ms('12:01:00') }, { name, startTime: at('12:00:00') })
    )
    const waits = [[finishedWithTimes(), erroredSeen(), stillRunning()], named]
    const sections = waits.map(views => timelineSection(views, ROOM))
    const readings = mermaidReads(sections.map(diagramOf))
    expect(readings.map(r => r.error)).toEqual([undefined, undefined])
    const [ours, hostile] = readings
    expect(ours.diagramType).toBe('gantt')
    expect(ours.config).toEqual(OUR_CONFIG)
    expect(ours.sections).toEqual(['1. trailer', '2. encode trailer', '3. poster'])
    expect(ours.tasks!.map(t => [t.section, t.task.trim(), t.start, t.end, t.tags])).toEqual([
      ['1. trailer', 'Queued', ms('12:00:00'), ms('12:00:10'), ['done']],
      ['1. trailer', 'Processing', ms('12:00:10'), ms('12:02:05'), ['done']],
      ['1. trailer', 'Finished', ms('12:02:05'), ms('12:02:05'), ['done', 'milestone']],
      ['2. encode trailer', 'Scheduled', ms('12:00:01'), ms('12:00:20'), ['done']],
      ['2. encode trailer', 'Processing', ms('12:00:20'), ms('12:01:00'), ['done']],
      ['2. encode trailer', 'Error', ms('12:01:00'), ms('12:01:00'), ['crit', 'milestone']],
      ['3. poster', 'Processing (still running)', ms('12:00:30'), ms('12:03:00'), ['active']]
    ])
    // Hostile names: one section and one bar each, no directive took effect, the titles as neutralised.
    expect(hostile.config).toEqual(OUR_CONFIG)
    expect(hostile.sections).toEqual(
      hostileNames.map((name, i) => `${i + 1}. ${mermaidText(name, TIMELINE_LABEL_LIMIT) || `job-${i}`}`)
    )
    expect(hostile.tasks!.map(t => t.task.trim())).toEqual(
      hostileNames.map(() => 'Processing (still running)')
    )
    expect(hostile.tasks!.map(t => t.id)).toEqual(hostileNames.map((_, i) => `j${i + 1}s0`))
  })

  it('rejects a broken block: the check can fail (a raw name, a task line cut short, no diagram)', () => {
    const good = diagramOf(timelineSection([stillRunning()], ROOM))
    const [raw, cutShort, none] = mermaidReads([
      good.replace('section 1. poster', 'section 1. poster\n  click me'),
      good.replace(/, 2024-05-01 12:03:00\.000\n$/, '\n  Processing\n'),
      'not a diagram\n'
    ])
    expect(raw.ok).toBe(false)
    expect(raw.error).toMatch(/Parse error/)
    expect(cutShort.ok).toBe(false)
    expect(none.ok).toBe(false)
  })
})
