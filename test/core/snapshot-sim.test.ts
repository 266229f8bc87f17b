/**
 * The snapshot against the sim's world (over HTTP, through the real adapters): an instance terminated through
 * its group waits in Terminating:Wait on the manual hook, and the snapshot dates the hook's deadlines from
 * the scaling activity that started the termination, as AWS would report it.
 */
import {
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../src/aws/index.js'
import {resolveCluster} from '../../src/core/cluster.js'
import {buildClusterSnapshot} from '../../src/core/snapshot.js'
import {simClients, startTestSim, TEST_CREDENTIALS, type TestSim} from '../helpers/sim.js'

let sim: TestSim
beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
})
afterAll(async () => {
  await sim?.close()
})

describe('snapshot of a cluster with an instance waiting on its lifecycle hook (sim)', () => {
  it('shows the hook with heartbeat and global deadlines from the terminating activity', async () => {
    const aws = createAwsPorts({endpointUrl: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS})
    const cluster = await resolveCluster(aws.ecs)
    const before = await buildClusterSnapshot(aws, cluster)
    const victim = before.instances[0]!
    const group = victim.autoScalingGroupName!
    expect(victim.lifecycleState).toBe('InService')

    const {autoScaling} = simClients(sim.endpoint)
    await autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: victim.ec2InstanceId,
        ShouldDecrementDesiredCapacity: false,
      }),
    )
    let view = (await buildClusterSnapshot(aws, cluster)).instances.find(
      (i) => i.ec2InstanceId === victim.ec2InstanceId,
    )
    for (let i = 0; i < 50 && view?.lifecycleState !== 'Terminating:Wait'; i++) {
      sim.manualClock!.advance(1000)
      view = (await buildClusterSnapshot(aws, cluster)).instances.find(
        (x) => x.ec2InstanceId === victim.ec2InstanceId,
      )
    }
    expect(view?.lifecycleState).toBe('Terminating:Wait')

    // What AWS says, read with plain SDK calls: the hook's timeouts and the activity's start.
    const hook = (
      await autoScaling.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: group}))
    ).LifecycleHooks!.find((h) => h.LifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING')!
    const activity = (
      await autoScaling.send(new DescribeScalingActivitiesCommand({AutoScalingGroupName: group}))
    ).Activities!.find((a) => a.Description === `Terminating EC2 instance: ${victim.ec2InstanceId}`)!
    const start = activity.StartTime!.getTime()
    const globalS = hook.GlobalTimeout ?? Math.min(172800, 100 * hook.HeartbeatTimeout!)

    expect(view!.lifecycleHook).toEqual({
      name: hook.LifecycleHookName,
      autoScalingGroupName: group,
      heartbeatDeadline: new Date(start + hook.HeartbeatTimeout! * 1000),
      globalDeadline: new Date(start + globalS * 1000),
      defaultResult: hook.DefaultResult,
    })
  })
})
