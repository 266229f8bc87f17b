import {describe, expect, it} from 'vitest'

import {
  createVisibleSelector,
  matchesFilter,
  selectedRow,
  visibleInstances,
} from '../../src/ui/instances-view.js'
import {initialView} from '../../src/ui/view.js'
import {instance, T0, terminating} from './fixtures.js'

const sortBy = (key: ReturnType<typeof initialView>['sort']['key'], descending = false) => ({
  filter: '',
  sort: {key, descending},
})

describe('matchesFilter', () => {
  const i = instance(10, {
    availabilityZone: 'us-east-1b',
    status: 'DRAINING',
    lifecycleState: 'Terminating:Wait',
  })
  it('needs every word somewhere in the id, AZ, status or lifecycle state, case ignored', () => {
    expect(matchesFilter(i, 'drain 1B')).toBe(true)
    expect(matchesFilter(i, 'terminating:wait')).toBe(true)
    expect(matchesFilter(i, '0000a')).toBe(true)
    expect(matchesFilter(i, 'drain us-east-1a')).toBe(false)
    // The instance type is not among the fields.
    expect(matchesFilter(i, 't2.micro')).toBe(false)
    expect(matchesFilter(i, '  ')).toBe(true)
  })
})

describe('visibleInstances', () => {
  it('sorts by the soonest lifecycle deadline, those with none last, our own heartbeat counted', () => {
    const late = terminating(3)
    late.lifecycleHook = {...late.lifecycleHook!, heartbeatDeadline: new Date(T0 + 20 * 60_000)}
    const soon = terminating(2)
    const list = [instance(1), soon, late]
    const ids = (xs: typeof list) => xs.map((x) => x.ec2InstanceId.slice(-1))
    expect(ids(visibleInstances(list, sortBy('deadline')))).toEqual(['2', '3', '1'])
    // A heartbeat of ours pushed 2's deadline past 3's.
    const pushed = {[soon.ec2InstanceId]: new Date(T0 + 30 * 60_000)}
    expect(ids(visibleInstances(list, sortBy('deadline'), pushed))).toEqual(['3', '2', '1'])
    expect(ids(visibleInstances(list, sortBy('deadline', true), pushed))).toEqual(['1', '2', '3'])
  })

  it('keeps registration order among equals, and memoizes on its inputs', () => {
    const list = [instance(1), instance(2), instance(3)]
    expect(visibleInstances(list, sortBy('status')).map((x) => x.ec2InstanceId)).toEqual(
      list.map((x) => x.ec2InstanceId),
    )
    const select = createVisibleSelector()
    const state = {instances: list, deadlines: {}} as never
    const view = initialView()
    expect(select(state, view)).toBe(select(state, view))
    expect(select(state, {...view, filter: '2'})).toHaveLength(1)
  })
})

describe('selectedRow', () => {
  it('follows the instance wherever it sorts to, and stays on the row when it is gone', () => {
    const list = [instance(1), instance(2), instance(3)]
    expect(selectedRow(list, {selectedId: instance(3).ec2InstanceId, selectedIndex: 0}).index).toBe(2)
    expect(
      selectedRow([instance(1), instance(3)], {selectedId: instance(2).ec2InstanceId, selectedIndex: 1}),
    ).toMatchObject({
      index: 1,
      instance: instance(3),
    })
    expect(selectedRow([], {selectedId: null, selectedIndex: 4}).instance).toBeUndefined()
  })
})
