import {afterEach, describe, expect, it} from 'vitest'
import {harness, type Harness, type Obj} from './helpers.js'

let h: Harness | undefined
afterEach(() => h?.world.stop())

describe('todobackend world', () => {
  it('starts with one instance running the one todobackend task', () => {
    h = harness()
    expect(h.world.summary()).toEqual({
      clusters: ['todobackend-cluster'],
      autoScalingGroups: [expect.stringMatching(/^todobackend-ApplicationAutoscaling-/)],
    })
    const {containerInstanceArns} = h.call<Obj>('ecs', 'ListContainerInstances', {
      cluster: 'todobackend-cluster',
    })
    expect(containerInstanceArns).toHaveLength(1)
    const {containerInstances} = h.call<Obj>('ecs', 'DescribeContainerInstances', {
      cluster: 'todobackend-cluster',
      containerInstances: containerInstanceArns,
    })
    const ci = containerInstances[0]
    expect(ci.runningTasksCount).toBe(1)
    expect(ci.registeredResources.find((r: Obj) => r.name === 'MEMORY').integerValue).toBe(993)
    expect(ci.remainingResources.find((r: Obj) => r.name === 'MEMORY').integerValue).toBe(993 - 480)
  })
})
