import {afterEach, describe, expect, it} from 'vitest'
import {SimError} from '../../../src/sim/types.js'
import {
  describeInstances,
  describeTasks,
  groupName,
  harness,
  scaleTo,
  type Harness,
  type Obj,
} from './helpers.js'

// Lifecycle hooks on termination (aws-semantics §6), with the todobackend group and its manual hook.

let h: Harness
afterEach(() => h?.world.stop())

const HOOK = 'todobackend-drain-hook'

function asgInstance(h: Harness, id: string): Obj | undefined {
  return h.call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {InstanceIds: [id]})
    .AutoScalingInstances[0]
}

/** Starts terminating the original instance (a replacement launches, as desired stays 1). */
function terminateOriginal(h: Harness): string {
  const id = describeInstances(h)[0]!.ec2InstanceId as string
  const res = h.call<Obj>('autoscaling', 'TerminateInstanceInAutoScalingGroup', {
    InstanceId: id,
    ShouldDecrementDesiredCapacity: 'false',
  })
  expect(res.Activity.Description).toBe(`Terminating EC2 instance: ${id}`)
  return id
}

describe('a terminating lifecycle hook', () => {
  it('describes its timeouts: GlobalTimeout is min(172800, 100 x HeartbeatTimeout)', () => {
    h = harness({hook: 'manual'})
    const {LifecycleHooks} = h.call<Obj>('autoscaling', 'DescribeLifecycleHooks', {
      AutoScalingGroupName: groupName(h),
    })
    expect(LifecycleHooks).toEqual([
      expect.objectContaining({
        LifecycleHookName: HOOK,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        // The seed's stack: HeartbeatTimeout 900 (the scenario's --hook manual default).
        HeartbeatTimeout: 900,
        GlobalTimeout: 90_000,
        DefaultResult: 'CONTINUE',
      }),
    ])
  })

  it('holds the instance in Terminating:Wait; a heartbeat extends the wait', () => {
    h = harness({hook: 'manual'})
    const id = terminateOriginal(h)
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Wait')
    h.clock.advance(850_000)
    h.call('autoscaling', 'RecordLifecycleActionHeartbeat', {
      AutoScalingGroupName: groupName(h),
      LifecycleHookName: HOOK,
      InstanceId: id,
    })
    h.clock.advance(850_000) // 1,700 s after the start: past the first 900 s timeout
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Wait')
    h.clock.advance(60_000) // 910 s after the heartbeat
    expect(asgInstance(h, id)?.LifecycleState ?? 'Terminated').not.toBe('Terminating:Wait')
  })

  it('applies DefaultResult when the heartbeat timeout passes, and the instance dies with its tasks', () => {
    h = harness({hook: 'manual'})
    const id = terminateOriginal(h)
    const ciArn = describeInstances(h).find((ci) => ci.ec2InstanceId === id)!.containerInstanceArn
    h.clock.advance(899_000)
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Wait')
    h.clock.advance(1_000)
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Proceed')
    h.clock.advance(5_000)
    expect(asgInstance(h, id)).toBeUndefined()
    const ci = h.call<Obj>('ecs', 'DescribeContainerInstances', {
      cluster: 'todobackend-cluster',
      containerInstances: [ciArn],
    }).containerInstances[0]
    expect(ci.status).toBe('INACTIVE')
    const dead = describeTasks(h, {containerInstance: ciArn})
    expect(dead.length).toBe(1)
    expect(dead[0].lastStatus).toBe('STOPPED')
    expect(dead[0].stoppedReason).toMatch(/terminated/)
  })

  it('ends at the global timeout however many heartbeats arrive', () => {
    h = harness({hook: 'manual'})
    h.call('autoscaling', 'PutLifecycleHook', {
      AutoScalingGroupName: groupName(h),
      LifecycleHookName: HOOK,
      HeartbeatTimeout: '30',
    })
    const id = terminateOriginal(h)
    for (let t = 0; t < 2_980; t += 20) {
      h.call('autoscaling', 'RecordLifecycleActionHeartbeat', {
        AutoScalingGroupName: groupName(h),
        LifecycleHookName: HOOK,
        InstanceId: id,
      })
      h.clock.advance(20_000)
    }
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Wait')
    h.clock.advance(20_000) // 3,000 s = 100 x 30 s
    expect(asgInstance(h, id)?.LifecycleState ?? 'Terminated').not.toBe('Terminating:Wait')
  })

  it('CONTINUE lets the termination proceed; then the action is gone', () => {
    h = harness({hook: 'manual'})
    const id = terminateOriginal(h)
    const g = groupName(h)
    h.call('autoscaling', 'CompleteLifecycleAction', {
      AutoScalingGroupName: g,
      LifecycleHookName: HOOK,
      InstanceId: id,
      LifecycleActionResult: 'CONTINUE',
    })
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Proceed')
    h.clock.advance(5_000)
    expect(asgInstance(h, id)).toBeUndefined()
    expect(describeInstances(h).some((ci) => ci.ec2InstanceId === id)).toBe(false)
    const again = () =>
      h.call('autoscaling', 'CompleteLifecycleAction', {
        AutoScalingGroupName: g,
        LifecycleHookName: HOOK,
        InstanceId: id,
        LifecycleActionResult: 'CONTINUE',
      })
    expect(again).toThrow(SimError)
    expect(again).toThrow(`No active Lifecycle Action found with instance ID ${id}`)
    const activity = h.call<Obj>('autoscaling', 'DescribeScalingActivities', {
      AutoScalingGroupName: g,
    }).Activities
    const term = activity.find((a: Obj) => a.Description === `Terminating EC2 instance: ${id}`)
    expect(term.StatusCode).toBe('Successful')
    // Newest first: the replacement's launch came after the termination started.
    expect(activity[0].Description).toMatch(/^Launching a new EC2 instance: i-/)
  })

  it('finds the action by LifecycleActionToken, as the notification carries it', () => {
    h = harness({hook: 'none'})
    const published: Obj[] = []
    h.world.notifications.on('publish', (n) => published.push({...n, body: JSON.parse(n.message)}))
    const topic = 'arn:aws:sns:eu-west-1:123456789012:drain'
    h.call('autoscaling', 'PutLifecycleHook', {
      AutoScalingGroupName: groupName(h),
      LifecycleHookName: 'lambda-hook',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      NotificationTargetARN: topic,
      RoleARN: 'arn:aws:iam::123456789012:role/publish',
      HeartbeatTimeout: '900',
      DefaultResult: 'CONTINUE',
      NotificationMetadata: '{"cluster":"todobackend-cluster"}',
    })
    expect(published).toHaveLength(1)
    expect(published[0]!.body.Event).toBe('autoscaling:TEST_NOTIFICATION')
    expect(published[0]!.body.LifecycleTransition).toBeUndefined()
    const id = terminateOriginal(h)
    expect(published).toHaveLength(2)
    const msg = published[1]!.body
    expect(published[1]!.targetArn).toBe(topic)
    expect(msg).toMatchObject({
      Service: 'AWS Auto Scaling',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      EC2InstanceId: id,
      LifecycleHookName: 'lambda-hook',
      AutoScalingGroupName: groupName(h),
      NotificationMetadata: '{"cluster":"todobackend-cluster"}',
      AccountId: '123456789012',
    })
    for (const k of ['Origin', 'Destination', 'Time', 'RequestId', 'LifecycleActionToken'])
      expect(msg[k]).toBeTruthy()
    h.call('autoscaling', 'CompleteLifecycleAction', {
      AutoScalingGroupName: groupName(h),
      LifecycleHookName: 'lambda-hook',
      LifecycleActionToken: msg.LifecycleActionToken,
      LifecycleActionResult: 'ABANDON',
    })
    expect(asgInstance(h, id)!.LifecycleState).toBe('Terminating:Proceed')
  })

  it('without a hook, termination is immediate: the tasks die with the instance', () => {
    h = harness({hook: 'none'})
    scaleTo(h, 2)
    const ci = describeInstances(h).find((c) => c.runningTasksCount === 1)!
    h.call('autoscaling', 'TerminateInstanceInAutoScalingGroup', {
      InstanceId: ci.ec2InstanceId,
      ShouldDecrementDesiredCapacity: 'true',
    })
    expect(asgInstance(h, ci.ec2InstanceId)!.LifecycleState).toBe('Terminating:Proceed')
    h.clock.advance(2_000)
    expect(describeTasks(h, {containerInstance: ci.containerInstanceArn})[0].lastStatus).toBe('STOPPED')
    const g = h.call<Obj>('autoscaling', 'DescribeAutoScalingGroups', {AutoScalingGroupNames: [groupName(h)]})
      .AutoScalingGroups[0]
    expect(g.DesiredCapacity).toBe(1)
    expect(g.Instances).toHaveLength(1)
  })

  it('a launching hook holds a new instance in Pending:Wait until CONTINUE', () => {
    h = harness({hook: 'none'})
    const g = groupName(h)
    h.call('autoscaling', 'PutLifecycleHook', {
      AutoScalingGroupName: g,
      LifecycleHookName: 'warm-up',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      HeartbeatTimeout: '600',
      DefaultResult: 'ABANDON',
    })
    h.call('autoscaling', 'SetDesiredCapacity', {AutoScalingGroupName: g, DesiredCapacity: '2'})
    h.clock.advance(60_000)
    const fresh = h
      .call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {})
      .AutoScalingInstances.find((i: Obj) => i.LifecycleState !== 'InService')
    expect(fresh.LifecycleState).toBe('Pending:Wait')
    h.call('autoscaling', 'CompleteLifecycleAction', {
      AutoScalingGroupName: g,
      LifecycleHookName: 'warm-up',
      InstanceId: fresh.InstanceId,
      LifecycleActionResult: 'CONTINUE',
    })
    h.clock.advance(1)
    expect(asgInstance(h, fresh.InstanceId)!.LifecycleState).toBe('InService')
  })
})
