/**
 * Conformance: the reads of `ecsdrain report`, through our adapters, against moto_server (an AWS emulator that
 * is not ours): a group's scaling activities paged back to a time and its hooks, a service's STOPPED tasks
 * (ListTasks desiredStatus STOPPED), DescribeTasks of tasks ECS may have forgotten (MISSING ones are left out,
 * not an error), and the MemoryReservation Minimum (GetMetricData; moto has no data for it, so none).
 *
 * moto records no scaling activities. moto 5.2.1 does not implement the instance refresh calls (StartInstanceRefresh, DescribeInstanceRefreshes,
 * CancelInstanceRefresh, RollbackInstanceRefresh: a 500 "has not been implemented"), so `refresh` and the
 * refresh part of `report` are covered by the sim's e2e only. The last test here pins that: when moto
 * implements them it fails, and they get their conformance tests.
 */
import {
  AutoScalingClient,
  PutLifecycleHookCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  ListTasksCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts, type AwsRuntime} from '../../src/aws/index.js'
import {startMoto, type MotoServer} from '../helpers/moto.js'
import {
  MOTO_CREDENTIALS as creds,
  MOTO_REGION as REGION,
  createMotoGroup,
  motoClientConfig,
  registerAndRunTasks,
} from '../helpers/moto-cluster.js'

const CLUSTER = 'report-conformance'
const GROUP = 'report-asg'

let moto: MotoServer
let aws: AwsRuntime
let ids: string[]
let stopped: string
const started = new Date(Date.now() - 60_000)

beforeAll(async () => {
  moto = await startMoto()
  const config = motoClientConfig(moto.endpoint)
  const asg = new AutoScalingClient(config)
  const ecs = new ECSClient(config)
  ids = await createMotoGroup(asg, {
    group: GROUP,
    maxSize: 4,
    desiredCapacity: 3,
    availabilityZones: ['us-east-1a'],
  })
  await asg.send(
    new PutLifecycleHookCommand({
      AutoScalingGroupName: GROUP,
      LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 600,
      DefaultResult: 'ABANDON',
    }),
  )
  await ecs.send(new CreateClusterCommand({clusterName: CLUSTER}))
  await registerAndRunTasks(ecs, CLUSTER, ids, 2)
  await ecs.send(
    new CreateServiceCommand({cluster: CLUSTER, serviceName: 'web', taskDefinition: 'web', desiredCount: 1}),
  )
  const running = (await ecs.send(new ListTasksCommand({cluster: CLUSTER}))).taskArns!
  stopped = running[0]!
  await ecs.send(new StopTaskCommand({cluster: CLUSTER, task: stopped, reason: 'conformance'}))
  await asg.send(
    new TerminateInstanceInAutoScalingGroupCommand({
      InstanceId: ids[0],
      ShouldDecrementDesiredCapacity: true,
    }),
  )
  aws = createAwsPorts({endpointUrl: moto.endpoint, region: REGION, credentials: creds})
}, 60_000)

afterAll(async () => {
  await moto?.stop()
})

describe('report reads against moto_server', () => {
  it('scaling activities since a time (none in moto), and the terminating hook with its timeout and default result', async () => {
    // moto records no scaling activities (not even for the termination above): the paging still ends cleanly.
    expect(await aws.autoScaling.scalingActivitiesSince(GROUP, started)).toEqual([])
    const hooks = await aws.autoScaling.describeLifecycleHooks(GROUP)
    expect(hooks).toEqual([
      expect.objectContaining({
        hookName: 'drain',
        transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeatTimeout: 600,
        defaultResult: 'ABANDON',
      }),
    ])
  })

  it('DescribeTasks of retained tasks: the stopped one with its stoppedAt; an unknown one is left out', async () => {
    const unknown = `arn:aws:ecs:${REGION}:123456789012:task/${CLUSTER}/0123456789abcdef0123456789abcdef`
    const tasks = await aws.ecsDetails.describeRetainedTasks(CLUSTER, [stopped, unknown])
    expect(tasks.map((t) => t.taskArn)).toEqual([stopped])
    expect(tasks[0]).toMatchObject({desiredStatus: 'STOPPED', stoppedReason: 'conformance'})
  })

  it('GetMetricData for MemoryReservation: no data in moto, so no minutes (never an invented 0 %)', async () => {
    const points = await aws.cloudWatch.memoryReservationMinimum(
      CLUSTER,
      new Date(Date.now() - 3_600_000),
      new Date(),
    )
    expect(points).toEqual([])
  })

  it('moto still lacks the instance refresh calls (when this fails, add their conformance tests)', async () => {
    await expect(aws.autoScaling.describeInstanceRefreshes(GROUP)).rejects.toThrow()
  })
})
