/**
 * The refresh loop behind `ecsdrain watch`. Each round builds a ClusterSnapshot and hands it to a sink (the
 * TUI's store, or a line printer); the MemoryReservation metric is fetched on its own, slower cadence.
 *
 * Why a sleep chain and not setInterval: a refresh is a handful of network calls whose latency varies. With
 * setInterval a slow round overlaps the next one and a throttled account gets hit harder; with a chain the
 * next round starts only `interval` after the previous one ended, and errors can stretch the wait (backoff).
 */
import type {CloudWatchPort, Clock} from './ports.js'
import type {ClusterSnapshot, MetricPoint} from './types.js'
import {EcsdrainError, isTransient} from './errors.js'
import {backoffDelay} from './retry.js'

/** A line in the TUI's events pane: ECS service events, Auto Scaling activities, ecsdrain's own actions. */
export interface WatchEvent {
  id: string
  at: Date
  source: 'ecs' | 'autoscaling' | 'ecsdrain'
  message: string
  level: 'info' | 'warn' | 'error'
}

export interface PollerError {
  message: string
  suggestion: string | null
  /** Consecutive failed rounds. */
  failures: number
  retryInMs: number
  transient: boolean
}

export type PollerUpdate =
  | {kind: 'snapshot'; snapshot: ClusterSnapshot; at: Date; durationMs: number}
  | {kind: 'metric'; points: MetricPoint[]; at: Date}
  /** Only events not seen before, newest first. */
  | {kind: 'events'; events: WatchEvent[]}
  | {kind: 'error'; error: PollerError; at: Date}
  /** A round ended well: the snapshot, its events and (when due) the metric have all been passed on. */
  | {kind: 'refreshed'; at: Date}

export interface PollerOptions {
  cluster: string
  clock: Clock
  intervalMs: number
  /** Builds one snapshot of the cluster (src/core/snapshot.ts with the AWS ports, or a fake). */
  snapshot: (signal: AbortSignal) => Promise<ClusterSnapshot>
  cloudWatch: CloudWatchPort
  onUpdate: (update: PollerUpdate) => void
  /** The metric has 60 s resolution: fetching it more often only spends API calls. */
  metricEveryMs?: number
  /** How much metric history to show: 30 minutes plus a margin for CloudWatch's lag. */
  metricWindowMs?: number
  maxBackoffMs?: number
  /**
   * Milliseconds of real (wall) time, for how long a round took: the clock may be a simulated region's,
   * running faster than the calls it waits on. performance.now() by default.
   */
  stopwatch?: () => number
}

export interface Poller {
  /** Ends the current sleep early, so that the next round starts now (e.g. after an action). */
  refreshNow(): void
  /** Stops the loop; resolves once the round in flight has finished. */
  stop(): Promise<void>
  /** Resolves when the loop has ended. */
  readonly done: Promise<void>
}

export const METRIC_EVERY_MS = 60_000
export const METRIC_WINDOW_MS = 35 * 60_000
const SEEN_EVENT_LIMIT = 5000

/**
 * The wait after `failures` failed rounds in a row: core's backoff from the interval up to maxMs, interval ×
 * 2^(failures-1). No jitter: this is one loop making one round at a time (no burst of callers to spread out;
 * the SDK under it already jitters each call), and the TUI shows the wait, so it says exactly when.
 */
export function roundBackoff(intervalMs: number, failures: number, maxMs: number): number {
  return backoffDelay(failures, {baseMs: intervalMs, capMs: Math.max(maxMs, intervalMs), jitter: 0})
}

export function describePollerError(error: unknown, failures: number, retryInMs: number): PollerError {
  if (error instanceof EcsdrainError) {
    return {
      message: error.message,
      suggestion: error.suggestion ?? null,
      failures,
      retryInMs,
      transient: isTransient(error),
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {message, suggestion: null, failures, retryInMs, transient: false}
}

/** The events a snapshot carries, as WatchEvents (not yet de-duplicated), newest first. */
export function eventsOfSnapshot(snapshot: ClusterSnapshot): WatchEvent[] {
  const events: WatchEvent[] = []
  for (const service of snapshot.services) {
    for (const e of service.events) {
      const level = /unable to place|was unable|failed/i.test(e.message) ? 'warn' : 'info'
      events.push({id: `ecs:${e.id}`, at: e.createdAt, source: 'ecs', message: e.message, level})
    }
  }
  for (const a of snapshot.activities) {
    // An activity keeps its id while its status moves on; keying on the status too shows each step once.
    const level = /failed|cancelled/i.test(a.statusCode) ? 'warn' : 'info'
    events.push({
      id: `asg:${a.activityId}:${a.statusCode}`,
      at: a.endTime ?? a.startTime,
      source: 'autoscaling',
      // The group is in the header; the status first, so a narrow pane still shows it.
      message: `${a.statusCode}: ${a.description}`,
      level,
    })
  }
  return events.sort((x, y) => y.at.getTime() - x.at.getTime())
}

/** Remembers which event ids were already passed on, so that each event is shown once. */
export class EventDeduper {
  private readonly seen = new Set<string>()

  constructor(private readonly limit = SEEN_EVENT_LIMIT) {}

  fresh(events: WatchEvent[]): WatchEvent[] {
    const out = events.filter((e) => !this.seen.has(e.id))
    for (const e of out) this.seen.add(e.id)
    // A Set iterates in insertion order, so the oldest ids go first when it grows past the limit.
    for (const id of this.seen) {
      if (this.seen.size <= this.limit) break
      this.seen.delete(id)
    }
    return out
  }
}

export function startPoller(opts: PollerOptions): Poller {
  const metricEveryMs = opts.metricEveryMs ?? METRIC_EVERY_MS
  const metricWindowMs = opts.metricWindowMs ?? METRIC_WINDOW_MS
  const maxBackoffMs = opts.maxBackoffMs ?? Math.max(60_000, opts.intervalMs)
  const stopper = new AbortController()
  const deduper = new EventDeduper()
  let wake: AbortController | null = null
  // A refreshNow() that arrives while a round is in flight must not be lost: the next sleep is skipped.
  let wakeRequested = false
  let failures = 0
  let lastMetricAt = Number.NEGATIVE_INFINITY

  const stopwatch = opts.stopwatch ?? (() => performance.now())

  async function round(): Promise<void> {
    const started = stopwatch()
    const snapshot = await opts.snapshot(stopper.signal)
    const at = new Date(opts.clock.now())
    opts.onUpdate({kind: 'snapshot', snapshot, at, durationMs: Math.round(stopwatch() - started)})
    const fresh = deduper.fresh(eventsOfSnapshot(snapshot))
    if (fresh.length > 0) opts.onUpdate({kind: 'events', events: fresh})
    if (at.getTime() - lastMetricAt >= metricEveryMs) {
      const points = await opts.cloudWatch.memoryReservationMinimum(
        opts.cluster,
        new Date(at.getTime() - metricWindowMs),
        at,
      )
      // Only a successful fetch starts the next minute: a failed one is retried at the next round.
      lastMetricAt = at.getTime()
      opts.onUpdate({kind: 'metric', points, at})
    }
    opts.onUpdate({kind: 'refreshed', at})
  }

  async function loop(): Promise<void> {
    while (!stopper.signal.aborted) {
      let delay = opts.intervalMs
      try {
        await round()
        failures = 0
      } catch (error) {
        if (stopper.signal.aborted) break
        failures += 1
        delay = roundBackoff(opts.intervalMs, failures, maxBackoffMs)
        const at = new Date(opts.clock.now())
        opts.onUpdate({kind: 'error', error: describePollerError(error, failures, delay), at})
      }
      if (stopper.signal.aborted) break
      if (wakeRequested) {
        wakeRequested = false
        continue
      }
      wake = new AbortController()
      const onStop = () => wake?.abort()
      stopper.signal.addEventListener('abort', onStop, {once: true})
      try {
        await opts.clock.sleep(delay, wake.signal)
      } catch {
        // Woken early by refreshNow() or stop(): either way, go round the loop again.
      } finally {
        stopper.signal.removeEventListener('abort', onStop)
        wake = null
      }
    }
  }

  const done = loop()
  return {
    refreshNow: () => {
      if (wake) wake.abort()
      else wakeRequested = true
    },
    stop: async () => {
      stopper.abort()
      await done
    },
    done,
  }
}
