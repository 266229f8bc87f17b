/**
 * Conformance: ecsdrain's adapters and the built `instances` command against moto_server.
 * We build a cluster there the way AWS would have one: EC2 instances launched by an Auto Scaling group,
 * registered as container instances with their instance identity documents, and tasks started by RunTask.
 *
 * moto's quirks, which the adapters must absorb (and do):
 * - ListContainerInstances ignores `filter` (it returns every instance): findContainerInstance checks the
 *   ec2InstanceId that comes back, so lookups by id still find exactly the right one.
 * - ListContainerInstances ignores maxResults and never pages: the adapter still describes in batches of 100.
 * - ListContainerInstances on an unknown cluster returns [] (AWS: ClusterNotFoundException): the cluster is
 *   always resolved with DescribeClusters first, whose `failures` (MISSING) moto does report.
 * - Resources carry integerValue plus zeroed longValue/doubleValue: the adapter reads integerValue first.
 * - Lifecycle hooks never hold an instance in Terminating:Wait, so pending hooks are covered by the sim's e2e.
 */
import {AutoScalingClient, DetachInstancesCommand, EnterStandbyCommand} from '@aws-sdk/client-auto-scaling'
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../src/aws/index.js'
import {UsageError} from '../../src/core/errors.js'
import {locateInstances} from '../../src/core/locate.js'
import type {InstancesJson} from '../../src/render/instances.js'
import {startMoto, type MotoServer} from '../helpers/moto.js'
import {
  MOTO_CREDENTIALS as creds,
  MOTO_REGION as REGION,
  createMotoGroup,
  motoClientConfig,
  registerAndRunTasks,
} from '../helpers/moto-cluster.js'
import {awsTestEnv, runCli} from '../helpers/run-cli.js'

const CLUSTER = 'conformance'
const GROUP = 'conformance-asg'

let moto: MotoServer
let ids: string[] = []
let inGroup: string[] = []
let standby: string
let detached: string

beforeAll(async () => {
  moto = await startMoto()
  const config = motoClientConfig(moto.endpoint)
  const asg = new AutoScalingClient(config)
  const ecs = new ECSClient(config)

  ids = (
    await createMotoGroup(asg, {
      group: GROUP,
      maxSize: 6,
      desiredCapacity: 4,
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      drainHook: true,
    })
  ).sort()
  ;[standby, detached] = [ids[0]!, ids[1]!]
  inGroup = ids.filter((id) => id !== detached)
  await asg.send(
    new EnterStandbyCommand({
      AutoScalingGroupName: GROUP,
      InstanceIds: [standby],
      ShouldDecrementDesiredCapacity: true,
    }),
  )
  await asg.send(
    new DetachInstancesCommand({
      AutoScalingGroupName: GROUP,
      InstanceIds: [detached],
      ShouldDecrementDesiredCapacity: true,
    }),
  )

  await ecs.send(new CreateClusterCommand({clusterName: CLUSTER}))
  await ecs.send(new CreateClusterCommand({clusterName: 'other'}))
  await registerAndRunTasks(ecs, CLUSTER, ids, 3)
}, 90_000)

afterAll(async () => {
  await moto?.stop()
})

const motoEnv = () => awsTestEnv({AWS_ENDPOINT_URL: moto.endpoint})

describe('instances --json against moto_server', () => {
  it('reports each container instance with its group, lifecycle state and resources', async () => {
    const r = await runCli(['instances', '--json', '--cluster', CLUSTER], {env: motoEnv()})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as InstancesJson
    expect(out.cluster).toBe(CLUSTER)
    expect(out.instances.map((i) => i.ec2InstanceId)).toEqual(ids)

    const byId = new Map(out.instances.map((i) => [i.ec2InstanceId, i]))
    for (const id of inGroup) expect(byId.get(id)!.autoScalingGroupName).toBe(GROUP)
    expect(byId.get(standby)!.lifecycleState).toBe('Standby')
    expect(byId.get(detached)).toMatchObject({autoScalingGroupName: null, lifecycleState: null})
    for (const id of inGroup.filter((i) => i !== standby))
      expect(byId.get(id)!.lifecycleState).toBe('InService')

    for (const i of out.instances) {
      expect(i).toMatchObject({
        status: 'ACTIVE',
        agentConnected: true,
        instanceType: 't3.large',
        lifecycleHook: null,
      })
      expect(i.availabilityZone).toMatch(/^us-east-1[ab]$/)
      // Each RunTask task reserves 256 CPU units and 512 MiB on the instance it landed on.
      expect(i.cpu.registered - i.cpu.remaining).toBe(256 * i.runningTasksCount)
      expect(i.memory.registered - i.memory.remaining).toBe(512 * i.runningTasksCount)
    }
    expect(out.instances.reduce((s, i) => s + i.runningTasksCount, 0)).toBe(3)
  })

  it('agrees with what moto itself describes', async () => {
    const ecs = new ECSClient({endpoint: moto.endpoint, region: REGION, credentials: creds})
    const arns = (await ecs.send(new ListContainerInstancesCommand({cluster: CLUSTER})))
      .containerInstanceArns!
    const raw = (
      await ecs.send(new DescribeContainerInstancesCommand({cluster: CLUSTER, containerInstances: arns}))
    ).containerInstances!
    const out = JSON.parse(
      (await runCli(['instances', '--json', '--cluster', CLUSTER], {env: motoEnv()})).stdout,
    ) as InstancesJson
    for (const ci of raw) {
      const mine = out.instances.find((i) => i.containerInstanceArn === ci.containerInstanceArn)!
      expect(mine.ec2InstanceId).toBe(ci.ec2InstanceId)
      expect(mine.runningTasksCount).toBe(ci.runningTasksCount)
      expect(mine.cpu.remaining).toBe(ci.remainingResources!.find((x) => x.name === 'CPU')!.integerValue)
    }
  })

  it('without --cluster, two clusters is a usage error listing both (exit 2)', async () => {
    const r = await runCli(['instances'], {env: motoEnv()})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`Several clusters exist; choose one: ${CLUSTER}, other.`)
  })

  it('an unknown cluster exits 2 with the known ones', async () => {
    const r = await runCli(['instances', '--cluster', 'ghost'], {env: motoEnv()})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`Known clusters: ${CLUSTER}, other.`)
  })
})

describe('instance lookup against moto_server (which ignores the ec2InstanceId filter)', () => {
  it('finds each instance in its cluster, and only there', async () => {
    const aws = createAwsPorts({endpointUrl: moto.endpoint, region: REGION, credentials: creds})
    const found = await locateInstances(aws, [ids[2]!, ids[3]!])
    expect(found.map((f) => [f.instance.ec2InstanceId, f.cluster])).toEqual([
      [ids[2], CLUSTER],
      [ids[3], CLUSTER],
    ])
  })

  it('an unknown id is not found (exit 2), naming the clusters searched', async () => {
    const aws = createAwsPorts({endpointUrl: moto.endpoint, region: REGION, credentials: creds})
    const err = (await locateInstances(aws, ['i-0fffffffffffffff0']).catch((e: unknown) => e)) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe(`Not a container instance: i-0fffffffffffffff0 (searched ${CLUSTER}, other).`)
  })
})
