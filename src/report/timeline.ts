import { cut, serverText } from '../text.js'
import { type JobState, isFinal } from '../jobs/model.js'
import type { JobView } from '../wait/view.js'

/**
 * The step summary's job timeline: a Mermaid gantt (GitHub renders Mermaid in a step summary) with a
 * section per job and a bar per state, Queued/Scheduled → Processing → its end, or where the wait last saw a
 * job that had not ended. Times are the service's (created, startTime, endTime) where it gives them, and the
 * wait's own first sight of a state otherwise.
 */

/** Jobs drawn at most; a note counts the rest. */
export const TIMELINE_JOBS = 20
/** A job's section title, in characters: the width LEFT_PADDING leaves for it beside the bars. */
export const TIMELINE_LABEL_LIMIT = 32
/** Pixels left of the bars for the section titles (Mermaid's default, 75, fits about 12 characters). */
const LEFT_PADDING = 220

/** The states a job waits, works or ends in, in the order a job goes through them. */
const ORDER: readonly JobState[] = ['Queued', 'Scheduled', 'Processing', 'Canceling', 'Unknown']
/** What a bar of a job that has not ended says of it. */
const STILL: Readonly<Record<JobState, string>> = {
  Queued: 'still waiting',
  Scheduled: 'still waiting',
  Processing: 'still running',
  Canceling: 'still canceling',
  Unknown: 'still running',
  Finished: '',
  Error: '',
  Canceled: ''
}
const END_TAGS: Readonly<Record<JobState, string>> = {
  Finished: 'milestone, done',
  Error: 'milestone, crit',
  Canceled: 'milestone, crit',
  Queued: '',
  Scheduled: '',
  Processing: '',
  Canceling: '',
  Unknown: ''
}

/** One state of a job and when it began, by the clock said (the service's or ours). */
interface Mark {
  state: JobState
  at: number
}

/**
 * Text that Mermaid reads as a plain label wherever it stands in a gantt: server text on one line (control
 * characters, ANSI escapes and line breaks gone, see serverText), then only letters, digits and a few
 * punctuation marks kept. So no `:` or `,` (task data), `;` or `#` (statement ends, comments, entities),
 * `%` (comments, `%%{init}%%` directives), braces, quotes, backticks (the Markdown fence), `<` or `>`
 * (HTML). Mermaid's keywords (`click`, `call`, `section`) are plain words inside a label, which never
 * starts a line. Empty when nothing is left.
 */
export function mermaidText(text: string, limit: number): string {
  const plain = serverText(text, limit * 2).replace(/[^\p{L}\p{N}\p{M} .()/+=?!_-]+/gu, ' ')
  return cut(plain.replace(/ {2,}/g, ' ').trim(), limit)
}

/** When each state of a job began, in time order: the service's timestamps first, our first sight else. */
function marksOf(v: JobView): Mark[] {
  const job = v.job
  if (!job) return []
  const seen = v.firstSeen ?? {}
  const given: Partial<Record<JobState, number | undefined>> = {
    Queued: job.created?.getTime() ?? seen.Queued,
    Processing: job.startTime?.getTime() ?? seen.Processing
  }
  const marks = ORDER.map(state => ({ state, at: state in given ? given[state] : seen[state] }))
    .filter((m): m is Mark => known(m.at))
    .sort((a, b) => a.at - b.at)
  const end = isFinal(job.state) ? (job.endTime?.getTime() ?? seen[job.state] ?? v.lastSeen) : undefined
  // The end comes last, whatever the clocks say (the service's and ours may differ).
  if (known(end)) marks.push({ state: job.state, at: Math.max(end, ...marks.map(m => m.at)) })
  return marks
}

const known = (at: number | undefined): at is number => at !== undefined && Number.isFinite(at)

/**
 * A time as Mermaid's `dateFormat` reads it: the UTC clock, written as a local time. The chart is drawn in
 * the reader's time zone, so its axis shows UTC, as the table does.
 */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ')

/** The section of one job: a bar per state, then its end (a milestone), or where it was last seen. */
function jobSection(v: JobView, n: number, until: number): string[] {
  const marks = marksOf(v)
  const state = v.job!.state
  const title =
    mermaidText(v.job!.name || v.id, TIMELINE_LABEL_LIMIT) || mermaidText(v.id, TIMELINE_LABEL_LIMIT)
  const lines = [`  section ${n}. ${title}`.trimEnd()]
  marks.forEach((m, i) => {
    const from = stamp(m.at)
    if (isFinal(m.state)) {
      lines.push(`  ${m.state} :${END_TAGS[m.state]}, j${n}s${i}, ${from}, ${from}`)
      return
    }
    const next = marks[i + 1]
    const to = stamp(Math.max(m.at, next?.at ?? v.lastSeen ?? until))
    const label = next ? m.state : `${m.state} (${isFinal(state) ? 'end not given' : STILL[m.state]})`
    const tag = next ? 'done, ' : isFinal(state) ? '' : 'active, '
    lines.push(`  ${label} :${tag}j${n}s${i}, ${from}, ${to}`)
  })
  return lines
}

/**
 * The timeline as Markdown lines, within `room` bytes (line breaks counted): the first TIMELINE_JOBS jobs
 * with something to draw, fewer when room is short, none (no lines) when there is nothing to draw or no
 * room for one job. A note says how many were left out.
 */
export function timelineSection(views: readonly JobView[], room: number): string[] {
  // Numbered as in the table, whose rows are in the same order.
  const drawable = views.map((v, i) => ({ v, n: i + 1 })).filter(({ v }) => marksOf(v).length > 0)
  if (drawable.length === 0) return []
  const until = Math.max(
    ...drawable.flatMap(({ v }) => [...marksOf(v).map(m => m.at), v.lastSeen ?? -Infinity])
  )
  const head = [
    '',
    '**Timeline (UTC)**',
    '',
    '```mermaid',
    '---',
    'config:',
    '  gantt:',
    `    leftPadding: ${LEFT_PADDING}`,
    '---',
    'gantt',
    '  dateFormat YYYY-MM-DD HH:mm:ss.SSS',
    '  axisFormat %H:%M:%S',
    // No line at the reader's now: it is local time, and these are UTC times written as local ones.
    '  todayMarker off'
  ]
  const tail = ['```']
  const noteRoom = Buffer.byteLength(leftOutNote(999_999, 999_999)) + 2
  let left = room - bytes(head) - bytes(tail) - noteRoom
  const sections: string[] = []
  let drawn = 0
  for (const { v, n } of drawable.slice(0, TIMELINE_JOBS)) {
    const section = jobSection(v, n, until)
    left -= bytes(section)
    if (left < 0) break
    sections.push(...section)
    drawn++
  }
  if (drawn === 0) return []
  const note = drawn < drawable.length ? ['', leftOutNote(drawn, drawable.length)] : []
  return [...head, ...sections, ...tail, ...note]
}

function leftOutNote(drawn: number, of: number): string {
  return `The timeline shows the first ${drawn} of ${of} jobs.`
}

/** Bytes of lines joined by line breaks, with the break after the last. */
const bytes = (lines: readonly string[]): number => lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0)
