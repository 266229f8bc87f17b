import {describe, expect, it} from 'vitest'

import {
  createStore,
  initialState,
  liveMemoryReservation,
  reduce,
  EVENT_LIMIT,
} from '../../../src/core/watch/store.js'
import {instance, snapshot, T0} from '../../ui/fixtures.js'

const base = () => initialState({cluster: 'todobackend-cluster', location: 'us-east-1', now: T0})
const snap = (instances = [instance(1), instance(2), instance(3)]) =>
  ({
    type: 'poll',
    update: {kind: 'snapshot', snapshot: snapshot({instances}), at: new Date(T0), durationMs: 12},
  }) as const

describe('reduce', () => {
  it('takes a snapshot: instances in registration order, refresh time, error cleared', () => {
    const withError = reduce(base(), {
      type: 'poll',
      update: {
        kind: 'error',
        error: {message: 'boom', suggestion: null, failures: 1, retryInMs: 5000, transient: true},
        at: new Date(T0),
      },
    })
    expect(withError.error?.message).toBe('boom')
    const s = reduce(withError, snap([instance(3), instance(1), instance(2)]))
    expect(s.instances.map((i) => i.ec2InstanceId)).toEqual([1, 2, 3].map((n) => instance(n).ec2InstanceId))
    expect(s.lastRefreshAt?.getTime()).toBe(T0)
    expect(s.refreshMs).toBe(12)
    expect(s.error).toBeNull()
  })

  it('keeps events newest first, de-duplicated, and bounded', () => {
    const ev = (n: number) => ({
      id: `e${n}`,
      at: new Date(T0 + n * 1000),
      source: 'ecs' as const,
      message: `m${n}`,
      level: 'info' as const,
    })
    let s = reduce(base(), {type: 'poll', update: {kind: 'events', events: [ev(2), ev(1)]}})
    s = reduce(s, {type: 'event', event: {...ev(3), source: 'ecsdrain'}})
    s = reduce(s, {type: 'poll', update: {kind: 'events', events: [ev(1)]}})
    expect(s.events.map((e) => e.id)).toEqual(['e3', 'e2', 'e1'])
    const many = Array.from({length: EVENT_LIMIT + 50}, (_, n) => ev(n + 10))
    s = reduce(s, {type: 'poll', update: {kind: 'events', events: many}})
    expect(s.events).toHaveLength(EVENT_LIMIT)
    expect(s.events[0]!.id).toBe(`e${EVENT_LIMIT + 59}`)
  })

  it('holds the open details view, and drops it on close', () => {
    const details = {
      ec2InstanceId: 'i-1',
      containerInstanceArn: 'arn:ci/1',
      state: 'loading' as const,
      tasks: [],
      error: null,
      at: null,
    }
    let s = reduce(base(), {type: 'details', details})
    expect(s.details).toBe(details)
    s = reduce(s, {type: 'details', details: null})
    expect(s.details).toBeNull()
  })
})

describe('createStore', () => {
  it('notifies subscribers once per dispatch (a batch too), and not after unsubscribe', () => {
    const store = createStore(base())
    let calls = 0
    const off = store.subscribe(() => (calls += 1))
    store.dispatch({type: 'tick', now: T0 + 1000})
    expect(store.getState().now).toBe(T0 + 1000)
    store.dispatch({
      type: 'batch',
      actions: [
        {type: 'tick', now: T0 + 1500},
        {type: 'calls', total: 7, throttles: 1},
      ],
    })
    expect(calls).toBe(2)
    expect(store.getState()).toMatchObject({now: T0 + 1500, calls: {total: 7, throttles: 1}})
    off()
    store.dispatch({type: 'tick', now: T0 + 2000})
    expect(calls).toBe(2)
  })
})

describe('liveMemoryReservation', () => {
  it('is reserved over registered memory across ACTIVE and DRAINING instances only', () => {
    const a = instance(1, {memory: {registered: 1000, remaining: 500}})
    const d = instance(2, {status: 'DRAINING', memory: {registered: 1000, remaining: 1000}})
    const gone = instance(3, {status: 'INACTIVE', memory: {registered: 1000, remaining: 0}})
    expect(liveMemoryReservation([a, d, gone])).toBe(25)
    expect(liveMemoryReservation([gone])).toBeNull()
  })
})
