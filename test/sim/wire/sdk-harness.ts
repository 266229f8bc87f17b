/**
 * The drain scenarios' vocabulary, spoken only through the SDK v3 clients over HTTP (as ecsdrain does), with
 * the sim on a ManualClock that the test moves forward in small steps.
 */
import {DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand} from '@aws-sdk/client-auto-scaling'
import {GetMetricDataCommand} from '@aws-sdk/client-cloudwatch'
import {
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateContainerInstancesStateCommand,
  type ContainerInstance,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs'

import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'
import {memoryMinimumQuery} from '../../helpers/metric-queries.js'
import type {HookMode} from '../../../src/sim/types.js'

export const CLUSTER = 'todobackend-cluster'

export interface SdkHarness {
  sim: TestSim
  clients: ReturnType<typeof simClients>
  group: string
  close(): Promise<void>
}

export async function sdkHarness(hook: HookMode = 'none'): Promise<SdkHarness> {
  const sim = await startTestSim({scenario: 'todobackend', hook})
  return {
    sim,
    clients: simClients(sim.endpoint, {maxAttempts: 1}),
    group: sim.world.summary().autoScalingGroups[0]!,
    close: () => sim.close(),
  }
}

/** Moves sim time forward `stepMs` at a time until `done` (awaited after each step) holds; fails past `limitMs`. */
export async function advanceUntil(
  h: SdkHarness,
  done: () => Promise<boolean>,
  limitMs = 600_000,
  stepMs = 500,
): Promise<void> {
  for (let elapsed = 0; elapsed <= limitMs; elapsed += stepMs) {
    if (await done()) return
    h.sim.manualClock!.advance(stepMs)
  }
  throw new Error(`condition not met within ${limitMs} ms of sim time`)
}

export async function instances(h: SdkHarness): Promise<ContainerInstance[]> {
  const {containerInstanceArns} = await h.clients.ecs.send(
    new ListContainerInstancesCommand({cluster: CLUSTER}),
  )
  if (!containerInstanceArns?.length) return []
  const out = await h.clients.ecs.send(
    new DescribeContainerInstancesCommand({cluster: CLUSTER, containerInstances: containerInstanceArns}),
  )
  return out.containerInstances!.sort((a, b) => a.registeredAt!.getTime() - b.registeredAt!.getTime())
}

/** Every task still known, both desired statuses, optionally filtered as ListTasks filters. */
export async function tasks(
  h: SdkHarness,
  filter: {family?: string; containerInstance?: string} = {},
): Promise<Task[]> {
  const arns: string[] = []
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    arns.push(
      ...((await h.clients.ecs.send(new ListTasksCommand({cluster: CLUSTER, ...filter, desiredStatus})))
        .taskArns ?? []),
    )
  }
  if (arns.length === 0) return []
  return (await h.clients.ecs.send(new DescribeTasksCommand({cluster: CLUSTER, tasks: arns}))).tasks!
}

export async function service(h: SdkHarness, name: string): Promise<Service> {
  return (await h.clients.ecs.send(new DescribeServicesCommand({cluster: CLUSTER, services: [name]})))
    .services![0]!
}

export async function drain(h: SdkHarness, containerInstanceArn: string): Promise<void> {
  const out = await h.clients.ecs.send(
    new UpdateContainerInstancesStateCommand({
      cluster: CLUSTER,
      containerInstances: [containerInstanceArn],
      status: 'DRAINING',
    }),
  )
  if (out.failures?.length) throw new Error(`drain failed: ${JSON.stringify(out.failures)}`)
}

/** Scales the group to n instances and waits until all of them are registered with ECS. */
export async function scaleTo(h: SdkHarness, n: number): Promise<void> {
  await h.clients.autoScaling.send(
    new SetDesiredCapacityCommand({AutoScalingGroupName: h.group, DesiredCapacity: n}),
  )
  await advanceUntil(h, async () => (await instances(h)).length === n, 120_000, 1_000)
}

export async function groupInstances(h: SdkHarness) {
  const out = await h.clients.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [h.group]}),
  )
  return out.AutoScalingGroups![0]!.Instances ?? []
}

export async function createService(
  h: SdkHarness,
  name: string,
  desired: number,
  min: number,
  max: number,
  extra: {schedulingStrategy?: 'DAEMON'} = {},
): Promise<void> {
  await h.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [{name, image: `example/${name}`, cpu: 64, memory: 100}],
    }),
  )
  await h.clients.ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: name,
      taskDefinition: name,
      ...(extra.schedulingStrategy
        ? {schedulingStrategy: extra.schedulingStrategy}
        : {
            desiredCount: desired,
            deploymentConfiguration: {minimumHealthyPercent: min, maximumPercent: max},
          }),
    }),
  )
}

/** MemoryReservation Minimum per minute, newest first, from `fromMs` to a minute past now. */
export async function memoryMinimum(h: SdkHarness, fromMs: number) {
  const out = await h.clients.cloudWatch.send(
    new GetMetricDataCommand(memoryMinimumQuery(CLUSTER, fromMs, h.sim.clock.now() + 60_000)),
  )
  const result = out.MetricDataResults![0]!
  return {timestamps: result.Timestamps!.map((t) => t.getTime()), values: result.Values!}
}
