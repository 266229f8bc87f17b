/**
 * Paging over HTTP with AWS's page sizes, on a cluster of 250 instances: the SDK paginators walk every page,
 * every item comes exactly once, and the `ec2InstanceId ==` filter finds the last instance without paging.
 */
import {
  DescribeAutoScalingInstancesCommand,
  paginateDescribeAutoScalingInstances,
} from '@aws-sdk/client-auto-scaling'
import {
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  paginateListContainerInstances,
  paginateListTasks,
  paginateListServices,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'

const cluster = 'large-cluster'
let sim: TestSim
let clients: ReturnType<typeof simClients>

beforeAll(async () => {
  sim = await startTestSim({scenario: 'large', instances: 250, services: 120, tasksPerInstance: 2})
  clients = simClients(sim.endpoint, {maxAttempts: 1})
})
afterAll(() => sim.close())

async function collect<T>(pages: AsyncIterable<T>, items: (page: T) => string[] | undefined) {
  const all: string[] = []
  let count = 0
  for await (const page of pages) {
    count++
    all.push(...(items(page) ?? []))
  }
  return {all, pages: count}
}

describe('paging across 250 instances', () => {
  it('ListContainerInstances: 100 a page, 3 pages, every instance once', async () => {
    const {all, pages} = await collect(
      paginateListContainerInstances({client: clients.ecs}, {cluster}),
      (p) => p.containerInstanceArns,
    )
    expect(pages).toBe(3)
    expect(all).toHaveLength(250)
    expect(new Set(all).size).toBe(250)
  })

  it('ListContainerInstances honours a smaller maxResults', async () => {
    const first = await clients.ecs.send(new ListContainerInstancesCommand({cluster, maxResults: 7}))
    expect(first.containerInstanceArns).toHaveLength(7)
    expect(first.nextToken).toBeDefined()
  })

  it('ListTasks (500 tasks) and ListServices (120 services) page by 100 and 10', async () => {
    const tasks = await collect(paginateListTasks({client: clients.ecs}, {cluster}), (p) => p.taskArns)
    expect(tasks.all).toHaveLength(500)
    expect(tasks.pages).toBe(5)
    expect(new Set(tasks.all).size).toBe(500)
    const services = await collect(
      paginateListServices({client: clients.ecs}, {cluster}),
      (p) => p.serviceArns,
    )
    expect(services.all).toHaveLength(120)
    expect(services.pages).toBe(12)
    expect(new Set(services.all).size).toBe(120)
  })

  it('the ec2InstanceId filter finds the last instance in one call', async () => {
    const {all} = await collect(
      paginateListContainerInstances({client: clients.ecs}, {cluster}),
      (p) => p.containerInstanceArns,
    )
    const last = await clients.ecs.send(
      new DescribeContainerInstancesCommand({cluster, containerInstances: [all[249]!]}),
    )
    const ec2Id = last.containerInstances![0]!.ec2InstanceId!
    const hit = await clients.ecs.send(
      new ListContainerInstancesCommand({cluster, filter: `ec2InstanceId == ${ec2Id}`}),
    )
    expect(hit.containerInstanceArns).toEqual([all[249]])
    expect(hit.nextToken).toBeUndefined()
  })

  it('DescribeContainerInstances takes 100 ARNs in one call', async () => {
    const {all} = await collect(
      paginateListContainerInstances({client: clients.ecs}, {cluster}),
      (p) => p.containerInstanceArns,
    )
    const out = await clients.ecs.send(
      new DescribeContainerInstancesCommand({cluster, containerInstances: all.slice(0, 100)}),
    )
    expect(out.containerInstances).toHaveLength(100)
    expect(out.failures).toEqual([])
  })

  it('DescribeAutoScalingInstances pages through all 250, 50 at a time', async () => {
    const {all, pages} = await collect(
      paginateDescribeAutoScalingInstances({client: clients.autoScaling}, {}),
      (p) => p.AutoScalingInstances?.map((i) => i.InstanceId!),
    )
    expect(all).toHaveLength(250)
    expect(new Set(all).size).toBe(250)
    expect(pages).toBe(5)
    const one = await clients.autoScaling.send(
      new DescribeAutoScalingInstancesCommand({InstanceIds: all.slice(0, 50)}),
    )
    expect(one.AutoScalingInstances).toHaveLength(50)
  })
})
