import type { Logger } from '../src/logger.js'

/** A Logger that keeps what the user would read in the step's log. */
export interface CollectingLogger extends Logger {
  readonly lines: { level: 'debug' | 'info' | 'warning'; message: string }[]
  /** Info and warning lines, as shown without debug logging. */
  shown(): string[]
  warnings(): string[]
}

export function collectingLogger(): CollectingLogger {
  const lines: CollectingLogger['lines'] = []
  return {
    lines,
    debug: message => void lines.push({ level: 'debug', message }),
    info: message => void lines.push({ level: 'info', message }),
    warning: message => void lines.push({ level: 'warning', message }),
    shown: () => lines.filter(l => l.level !== 'debug').map(l => l.message),
    warnings: () => lines.filter(l => l.level === 'warning').map(l => l.message)
  }
}
