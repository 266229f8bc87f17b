/**
 * Conformance: the built `drain` and `complete` against moto_server, an AWS emulator that is not ours.
 * moto sets DRAINING but never moves tasks (the test stops them, as ECS would), never holds an instance in
 * Terminating:Wait, and does not implement CompleteLifecycleAction (it answers an HTML 500): that must end
 * in a clear error, not a crash.
 */
import {AutoScalingClient} from '@aws-sdk/client-auto-scaling'
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startMoto, type MotoServer} from '../helpers/moto.js'
import {createMotoGroup, motoClientConfig, registerAndRunTasks} from '../helpers/moto-cluster.js'
import {awsTestEnv, runCli} from '../helpers/run-cli.js'

const CLUSTER = 'drainconf'
const GROUP = 'drainconf-asg'

let moto: MotoServer
let ecs: ECSClient
let busy: string // an instance with tasks
let busyArn: string

beforeAll(async () => {
  moto = await startMoto()
  const config = motoClientConfig(moto.endpoint)
  const asg = new AutoScalingClient(config)
  ecs = new ECSClient(config)
  const instanceIds = await createMotoGroup(asg, {
    group: GROUP,
    maxSize: 3,
    desiredCapacity: 2,
    availabilityZones: ['us-east-1a'],
    drainHook: true,
  })
  await ecs.send(new CreateClusterCommand({clusterName: CLUSTER}))
  await registerAndRunTasks(ecs, CLUSTER, instanceIds, 2)
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
