/**
 * Would the replacements of a draining instance's tasks fit elsewhere? A first-fit-decreasing estimate
 * against the other ACTIVE instances' remaining CPU, memory and host ports. ECS's own placement strategies
 * may spread differently, so this is a preflight warning, never a guarantee.
 */
import type {ContainerInstance} from '../types.js'

export interface Demand {
  /** What the demand stands for (a task ARN), for messages. */
  id: string
  cpu: number
  memory: number
  hostPorts: number[]
}

export interface Host {
  cpu: number
  memory: number
  ports: Set<number>
}

export function toHost(instance: ContainerInstance): Host {
  return {
    cpu: instance.cpu.remaining,
    memory: instance.memory.remaining,
    ports: new Set(instance.usedTcpPorts),
  }
}

export function fits(host: Host, demand: Demand): boolean {
  return (
    host.cpu >= demand.cpu &&
    host.memory >= demand.memory &&
    demand.hostPorts.every((p) => !host.ports.has(p))
  )
}

export function take(host: Host, demand: Demand): void {
  host.cpu -= demand.cpu
  host.memory -= demand.memory
  for (const p of demand.hostPorts) host.ports.add(p)
}

/** Biggest first: large tasks are the ones that fail to find room, so give them first pick. */
export function biggestFirst(demands: readonly Demand[]): Demand[] {
  return [...demands].sort((a, b) => b.memory - a.memory || b.cpu - a.cpu)
}

/** The demands that find no room on the given hosts. */
export function unplaceable(demands: readonly Demand[], hosts: readonly ContainerInstance[]): Demand[] {
  const free = hosts.map(toHost)
  const left: Demand[] = []
  for (const demand of biggestFirst(demands)) {
    const host = free.find((h) => fits(h, demand))
    if (host) take(host, demand)
    else left.push(demand)
  }
  return left
}

/**
 * How many new instances of the drained instance's size would hold the demands that found no room, or
 * null when some demand is bigger than such an instance (scaling out would not help).
 */
export function instancesNeeded(demands: readonly Demand[], like: ContainerInstance): number | null {
  const empty = (): Host => ({cpu: like.cpu.registered, memory: like.memory.registered, ports: new Set()})
  const hosts: Host[] = []
  for (const demand of biggestFirst(demands)) {
    let host = hosts.find((h) => fits(h, demand))
    if (!host) {
      host = empty()
      if (!fits(host, demand)) return null
      hosts.push(host)
    }
    take(host, demand)
  }
  return hosts.length
}
