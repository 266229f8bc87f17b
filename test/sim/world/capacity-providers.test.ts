/**
 * Capacity providers through the SDK over HTTP.
 * - ManagedScaling defaults (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html) and
 *   "Managed instance draining is on by default when you create a capacity provider"
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/enable-managed-instance-draining.html).
 * - Managed termination protection: "Amazon ECS only terminates EC2 instances that don't have any running Amazon ECS
 *   tasks" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html).
 * - Managed instance draining: "The container instance remains in the DRAINING state until either all tasks are
 *   stopped or 48 hours has passed." (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html)
 * - Managed scaling (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html).
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import {
  CreateCapacityProviderCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  PutClusterCapacityProvidersCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {
  advance,
  advanceUntil,
  asgInstance,
  instances,
  scaleTo,
  service,
  startWorld,
  tasks,
  type World,
} from './sdk-world.js'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

const withProviders = () => startWorld({knobs: {capacityProviders: true}})
const groupOf = (w: World) => w.sim.world.summary().autoScalingGroups[0]!

async function groupArn(w: World): Promise<string> {
  const out = await w.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [groupOf(w)]}),
  )
  return out.AutoScalingGroups![0]!.AutoScalingGroupARN!
}

describe('capacity providers', () => {
  it('CreateCapacityProvider applies the documented defaults, and PutClusterCapacityProviders associates it', async () => {
    w = await startWorld()
    const arn = await groupArn(w)
    const created = await w.ecs.send(
      new CreateCapacityProviderCommand({
        name: 'todo-cp',
        autoScalingGroupProvider: {autoScalingGroupArn: arn, managedScaling: {status: 'ENABLED'}},
      }),
    )
    expect(created.capacityProvider).toMatchObject({
      name: 'todo-cp',
      status: 'ACTIVE',
      autoScalingGroupProvider: {
        autoScalingGroupArn: arn,
        managedScaling: {
          status: 'ENABLED',
          targetCapacity: 100,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10_000,
          instanceWarmupPeriod: 300,
        },
        managedTerminationProtection: 'DISABLED',
        managedDraining: 'ENABLED',
      },
    })
    const put = await w.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: w.cluster,
        capacityProviders: ['todo-cp'],
        defaultCapacityProviderStrategy: [{capacityProvider: 'todo-cp', weight: 1}],
      }),
    )
    expect(put.cluster).toMatchObject({
      capacityProviders: ['todo-cp'],
      defaultCapacityProviderStrategy: [{capacityProvider: 'todo-cp', weight: 1, base: 0}],
    })
    const described = await w.ecs.send(new DescribeClustersCommand({clusters: [w.cluster]}))
    expect(described.clusters![0]!.capacityProviders).toEqual(['todo-cp'])
    const listed = await w.ecs.send(
      new DescribeCapacityProvidersCommand({capacityProviders: ['todo-cp', 'nope']}),
    )
    expect(listed.capacityProviders!.map((c) => c.name)).toEqual(['todo-cp'])
    expect(listed.failures).toEqual([{arn: 'nope', reason: 'MISSING'}])
  })

  it('refuses a reserved name, a second provider for the same group, and termination protection without managed scaling', async () => {
    w = await startWorld()
    const arn = await groupArn(w)
    const create = (name: string, extra: object = {}) =>
      w!.ecs.send(
        new CreateCapacityProviderCommand({
          name,
          autoScalingGroupProvider: {autoScalingGroupArn: arn, ...extra},
        }),
      )
    await expect(create('ecs-mine')).rejects.toMatchObject({name: 'InvalidParameterException'})
    await expect(create('guarded', {managedTerminationProtection: 'ENABLED'})).rejects.toMatchObject({
      name: 'ClientException',
    })
    await create('first')
    await expect(create('first')).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/already exists/),
    })
    await expect(create('second')).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/already being used/),
    })
    await expect(
      w.ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: w.cluster,
          capacityProviders: ['ghost'],
          defaultCapacityProviderStrategy: [],
        }),
      ),
    ).rejects.toMatchObject({name: 'InvalidParameterException'})
  })

  it("the capacityProviders knob: ECS's own terminating hook on the group, and scale-in protection on the instance with tasks", async () => {
    w = await withProviders()
    const hooks = await w.autoScaling.send(
      new DescribeLifecycleHooksCommand({AutoScalingGroupName: groupOf(w)}),
    )
    expect(hooks.LifecycleHooks).toContainEqual(
      expect.objectContaining({
        LifecycleHookName: 'ecs-managed-draining-termination-hook',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 3600,
        DefaultResult: 'CONTINUE',
      }),
    )
    const [ci] = await instances(w)
    expect(ci!.capacityProviderName).toBe('todobackend-capacity-provider')
    expect((await asgInstance(w, ci!.ec2InstanceId!))!.ProtectedFromScaleIn).toBe(true)
    // A new, empty instance is not protected: it is the one a scale-in may take.
    await w.autoScaling.send(
      new SetDesiredCapacityCommand({AutoScalingGroupName: groupOf(w), DesiredCapacity: 2}),
    )
    await advanceUntil(w, async () => (await instances(w!)).length === 2, 120_000)
    const fresh = (await instances(w))[1]!
    expect((await asgInstance(w, fresh.ec2InstanceId!))!.ProtectedFromScaleIn).toBe(false)
    await w.autoScaling.send(
      new SetDesiredCapacityCommand({AutoScalingGroupName: groupOf(w), DesiredCapacity: 1}),
    )
    await advanceUntil(w, async () => (await asgInstance(w!, fresh.ec2InstanceId!)) === undefined, 300_000)
    expect((await asgInstance(w, ci!.ec2InstanceId!))!.LifecycleState).toBe('InService')
  })

  it('managed draining: a terminating instance is drained by ECS, and its hook completes only once every task is STOPPED', async () => {
    w = await withProviders()
    const [ci] = await instances(w)
    const [old] = await tasks(w)
    await w.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: ci!.ec2InstanceId,
        ShouldDecrementDesiredCapacity: false,
      }),
    )
    advance(w, 1_000)
    expect((await instances(w)).find((c) => c.ec2InstanceId === ci!.ec2InstanceId)!.status).toBe('DRAINING')
    let waitedOnLiveTask = false
    let leftWaitWith: string | undefined
    await advanceUntil(
      w,
      async () => {
        const state = (await asgInstance(w!, ci!.ec2InstanceId!))?.LifecycleState ?? 'Terminated'
        const t = (await tasks(w!)).find((x) => x.taskArn === old!.taskArn)!
        if (state === 'Terminating:Wait' && t.lastStatus !== 'STOPPED') waitedOnLiveTask = true
        if (state !== 'Terminating:Wait') leftWaitWith = t.lastStatus
        return state !== 'Terminating:Wait'
      },
      1_200_000,
      5_000,
    )
    // It held the instance while the task drained (300 s delay + 30 s stop), and let go only once it was STOPPED.
    expect(waitedOnLiveTask).toBe(true)
    expect(leftWaitWith).toBe('STOPPED')
    const svc = await service(w, 'todobackend')
    expect(svc.runningCount).toBe(1)
    expect((await tasks(w)).find((t) => t.desiredStatus === 'RUNNING')!.containerInstanceArn).not.toBe(
      ci!.containerInstanceArn,
    )
  })

  it('managed scaling scales the group out when a task cannot be placed', async () => {
    w = await withProviders()
    await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'todobackend', desiredCount: 3}))
    await advanceUntil(w, async () => (await service(w!, 'todobackend')).runningCount === 3, 600_000, 5_000)
    const acts = await w.autoScaling.send(
      new DescribeScalingActivitiesCommand({AutoScalingGroupName: groupOf(w)}),
    )
    expect(
      acts.Activities!.some((a) =>
        /ECSManagedAutoScalingPolicy changing the desired capacity from 1 to 2/.test(a.Cause!),
      ),
    ).toBe(true)
    await scaleTo(w, 2)
  })
})
