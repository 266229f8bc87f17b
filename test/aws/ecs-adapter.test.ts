import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  UpdateContainerInstancesStateCommand,
  type ContainerInstance as SdkCi,
} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {createEcsPort} from '../../src/aws/ecs-adapter.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}})
const port = createEcsPort(client)

const arn = (n: number) =>
  `arn:aws:ecs:us-east-1:123456789012:container-instance/c1/${n.toString(16).padStart(32, '0')}`
const ec2 = (n: number) => `i-${n.toString(16).padStart(17, '0')}`
const sdkCi = (n: number): SdkCi => ({
  containerInstanceArn: arn(n),
  ec2InstanceId: ec2(n),
  status: 'ACTIVE',
  agentConnected: true,
  runningTasksCount: 2,
  pendingTasksCount: 1,
  registeredResources: [
    {name: 'CPU', type: 'INTEGER', integerValue: 2048},
    {name: 'MEMORY', type: 'INTEGER', integerValue: 7985},
    {name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '51678']},
  ],
  remainingResources: [
    {name: 'CPU', type: 'INTEGER', integerValue: 1024},
    {name: 'MEMORY', type: 'INTEGER', integerValue: 4000},
    {name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '51678', '8080']},
  ],
  attributes: [
    {name: 'ecs.instance-type', value: 't3.large'},
    {name: 'ecs.availability-zone', value: 'us-east-1b'},
  ],
})

/** Answers ListContainerInstances in pages of `pageSize` and DescribeContainerInstances from the batch asked. */
function clusterOf(total: number, pageSize = 100) {
  ecsMock.on(ListContainerInstancesCommand).callsFake((input: {nextToken?: string}) => {
    const start = input.nextToken ? Number(input.nextToken) : 0
    const end = Math.min(total, start + pageSize)
    return {
      containerInstanceArns: Array.from({length: end - start}, (_, i) => arn(start + i)),
      nextToken: end < total ? String(end) : undefined,
    }
  })
  ecsMock.on(DescribeContainerInstancesCommand).callsFake(describeAtMost100)
}

/** As ECS: at most 100 ARNs a call, or InvalidParameterException. */
function describeAtMost100(input: {containerInstances: string[]}) {
  if (input.containerInstances.length > 100) {
    throw Object.assign(new Error('containerInstances can have at most 100 items.'), {
      name: 'InvalidParameterException',
      $fault: 'client',
    })
  }
  return {
    containerInstances: input.containerInstances.map((a) => sdkCi(parseInt(a.split('/').pop()!, 16))),
    failures: [],
  }
}

beforeEach(() => ecsMock.reset())

describe('ECS adapter: listContainerInstances', () => {
  it('pages through ListContainerInstances and describes in batches of at most 100', async () => {
    clusterOf(250)
    const all = await port.listContainerInstances('c1')

    expect(all).toHaveLength(250)
    expect(new Set(all.map((c) => c.ec2InstanceId)).size).toBe(250)
    const lists = ecsMock.commandCalls(ListContainerInstancesCommand)
    expect(lists).toHaveLength(3)
    expect(lists.map((c) => c.args[0].input.nextToken)).toEqual([undefined, '100', '200'])
    expect(lists.every((c) => c.args[0].input.maxResults === 100)).toBe(true)
    const describes = ecsMock.commandCalls(DescribeContainerInstancesCommand)
    expect(describes.map((c) => c.args[0].input.containerInstances!.length).sort()).toEqual([100, 100, 50])
  })

  it('describes 101 instances in two calls, never one of 101 (ECS refuses more than 100)', async () => {
    clusterOf(101)
    expect(await port.listContainerInstances('c1')).toHaveLength(101)
    const arns = Array.from({length: 101}, (_, i) => arn(i))
    expect(await port.describeContainerInstances('c1', arns)).toHaveLength(101)
    const sizes = ecsMock
      .commandCalls(DescribeContainerInstancesCommand)
      .map((c) => c.args[0].input.containerInstances!.length)
    expect(sizes.sort((a, b) => a - b)).toEqual([1, 1, 100, 100])
  })

  it('describes each page while the next is listed, and reports each batch', async () => {
    const log: string[] = []
    ecsMock.on(ListContainerInstancesCommand).callsFake(async (input: {nextToken?: string}) => {
      const start = input.nextToken ? Number(input.nextToken) : 0
      log.push(`list ${start}`)
      await new Promise((r) => setTimeout(r, 20))
      const end = Math.min(300, start + 100)
      const arns = Array.from({length: end - start}, (_, i) => arn(start + i))
      return {containerInstanceArns: arns, nextToken: end < 300 ? String(end) : undefined}
    })
    ecsMock.on(DescribeContainerInstancesCommand).callsFake((input: {containerInstances: string[]}) => {
      log.push('describe')
      return {
        containerInstances: input.containerInstances.map((a) => sdkCi(parseInt(a.split('/').pop()!, 16))),
      }
    })
    const batches: number[] = []
    const all = await port.listContainerInstances('c1', (b) => batches.push(b.length))
    expect(all).toHaveLength(300)
    expect(batches).toEqual([100, 100, 100])
    // The first page was described before the last page was listed.
    expect(log.indexOf('describe')).toBeLessThan(log.indexOf('list 200'))
  })

  it('maps resources, ports and attributes into core shapes', async () => {
    clusterOf(1)
    const [ci] = await port.listContainerInstances('arn:aws:ecs:us-east-1:123456789012:cluster/c1')
    expect(ci).toMatchObject({
      cluster: 'c1',
      ec2InstanceId: ec2(0),
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 2,
      pendingTasksCount: 1,
      cpu: {registered: 2048, remaining: 1024},
      memory: {registered: 7985, remaining: 4000},
      usedTcpPorts: [22, 8080, 51678],
      availabilityZone: 'us-east-1b',
      instanceType: 't3.large',
    })
  })

  it('does not describe an empty cluster', async () => {
    clusterOf(0)
    expect(await port.listContainerInstances('c1')).toEqual([])
    expect(ecsMock.commandCalls(DescribeContainerInstancesCommand)).toHaveLength(0)
  })
})

describe('ECS adapter: findContainerInstance', () => {
  it('sends the ec2InstanceId filter and returns the one instance', async () => {
    ecsMock.on(ListContainerInstancesCommand).resolves({containerInstanceArns: [arn(7)]})
    ecsMock.on(DescribeContainerInstancesCommand).resolves({containerInstances: [sdkCi(7)]})
    const ci = await port.findContainerInstance('c1', ec2(7))
    expect(ci?.containerInstanceArn).toBe(arn(7))
    expect(ecsMock.commandCalls(ListContainerInstancesCommand)[0]!.args[0].input.filter).toBe(
      `ec2InstanceId == ${ec2(7)}`,
    )
  })

  it('checks the id that comes back when the server ignores the filter', async () => {
    clusterOf(150)
    expect((await port.findContainerInstance('c1', ec2(120)))?.containerInstanceArn).toBe(arn(120))
    expect(await port.findContainerInstance('c1', ec2(999))).toBeUndefined()
  })
})

describe('ECS adapter: services and tasks', () => {
  it('describes services 10 at a time', async () => {
    const names = Array.from({length: 25}, (_, i) => `arn:aws:ecs:us-east-1:1:service/c1/s${i}`)
    ecsMock.on(ListServicesCommand).resolves({serviceArns: names})
    ecsMock.on(DescribeServicesCommand).callsFake((input: {services: string[]}) => ({
      services: input.services.map((s) => ({
        serviceName: s.split('/').pop(),
        desiredCount: 2,
        runningCount: 1,
      })),
    }))
    const services = await port.listServices('c1')
    expect(services).toHaveLength(25)
    expect(services[0]).toMatchObject({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      schedulingStrategy: 'REPLICA',
    })
    const batches = ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services!.length)
    expect(batches.sort()).toEqual([10, 10, 5])
  })

  it('returns the failures of UpdateContainerInstancesState, in batches of 10', async () => {
    ecsMock.on(UpdateContainerInstancesStateCommand).callsFake((input: {containerInstances: string[]}) => ({
      containerInstances: [],
      failures: input.containerInstances.map((a) => ({arn: a, reason: 'MISSING'})),
    }))
    const arns = Array.from({length: 12}, (_, i) => arn(i))
    const r = await port.updateContainerInstancesState('c1', arns, 'DRAINING')
    expect(r.failures).toHaveLength(12)
    expect(r.failures[0]).toEqual({arn: arn(0), reason: 'MISSING', detail: null})
    expect(ecsMock.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(2)
  })
})
