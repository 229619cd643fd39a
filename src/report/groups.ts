import type { Logger } from '../logger.js'
import { clockStamp } from '../time.js'
import type { JobView } from '../wait/waiter.js'
import { ChangeLog } from './log.js'

/**
 * The detail of each poll (its requests at debug level, retries, redirects) in a collapsible group of the log,
 * opened only when there is something to put in it, and closed before the poll's state changes and progress,
 * which stay outside: a long wait reads as its changes, with the detail a click away. A warning is never hidden
 * in a group. Without group support (a test's logger) the lines are written as they are.
 */
export class PollLog {
  private open = false
  private ended = false
  private polls = 0
  private readonly started: number
  private readonly changes = new ChangeLog()

  constructor(
    private readonly log: Logger,
    private readonly now: () => number
  ) {
    this.started = now()
  }

  /** After each poll: its group closed, then what changed (ChangeLog's lines), outside any group. */
  onPoll(views: readonly JobView[], elapsedMs: number): void {
    this.close()
    this.polls++
    for (const line of this.changes.lines(views, elapsedMs, this.now())) this.log.info(line)
  }

  /** The logger for the parts that work during a poll (sign-in, the job source). */
  readonly detail: Logger = {
    debug: message => {
      // Debug lines alone open no group when the runner hides them: it would show an empty one.
      if (this.log.showsDebug) this.enter()
      this.log.debug(message)
    },
    info: message => {
      this.enter()
      this.log.info(message)
    },
    warning: message => {
      this.close()
      this.log.warning(message)
    }
  }

  /** The wait is over: what the source still does (output assets, cancels) goes in a group of its own. */
  waitEnded(): void {
    this.close()
    this.ended = true
  }

  /** Ends the poll's group, if one was opened: what follows is the poll's outcome. */
  close(): void {
    if (!this.open) return
    this.open = false
    this.log.endGroup?.()
  }

  private enter(): void {
    if (this.open || !this.log.startGroup) return
    this.open = true
    const at = `[${clockStamp(this.now() - this.started)}]`
    this.log.startGroup(this.ended ? `After the wait ${at}` : `Poll ${this.polls + 1} ${at}`)
  }
}
