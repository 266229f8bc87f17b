import {afterEach, describe, expect, it} from 'vitest'
import {harness, type Harness, type Obj} from './helpers.js'

// Instance refresh: launch-before-terminate above 100 %, terminate-first at 100 %, batch by batch.

let h: Harness
afterEach(() => h?.world.stop())

const GROUP = 'large-asg'

function states(h: Harness): Obj[] {
  const out: Obj[] = []
  let NextToken: string | undefined
  do {
    const res = h.call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {NextToken})
    out.push(...res.AutoScalingInstances)
    NextToken = res.NextToken
  } while (NextToken)
  return out
}

function refresh(h: Harness): Obj {
  return h.call<Obj>('autoscaling', 'DescribeInstanceRefreshes', {AutoScalingGroupName: GROUP})
    .InstanceRefreshes[0]
}

describe('instance refresh', () => {
  it('with MaxHealthyPercentage 150 launches a batch first and never has fewer than desired in service', () => {
    h = harness({scenario: 'large', instances: 4, services: 2, tasksPerInstance: 2})
    const before = new Set(states(h).map((i) => i.InstanceId))
    h.call('autoscaling', 'StartInstanceRefresh', {
      AutoScalingGroupName: GROUP,
      Preferences: {MinHealthyPercentage: '100', MaxHealthyPercentage: '150'},
    })
    let maxLive = 0
    h.clock.runUntil(
      () => {
        const all = states(h)
        const inService = all.filter((i) => i.LifecycleState === 'InService').length
        const live = all.filter((i) => !i.LifecycleState.startsWith('Terminat')).length
        maxLive = Math.max(maxLive, live)
        expect(inService).toBeGreaterThanOrEqual(4)
        return refresh(h).Status === 'Successful'
      },
      900_000,
      500,
    )
    expect(maxLive).toBe(6) // 150 % of 4: two at a time
    const after = states(h)
    expect(after).toHaveLength(4)
    expect(after.some((i) => before.has(i.InstanceId))).toBe(false)
    expect(refresh(h).PercentageComplete).toBe(100)
    const activities = h.call<Obj>('autoscaling', 'DescribeScalingActivities', {
      AutoScalingGroupName: GROUP,
    }).Activities
    expect(activities.filter((a: Obj) => /^Terminating EC2 instance: i-/.test(a.Description))).toHaveLength(4)
    expect(activities[0].StartTime.getTime()).toBeGreaterThanOrEqual(activities[1].StartTime.getTime())
  })

  it('with MaxHealthyPercentage 100 terminates first, keeping MinHealthyPercentage in service', () => {
    h = harness({scenario: 'large', instances: 4, services: 2, tasksPerInstance: 2})
    h.call('autoscaling', 'StartInstanceRefresh', {
      AutoScalingGroupName: GROUP,
      Preferences: {MinHealthyPercentage: '50', MaxHealthyPercentage: '100'},
    })
    const first = states(h)
    expect(first.filter((i) => i.LifecycleState.startsWith('Terminat'))).toHaveLength(2)
    expect(first.filter((i) => !i.LifecycleState.startsWith('Terminat'))).toHaveLength(4) // 2 old + 2 launching
    h.clock.runUntil(
      () => {
        expect(states(h).filter((i) => i.LifecycleState === 'InService').length).toBeGreaterThanOrEqual(2)
        return refresh(h).Status === 'Successful'
      },
      900_000,
      500,
    )
    // Nothing lost in ECS either: every service is back to its desired count on the new instances.
    h.clock.advance(60_000)
    const services = h.call<Obj>('ecs', 'DescribeServices', {
      cluster: 'large-cluster',
      services: ['svc-000', 'svc-001'],
    }).services
    expect(services.map((s: Obj) => s.runningCount)).toEqual([4, 4])
  })

  it('waits InstanceWarmup after a replacement is InService before it terminates the old instance', () => {
    h = harness({scenario: 'todobackend'})
    const g = h.world.summary().autoScalingGroups[0]!
    const [old] = h.call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {}).AutoScalingInstances
    h.call('autoscaling', 'StartInstanceRefresh', {
      AutoScalingGroupName: g,
      Preferences: {MinHealthyPercentage: '100', MaxHealthyPercentage: '200', InstanceWarmup: '120'},
    })
    const stateOf = (id: string) =>
      h.call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {InstanceIds: [id]}).AutoScalingInstances[0]
        ?.LifecycleState
    h.clock.runUntil(() =>
      h
        .call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {})
        .AutoScalingInstances.some(
          (i: Obj) => i.InstanceId !== old.InstanceId && i.LifecycleState === 'InService',
        ),
    )
    h.clock.advance(115_000)
    expect(stateOf(old.InstanceId)).toBe('InService')
    h.clock.advance(10_000)
    expect(stateOf(old.InstanceId) ?? 'Terminated').toMatch(/^Terminat/)
  })
})
