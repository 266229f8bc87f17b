/** Small text formatters shared by the TUI's components. Times are UTC, as the header says. */
import type {InstanceView} from '../core/types.js'

/** m:ss (or h:mm:ss) until the deadline; "0:00" once passed. */
export function countdown(deadline: Date, now: number): string {
  const total = Math.max(0, Math.floor((deadline.getTime() - now) / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

export interface HookDeadlines {
  hook: string
  defaultResult: string
  /** The snapshot's estimate, or the later one our own heartbeat set. */
  heartbeat: Date | null
  global: Date | null
  /** Whichever comes first: when the action times out with its default result. */
  first: {which: 'heartbeat' | 'global'; at: Date} | null
}

/** The deadlines of an instance's pending lifecycle action; null when nothing is pending. */
export function hookDeadlines(instance: InstanceView, heartbeatSent?: Date): HookDeadlines | null {
  const hook = instance.lifecycleHook
  if (!hook) return null
  // Our own heartbeat moved the deadline later than the estimate (which dates from the termination).
  const heartbeat =
    heartbeatSent && (!hook.heartbeatDeadline || heartbeatSent > hook.heartbeatDeadline)
      ? heartbeatSent
      : hook.heartbeatDeadline
  const candidates = [
    heartbeat ? {which: 'heartbeat' as const, at: heartbeat} : null,
    hook.globalDeadline ? {which: 'global' as const, at: hook.globalDeadline} : null,
  ].filter((c) => c !== null)
  const first = candidates.reduce<HookDeadlines['first']>(
    (a, c) => (a === null || c.at.getTime() < a.at.getTime() ? c : a),
    null,
  )
  return {hook: hook.name, defaultResult: hook.defaultResult, heartbeat, global: hook.globalDeadline, first}
}

/**
 * The countdown of an instance's pending lifecycle action: "hb 4:30" (heartbeat) or "gl 1:58:00" (the global
 * timeout, when it comes first), with "→CONTINUE" when long. null when nothing is pending.
 */
export function lifecycleCountdown(
  instance: InstanceView,
  now: number,
  heartbeatSent?: Date,
  long = true,
): string | null {
  const d = hookDeadlines(instance, heartbeatSent)
  if (!d) return null
  if (!d.first) return 'pending'
  const which = d.first.which === 'heartbeat' ? 'hb' : 'gl'
  return `${which} ${countdown(d.first.at, now)}${long ? `→${d.defaultResult}` : ''}`
}

export function percent(used: number, total: number): string {
  if (total <= 0) return '-'
  return `${Math.round((100 * used) / total)}%`
}

export function clock(date: Date | null): string {
  return date ? date.toISOString().slice(11, 19) : '--:--:--'
}

/** Pads or cuts to exactly width columns, so that table columns line up. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return ''
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width)
}

/**
 * Word-wraps text to width (a word longer than a line is split), every line after the first indented by
 * `indent` spaces: for the full text of events, task reasons and stop reasons.
 */
export function wrap(text: string, width: number, indent = 0): string[] {
  const lines: string[] = []
  let line = ''
  const room = () => width - (lines.length === 0 ? 0 : indent)
  const push = () => {
    lines.push((lines.length === 0 ? '' : ' '.repeat(indent)) + line)
    line = ''
  }
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > 0) {
      const sep = line ? 1 : 0
      if (line.length + sep + word.length <= room()) {
        line += (sep ? ' ' : '') + word
        word = ''
      } else if (!line && word.length > room()) {
        line = word.slice(0, Math.max(1, room()))
        word = word.slice(line.length)
        push()
      } else {
        push()
      }
    }
  }
  if (line || lines.length === 0) push()
  return lines
}

/**
 * Key hints that fit the width: the most important ones are kept, in their given order, and the rest are
 * dropped whole, so that no hint is ever cut in the middle.
 */
export function fitHints(hints: ReadonlyArray<{text: string; priority: number}>, width: number): string {
  const byPriority = [...hints].sort((a, b) => a.priority - b.priority)
  const kept = new Set<(typeof hints)[number]>()
  let used = 0
  for (const h of byPriority) {
    const cost = h.text.length + (kept.size > 0 ? 2 : 0)
    if (used + cost > width) continue
    kept.add(h)
    used += cost
  }
  return hints
    .filter((h) => kept.has(h))
    .map((h) => h.text)
    .join('  ')
}
