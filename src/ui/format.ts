/** Small text formatters shared by the TUI's components and the plain-line renderer. */
import type {InstanceView} from '../core/types.js'

/** m:ss (or h:mm:ss) until the deadline; "0:00" once passed. */
export function countdown(deadline: Date, now: number): string {
  const total = Math.max(0, Math.floor((deadline.getTime() - now) / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/**
 * The countdown of an instance's pending lifecycle action: the heartbeat deadline, or the global one when it
 * comes first. null when nothing is pending.
 */
export function lifecycleCountdown(instance: InstanceView, now: number, heartbeatSent?: Date): string | null {
  const hook = instance.lifecycleHook
  if (!hook) return null
  // Our own heartbeat moved the deadline later than the estimate (which dates from the termination).
  const heartbeat =
    heartbeatSent && (!hook.heartbeatDeadline || heartbeatSent > hook.heartbeatDeadline)
      ? heartbeatSent
      : hook.heartbeatDeadline
  const deadlines = [heartbeat, hook.globalDeadline].filter((d): d is Date => d !== null)
  if (deadlines.length === 0) return `${hook.name} pending`
  const first = deadlines.reduce((a, b) => (a.getTime() <= b.getTime() ? a : b))
  const which = first === heartbeat ? 'hb' : 'global'
  return `${which} ${countdown(first, now)}→${hook.defaultResult}`
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
