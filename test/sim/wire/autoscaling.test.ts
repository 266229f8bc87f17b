/**
 * Every Auto Scaling operation of the issue, through the SDK v3 client over awsQuery against the todobackend
 * world with its manual hook: a scale-out, a termination held in Terminating:Wait, a heartbeat, the
 * completion, and the ValidationError a second completion gets.
 */
import {
  CompleteLifecycleActionCommand,
  DeleteLifecycleHookCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
  PutLifecycleHookCommand,
  RecordLifecycleActionHeartbeatCommand,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling'
import {ListContainerInstancesCommand, type ECSClient} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'

let sim: TestSim
let asg: AutoScalingClient
let ecs: ECSClient
let group: string
const hook = 'todobackend-drain-hook'

beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
  ;({autoScaling: asg, ecs} = simClients(sim.endpoint, {maxAttempts: 1}))
  group = sim.world.summary().autoScalingGroups[0]!
})
afterAll(() => sim.close())

const advance = (ms: number) => sim.manualClock!.advance(ms)
const describeGroup = async () =>
  (await asg.send(new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [group]})))
    .AutoScalingGroups![0]!

describe('Auto Scaling over the wire', () => {
  let original: string
  let added: string

  it('DescribeAutoScalingGroups and DescribeAutoScalingInstances', async () => {
    const g = await describeGroup()
    expect(g).toMatchObject({AutoScalingGroupName: group, MinSize: 1, MaxSize: 2, DesiredCapacity: 1})
    expect(g.CreatedTime).toBeInstanceOf(Date)
    expect(g.Instances).toHaveLength(1)
    original = g.Instances![0]!.InstanceId!
    const out = await asg.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [original]}))
    expect(out.AutoScalingInstances).toEqual([
      expect.objectContaining({
        InstanceId: original,
        AutoScalingGroupName: group,
        LifecycleState: 'InService',
      }),
    ])
    // IncludeInstances=false: the group's sizes without its members.
    const bare = (
      await asg.send(
        new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [group], IncludeInstances: false}),
      )
    ).AutoScalingGroups![0]!
    expect(bare).toMatchObject({AutoScalingGroupName: group, MinSize: 1, MaxSize: 2, DesiredCapacity: 1})
    expect(bare.Instances).toBeUndefined()
    const tooMany = Array.from({length: 51}, (_, i) => `i-${i}`)
    await expect(
      asg.send(new DescribeAutoScalingInstancesCommand({InstanceIds: tooMany})),
    ).rejects.toMatchObject({name: 'ValidationError'})
  })

  it('DescribeLifecycleHooks, PutLifecycleHook and DeleteLifecycleHook', async () => {
    await asg.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: group,
        LifecycleHookName: 'extra',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 120,
        DefaultResult: 'ABANDON',
      }),
    )
    const hooks = await asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: group}))
    expect(
      hooks.LifecycleHooks!.map((h) => [h.LifecycleHookName, h.HeartbeatTimeout, h.DefaultResult]),
    ).toEqual(
      expect.arrayContaining([
        // The scenario's hook keeps the seed's HeartbeatTimeout (900 s).
        [hook, 900, 'CONTINUE'],
        ['extra', 120, 'ABANDON'],
      ]),
    )
    const extra = hooks.LifecycleHooks!.find((h) => h.LifecycleHookName === 'extra')!
    expect(extra.GlobalTimeout).toBe(12_000)
    await asg.send(new DeleteLifecycleHookCommand({AutoScalingGroupName: group, LifecycleHookName: 'extra'}))
    const after = await asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: group}))
    expect(after.LifecycleHooks!.map((h) => h.LifecycleHookName)).toEqual([hook])
  })

  it('SetDesiredCapacity launches an instance that registers with ECS after booting', async () => {
    await asg.send(new SetDesiredCapacityCommand({AutoScalingGroupName: group, DesiredCapacity: 2}))
    advance(60_000)
    const g = await describeGroup()
    expect(g.DesiredCapacity).toBe(2)
    added = g.Instances!.map((i) => i.InstanceId!).find((id) => id !== original)!
    expect(added).toBeDefined()
    const cis = await ecs.send(new ListContainerInstancesCommand({cluster: 'todobackend-cluster'}))
    expect(cis.containerInstanceArns).toHaveLength(2)
    await expect(
      asg.send(new SetDesiredCapacityCommand({AutoScalingGroupName: group, DesiredCapacity: 3})),
    ).rejects.toMatchObject({name: 'ValidationError'})
  })

  it('SetInstanceProtection', async () => {
    await asg.send(
      new SetInstanceProtectionCommand({
        AutoScalingGroupName: group,
        InstanceIds: [added],
        ProtectedFromScaleIn: true,
      }),
    )
    const g = await describeGroup()
    expect(g.Instances!.find((i) => i.InstanceId === added)!.ProtectedFromScaleIn).toBe(true)
  })

  it('TerminateInstanceInAutoScalingGroup holds the instance in Terminating:Wait; heartbeat, complete, then ValidationError', async () => {
    const out = await asg.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: original,
        ShouldDecrementDesiredCapacity: true,
      }),
    )
    expect(out.Activity).toMatchObject({AutoScalingGroupName: group})
    expect(out.Activity!.StartTime).toBeInstanceOf(Date)
    advance(1_000)
    const waiting = await asg.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [original]}))
    expect(waiting.AutoScalingInstances![0]!.LifecycleState).toBe('Terminating:Wait')
    await asg.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: group,
        LifecycleHookName: hook,
        InstanceId: original,
      }),
    )
    await asg.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: group,
        LifecycleHookName: hook,
        InstanceId: original,
        LifecycleActionResult: 'CONTINUE',
      }),
    )
    advance(60_000)
    const gone = await asg.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [original]}))
    expect(gone.AutoScalingInstances).toEqual([])
    const again = asg.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: group,
        LifecycleHookName: hook,
        InstanceId: original,
        LifecycleActionResult: 'CONTINUE',
      }),
    )
    await expect(again).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(`No active Lifecycle Action found with instance ID ${original}`),
    })
  })

  it('DescribeScalingActivities lists the launch and the termination, newest first', async () => {
    const out = await asg.send(new DescribeScalingActivitiesCommand({AutoScalingGroupName: group}))
    const descriptions = out.Activities!.map((a) => a.Description ?? '')
    expect(descriptions.some((d) => d.includes(`Terminating EC2 instance: ${original}`))).toBe(true)
    expect(descriptions.some((d) => d.includes(`Launching a new EC2 instance: ${added}`))).toBe(true)
    const starts = out.Activities!.map((a) => a.StartTime!.getTime())
    expect([...starts].sort((a, b) => b - a)).toEqual(starts)
  })

  it('StartInstanceRefresh and DescribeInstanceRefreshes', async () => {
    const started = await asg.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: group,
        Preferences: {MinHealthyPercentage: 100, MaxHealthyPercentage: 200},
      }),
    )
    expect(started.InstanceRefreshId).toMatch(/\S/)
    const out = await asg.send(new DescribeInstanceRefreshesCommand({AutoScalingGroupName: group}))
    expect(out.InstanceRefreshes![0]).toMatchObject({
      InstanceRefreshId: started.InstanceRefreshId,
      AutoScalingGroupName: group,
    })
    expect(['Pending', 'InProgress']).toContain(out.InstanceRefreshes![0]!.Status)
  })
})
