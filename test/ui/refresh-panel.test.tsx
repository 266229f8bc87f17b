/**
 * watch's refresh panel: while an instance refresh is under way, a line under the header with its id,
 * status, percentage, the instances still to update and Auto Scaling's StatusReason (the instance being
 * replaced); none otherwise, and the screen still fits.
 */
import {render} from 'ink-testing-library'
import React from 'react'
import {afterEach, describe, expect, it} from 'vitest'

import {createStore, initialState} from '../../src/core/watch/store.js'
import type {InstanceRefresh} from '../../src/core/types.js'
import {App} from '../../src/ui/components/App.js'
import {createViewStore} from '../../src/ui/view.js'
import {metricSeries, snapshot, strip, T0, idleRunner} from './fixtures.js'

const refresh = (status: string): InstanceRefresh => ({
  instanceRefreshId: '25db1161-b915-41da-a4ef-20edceaffa14',
  autoScalingGroupName: 'ApplicationAutoscaling',
  status,
  percentageComplete: 50,
  startTime: new Date(T0 - 60_000),
  instancesToUpdate: 1,
  statusReason:
    'Waiting for instances to terminate before continuing. For example: i-00000000000000001 is Terminating:Wait.',
})

let unmount: (() => void) | undefined
afterEach(() => unmount?.())

function frame(refreshes: InstanceRefresh[], size = {columns: 120, rows: 30}): string {
  const store = createStore(initialState({cluster: 'todobackend-cluster', location: 'sim', now: T0}))
  store.dispatch({
    type: 'poll',
    update: {kind: 'snapshot', snapshot: snapshot({refreshes}), at: new Date(T0), durationMs: 7},
  })
  store.dispatch({
    type: 'poll',
    update: {kind: 'metric', points: metricSeries(Array(35).fill(50)), at: new Date(T0)},
  })
  const r = render(<App store={store} runner={idleRunner} view={createViewStore()} size={size} />)
  unmount = r.unmount
  return strip(r.lastFrame())
}

describe('watch refresh panel', () => {
  it('shows the refresh under way: id, status, percentage, to update, the instance being replaced', () => {
    const lines = frame([refresh('InProgress')]).split('\n')
    const panel = lines.find((l) => l.includes('instance refresh 25db1161'))
    expect(panel).toContain(
      'ApplicationAutoscaling: InProgress 50% · 1 to update · Waiting for instances to terminate',
    )
    expect(lines.indexOf(panel!)).toBe(2) // right under the header's two lines
    expect(lines.length).toBeLessThanOrEqual(30)
  })

  it('is gone once the refresh has finished, and the screen keeps its height', () => {
    const text = frame([refresh('Successful')])
    expect(text).not.toContain('instance refresh 25db1161')
    const busy = frame([refresh('InProgress')], {columns: 80, rows: 24}).split('\n')
    expect(busy.length).toBeLessThanOrEqual(24)
    expect(Math.max(...busy.map((l) => l.length))).toBeLessThanOrEqual(80)
  })
})
