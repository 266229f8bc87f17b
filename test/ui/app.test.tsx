import {render} from 'ink-testing-library'
import React from 'react'
import {afterEach, describe, expect, it} from 'vitest'

import type {WatchEvent} from '../../src/core/poller.js'
import {App} from '../../src/ui/components/App.js'
import {createStore, initialState, type Store} from '../../src/core/watch/store.js'
import {createViewStore} from '../../src/ui/view.js'
import {instance, metricSeries, service, snapshot, strip, T0, terminating, idleRunner} from './fixtures.js'

function storeWith(snap = snapshot(), metric = metricSeries(Array(35).fill(50))): Store {
  const store = createStore(
    initialState({cluster: 'todobackend-cluster', location: 'http://127.0.0.1:4599', now: T0}),
  )
  store.dispatch({type: 'poll', update: {kind: 'snapshot', snapshot: snap, at: new Date(T0), durationMs: 7}})
  store.dispatch({type: 'poll', update: {kind: 'metric', points: metric, at: new Date(T0)}})
  return store
}

/** ink renders at most 30 frames a second: let a dispatched change reach the frame. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 80))

let unmount: (() => void) | undefined
afterEach(() => unmount?.())

function frameOf(store: Store, size = {columns: 80, rows: 24}, view = createViewStore()) {
  const r = render(<App store={store} runner={idleRunner} view={view} size={size} />)
  unmount = r.unmount
  return {frame: () => strip(r.lastFrame()), r, view}
}

function events(n: number, message = (k: number) => `(service todobackend) event number ${k}`): WatchEvent[] {
  return Array.from({length: n}, (_, k) => ({
    id: `ecs:${k}`,
    at: new Date(T0 - k * 1000),
    source: 'ecs' as const,
    message: message(k),
    level: 'info' as const,
  }))
}

describe('App', () => {
  it('shows header, instances, services, chart and footer within 80×24', () => {
    const {frame} = frameOf(storeWith())
    const lines = frame().split('\n')
    expect(lines.length).toBeLessThanOrEqual(24)
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80)
    const text = frame()
    expect(text).toContain('todobackend-cluster')
    expect(text).toContain('http://127.0.0.1:4599')
    expect(text).toContain('ASG ApplicationAutoscaling 1/1/2')
    // At 80 columns the refresh's duration is the first thing to go; the time stays.
    expect(text).toContain('refreshed 03:00:00 UTC')
    expect(text).not.toContain('(7 ms)')
    expect(text).toMatch(/i-00000000000000001 ACTIVE\s+1\s+InService/)
    expect(text).toMatch(/todobackend\s+1\/1\s+0/)
    expect(text).toContain('MemoryReservation')
    expect(text).toContain('live 49.9%')
    expect(text).toMatch(/ 50%\s+┼─+/)
    expect(text).toContain('d drain')
  })

  it('counts down a pending lifecycle action and flags 0% minutes as an outage', () => {
    const values = Array(35).fill(50)
    values[30] = 0
    const {frame} = frameOf(
      storeWith(snapshot({instances: [instance(1), terminating(2)]}), metricSeries(values)),
      {columns: 120, rows: 40},
    )
    const text = frame()
    expect(text).toMatch(/i-00000000000000002 .*Terminating:Wait\s+hb 14:30/)
    expect(text).toContain('OUTAGE 1m, last 02:56')
    const marks = text.split('\n').find((l) => l.includes('▲'))
    expect(marks?.match(/▲/g)).toHaveLength(1)
  })

  it('abbreviates at 80 columns but keeps the countdown', () => {
    const {frame} = frameOf(storeWith(snapshot({instances: [terminating(2)]})))
    expect(frame()).toMatch(/Term:Wait\s+hb 14:30$/m)
  })

  it('marks a service running below its minimum healthy count', () => {
    const {frame} = frameOf(storeWith(snapshot({services: [service({runningCount: 0, desiredCount: 1})]})))
    expect(frame()).toMatch(/todobackend\s+0\/1\s+0!/)
  })

  it('says so when the cluster has no container instances', () => {
    const text = frameOf(storeWith(snapshot({instances: []}))).frame()
    expect(text).toContain('no container instances in this cluster')
  })

  it('shows a polling error with its next step and the retry delay, not a stack', () => {
    const store = storeWith()
    store.dispatch({
      type: 'poll',
      update: {
        kind: 'error',
        error: {
          message: 'Could not reach http://127.0.0.1:9',
          suggestion: 'Is the endpoint up?',
          failures: 3,
          retryInMs: 20_000,
          transient: true,
        },
        at: new Date(T0),
      },
    })
    const text = frameOf(store).frame()
    expect(text).toContain('⚠ Could not reach http://127.0.0.1:9 · retry in 20s (3 failed) · Is the')
    expect(text).not.toMatch(/\bat .*\.js:\d+/)
    expect(text.split('\n').length).toBeLessThanOrEqual(24)
  })

  it('renders only the visible rows of 1,000 instances, and follows the selection', async () => {
    const many = Array.from({length: 1000}, (_, n) => instance(n + 1))
    const store = storeWith(snapshot({instances: many}))
    const {frame, view} = frameOf(store)
    const rows = () =>
      frame()
        .split('\n')
        .filter((l) => /i-0{5}/.test(l))
    expect(rows().length).toBeGreaterThan(3)
    expect(rows().length).toBeLessThan(20)
    view.dispatch({type: 'select', id: instance(701).ec2InstanceId, index: 700})
    await settle()
    const text = frame()
    expect(text).toContain(`> ${instance(701).ec2InstanceId}`)
    expect(text).toContain('row 701/1000')
    expect(text).not.toContain(instance(1).ec2InstanceId)
  })

  it('shows the confirmation prompt, the help, and notices in place of the key hints', async () => {
    const store = storeWith()
    const {frame, view} = frameOf(store)
    view.dispatch({
      type: 'prompt',
      prompt: {
        kind: 'confirm',
        action: 'drain',
        instanceId: 'i-00000000000000001',
        text: 'Drain i-00000000000000001 (1 running, 0 pending)?',
      },
    })
    await settle()
    expect(frame()).toContain('Drain i-00000000000000001 (1 running, 0 pending)? [y/N]')
    view.dispatch({type: 'prompt', prompt: null})
    view.dispatch({type: 'help'})
    await settle()
    expect(frame()).toContain('record a lifecycle heartbeat')
    view.dispatch({type: 'help'})
    store.dispatch({type: 'notice', text: 'complete i-1: refused'})
    await settle()
    expect(frame()).toContain('complete i-1: refused')
  })

  it('waits for data without crashing before the first refresh', () => {
    const store = createStore(initialState({cluster: 'c', location: 'eu-west-1', now: T0}))
    const text = frameOf(store).frame()
    expect(text).toContain('loading the first snapshot…')
    expect(text).toContain('waiting for CloudWatch data')
    expect(text).toContain('--:--:--')
  })
})

describe('App: layout by content, at every size', () => {
  const SIZES = [
    {columns: 80, rows: 24},
    {columns: 100, rows: 30},
    {columns: 160, rows: 50},
    {columns: 240, rows: 60},
  ]
  const eventRows = (text: string) => text.split('\n').filter((l) => /^\d\d:\d\d:\d\d ECS /.test(l)).length

  it.each(SIZES)('fits $columns×$rows and gives the rows two instances leave to the events', (size) => {
    const store = storeWith(snapshot({instances: [instance(1), terminating(2)]}))
    store.dispatch({type: 'poll', update: {kind: 'events', events: events(100)}})
    const text = frameOf(store, size).frame()
    const lines = text.split('\n')
    expect(lines.length).toBe(size.rows)
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(size.columns)
    // Everything but the header (2), footer (1), captions (3), the two instance rows and the chart goes to
    // the events. The chart: title, plot, marks and time axis, plus a legend line where it can't sit beside.
    const chart = (size.rows >= 40 ? 14 : size.rows >= 30 ? 9 : 8) + (size.columns >= 120 ? 0 : 1)
    expect(eventRows(text)).toBe(size.rows - 2 - 1 - 3 - 2 - chart)
  })

  it('gives the rows back to the table when there are 1,000 instances, keeping a few events', () => {
    const store = storeWith(snapshot({instances: Array.from({length: 1000}, (_, n) => instance(n + 1))}))
    store.dispatch({type: 'poll', update: {kind: 'events', events: events(100)}})
    const text = frameOf(store, {columns: 160, rows: 50}).frame()
    expect(eventRows(text)).toBe(6)
    expect(text.split('\n').filter((l) => /^[> ] i-0/.test(l))).toHaveLength(50 - 2 - 1 - 3 - 14 - 6)
  })

  it.each(SIZES)("never cuts a drain's progress or outcome at $columns columns", (size) => {
    const store = storeWith(snapshot({instances: [instance(1), terminating(2)]}))
    store.dispatch({
      type: 'action',
      status: {
        instanceId: instance(1).ec2InstanceId,
        kind: 'drain',
        state: 'done',
        text: 'drained, CONTINUE sent',
      },
    })
    store.dispatch({
      type: 'action',
      status: {
        instanceId: terminating(2).ec2InstanceId,
        kind: 'drain',
        state: 'running',
        text: '12 left, 3 stopping',
      },
    })
    const rows = frameOf(store, size)
      .frame()
      .split('\n')
      .filter((l) => /^[> ] i-0/.test(l))
    expect(rows[0]).toMatch(/ drained, CONTINUE sent$/)
    expect(rows[1]).toMatch(/hb 14:30.* 12 left, 3 stopping$/)
    expect(rows.join('\n')).not.toContain('…')
  })

  it.each(SIZES)('shows the whole help at $columns×$rows: no line cut, the sort key named', async (size) => {
    const {frame, view} = frameOf(storeWith(), size)
    view.dispatch({type: 'help'})
    await settle()
    const text = frame()
    expect(text).not.toContain('…')
    expect(text).toContain('record a lifecycle heartbeat (pushes the hook deadline back)')
    expect(text).toContain('quit (a drain in progress is left DRAINING; nothing completed)')
    expect(text).toMatch(/o {2}O\s+sort by the next column \/ reverse/)
    expect(text).toContain('Press ? or Esc to close.')
  })
})

describe('App: what a person reads', () => {
  it('labels the chart with HH:MM ticks (UTC) and a legend for its marks, in symbols', () => {
    const values = Array(35).fill(50)
    values[30] = 0
    const points = metricSeries(values).filter((_, k) => k !== 5)
    const text = frameOf(storeWith(snapshot(), points), {columns: 160, rows: 50}).frame()
    const lines = text.split('\n')
    const axis = lines.findIndex((l) => /^\s+02:30\s+02:40\s+02:50/.test(l))
    expect(axis).toBeGreaterThan(0)
    expect(lines[axis]).toContain('▲ 0% minute (outage)  · no data')
    expect(lines[axis - 1]).toMatch(/·.*▲/)
    // The tick of 02:30 sits under the column of that minute: 35 minutes end at 03:00.
    const zeroRow = lines[axis - 2]!
    const firstMinute = zeroRow.search(/[┤┼]/)
    expect(lines[axis]!.indexOf('02:30')).toBe(firstMinute + 4)
  })

  it('shows the filter and the sort above the table, and marks the sorted column', async () => {
    const store = storeWith(snapshot({instances: [instance(1), instance(2), terminating(3)]}))
    const {frame, view} = frameOf(store, {columns: 100, rows: 30})
    view.dispatch({type: 'filter', text: 'term'})
    view.dispatch({type: 'sort', key: 'lifecycle', descending: true})
    await settle()
    const text = frame()
    expect(text).toContain('INSTANCES (1 of 3) · filter /term · sorted by LIFECYCLE ▼ (o/O)')
    expect(text).toMatch(/LIFECYCLE▼/)
    expect(text.split('\n').filter((l) => /^[> ] i-0/.test(l))).toHaveLength(1)
  })

  it('cuts a long event in the pane, and shows it whole on the events screen (e)', async () => {
    const long = `(service todobackend) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance ${'x'.repeat(20)} has insufficient memory available.`
    const store = storeWith()
    store.dispatch({type: 'poll', update: {kind: 'events', events: events(1, () => long)}})
    const {frame, view} = frameOf(store, {columns: 100, rows: 30})
    expect(frame()).toMatch(/was unable to place a task .*…$/m)
    view.dispatch({type: 'screen', screen: 'events'})
    await settle()
    const text = frame()
    expect(text.replace(/\n\s+/g, ' ')).toContain(long)
    expect(text).not.toContain('…')
  })

  it('shows an instance’s details: its hook with both deadlines, its tasks and why each still runs', async () => {
    const store = storeWith(snapshot({instances: [terminating(2)]}))
    store.dispatch({
      type: 'details',
      details: {
        ec2InstanceId: terminating(2).ec2InstanceId,
        containerInstanceArn: terminating(2).containerInstanceArn,
        state: 'ready',
        at: new Date(T0),
        error: null,
        tasks: [
          {
            taskArn:
              'arn:aws:ecs:us-east-1:123456789012:task/todobackend-cluster/0123456789abcdef0123456789abcdef',
            taskId: '0123456789abcdef0123456789abcdef',
            service: 'todobackend',
            kind: 'replica',
            lastStatus: 'DEACTIVATING',
            desiredStatus: 'STOPPED',
            startedAt: new Date(T0 - 3_600_000),
            stoppingAt: new Date(T0 - 12_000),
            stoppedReason: 'Service todobackend: container instance is in DRAINING state',
            reason: {
              kind: 'stopping',
              detail: 'DEACTIVATING for 12 s: deregistering from its load balancer',
              fix: 'wait for the delay, or shorten the target group deregistration delay',
              etaSeconds: 288,
            },
          },
        ],
      },
    })
    const {frame, view} = frameOf(store, {columns: 80, rows: 24})
    view.dispatch({type: 'screen', screen: 'details'})
    await settle()
    const text = frame()
    expect(text).toContain('lifecycle action pending on hook todobackend-drain; on timeout: CONTINUE')
    expect(text).toContain('heartbeat deadline 03:14:30 (in 14:30)')
    expect(text).toContain('global deadline    04:00:00 (in 25:00:00)')
    expect(text).toMatch(/0123456789abcdef0123456789abcdef todobackend\s+DEACTIVATING\s+STOPPED/)
    expect(text.replace(/\n\s+/g, ' ')).toContain(
      'why: stopping: DEACTIVATING for 12 s: deregistering from its load balancer · ETA 288 s',
    )
    expect(text).toContain('fix: wait for the delay, or shorten the target group deregistration delay')
    expect(text).toContain('stop reason: Service todobackend: container instance is in DRAINING state')
    expect(text).not.toContain('…')
  })

  it('under --readonly shows no key that changes anything, in the footer or the help', async () => {
    const store = createStore(initialState({cluster: 'c', location: 'us-east-1', now: T0, readonly: true}))
    const {frame, view} = frameOf(store, {columns: 240, rows: 60})
    const changing = /\b[duch] (drain|undrain|complete|heartbeat)|^│ [duch] /m
    expect(frame()).toContain('READ-ONLY')
    expect(frame()).not.toMatch(changing)
    view.dispatch({type: 'help'})
    await settle()
    expect(frame()).toContain('watch --readonly: no key here changes the cluster')
    expect(frame()).not.toMatch(changing)
  })
})
