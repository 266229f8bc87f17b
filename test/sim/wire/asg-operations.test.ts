/**
 * The Auto Scaling operations an operator drives a drain with (issue 9 items 2 and 3), through the SDK over
 * HTTP against the real world on a ManualClock: UpdateAutoScalingGroup with AWS's validation and its
 * implicit desired-capacity changes, scaling activities that keep the status they ended with, and the
 * world's count of lifecycle actions completed while tasks still ran (GET /_sim/stats `world`).
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling'
import {ListTasksCommand, UpdateContainerInstancesStateCommand} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import type {SimWorld} from '../../../src/sim/world/index.js'
import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'

let sim: TestSim
afterEach(() => sim?.close())

async function todobackend(hook: 'none' | 'manual' = 'none') {
  sim = await startTestSim({scenario: 'todobackend', hook})
  const clients = simClients(sim.endpoint, {maxAttempts: 1})
  const group = sim.world.summary().autoScalingGroups[0]!
  const describe = async () =>
    (await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [group]})))
      .AutoScalingGroups![0]!
  const update = (input: Omit<UpdateAutoScalingGroupCommandInput, 'AutoScalingGroupName'>) =>
    clients.autoScaling.send(new UpdateAutoScalingGroupCommand({AutoScalingGroupName: group, ...input}))
  const activities = async () =>
    (await clients.autoScaling.send(new DescribeScalingActivitiesCommand({AutoScalingGroupName: group})))
      .Activities!
  return {clients, group, describe, update, activities}
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: {name: string; message: string}) => ({name: e.name, message: e.message}),
  )

describe('UpdateAutoScalingGroup', () => {
  it("applies the preflight's fix: max 3, desired 2 on todobackend's group (max 2) scales out by one", async () => {
    const t = await todobackend()
    expect(await t.describe()).toMatchObject({MinSize: 1, MaxSize: 2, DesiredCapacity: 1})
    await t.update({MaxSize: 3, DesiredCapacity: 2})
    const g = await t.describe()
    expect(g).toMatchObject({MinSize: 1, MaxSize: 3, DesiredCapacity: 2})
    expect(g.Instances).toHaveLength(2)
    expect((await t.activities())[0]).toMatchObject({
      Description: expect.stringMatching(/^Launching a new EC2 instance: i-/),
      Cause: expect.stringContaining('changing the desired capacity from 1 to 2'),
    })
  })

  it.each([
    [{MinSize: 3}, 'Max bound, 2, must be greater than or equal to min bound, 3'],
    [{MaxSize: 0, MinSize: 1}, 'Max bound, 0, must be greater than or equal to min bound, 1'],
    [{DesiredCapacity: 3}, 'Desired capacity:3 must be between the specified min size:1 and max size:2'],
    [{DesiredCapacity: 0}, 'Desired capacity:0 must be between the specified min size:1 and max size:2'],
    [{LaunchTemplate: {Version: '2'}}, 'must contain either LaunchTemplateId or LaunchTemplateName'],
  ])('refuses %j with ValidationError, changing nothing', async (input, message) => {
    const t = await todobackend()
    const before = await t.describe()
    expect(await rejection(t.update(input))).toEqual({
      name: 'ValidationError',
      message: expect.stringContaining(message),
    })
    expect(await t.describe()).toEqual(before)
  })

  it('an unknown group is a ValidationError', async () => {
    const t = await todobackend()
    const call = t.clients.autoScaling.send(
      new UpdateAutoScalingGroupCommand({AutoScalingGroupName: 'nope', MaxSize: 3}),
    )
    expect(await rejection(call)).toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('nope'),
    })
  })

  it('a MinSize above the desired capacity raises it; a MaxSize below it lowers it', async () => {
    const t = await todobackend()
    await t.update({MaxSize: 4})
    await t.update({MinSize: 3})
    expect(await t.describe()).toMatchObject({MinSize: 3, MaxSize: 4, DesiredCapacity: 3})
    sim.manualClock!.advance(60_000)
    await t.update({MinSize: 1, MaxSize: 2})
    const g = await t.describe()
    expect(g).toMatchObject({MinSize: 1, MaxSize: 2, DesiredCapacity: 2})
    expect(g.Instances!.filter((i) => i.LifecycleState!.startsWith('Terminat'))).toHaveLength(1)
  })

  it('a new launch template version is what new instances launch with; existing ones keep theirs', async () => {
    const t = await todobackend()
    const name = (await t.describe()).LaunchTemplate!.LaunchTemplateName!
    await t.update({
      LaunchTemplate: {LaunchTemplateName: name, Version: '7'},
      DesiredCapacity: 2,
      HealthCheckGracePeriod: 45,
      DefaultInstanceWarmup: 30,
      NewInstancesProtectedFromScaleIn: true,
    })
    const g = await t.describe()
    expect(g).toMatchObject({HealthCheckGracePeriod: 45, DefaultInstanceWarmup: 30})
    expect(g.LaunchTemplate).toMatchObject({LaunchTemplateName: name, Version: '7'})
    expect(g.Instances!.map((i) => [i.LaunchTemplate!.Version, i.ProtectedFromScaleIn]).sort()).toEqual([
      ['1', false],
      ['7', true],
    ])
  })
})

describe('scaling activities keep the status they ended with', () => {
  it('a launch that succeeded stays Successful when its instance is terminated later', async () => {
    const t = await todobackend()
    await t.update({DesiredCapacity: 2})
    sim.manualClock!.advance(60_000)
    const launch = (await t.activities())[0]!
    expect(launch).toMatchObject({Description: expect.stringMatching(/^Launching/), StatusCode: 'Successful'})
    const id = launch.Description!.split(': ')[1]!
    await t.clients.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({InstanceId: id, ShouldDecrementDesiredCapacity: true}),
    )
    sim.manualClock!.advance(60_000)
    const after = await t.activities()
    expect(after.find((a) => a.ActivityId === launch.ActivityId)).toMatchObject({
      StatusCode: 'Successful',
      Progress: 100,
    })
    expect(after[0]).toMatchObject({Description: `Terminating EC2 instance: ${id}`, StatusCode: 'Successful'})
    expect(after.some((a) => a.StatusCode === 'Cancelled')).toBe(false)
  })

  it('a launch cut short by a termination is Cancelled', async () => {
    const t = await todobackend()
    await t.update({DesiredCapacity: 2})
    const launch = (await t.activities())[0]!
    expect(launch.StatusCode).toBe('PreInService')
    const id = launch.Description!.split(': ')[1]!
    await t.clients.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({InstanceId: id, ShouldDecrementDesiredCapacity: true}),
    )
    const after = await t.activities()
    expect(after.find((a) => a.ActivityId === launch.ActivityId)!.StatusCode).toBe('Cancelled')
  })
})

describe('GET /_sim/stats: lifecycle actions completed while tasks still ran', () => {
  it('counts a CONTINUE on an undrained instance, and the tasks it left to die', async () => {
    const t = await todobackend('manual')
    const old = (await t.describe()).Instances![0]!.InstanceId!
    await t.update({DesiredCapacity: 2})
    sim.manualClock!.advance(60_000)
    await t.clients.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({InstanceId: old, ShouldDecrementDesiredCapacity: true}),
    )
    const complete = () =>
      t.clients.autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: t.group,
          LifecycleHookName: 'todobackend-drain-hook',
          LifecycleActionResult: 'CONTINUE',
          InstanceId: old,
        }),
      )
    await complete()
    // A second one finds no action; it is counted too, as not accepted.
    expect(await rejection(complete())).toMatchObject({name: 'ValidationError'})
    const {world} = await sim.fetchStats()
    expect(world!.prematureCompletions.count).toBe(2)
    expect(world!.prematureCompletions.events[0]).toEqual({
      at: expect.any(String),
      instanceId: old,
      autoScalingGroupName: t.group,
      lifecycleHookName: 'todobackend-drain-hook',
      lifecycleActionResult: 'CONTINUE',
      lifecycleState: 'Terminating:Wait',
      accepted: true,
      tasks: [{taskArn: expect.stringContaining(':task/'), lastStatus: 'RUNNING'}],
    })
    expect(world!.prematureCompletions.events[1]).toMatchObject({
      accepted: false,
      lifecycleState: 'Terminating:Proceed',
    })
    sim.manualClock!.advance(60_000)
    const after = (await sim.fetchStats()).world!
    expect(after.tasksAliveAtTermination.count).toBe(1)
    expect(after.tasksAliveAtTermination.events[0]).toMatchObject({
      instanceId: old,
      tasks: [{lastStatus: 'RUNNING'}],
    })
    await sim.resetStats()
    expect((await sim.fetchStats()).world).toEqual({
      prematureCompletions: {count: 0, events: []},
      tasksAliveAtTermination: {count: 0, events: []},
    })
  })

  it('counts a CONTINUE while the drained task is still stopping: runningTasksCount 0 is not drained', async () => {
    const t = await todobackend('manual')
    const old = (await t.describe()).Instances![0]!.InstanceId!
    await t.update({DesiredCapacity: 2})
    sim.manualClock!.advance(60_000)
    await t.clients.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({InstanceId: old, ShouldDecrementDesiredCapacity: true}),
    )
    const ci = (sim.world as SimWorld).state.byEc2Id.get(old)!
    await t.clients.ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: ci.cluster.name,
        containerInstances: [ci.arn],
        status: 'DRAINING',
      }),
    )
    const stopping = () => [...ci.tasks].find((task) => !['RUNNING', 'STOPPED'].includes(task.lastStatus))
    sim.manualClock!.runUntil(() => stopping() !== undefined, 600_000, 100)
    expect(ci.runningCount).toBe(0)
    const lastStatus = stopping()!.lastStatus
    await t.clients.autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: t.group,
        LifecycleHookName: 'todobackend-drain-hook',
        LifecycleActionResult: 'ABANDON',
        InstanceId: old,
      }),
    )
    const {world} = await sim.fetchStats()
    expect(world!.prematureCompletions.events).toEqual([
      expect.objectContaining({
        lifecycleActionResult: 'ABANDON',
        accepted: true,
        tasks: [expect.objectContaining({lastStatus})],
      }),
    ])
  })

  it('counts nothing for a drain done right: every task STOPPED before CONTINUE', async () => {
    const t = await todobackend('manual')
    const old = (await t.describe()).Instances![0]!.InstanceId!
    await t.update({DesiredCapacity: 2})
    sim.manualClock!.advance(60_000)
    await t.clients.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({InstanceId: old, ShouldDecrementDesiredCapacity: true}),
    )
    const ci = (sim.world as SimWorld).state.byEc2Id.get(old)!
    await t.clients.ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: ci.cluster.name,
        containerInstances: [ci.arn],
        status: 'DRAINING',
      }),
    )
    sim.manualClock!.runUntil(
      () => [...ci.tasks].every((task) => task.lastStatus === 'STOPPED'),
      600_000,
      500,
    )
    const live = await t.clients.ecs.send(
      new ListTasksCommand({cluster: ci.cluster.name, containerInstance: ci.arn}),
    )
    expect(live.taskArns).toEqual([])
    await t.clients.autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: t.group,
        LifecycleHookName: 'todobackend-drain-hook',
        LifecycleActionResult: 'CONTINUE',
        InstanceId: old,
      }),
    )
    sim.manualClock!.advance(60_000)
    expect((await sim.fetchStats()).world).toEqual({
      prematureCompletions: {count: 0, events: []},
      tasksAliveAtTermination: {count: 0, events: []},
    })
  })
})
