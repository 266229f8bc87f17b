import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {createLinePrinter, watchLine} from '../../src/render/watch-lines.js'
import {createStore, initialState} from '../../src/core/watch/store.js'
import {instance, metricSeries, service, snapshot, T0, terminating} from '../ui/fixtures.js'

function capture() {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (c: Buffer) => (text += c.toString()))
  return {stream, text: () => text}
}

function setup(json: boolean) {
  const out = capture()
  const err = capture()
  const printer = createLinePrinter({
    json,
    callStats: () => ({calls: 42, throttles: 3}),
    out: out.stream,
    err: err.stream,
  })
  const store = createStore(initialState({cluster: 'todobackend-cluster', location: 'us-east-1', now: T0}))
  const at = new Date(T0)
  const values = Array(35).fill(50)
  values[33] = 0
  store.dispatch({
    type: 'poll',
    update: {
      kind: 'snapshot',
      snapshot: snapshot({
        instances: [instance(1, {status: 'DRAINING'}), terminating(2)],
        services: [service({runningCount: 0})],
      }),
      at,
      durationMs: 3,
    },
  })
  store.dispatch({type: 'poll', update: {kind: 'metric', points: metricSeries(values), at}})
  return {printer, store, out, err, at}
}

describe('createLinePrinter', () => {
  it('prints one plain line per refresh, only when the round has ended', async () => {
    const {printer, store, out, at} = setup(false)
    printer.onUpdate({kind: 'snapshot', snapshot: store.getState().snapshot!, at, durationMs: 3}, store)
    printer.onUpdate({kind: 'refreshed', at}, store)
    await new Promise((r) => setImmediate(r))
    const lines = out.text().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(
      '03:00:00 | todobackend-cluster | instances 2 (DRAINING 1, ACTIVE 1; Terminating:Wait 1) | tasks running 2 pending 0 | services 1 (below minimum: todobackend) | mem live 49.9% | cw-min 50.0% OUTAGE 1m | calls 42 throttles 3',
    )
  })

  it('--json: one NDJSON snapshot per refresh', async () => {
    const {printer, store, out, at} = setup(true)
    printer.onUpdate({kind: 'refreshed', at}, store)
    printer.onUpdate({kind: 'refreshed', at}, store)
    await new Promise((r) => setImmediate(r))
    const records = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(records).toHaveLength(2)
    expect(records[0]).toMatchObject({
      type: 'snapshot',
      at: '2026-11-28T03:00:00.000Z',
      cluster: 'todobackend-cluster',
      services: [{serviceName: 'todobackend', runningCount: 0, belowMinimumHealthy: true}],
      memoryReservation: {
        live: 49.9,
        cloudWatchMinimum: {value: 50},
        outageMinutes: ['2026-11-28T02:59:00.000Z'],
      },
      apiCalls: {calls: 42, throttles: 3},
    })
    expect(records[0].instances[1]).toMatchObject({
      lifecycleState: 'Terminating:Wait',
      lifecycleHook: {name: 'todobackend-drain'},
    })
  })

  it('errors and our own actions go to stderr, each event once', async () => {
    const {printer, store, out, err, at} = setup(false)
    printer.onUpdate(
      {
        kind: 'error',
        at,
        error: {message: 'Rate exceeded', suggestion: null, failures: 2, retryInMs: 10_000, transient: true},
      },
      store,
    )
    store.dispatch({
      type: 'event',
      event: {id: 'x1', at, source: 'ecsdrain', message: 'draining i-1', level: 'info'},
    })
    store.dispatch({
      type: 'event',
      event: {id: 'e1', at, source: 'ecs', message: 'steady state', level: 'info'},
    })
    printer.onStoreChange(store)
    printer.onStoreChange(store)
    await new Promise((r) => setImmediate(r))
    expect(err.text()).toBe('03:00:00 error: Rate exceeded; retrying in 10s\n03:00:00 draining i-1\n')
    expect(out.text()).toBe('')
  })

  it('watchLine says none when the cluster is empty', () => {
    const line = watchLine({
      snapshot: snapshot({instances: [], services: []}),
      at: new Date(T0),
      metric: [],
      live: null,
      calls: {calls: 0, throttles: 0},
    })
    expect(line).toContain('instances 0 (none)')
    expect(line).toContain('mem live -')
    expect(line).toContain('cw-min -')
  })
})
