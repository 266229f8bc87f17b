/**
 * The world's rules, tested as a user meets them: SDK v3 clients over HTTP against an in-process sim on a
 * ManualClock, which the test moves forward. AWS's own durations stay as they are (30 s stop timeout, 300 s
 * deregistration delay): the clock is what goes fast.
 */
import {DescribeAutoScalingInstancesCommand, SetDesiredCapacityCommand} from '@aws-sdk/client-auto-scaling'
import {
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type ContainerInstance,
  type CreateServiceCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs'
import {ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2'

import type {SimOptions} from '../../../src/sim/index.js'
import {simClients, startTestSim, TEST_CREDENTIALS, type TestSim} from '../../helpers/sim.js'

export interface World {
  sim: TestSim
  ecs: ReturnType<typeof simClients>['ecs']
  autoScaling: ReturnType<typeof simClients>['autoScaling']
  cloudWatch: ReturnType<typeof simClients>['cloudWatch']
  elb: ElasticLoadBalancingV2Client
  cluster: string
  close(): Promise<void>
}

export async function startWorld(options: SimOptions = {}): Promise<World> {
  const sim = await startTestSim({scenario: 'todobackend', hook: 'none', ...options})
  const clients = simClients(sim.endpoint, {maxAttempts: 1})
  return {
    sim,
    ...clients,
    elb: new ElasticLoadBalancingV2Client({
      endpoint: sim.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    }),
    cluster: sim.world.summary().clusters[0]!,
    close: () => sim.close(),
  }
}

/** Moves sim time forward `stepMs` at a time until `done` holds; fails past `limitMs` of sim time. */
export async function advanceUntil(
  w: World,
  done: () => Promise<boolean>,
  limitMs = 900_000,
  stepMs = 1_000,
): Promise<number> {
  const clock = w.sim.manualClock!
  const start = clock.now()
  while (!(await done())) {
    if (clock.now() - start > limitMs) throw new Error(`condition not met within ${limitMs} ms of sim time`)
    clock.advance(stepMs)
  }
  return clock.now() - start
}

export function advance(w: World, ms: number): void {
  w.sim.manualClock!.advance(ms)
}

export function now(w: World): number {
  return w.sim.manualClock!.now()
}

export async function instances(w: World, filter?: string): Promise<ContainerInstance[]> {
  const {containerInstanceArns} = await w.ecs.send(
    new ListContainerInstancesCommand({cluster: w.cluster, filter}),
  )
  if (!containerInstanceArns?.length) return []
  const out = await w.ecs.send(
    new DescribeContainerInstancesCommand({cluster: w.cluster, containerInstances: containerInstanceArns}),
  )
  return out.containerInstances!.sort((a, b) => a.registeredAt!.getTime() - b.registeredAt!.getTime())
}

/** Every task still known, both desired statuses. */
export async function tasks(
  w: World,
  filter: {family?: string; containerInstance?: string; serviceName?: string} = {},
): Promise<Task[]> {
  const arns: string[] = []
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const)
    arns.push(
      ...((await w.ecs.send(new ListTasksCommand({cluster: w.cluster, ...filter, desiredStatus}))).taskArns ??
        []),
    )
  if (arns.length === 0) return []
  return (await w.ecs.send(new DescribeTasksCommand({cluster: w.cluster, tasks: arns}))).tasks!
}

export async function task(w: World, arn: string): Promise<Task> {
  return (await w.ecs.send(new DescribeTasksCommand({cluster: w.cluster, tasks: [arn]}))).tasks![0]!
}

export async function service(w: World, name: string): Promise<Service> {
  return (await w.ecs.send(new DescribeServicesCommand({cluster: w.cluster, services: [name]}))).services![0]!
}

export async function events(w: World, name: string): Promise<string[]> {
  return (await service(w, name)).events!.map((e) => e.message!)
}

export async function drain(w: World, containerInstanceArn: string): Promise<void> {
  const out = await w.ecs.send(
    new UpdateContainerInstancesStateCommand({
      cluster: w.cluster,
      containerInstances: [containerInstanceArn],
      status: 'DRAINING',
    }),
  )
  if (out.failures?.length) throw new Error(`drain failed: ${JSON.stringify(out.failures)}`)
}

export async function registerTaskDef(
  w: World,
  family: string,
  container: Partial<ContainerDefinition> = {},
) {
  return (
    await w.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          {name: family, image: `example/${family}`, cpu: 64, memory: 100, ...container},
        ],
      }),
    )
  ).taskDefinition!
}

/** Registers a task definition for the service and creates it, then waits until its tasks are healthy. */
export async function createService(
  w: World,
  name: string,
  input: Partial<CreateServiceCommandInput> & {desiredCount: number},
  container: Partial<ContainerDefinition> = {},
): Promise<Service> {
  await registerTaskDef(w, name, container)
  await w.ecs.send(
    new CreateServiceCommand({cluster: w.cluster, serviceName: name, taskDefinition: name, ...input}),
  )
  await advanceUntil(w, async () => (await service(w, name)).runningCount === input.desiredCount, 600_000)
  return service(w, name)
}

export async function retireTodobackend(w: World): Promise<void> {
  await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'todobackend', desiredCount: 0}))
  await advanceUntil(w, async () => (await tasks(w)).every((t) => t.lastStatus === 'STOPPED'), 900_000, 5_000)
}

/** Scales the (first) group to n instances and waits until all are registered with ECS. */
export async function scaleTo(
  w: World,
  n: number,
  group = w.sim.world.summary().autoScalingGroups[0]!,
): Promise<void> {
  await w.autoScaling.send(new SetDesiredCapacityCommand({AutoScalingGroupName: group, DesiredCapacity: n}))
  await advanceUntil(w, async () => (await instances(w)).length >= n, 120_000)
}

export async function asgInstance(w: World, id: string) {
  const out = await w.autoScaling.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [id]}))
  return out.AutoScalingInstances?.[0]
}

/** Watches a task's lastStatus every stepMs until it is STOPPED: each status with the sim time it was first seen. */
export async function statusTimeline(w: World, arn: string, stepMs = 500, limitMs = 900_000) {
  const seen: {status: string; at: number}[] = []
  await advanceUntil(
    w,
    async () => {
      const t = await task(w, arn)
      if (seen[seen.length - 1]?.status !== t.lastStatus) seen.push({status: t.lastStatus!, at: now(w)})
      return t.lastStatus === 'STOPPED'
    },
    limitMs,
    stepMs,
  )
  return seen
}

export function duration(seen: {status: string; at: number}[], status: string): number {
  const i = seen.findIndex((s) => s.status === status)
  if (i < 0 || i + 1 >= seen.length)
    throw new Error(`${status} not seen with an end in ${JSON.stringify(seen)}`)
  return seen[i + 1]!.at - seen[i]!.at
}
