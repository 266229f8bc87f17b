/**
 * Conformance: the built `drain` and `complete` against moto_server, an AWS emulator that is not ours.
 * moto sets DRAINING but never moves tasks (the test stops them, as ECS would), never holds an instance in
 * Terminating:Wait, and does not implement CompleteLifecycleAction (it answers an HTML 500): that must end
 * in a clear error, not a crash.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  PutLifecycleHookCommand,
} from '@aws-sdk/client-auto-scaling'
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startMoto, type MotoServer} from '../helpers/moto.js'
import {awsTestEnv, runCli} from '../helpers/run-cli.js'

const REGION = 'us-east-1'
const CLUSTER = 'drainconf'
const GROUP = 'drainconf-asg'
const creds = {accessKeyId: 'test', secretAccessKey: 'test'}

let moto: MotoServer
let ecs: ECSClient
let busy: string // an instance with tasks
let busyArn: string

beforeAll(async () => {
  moto = await startMoto()
  const config = {endpoint: moto.endpoint, region: REGION, credentials: creds}
  const asg = new AutoScalingClient(config)
  ecs = new ECSClient(config)
  await asg.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'lc',
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.large',
    }),
  )
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: GROUP,
      LaunchConfigurationName: 'lc',
      MinSize: 0,
      MaxSize: 3,
      DesiredCapacity: 2,
      AvailabilityZones: ['us-east-1a'],
    }),
  )
  await asg.send(
    new PutLifecycleHookCommand({
      AutoScalingGroupName: GROUP,
      LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 900,
      DefaultResult: 'CONTINUE',
    }),
  )
  const group = (await asg.send(new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [GROUP]})))
    .AutoScalingGroups![0]!
  await ecs.send(new CreateClusterCommand({clusterName: CLUSTER}))
  for (const i of group.Instances!) {
    const identity = {
      instanceId: i.InstanceId,
      region: REGION,
      instanceType: 't3.large',
      accountId: '123456789012',
    }
    await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster: CLUSTER,
        instanceIdentityDocument: JSON.stringify(identity),
      }),
    )
  }
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      containerDefinitions: [{name: 'web', image: 'nginx', cpu: 256, memory: 512}],
    }),
  )
  await ecs.send(new RunTaskCommand({cluster: CLUSTER, taskDefinition: 'web', count: 2}))
  const arns = (await ecs.send(new ListContainerInstancesCommand({cluster: CLUSTER}))).containerInstanceArns!
  const described = (
    await ecs.send(new DescribeContainerInstancesCommand({cluster: CLUSTER, containerInstances: arns}))
  ).containerInstances!
  const withTasks = described.find((c) => (c.runningTasksCount ?? 0) > 0)!
  busy = withTasks.ec2InstanceId!
  busyArn = withTasks.containerInstanceArn!
}, 90_000)

afterAll(async () => {
  await moto?.stop()
})

const cli = (args: string[]) => runCli(args, {env: awsTestEnv({AWS_ENDPOINT_URL: moto.endpoint})})

async function status(): Promise<string | undefined> {
  const out = await ecs.send(
    new DescribeContainerInstancesCommand({cluster: CLUSTER, containerInstances: [busyArn]}),
  )
  return out.containerInstances![0]!.status
}

describe('drain against moto_server', () => {
  it('drain --no-wait sets DRAINING', async () => {
    const r = await cli(['drain', busy, '--cluster', CLUSTER, '--no-wait', '--yes', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const [result] = JSON.parse(r.stdout) as Array<Record<string, unknown>>
    expect(result).toMatchObject({
      ec2InstanceId: busy,
      cluster: CLUSTER,
      containerInstanceArn: busyArn,
      outcome: 'draining',
      lifecycleAction: null,
    })
    expect(result!.tasksAtStart).toBeGreaterThan(0)
    expect(await status()).toBe('DRAINING')
  })

  it('once the tasks are stopped, drain sees the instance drained', async () => {
    const tasks = (await ecs.send(new ListTasksCommand({cluster: CLUSTER, containerInstance: busyArn})))
      .taskArns!
    expect(tasks.length).toBeGreaterThan(0)
    for (const task of tasks)
      await ecs.send(new StopTaskCommand({cluster: CLUSTER, task, reason: 'conformance'}))
    const r = await cli([
      'drain',
      busy,
      '--cluster',
      CLUSTER,
      '--yes',
      '--json',
      '--interval',
      '1s',
      '--timeout',
      '30s',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)[0]).toMatchObject({outcome: 'drained', tasksRemaining: 0, status: 'DRAINING'})
  })

  it("moto's missing CompleteLifecycleAction is a clear error, not a crash", async () => {
    const r = await cli(['complete', busy, '--cluster', CLUSTER, '--asg', GROUP, '--hook', 'drain'])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toMatch(/CompleteLifecycleAction kept failing .*unchanged/)
    expect(r.stderr).toMatch(/Next step: .*(moto does not|Try again)/)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
  }, 60_000)
})
