import { markdownText } from '../text.js'
import { isFinal, ranMs } from '../jobs/model.js'
import { formatDuration } from '../time.js'
import type { JobView, WaitResult } from '../wait/waiter.js'
import { type JobsOrigin, jobsNoun, errorsOf } from './naming.js'
import { type AssetRecord, assetRecords, jobRecord } from './outputs.js'
import { timelineSection } from './timeline.js'

/**
 * The step summary: a pure function from the final state to Markdown, in which server text renders as
 * text (escaped) and which stays under GitHub's 1 MiB limit for a step summary.
 */

export const SUMMARY_BYTES = 1_000_000

const MARK: Record<string, string> = {
  Finished: '✅ Finished',
  Error: '❌ Error',
  Canceled: '⛔ Canceled',
  Canceling: '⏳ Canceling',
  Processing: '⏳ Processing',
  Queued: '🕓 Queued',
  Scheduled: '🕓 Scheduled',
  NotFound: '❓ Not found',
  Unknown: '❓ Unknown'
}

/** The step summary of a step whose inputs were refused: no job was looked at, and this says why. */
export function inputErrorMarkdown(message: string): string {
  return ['### ❌ Media Services jobs', '', `Invalid input: ${markdownText(message)}`, ''].join('\n')
}

/**
 * The step summary as Markdown: one table row per job, whatever the outcome, the jobs' timeline, and the
 * output assets, within SUMMARY_BYTES.
 */
export function summaryMarkdown(
  result: WaitResult,
  verdictText: { ok: boolean; message: string; warning?: boolean },
  origin: JobsOrigin,
  limit = SUMMARY_BYTES
): string {
  const head = [
    `### ${verdictText.ok ? (verdictText.warning ? '⚠️' : '✅') : '❌'} ${markdownText(jobsNoun(origin, result.views.length !== 1))}`,
    '',
    markdownText(verdictText.message),
    '',
    '| Job | Name | State | Progress | Start (UTC) | End (UTC) | Duration | Error |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |'
  ].join('\n')
  // Room for the notes on rows left out; their numbers have at most 6 digits (1000 jobs, 100 assets each).
  let room = limit - Buffer.byteLength(head) - 2 * Buffer.byteLength(omittedNote(999_999, 'job')) - 8
  const take = (row: string): boolean => {
    room -= Buffer.byteLength(row) + 1
    return room >= 0
  }
  const rows: string[] = []
  for (const v of result.views) {
    const row = summaryRow(v)
    if (!take(row)) break
    rows.push(row)
  }
  const omitted = result.views.length - rows.length
  const jobs = [head, ...rows, ...(omitted ? ['', omittedNote(omitted, 'job')] : [])]
  const assets = assetsSection(assetRecords(result.views), take)
  // The timeline follows the table, in the room the tables left: it is shortened or dropped first.
  return [...jobs, ...timelineSection(result.views, room), ...assets, ''].join('\n')
}

const ASSETS_HEAD = [
  '',
  '**Output assets**',
  '',
  '| Job | Asset | Asset id | Storage account | Label |',
  '| --- | --- | --- | --- | --- |'
]

/** The output assets of the finished jobs, one row each, as many as `take` leaves room for. */
function assetsSection(assets: readonly AssetRecord[], take: (row: string) => boolean): string[] {
  if (assets.length === 0) return []
  // Rows of jobs left out leave no room for the table: the note still says the assets were there.
  if (!take(ASSETS_HEAD.join('\n'))) return ['', omittedNote(assets.length, 'asset')]
  const rows: string[] = []
  for (const a of assets) {
    const row = `| ${codeCell(a.job)} | ${markdownText(a.name)} | ${a.id ? codeCell(a.id) : ''} | ${markdownText(a.storageAccount ?? '')} | ${markdownText(a.label ?? '')} |`
    if (!take(row)) break
    rows.push(row)
  }
  const omitted = assets.length - rows.length
  return [...ASSETS_HEAD, ...rows, ...(omitted ? ['', omittedNote(omitted, 'asset')] : [])]
}

function omittedNote(n: number, what: 'job' | 'asset'): string {
  return `… and ${n} more ${n === 1 ? what : `${what}s`} not shown (the step summary is limited to 1 MiB).`
}

function summaryRow(v: JobView): string {
  const r = jobRecord(v)
  const job = v.job
  const ran = job && ranMs(job)
  // A job that started and runs on with no running time known yet (v3 gives none until it ends) is running.
  const duration =
    ran !== undefined ? formatDuration(ran) : job?.startTime && !isFinal(job.state) ? 'running' : ''
  return `| ${codeCell(r.id)} | ${markdownText(r.name)} | ${MARK[r.state] ?? r.state}${r.reportedState ? ` ("${markdownText(r.reportedState)}")` : ''} | ${r.progress === null ? '' : `${r.progress}%`} | ${r.startTime ?? ''} | ${r.endTime ?? ''} | ${duration} | ${markdownText(errorsOf(v))} |`
}

/**
 * An id as a code span in a table cell. GitHub splits a row on every unescaped `|`, inside backticks too,
 * and drops the backslash of `\|` there: the span shows the id as given. The fence is one backtick more
 * than the longest run in the id, so a backtick in it cannot close the span.
 */
export function codeCell(text: string): string {
  const plain = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|')
  const fence = '`'.repeat(Math.max(0, ...(plain.match(/`+/g) ?? []).map(run => run.length)) + 1)
  const pad = plain.startsWith('`') || plain.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${plain}${pad}${fence}`
}
