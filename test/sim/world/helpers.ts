import {ManualClock} from '../../../src/sim/clock.js'
import {createWorld, type SimWorld} from '../../../src/sim/world/index.js'
import type {SimServiceName, WorldOptions} from '../../../src/sim/types.js'

/** A world on a manual clock, and a typed-enough way to call its handlers as the wire layer does. */
export interface Harness {
  clock: ManualClock
  world: SimWorld
  call<T = Record<string, unknown>>(service: SimServiceName, op: string, input?: Record<string, unknown>): T
}

export function harness(options: Partial<WorldOptions> = {}): Harness {
  const clock = new ManualClock()
  const world = createWorld({
    clock,
    region: 'eu-west-1',
    accountId: '123456789012',
    scenario: 'todobackend',
    hook: 'none',
    ...options,
  })
  const call = <T>(service: SimServiceName, op: string, input: Record<string, unknown> = {}): T => {
    const handler = world.handlers[service]?.[op]
    if (!handler) throw new Error(`no handler ${service}.${op}`)
    return handler(input, {region: 'eu-west-1', requestId: 'req-1'}) as T
  }
  return {clock, world, call}
}

export type Obj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export const CLUSTER = 'todobackend-cluster'

export function groupName(h: Harness): string {
  return h.world.summary().autoScalingGroups[0]!
}

export function describeInstances(h: Harness): Obj[] {
  const arns = h.call<Obj>('ecs', 'ListContainerInstances', {cluster: CLUSTER})
    .containerInstanceArns as string[]
  if (arns.length === 0) return []
  return h.call<Obj>('ecs', 'DescribeContainerInstances', {cluster: CLUSTER, containerInstances: arns})
    .containerInstances
}

/** Every task of the cluster still known (both desired statuses), described. */
export function describeTasks(h: Harness, filter: Record<string, unknown> = {}): Obj[] {
  const arns = [
    ...h.call<Obj>('ecs', 'ListTasks', {cluster: CLUSTER, ...filter, desiredStatus: 'RUNNING'}).taskArns,
    ...h.call<Obj>('ecs', 'ListTasks', {cluster: CLUSTER, ...filter, desiredStatus: 'STOPPED'}).taskArns,
  ]
  if (arns.length === 0) return []
  return h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: arns}).tasks
}

export function describeService(h: Harness, name: string): Obj {
  return h.call<Obj>('ecs', 'DescribeServices', {cluster: CLUSTER, services: [name]}).services[0]
}

/** Grows the todobackend group to n instances and waits until all are registered with ECS. */
export function scaleTo(h: Harness, n: number): void {
  const g = h.world.state.groups.get(groupName(h))!
  g.maxSize = Math.max(g.maxSize, n)
  h.call('autoscaling', 'SetDesiredCapacity', {AutoScalingGroupName: g.name, DesiredCapacity: String(n)})
  h.clock.runUntil(() => describeInstances(h).length === n, 120_000)
}

export function registerTaskDef(h: Harness, family: string, memory: number, extra: Obj = {}): void {
  h.call('ecs', 'RegisterTaskDefinition', {
    family,
    containerDefinitions: [{name: family, image: `example/${family}`, cpu: 64, memory, ...extra}],
  })
}

/** Takes the seed's own service out of the picture, for tests about other services. */
export function retireTodobackend(h: Harness): void {
  h.call('ecs', 'UpdateService', {cluster: CLUSTER, service: 'todobackend', desiredCount: 0})
  h.clock.runUntil(
    () =>
      describeService(h, 'todobackend').runningCount === 0 &&
      describeTasks(h).every((t) => t.lastStatus === 'STOPPED'),
  )
}

export function drain(h: Harness, ciArn: string): Obj {
  return h.call<Obj>('ecs', 'UpdateContainerInstancesState', {
    cluster: CLUSTER,
    containerInstances: [ciArn],
    status: 'DRAINING',
  })
}
