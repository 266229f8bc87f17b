/**
 * The largest batch of a group's instances that can be replaced at once while every service stays at or
 * above its minimum healthy count, counted per AZ with the services' placement rules: preflight's own room
 * model (drain/replacement-room.ts) asked about several instances leaving together. Pure.
 *
 * - launch-first (MaxHealthyPercentage above 100): Auto Scaling launches the batch's replacements and waits
 *   until they are InService before it terminates the old ones ("Use an instance refresh to update instances
 *   in an Auto Scaling group", https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html),
 *   so the new instances, empty and of the same launch template (type, AZ), count as room;
 * - terminate-first (MaxHealthyPercentage 100): only the instances that stay count.
 * Which instances make up a batch is Auto Scaling's choice, so each size is checked twice: the batch that
 * takes instances round-robin over the AZs (as Auto Scaling balances them) and the one holding the most
 * service tasks (the worst case). A service whose replacements find no room may run short only down to
 * ceil(desired x minimumHealthyPercent / 100), which is what ECS keeps ("Deploy Amazon ECS services by
 * replacing tasks", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html).
 */
import {isDeadlocked, kindOf, serviceNameOf} from '../drain/task-kind.js'
import {assessRoom} from '../drain/replacement-room.js'
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../types.js'

export type RefreshStrategy = 'launch-first' | 'terminate-first'

export interface BatchFacts {
  /** The group's instances the refresh will replace. */
  candidates: readonly ContainerInstance[]
  /** Every container instance of the cluster. */
  clusterInstances: readonly ContainerInstance[]
  /** Live tasks per container instance ARN (at least the candidates'). */
  tasksOn: ReadonlyMap<string, readonly TaskInfo[]>
  services: ReadonlyMap<string, ServiceInfo>
  /** Container instances running each distinctInstance service's live tasks. */
  serviceHosts: ReadonlyMap<string, ReadonlySet<string>>
  strategy: RefreshStrategy
}

export interface BatchVerdict {
  largest: number
  /** Why one more would not be safe (or why not even one is), or null when every candidate fits at once. */
  limit: string | null
}

const az = (i: ContainerInstance) => i.availabilityZone ?? 'unknown AZ'

/** A replacement of the same launch template, registered and empty. */
function newLike(i: ContainerInstance, n: number): ContainerInstance {
  return {
    ...i,
    containerInstanceArn: `${i.containerInstanceArn}#replacement-${n}`,
    ec2InstanceId: `replacement of ${i.ec2InstanceId}`,
    status: 'ACTIVE',
    runningTasksCount: 0,
    pendingTasksCount: 0,
    cpu: {registered: i.cpu.registered, remaining: i.cpu.registered},
    memory: {registered: i.memory.registered, remaining: i.memory.registered},
    usedTcpPorts: [],
  }
}

function replicasOn(facts: BatchFacts, i: ContainerInstance): TaskInfo[] {
  return (facts.tasksOn.get(i.containerInstanceArn) ?? []).filter(
    (t) => t.desiredStatus === 'RUNNING' && kindOf(t, facts.services) === 'replica',
  )
}

/** Why this batch would leave a service short, or null when it is safe. */
export function batchProblem(facts: BatchFacts, batch: readonly ContainerInstance[]): string | null {
  const leaving = new Set(batch.map((i) => i.containerInstanceArn))
  const replicas = batch.flatMap((i) => replicasOn(facts, i))
  for (const name of new Set(replicas.map((t) => serviceNameOf(t) ?? ''))) {
    const service = facts.services.get(name)
    if (service && isDeadlocked(service))
      return `service ${name} (minimumHealthyPercent ${service.minimumHealthyPercent}, maximumPercent ${service.maximumPercent}) can never move its tasks`
  }
  const others = facts.clusterInstances.filter(
    (i) => i.status === 'ACTIVE' && !leaving.has(i.containerInstanceArn),
  )
  if (facts.strategy === 'launch-first') others.push(...batch.map((i, n) => newLike(i, n)))
  const serviceHosts = new Map<string, Set<string>>()
  for (const [name, hosts] of facts.serviceHosts)
    serviceHosts.set(name, new Set([...hosts].filter((h) => !leaving.has(h))))
  const verdict = assessRoom({replicas, services: facts.services, others, serviceHosts})
  const where = [...new Set(batch.map(az))].sort().join(', ')
  const blocked = verdict.blocked[0]
  if (blocked)
    return `service ${blocked.service}'s ${blocked.tasks} task(s) on ${batch.length} instance(s) in ${where} have nowhere to go (${blocked.constraint})`
  for (const short of verdict.noRoom) {
    const service = facts.services.get(short.service)
    if (!service) continue
    const minimum = Math.ceil((service.desiredCount * service.minimumHealthyPercent) / 100)
    if (service.runningCount - short.tasks < minimum)
      return (
        `service ${short.service} would run ${service.runningCount - short.tasks} of its minimum ${minimum}: ` +
        `${short.tasks} replacement(s) find no room (${
          Object.entries(short.eligibleByAz)
            .map(([zone, n]) => `${zone}: ${n} eligible, full`)
            .join('; ') || 'no eligible instance'
        })`
      )
  }
  return null
}

/** The candidates taken one AZ after another, as Auto Scaling keeps its AZs balanced. */
function roundRobin(candidates: readonly ContainerInstance[]): ContainerInstance[] {
  const byAz = new Map<string, ContainerInstance[]>()
  for (const i of candidates) byAz.set(az(i), [...(byAz.get(az(i)) ?? []), i])
  const queues = [...byAz.keys()].sort().map((k) => byAz.get(k)!)
  const out: ContainerInstance[] = []
  while (out.length < candidates.length) for (const q of queues) if (q.length > 0) out.push(q.shift()!)
  return out
}

export function largestSafeBatch(facts: BatchFacts): BatchVerdict {
  const spread = roundRobin(facts.candidates)
  const heaviest = [...facts.candidates].sort(
    (a, b) => replicasOn(facts, b).length - replicasOn(facts, a).length,
  )
  let largest = 0
  for (let k = 1; k <= facts.candidates.length; k++) {
    const problem = batchProblem(facts, spread.slice(0, k)) ?? batchProblem(facts, heaviest.slice(0, k))
    if (problem)
      return {
        largest,
        limit: k === 1 ? `not even one instance can go: ${problem}` : `${k} at once: ${problem}`,
      }
    largest = k
  }
  return {largest, limit: null}
}

/**
 * The percentages that make Auto Scaling replace `batch` of `desired` instances at a time:
 * launch-first keeps 100 % in service and allows ceil(100 x batch / desired) % more; terminate-first lets
 * floor(100 x (desired - batch) / desired) % stay. AWS requires Max - Min <= 100 (RefreshPreferences).
 */
export function percentagesFor(
  strategy: RefreshStrategy,
  batch: number,
  desired: number,
): {minHealthyPercentage: number; maxHealthyPercentage: number} {
  const size = Math.max(1, desired)
  const k = Math.max(1, Math.min(batch, size))
  if (strategy === 'launch-first')
    return {minHealthyPercentage: 100, maxHealthyPercentage: Math.min(200, 100 + Math.ceil((100 * k) / size))}
  return {minHealthyPercentage: Math.floor((100 * (size - k)) / size), maxHealthyPercentage: 100}
}
