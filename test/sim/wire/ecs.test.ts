/**
 * Every ECS operation of the issue, through the SDK v3 ECS client over HTTP against the todobackend world:
 * the answers decode into the SDK's shapes (timestamps as Dates, numbers as numbers), filters and batch
 * limits apply, and errors surface under their AWS names.
 */
import {
  CreateServiceCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'

const cluster = 'todobackend-cluster'
let sim: TestSim
let ecs: ECSClient

beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
  ecs = simClients(sim.endpoint, {maxAttempts: 1}).ecs
})
afterAll(() => sim.close())

const advance = (ms: number) => sim.manualClock!.advance(ms)

async function onlyInstance() {
  const list = await ecs.send(new ListContainerInstancesCommand({cluster}))
  const out = await ecs.send(
    new DescribeContainerInstancesCommand({cluster, containerInstances: list.containerInstanceArns}),
  )
  return out.containerInstances![0]!
}

describe('ECS over the wire', () => {
  it('ListClusters and DescribeClusters', async () => {
    const list = await ecs.send(new ListClustersCommand({}))
    expect(list.clusterArns).toEqual([`arn:aws:ecs:us-east-1:123456789012:cluster/${cluster}`])
    const out = await ecs.send(new DescribeClustersCommand({clusters: [cluster, 'nope']}))
    expect(out.clusters![0]).toMatchObject({
      clusterName: cluster,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 1,
      runningTasksCount: 1,
    })
    expect(out.failures).toEqual([expect.objectContaining({reason: 'MISSING'})])
  })

  it('ListContainerInstances filters by ec2InstanceId and status; DescribeContainerInstances decodes resources and dates', async () => {
    const instance = await onlyInstance()
    expect(instance.registeredAt).toBeInstanceOf(Date)
    expect(instance).toMatchObject({status: 'ACTIVE', agentConnected: true, runningTasksCount: 1})
    const memory = (r: typeof instance.registeredResources) =>
      r!.find((x) => x.name === 'MEMORY')!.integerValue
    expect(memory(instance.registeredResources)).toBe(993)
    expect(memory(instance.remainingResources)).toBe(993 - 480)
    const hit = await ecs.send(
      new ListContainerInstancesCommand({cluster, filter: `ec2InstanceId == ${instance.ec2InstanceId}`}),
    )
    expect(hit.containerInstanceArns).toEqual([instance.containerInstanceArn])
    const miss = await ecs.send(
      new ListContainerInstancesCommand({cluster, filter: 'ec2InstanceId == i-00000000000000000'}),
    )
    expect(miss.containerInstanceArns).toEqual([])
    const draining = await ecs.send(new ListContainerInstancesCommand({cluster, status: 'DRAINING'}))
    expect(draining.containerInstanceArns).toEqual([])
  })

  it('DescribeContainerInstances refuses more than 100 ARNs', async () => {
    const arns = Array.from(
      {length: 101},
      (_, i) => `arn:aws:ecs:us-east-1:123456789012:container-instance/${cluster}/${i}`,
    )
    const call = ecs.send(new DescribeContainerInstancesCommand({cluster, containerInstances: arns}))
    await expect(call).rejects.toMatchObject({name: 'InvalidParameterException'})
  })

  it('a call on an unknown cluster is ClusterNotFoundException', async () => {
    await expect(ecs.send(new ListTasksCommand({cluster: 'ghost'}))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    })
  })

  it('RegisterTaskDefinition, DescribeTaskDefinition, CreateService, ListServices, UpdateService, DescribeServices', async () => {
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'worker',
        containerDefinitions: [{name: 'worker', image: 'busybox', cpu: 64, memory: 64, essential: true}],
      }),
    )
    expect(registered.taskDefinition).toMatchObject({family: 'worker', revision: 1, status: 'ACTIVE'})
    const described = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: 'worker:1'}))
    expect(described.taskDefinition?.containerDefinitions?.[0]).toMatchObject({name: 'worker', memory: 64})

    const created = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'worker',
        taskDefinition: 'worker',
        desiredCount: 1,
        deploymentConfiguration: {minimumHealthyPercent: 50, maximumPercent: 200},
      }),
    )
    expect(created.service).toMatchObject({serviceName: 'worker', desiredCount: 1, status: 'ACTIVE'})
    expect(created.service?.createdAt).toBeInstanceOf(Date)
    const services = await ecs.send(new ListServicesCommand({cluster}))
    expect(services.serviceArns).toHaveLength(2)

    advance(30_000)
    const updated = await ecs.send(new UpdateServiceCommand({cluster, service: 'worker', desiredCount: 2}))
    expect(updated.service?.desiredCount).toBe(2)
    advance(30_000)
    const out = await ecs.send(new DescribeServicesCommand({cluster, services: ['worker', 'todobackend']}))
    const worker = out.services!.find((s) => s.serviceName === 'worker')!
    expect(worker).toMatchObject({
      desiredCount: 2,
      runningCount: 2,
      deploymentConfiguration: {minimumHealthyPercent: 50, maximumPercent: 200},
    })
    expect(worker.events!.length).toBeGreaterThan(0)
    expect(worker.events![0]!.createdAt).toBeInstanceOf(Date)
    expect(worker.events!.map((e) => e.message).join('\n')).toContain('(service worker) has started')
    const tooMany = Array.from({length: 11}, (_, i) => `s${i}`)
    await expect(ecs.send(new DescribeServicesCommand({cluster, services: tooMany}))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    })
  })

  it('RunTask, ListTasks by family / service / instance / desiredStatus, DescribeTasks, StopTask', async () => {
    const instance = await onlyInstance()
    const run = await ecs.send(new RunTaskCommand({cluster, taskDefinition: 'worker', count: 1}))
    const standalone = run.tasks![0]!
    expect(standalone).toMatchObject({group: 'family:worker', desiredStatus: 'RUNNING'})
    expect(run.failures).toEqual([])

    const byFamily = await ecs.send(new ListTasksCommand({cluster, family: 'worker'}))
    expect(byFamily.taskArns).toHaveLength(3)
    const byService = await ecs.send(new ListTasksCommand({cluster, serviceName: 'worker'}))
    expect(byService.taskArns).toHaveLength(2)
    expect(byService.taskArns).not.toContain(standalone.taskArn)
    const onInstance = await ecs.send(
      new ListTasksCommand({cluster, containerInstance: instance.containerInstanceArn}),
    )
    expect(onInstance.taskArns).toHaveLength(4)

    await ecs.send(new StopTaskCommand({cluster, task: standalone.taskArn, reason: 'test'}))
    const stopping = await ecs.send(new DescribeTasksCommand({cluster, tasks: [standalone.taskArn!]}))
    expect(stopping.tasks![0]).toMatchObject({desiredStatus: 'STOPPED', stoppedReason: 'test'})
    const stoppedList = await ecs.send(
      new ListTasksCommand({cluster, family: 'worker', desiredStatus: 'STOPPED'}),
    )
    expect(stoppedList.taskArns).toEqual([standalone.taskArn])
    advance(60_000)
    const stopped = await ecs.send(new DescribeTasksCommand({cluster, tasks: [standalone.taskArn!]}))
    expect(stopped.tasks![0]).toMatchObject({lastStatus: 'STOPPED'})
    expect(stopped.tasks![0]!.stoppedAt).toBeInstanceOf(Date)
  })

  it('UpdateContainerInstancesState drains, and reports unknown instances in failures', async () => {
    const instance = await onlyInstance()
    const out = await ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster,
        containerInstances: [instance.containerInstanceArn!, 'not-an-instance'],
        status: 'DRAINING',
      }),
    )
    expect(out.containerInstances![0]).toMatchObject({status: 'DRAINING'})
    expect(out.failures).toEqual([
      expect.objectContaining({arn: expect.stringContaining('not-an-instance'), reason: 'MISSING'}),
    ])
    const back = await ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster,
        containerInstances: [instance.containerInstanceArn!],
        status: 'ACTIVE',
      }),
    )
    expect(back.containerInstances![0]!.status).toBe('ACTIVE')
  })

  it('DescribeCapacityProviders', async () => {
    const out = await ecs.send(new DescribeCapacityProvidersCommand({}))
    expect(out.capacityProviders!.map((c) => c.name)).toEqual(expect.arrayContaining(['FARGATE']))
  })
})
