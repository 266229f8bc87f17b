import {describe, expect, it} from 'vitest'

import {AwsApiError} from '../../src/core/errors.js'
import {
  roundBackoff,
  EventDeduper,
  startPoller,
  type PollerUpdate,
  type WatchEvent,
} from '../../src/core/poller.js'
import type {Clock} from '../../src/core/ports.js'
import type {ClusterSnapshot, MetricPoint} from '../../src/core/types.js'
import {serviceInfo} from '../helpers/core-shapes.js'

/** A clock that moves only when the test says so; sleeps resolve in deadline order. */
class FakeClock implements Clock {
  t = Date.UTC(2026, 10, 28, 3, 0, 0)
  private timers: Array<{at: number; resolve: () => void}> = []
  sleeps: number[] = []

  now(): number {
    return this.t
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    return new Promise((resolve, reject) => {
      const timer = {at: this.t + ms, resolve}
      this.timers.push(timer)
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer)
        reject(new Error('aborted'))
      })
    })
  }

  /** Moves time forward, firing due sleeps one at a time and letting the poller's promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    await flush()
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers[0]
      if (!next || next.at > end) break
      this.timers.shift()
      this.t = next.at
      next.resolve()
      await flush()
    }
    this.t = end
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

function snapshotAt(t: number, serviceEvents: Array<{id: string; message: string}> = []): ClusterSnapshot {
  return {
    cluster: 'c1',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c1',
    takenAt: new Date(t),
    instances: [],
    services: [
      serviceInfo(
        {serviceName: 's1', serviceArn: 'arn:s1', taskDefinition: 'td:1'},
        {events: serviceEvents.map((e) => ({...e, createdAt: new Date(t)}))},
      ),
    ],
    groups: [],
    activities: [],
    refreshes: [],
  }
}

function harness(
  opts: {fail?: (round: number) => unknown; intervalMs?: number; stopwatch?: () => number} = {},
) {
  const clock = new FakeClock()
  const updates: PollerUpdate[] = []
  const metricCalls: Array<{start: Date; end: Date}> = []
  let rounds = 0
  let events: Array<{id: string; message: string}> = [{id: 'e1', message: 'steady state'}]
  const poller = startPoller({
    cluster: 'c1',
    clock,
    intervalMs: opts.intervalMs ?? 5000,
    snapshot: async () => {
      rounds += 1
      const failure = opts.fail?.(rounds)
      if (failure) throw failure
      return snapshotAt(clock.now(), events)
    },
    cloudWatch: {
      memoryReservationMinimum: async (_cluster, start, end): Promise<MetricPoint[]> => {
        metricCalls.push({start, end})
        return [{timestamp: new Date(end.getTime() - 60_000), value: 50}]
      },
    },
    onUpdate: (u) => updates.push(u),
    stopwatch: opts.stopwatch,
  })
  return {
    clock,
    updates,
    metricCalls,
    poller,
    rounds: () => rounds,
    setEvents: (e: typeof events) => (events = e),
  }
}

describe('startPoller', () => {
  it('times a round on the stopwatch (wall time), not on the clock, which a sim may run faster', async () => {
    const wall = [1000, 1042]
    const h = harness({stopwatch: () => wall.shift() ?? 2000})
    await h.clock.advance(0)
    expect(h.updates.find((u) => u.kind === 'snapshot')).toMatchObject({durationMs: 42})
    await h.poller.stop()
  })

  it('refreshes once per interval, each round only after the previous one ended', async () => {
    const h = harness()
    await h.clock.advance(0)
    expect(h.rounds()).toBe(1)
    await h.clock.advance(4999)
    expect(h.rounds()).toBe(1)
    await h.clock.advance(1)
    expect(h.rounds()).toBe(2)
    await h.clock.advance(50_000)
    expect(h.rounds()).toBe(12)
    expect(h.clock.sleeps.every((ms) => ms === 5000)).toBe(true)
    await h.poller.stop()
  })

  it('fetches MemoryReservation once a minute, not at every refresh, over the last 35 minutes', async () => {
    const h = harness()
    await h.clock.advance(0)
    expect(h.metricCalls).toHaveLength(1)
    const first = h.metricCalls[0]!
    expect(first.end.getTime() - first.start.getTime()).toBe(35 * 60_000)
    await h.clock.advance(55_000) // 12 rounds in all, still inside the first minute
    expect(h.rounds()).toBe(12)
    expect(h.metricCalls).toHaveLength(1)
    await h.clock.advance(5_000)
    expect(h.metricCalls).toHaveLength(2)
    await h.clock.advance(10 * 60_000)
    // 10 more minutes of 5 s refreshes: 120 rounds, 10 metric fetches.
    expect(h.metricCalls).toHaveLength(12)
    expect(h.updates.filter((u) => u.kind === 'metric')).toHaveLength(12)
    await h.poller.stop()
  })

  it('backs off exponentially on errors, reports each one, and recovers', async () => {
    const throttle = new AwsApiError('Rate exceeded', {
      awsCode: 'ThrottlingException',
      operation: 'ListContainerInstances',
      transient: true,
    })
    const h = harness({fail: (round) => (round >= 2 && round <= 5 ? throttle : undefined)})
    await h.clock.advance(0)
    await h.clock.advance(5000) // round 2 fails
    const errors = () => h.updates.filter((u) => u.kind === 'error')
    expect(errors()).toHaveLength(1)
    await h.clock.advance(5000 + 10_000 + 20_000) // rounds 3, 4, 5 fail with growing waits
    expect(errors().map((u) => (u.kind === 'error' ? u.error.retryInMs : 0))).toEqual([
      5000, 10_000, 20_000, 40_000,
    ])
    const last = errors().at(-1)
    expect(last?.kind === 'error' && last.error).toMatchObject({
      message: 'Rate exceeded',
      failures: 4,
      transient: true,
    })
    await h.clock.advance(40_000) // round 6 succeeds: back to the normal interval
    expect(h.rounds()).toBe(6)
    expect(h.updates.at(-1)?.kind).toBe('refreshed')
    await h.clock.advance(5000)
    expect(h.rounds()).toBe(7)
    await h.poller.stop()
  })

  it('retries a failed metric fetch at the next round, not a minute later', async () => {
    const clock = new FakeClock()
    const updates: PollerUpdate[] = []
    let metricCalls = 0
    const poller = startPoller({
      cluster: 'c1',
      clock,
      intervalMs: 5000,
      snapshot: async () => snapshotAt(clock.now()),
      cloudWatch: {
        memoryReservationMinimum: async () => {
          metricCalls += 1
          if (metricCalls === 1) throw new Error('socket hang up')
          return []
        },
      },
      onUpdate: (u) => updates.push(u),
    })
    await clock.advance(0)
    expect(updates.map((u) => u.kind)).toEqual(['snapshot', 'error'])
    await clock.advance(5000)
    expect(metricCalls).toBe(2)
    expect(updates.at(-2)?.kind).toBe('metric')
    await poller.stop()
  })

  it('never backs off beyond the cap', () => {
    expect(roundBackoff(5000, 1, 60_000)).toBe(5000)
    expect(roundBackoff(5000, 3, 60_000)).toBe(20_000)
    expect(roundBackoff(5000, 50, 60_000)).toBe(60_000)
  })

  it('passes on each event once, newest first', async () => {
    const h = harness()
    await h.clock.advance(0)
    h.setEvents([
      {id: 'e2', message: 'started 1 tasks'},
      {id: 'e1', message: 'steady state'},
    ])
    await h.clock.advance(5000)
    await h.clock.advance(5000)
    const batches = h.updates.filter((u) => u.kind === 'events').map((u) => u.events.map((e) => e.id))
    expect(batches).toEqual([['ecs:e1'], ['ecs:e2']])
    await h.poller.stop()
  })

  it('refreshNow starts the next round at once, and stop ends the loop', async () => {
    const h = harness()
    await h.clock.advance(0)
    h.poller.refreshNow()
    await h.clock.advance(0)
    expect(h.rounds()).toBe(2)
    await h.poller.stop()
    await h.clock.advance(60_000)
    expect(h.rounds()).toBe(2)
  })
})

describe('EventDeduper', () => {
  it('forgets the oldest ids past its limit', () => {
    const d = new EventDeduper(2)
    const ev = (id: string): WatchEvent => ({id, at: new Date(0), source: 'ecs', message: id, level: 'info'})
    expect(d.fresh([ev('a'), ev('b'), ev('c')])).toHaveLength(3)
    expect(d.fresh([ev('c')])).toHaveLength(0)
    expect(d.fresh([ev('a')])).toHaveLength(1)
  })
})
