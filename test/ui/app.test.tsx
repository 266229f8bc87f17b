import {render} from 'ink-testing-library'
import React from 'react'
import {afterEach, describe, expect, it} from 'vitest'

import type {ActionRunner} from '../../src/core/watch/actions.js'
import {App} from '../../src/ui/components/App.js'
import {createStore, initialState, type Store} from '../../src/core/watch/store.js'
import {instance, metricSeries, service, snapshot, strip, T0, terminating} from './fixtures.js'

const idleRunner: ActionRunner = {
  run: async () => {},
  isBusy: () => false,
  abortAll: () => {},
  settled: async () => {},
}

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

function frameOf(store: Store, size = {columns: 80, rows: 24}) {
  const r = render(<App store={store} runner={idleRunner} size={size} />)
  unmount = r.unmount
  return {frame: () => strip(r.lastFrame()), r}
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
    expect(text).toContain('refreshed 03:00:00 (7 ms)')
    expect(text).toMatch(/i-00000000000000001 ACTIVE\s+ok\s+1\s+0\s+50%\s+InService/)
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
    expect(text).toMatch(/i-00000000000000002 .*Terminating:Wait\s+hb 14:30→CONTINUE/)
    expect(text).toContain('OUTAGE 1m, last 02:56')
    const marks = text.split('\n').find((l) => l.includes('▲'))
    expect(marks?.match(/▲/g)).toHaveLength(1)
  })

  it('abbreviates at 80 columns but keeps the countdown', () => {
    const {frame} = frameOf(storeWith(snapshot({instances: [terminating(2)]})))
    expect(frame()).toMatch(/Term:Wait\s+hb 14:30/)
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
    const {frame} = frameOf(store)
    const rows = () =>
      frame()
        .split('\n')
        .filter((l) => /i-0{5}/.test(l))
    expect(rows().length).toBeGreaterThan(3)
    expect(rows().length).toBeLessThan(20)
    store.dispatch({type: 'move', delta: 700})
    await settle()
    const text = frame()
    expect(text).toContain(`> ${instance(701).ec2InstanceId}`)
    expect(text).toContain('701/1000')
    expect(text).not.toContain(instance(1).ec2InstanceId)
  })

  it('shows the confirmation prompt, the help, and notices in place of the key hints', async () => {
    const store = storeWith()
    const {frame} = frameOf(store)
    store.dispatch({
      type: 'confirm',
      action: 'drain',
      instanceId: 'i-00000000000000001',
      prompt: 'Drain i-00000000000000001 (1 running, 0 pending)?',
    })
    await settle()
    expect(frame()).toContain('Drain i-00000000000000001 (1 running, 0 pending)? [y/N]')
    store.dispatch({type: 'cancel'})
    store.dispatch({type: 'help'})
    await settle()
    expect(frame()).toContain('record a lifecycle heartbeat')
    store.dispatch({type: 'help'})
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
