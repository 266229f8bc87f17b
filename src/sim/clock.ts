import type {SimClock, SimTimer} from './types.js'

/**
 * The sim's clocks. RealClock follows the wall clock, optionally faster (`--speed`); ManualClock only moves
 * when a test advances it, so that drains, hook timeouts and metric minutes are deterministic under test.
 */

interface RealTimer extends SimTimer {
  handle: ReturnType<typeof setTimeout>
}

/** Sim time = start + real elapsed x speed; a timer of `ms` sim milliseconds fires after ms / speed real ms. */
export class RealClock implements SimClock {
  private readonly realStart = Date.now()
  private readonly simStart: number
  private nextId = 1

  constructor(
    private readonly speed = 1,
    simStart?: number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be > 0, got ${speed}`)
    this.simStart = simStart ?? this.realStart
  }

  now(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed
  }

  setTimer(fn: () => void, ms: number): SimTimer {
    const handle = setTimeout(fn, Math.max(0, ms) / this.speed)
    // The HTTP server keeps the process alive; the world's own timers must never do so on their own.
    handle.unref()
    const timer: RealTimer = {id: this.nextId++, handle}
    return timer
  }

  clearTimer(timer: SimTimer): void {
    clearTimeout((timer as RealTimer).handle)
  }
}

interface ManualTimer extends SimTimer {
  due: number
  fn: () => void
}

/** A deterministic clock: timers fire only inside advance(), in (due time, creation) order. */
export class ManualClock implements SimClock {
  // A binary min-heap on (due, id): timers at the same instant fire in the order they were set.
  private heap: ManualTimer[] = []
  private cancelled = new Set<number>()
  private nextId = 1
  private current: number

  constructor(start = Date.UTC(2026, 10, 28, 12, 0, 0)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimer(fn: () => void, ms: number): SimTimer {
    const timer: ManualTimer = {id: this.nextId++, due: this.current + Math.max(0, ms), fn}
    this.push(timer)
    return timer
  }

  clearTimer(timer: SimTimer): void {
    this.cancelled.add(timer.id)
  }

  /** The number of timers still waiting to fire. */
  pending(): number {
    return this.heap.filter((t) => !this.cancelled.has(t.id)).length
  }

  /** Moves time forward by ms, firing every timer that falls due, including timers set by those timers. */
  advance(ms: number): void {
    const target = this.current + Math.max(0, ms)
    for (;;) {
      const next = this.heap[0]
      if (!next || next.due > target) break
      this.pop()
      if (this.cancelled.delete(next.id)) continue
      this.current = Math.max(this.current, next.due)
      next.fn()
    }
    this.current = target
  }

  /**
   * Advances in steps of stepMs until pred() holds, or fails after maxMs. Returns the sim time it took.
   * Tests use it to wait for an outcome without hard-coding how long the world takes to get there.
   */
  runUntil(pred: () => boolean, maxMs = 3_600_000, stepMs = 100): number {
    const start = this.current
    while (!pred()) {
      if (this.current - start >= maxMs) throw new Error(`runUntil: condition not met within ${maxMs} ms`)
      this.advance(stepMs)
    }
    return this.current - start
  }

  private less(a: ManualTimer, b: ManualTimer): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id)
  }

  private push(timer: ManualTimer): void {
    const h = this.heap
    h.push(timer)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(h[i]!, h[parent]!)) break
      ;[h[i], h[parent]] = [h[parent]!, h[i]!]
      i = parent
    }
  }

  private pop(): void {
    const h = this.heap
    const last = h.pop()
    if (!last || h.length === 0) return
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r
      if (m === i) break
      ;[h[i], h[m]] = [h[m]!, h[i]!]
      i = m
    }
  }
}
