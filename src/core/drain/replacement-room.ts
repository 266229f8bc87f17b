/**
 * Where the replacements of a draining instance's service tasks could go, service by service, honouring
 * each service's placement constraints (distinctInstance, memberOf) and, roughly, its strategies, with the
 * room counted per Availability Zone. Two different failures come out of it:
 * - a constraint that no other ACTIVE instance meets: the tasks cannot move at all (more of the same
 *   instances would not help unless they match), so preflight refuses;
 * - eligible instances without the CPU, memory or ports: a scale-out fixes that, so preflight only warns.
 * Constraints and strategies as documented in "Amazon ECS task placement constraints" and "strategies"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html).
 */
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../types.js'
import {matchesQuery} from './cluster-query.js'
import {biggestFirst, fits, take, toHost, type Demand, type Host} from './placement.js'

export interface RoomFacts {
  /** The service replicas on the draining instance that need a replacement (desiredStatus RUNNING). */
  replicas: readonly TaskInfo[]
  services: ReadonlyMap<string, ServiceInfo>
  /** The other ACTIVE instances. */
  others: readonly ContainerInstance[]
  /** Instances already running a live task of a service (for distinctInstance); absent: unknown. */
  serviceHosts: ReadonlyMap<string, ReadonlySet<string>>
}

export interface ConstraintBlock {
  service: string
  tasks: number
  /** The constraint, in ECS's terms: `memberOf(...)` or `distinctInstance`. */
  constraint: string
  /** The AZs of the ACTIVE instances the constraint rules out, for the message. */
  ruledOut: string[]
}

export interface NoRoom {
  service: string
  tasks: number
  demands: Demand[]
  /** Per AZ: how many eligible instances there are (each too full for the task). */
  eligibleByAz: Record<string, number>
}

export interface RoomVerdict {
  blocked: ConstraintBlock[]
  noRoom: NoRoom[]
  /** Constraints that could not be evaluated (unknown subject or syntax): treated as met. */
  unevaluated: string[]
}

interface Slot {
  instance: ContainerInstance
  host: Host
}

const az = (i: ContainerInstance) => i.availabilityZone ?? 'unknown AZ'

function serviceOf(task: TaskInfo): string {
  return task.group.startsWith('service:') ? task.group.slice('service:'.length) : task.group
}

/** Orders the eligible instances as the service's first strategy would prefer them. */
function byStrategy(
  slots: Slot[],
  service: ServiceInfo | undefined,
  placedInAz: Map<string, number>,
): Slot[] {
  const first = service?.placementStrategy?.[0]
  if (!first) return slots
  if (first.type === 'binpack') {
    const key = first.field === 'cpu' ? (s: Slot) => s.host.cpu : (s: Slot) => s.host.memory
    return [...slots].sort((a, b) => key(a) - key(b))
  }
  if (first.type === 'spread' && (first.field ?? '').endsWith('availability-zone')) {
    return [...slots].sort(
      (a, b) => (placedInAz.get(az(a.instance)) ?? 0) - (placedInAz.get(az(b.instance)) ?? 0),
    )
  }
  return slots
}

export function assessRoom(facts: RoomFacts): RoomVerdict {
  const slots: Slot[] = facts.others.map((instance) => ({instance, host: toHost(instance)}))
  const unevaluated = new Set<string>()
  const blocked = new Map<string, ConstraintBlock>()
  const noRoom = new Map<string, NoRoom>()
  const placedOn = new Map<string, Set<string>>()
  const placedInAz = new Map<string, Map<string, number>>()
  const demands = facts.replicas.map((t) => ({
    task: t,
    demand: {id: t.taskArn, cpu: t.cpu, memory: t.memory, hostPorts: t.hostPorts} satisfies Demand,
  }))
  const order = new Map(biggestFirst(demands.map((d) => d.demand)).map((d, i) => [d.id, i]))
  demands.sort((a, b) => order.get(a.demand.id)! - order.get(b.demand.id)!)

  for (const {task, demand} of demands) {
    const name = serviceOf(task)
    const service = facts.services.get(name)
    let eligible = slots
    let failed: string | null = null
    for (const c of service?.placementConstraints ?? []) {
      const before = eligible
      if (c.type === 'memberOf' && c.expression) {
        eligible = eligible.filter((s) => {
          try {
            return matchesQuery(c.expression!, s.instance)
          } catch {
            unevaluated.add(`memberOf(${c.expression})`)
            return true
          }
        })
      } else if (c.type === 'distinctInstance') {
        const taken = new Set([...(facts.serviceHosts.get(name) ?? []), ...(placedOn.get(name) ?? [])])
        eligible = eligible.filter((s) => !taken.has(s.instance.containerInstanceArn))
      }
      if (eligible.length === 0 && before.length > 0 && failed === null)
        failed = c.type === 'memberOf' ? `memberOf(${c.expression})` : c.type
    }
    if (eligible.length === 0 && failed !== null) {
      const constraint = failed
      const entry = blocked.get(name) ?? {service: name, tasks: 0, constraint, ruledOut: []}
      entry.tasks += 1
      entry.ruledOut = [...new Set(slots.map((s) => az(s.instance)))].sort()
      blocked.set(name, entry)
      continue
    }
    const inAz = placedInAz.get(name) ?? new Map<string, number>()
    const chosen = byStrategy(eligible, service, inAz).find((s) => fits(s.host, demand))
    if (chosen) {
      take(chosen.host, demand)
      placedOn.set(name, new Set([...(placedOn.get(name) ?? []), chosen.instance.containerInstanceArn]))
      inAz.set(az(chosen.instance), (inAz.get(az(chosen.instance)) ?? 0) + 1)
      placedInAz.set(name, inAz)
      continue
    }
    const entry = noRoom.get(name) ?? {service: name, tasks: 0, demands: [], eligibleByAz: {}}
    entry.tasks += 1
    entry.demands.push(demand)
    entry.eligibleByAz = {}
    for (const s of eligible)
      entry.eligibleByAz[az(s.instance)] = (entry.eligibleByAz[az(s.instance)] ?? 0) + 1
    noRoom.set(name, entry)
  }
  return {blocked: [...blocked.values()], noRoom: [...noRoom.values()], unevaluated: [...unevaluated]}
}
