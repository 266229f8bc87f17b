import {afterEach, describe, expect, it} from 'vitest'
import {describeInstances, groupName, harness, scaleTo, type Harness, type Obj} from './helpers.js'

let h: Harness
afterEach(() => h?.world.stop())

function lifecycle(h: Harness): Record<string, string> {
  const out: Record<string, string> = {}
  for (const i of h.call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {}).AutoScalingInstances)
    out[i.InstanceId] = i.LifecycleState
  return out
}

describe('Auto Scaling groups', () => {
  it('launch Pending -> InService, and register with ECS after the boot delay', () => {
    h = harness({timings: {inServiceDelayMs: 8_000, bootDelayMs: 15_000}})
    const g = groupName(h)
    h.call('autoscaling', 'SetDesiredCapacity', {AutoScalingGroupName: g, DesiredCapacity: '2'})
    const launched = Object.entries(lifecycle(h)).find(([, s]) => s === 'Pending')![0]
    const activity = h.call<Obj>('autoscaling', 'DescribeScalingActivities', {AutoScalingGroupName: g})
      .Activities[0]
    expect(activity.Description).toBe(`Launching a new EC2 instance: ${launched}`)
    expect(activity.Cause).toMatch(/changing the desired capacity from 1 to 2/)
    h.clock.advance(8_000)
    expect(lifecycle(h)[launched]).toBe('InService')
    expect(describeInstances(h).some((ci) => ci.ec2InstanceId === launched)).toBe(false)
    h.clock.advance(7_000)
    const ci = describeInstances(h).find((c) => c.ec2InstanceId === launched)!
    expect(ci).toMatchObject({
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
    })
    expect(ci.attributes).toEqual(
      expect.arrayContaining([
        {name: 'ecs.instance-type', value: 't2.micro'},
        {name: 'ecs.availability-zone', value: expect.stringMatching(/^eu-west-1[ab]$/)},
      ]),
    )
  })

  it('scale-in spares instances protected from scale-in', () => {
    h = harness()
    scaleTo(h, 2)
    const g = groupName(h)
    const original = describeInstances(h).find((ci) => ci.runningTasksCount === 1)!.ec2InstanceId
    const other = describeInstances(h).find((ci) => ci.ec2InstanceId !== original)!.ec2InstanceId
    h.call('autoscaling', 'SetInstanceProtection', {
      AutoScalingGroupName: g,
      InstanceIds: [other],
      ProtectedFromScaleIn: 'true',
    })
    h.call('autoscaling', 'SetDesiredCapacity', {AutoScalingGroupName: g, DesiredCapacity: '1'})
    expect(lifecycle(h)[original]).toMatch(/^Terminating/)
    expect(lifecycle(h)[other]).toBe('InService')
    const inGroup = h.call<Obj>('autoscaling', 'DescribeAutoScalingGroups', {AutoScalingGroupNames: [g]})
      .AutoScalingGroups[0].Instances
    expect(inGroup.find((i: Obj) => i.InstanceId === other).ProtectedFromScaleIn).toBe(true)
  })

  it('DeleteLifecycleHook lets waiting terminations proceed', () => {
    h = harness({hook: 'manual'})
    const g = groupName(h)
    const id = describeInstances(h)[0]!.ec2InstanceId
    h.call('autoscaling', 'TerminateInstanceInAutoScalingGroup', {
      InstanceId: id,
      ShouldDecrementDesiredCapacity: 'false',
    })
    expect(lifecycle(h)[id]).toBe('Terminating:Wait')
    h.call('autoscaling', 'DeleteLifecycleHook', {
      AutoScalingGroupName: g,
      LifecycleHookName: 'todobackend-drain-hook',
    })
    expect(lifecycle(h)[id]).toBe('Terminating:Proceed')
    expect(
      h.call<Obj>('autoscaling', 'DescribeLifecycleHooks', {AutoScalingGroupName: g}).LifecycleHooks,
    ).toEqual([])
  })

  it("DescribeCapacityProviders shows the large group's provider and its managed draining setting", () => {
    h = harness({scenario: 'large', instances: 3, services: 1, tasksPerInstance: 1})
    const res = h.call<Obj>('ecs', 'DescribeCapacityProviders', {
      capacityProviders: ['large-capacity-provider', 'nope'],
    })
    expect(res.capacityProviders[0].autoScalingGroupProvider).toMatchObject({
      managedDraining: 'DISABLED',
      managedTerminationProtection: 'DISABLED',
    })
    expect(res.failures).toEqual([{arn: 'nope', reason: 'MISSING'}])
    const ci = h.call<Obj>('ecs', 'DescribeContainerInstances', {
      cluster: 'large-cluster',
      containerInstances: h.call<Obj>('ecs', 'ListContainerInstances', {cluster: 'large-cluster'})
        .containerInstanceArns,
    }).containerInstances[0]
    expect(ci.capacityProviderName).toBe('large-capacity-provider')
  })
})
