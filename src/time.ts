/** Durations as people write them in workflows, and as we print them in logs. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
/** Every spelling people use in workflows, by unit. `m` is minutes: months are never a wait. */
const SPELLINGS: Record<string, string[]> = {
  ms: ['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'],
  s: ['s', 'sec', 'secs', 'second', 'seconds'],
  m: ['m', 'min', 'mins', 'minute', 'minutes'],
  h: ['h', 'hr', 'hrs', 'hour', 'hours'],
  d: ['d', 'day', 'days']
}
const UNITS = new Map(
  Object.entries(SPELLINGS).flatMap(([unit, names]) => names.map(n => [n, UNIT_MS[unit]]))
)

/**
 * Parses `15`, `15s`, `2m`, `1h30m`, `1.5h`, `500ms`, `90min`, `2 hours`, `1 hour 30 minutes`, `45 sec`,
 * `2hrs` into milliseconds. A bare number is seconds. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.toLowerCase().replace(/\s+/g, '')
  if (t === '') return undefined
  if (/^\d+(\.\d+)?$/.test(t)) return finite(Number(t) * 1000)
  const part = /(\d+(?:\.\d+)?)([a-z]+)/y
  let total = 0
  let at = 0
  while (at < t.length) {
    part.lastIndex = at
    const m = part.exec(t)
    const unit = m ? UNITS.get(m[2]) : undefined
    if (!m || unit === undefined) return undefined
    total += Number(m[1]) * unit
    at = part.lastIndex
  }
  return finite(total)
}

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? Math.round(ms) : undefined
}

/** 0s, 42s, 3m 05s, 2h 03m, 1d 02h: short, fixed width within a unit, never more than two parts. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0
  const s = Math.floor(ms / 1000)
  if (s < 60) return ms > 0 && ms < 1000 ? `${(ms / 1000).toFixed(1)}s` : `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${pad(s % 60)}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h ${pad(m % 60)}m`
  return `${Math.floor(h / 24)}d ${pad(h % 24)}h`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** Elapsed time as a log prefix: [mm:ss] or [h:mm:ss]. */
export function clockStamp(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(s / 3600)
  const mm = pad(Math.floor((s % 3600) / 60))
  const ss = pad(s % 60)
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}
