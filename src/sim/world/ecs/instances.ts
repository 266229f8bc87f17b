import type {Cluster, ContainerInstance, Task, TaskDefinition} from '../model.js'
import {activeInstance, countsAsRegistered} from '../model.js'
import type {State} from '../state.js'
import {buryInstance} from './graveyard.js'

/** Container instances: registration, status changes, resource accounting and their DescribeX shape. */

/** Ports the ECS agent reserves on every instance (as AWS lists them in registeredResources). */
export const AGENT_PORTS = [22, 2375, 2376, 51678, 51679]
export const AGENT_VERSION = '1.89.0'

export function createCluster(state: State, name: string, capacityProviders: string[] = []): Cluster {
  const cluster: Cluster = {
    seq: state.nextSeq(),
    name,
    arn: state.arn('ecs', `cluster/${name}`),
    instances: new Map(),
    tasks: new Map(),
    services: new Map(),
    registeredCpu: 0,
    registeredMemory: 0,
    reservedCpu: 0,
    reservedMemory: 0,
    registeredCount: 0,
    runningTasks: 0,
    pendingTasks: 0,
    starved: new Set(),
    capacityProviders,
    defaultCapacityProviderStrategy: [],
  }
  state.clusters.set(name, cluster)
  return cluster
}

export interface RegisterSpec {
  ec2InstanceId: string
  instanceType: string
  availabilityZone: string
  cpu: number
  memory: number
  capacityProviderName?: string
  asgName?: string
}

export function registerInstance(state: State, cluster: Cluster, spec: RegisterSpec): ContainerInstance {
  const id = state.ids.hex(32)
  const ci: ContainerInstance = {
    seq: state.nextSeq(),
    id,
    arn: state.arn('ecs', `container-instance/${cluster.name}/${id}`),
    cluster,
    ec2InstanceId: spec.ec2InstanceId,
    instanceType: spec.instanceType,
    availabilityZone: spec.availabilityZone,
    status: 'ACTIVE',
    agentConnected: true,
    cpu: spec.cpu,
    memory: spec.memory,
    remainingCpu: spec.cpu,
    remainingMemory: spec.memory,
    tcpPorts: new Map(),
    udpPorts: new Map(),
    tasks: new Set(),
    runningCount: 0,
    pendingCount: 0,
    registeredAt: state.now(),
    version: 1,
    capacityProviderName: spec.capacityProviderName,
    asgName: spec.asgName,
    attributes: new Map(),
  }
  cluster.instances.set(id, ci)
  state.byEc2Id.set(ci.ec2InstanceId, ci)
  cluster.registeredCpu += ci.cpu
  cluster.registeredMemory += ci.memory
  cluster.registeredCount++
  state.recordReservation(cluster)
  state.capacityChanged(cluster)
  return ci
}

/** ACTIVE <-> DRAINING. Returns false if the instance is in a status that cannot change this way. */
export function setInstanceStatus(
  state: State,
  ci: ContainerInstance,
  status: 'ACTIVE' | 'DRAINING',
): boolean {
  if (!countsAsRegistered(ci)) return false
  if (ci.status === status) return true
  ci.status = status
  ci.version++
  // Every service with a task here must look again: replace (DRAINING) or may place again (ACTIVE).
  for (const t of ci.tasks) if (t.service) state.markDirty(t.service)
  if (status === 'ACTIVE') state.capacityChanged(ci.cluster)
  return true
}

/**
 * Every attribute of the instance: the built-in ones the agent registers, then custom ones (PutAttributes).
 * "Amazon ECS container instance attributes"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-placement-constraints.html#attributes).
 */
export function instanceAttributes(ci: ContainerInstance): Map<string, string | undefined> {
  const attrs = new Map<string, string | undefined>([
    ['ecs.instance-type', ci.instanceType],
    ['ecs.availability-zone', ci.availabilityZone],
    ['ecs.os-type', 'linux'],
    ['ecs.os-family', 'LINUX'],
    ['ecs.cpu-architecture', 'x86_64'],
    ['ecs.ami-id', 'ami-0abcdef1234567890'],
    ['com.amazonaws.ecs.capability.docker-remote-api.1.44', undefined],
  ])
  for (const [name, value] of ci.attributes) attrs.set(name, value)
  return attrs
}

/** The EC2 instance is gone: its tasks die with it and the container instance becomes INACTIVE. */
export function deregisterInstance(state: State, ci: ContainerInstance, killTask: (t: Task) => void): void {
  if (ci.status === 'INACTIVE') return
  for (const t of [...ci.tasks]) if (t.lastStatus !== 'STOPPED') killTask(t)
  if (countsAsRegistered(ci)) {
    ci.cluster.registeredCpu -= ci.cpu
    ci.cluster.registeredMemory -= ci.memory
    ci.cluster.registeredCount--
  }
  ci.status = 'INACTIVE'
  ci.agentConnected = false
  ci.version++
  state.recordReservation(ci.cluster)
  if (state.byEc2Id.get(ci.ec2InstanceId) === ci) state.byEc2Id.delete(ci.ec2InstanceId)
  ci.deregisteredAt = state.now()
  buryInstance(state, ci)
}

const portsCache = new WeakMap<TaskDefinition, {tcp: number[]; udp: number[]}>()

/** The static host ports a task of td holds (computed once per task definition: placement asks often). */
export function staticPorts(td: TaskDefinition): {tcp: number[]; udp: number[]} {
  let ports = portsCache.get(td)
  if (!ports) {
    ports = {tcp: [], udp: []}
    for (const c of td.containers)
      for (const p of c.portMappings)
        if (p.hostPort > 0) (p.protocol === 'udp' ? ports.udp : ports.tcp).push(p.hostPort)
    portsCache.set(td, ports)
  }
  return ports
}

/** Why td does not fit on ci now, in RunTask's failure-reason terms, or undefined if it fits. */
export function misfit(ci: ContainerInstance, td: TaskDefinition): string | undefined {
  if (!activeInstance(ci)) return 'AGENT'
  if (ci.remainingCpu < td.reserveCpu) return 'RESOURCE:CPU'
  if (ci.remainingMemory < td.reserveMemory) return 'RESOURCE:MEMORY'
  const {tcp, udp} = staticPorts(td)
  for (const p of tcp) if (ci.tcpPorts.has(p) || AGENT_PORTS.includes(p)) return 'RESOURCE:PORTS'
  for (const p of udp) if (ci.udpPorts.has(p)) return 'RESOURCE:PORTS_UDP'
  return undefined
}

function bump(map: Map<number, number>, port: number, by: number): void {
  const n = (map.get(port) ?? 0) + by
  if (n > 0) map.set(port, n)
  else map.delete(port)
}

export function reserve(state: State, task: Task): void {
  const ci = task.instance
  const td = task.taskDef
  ci.remainingCpu -= td.reserveCpu
  ci.remainingMemory -= td.reserveMemory
  const {tcp, udp} = staticPorts(td)
  for (const p of tcp) bump(ci.tcpPorts, p, 1)
  for (const p of udp) bump(ci.udpPorts, p, 1)
  task.holdsResources = true
  if (countsAsRegistered(ci)) {
    ci.cluster.reservedCpu += td.reserveCpu
    ci.cluster.reservedMemory += td.reserveMemory
    state.recordReservation(ci.cluster)
  }
}

export function release(state: State, task: Task): void {
  if (!task.holdsResources) return
  const ci = task.instance
  const td = task.taskDef
  ci.remainingCpu += td.reserveCpu
  ci.remainingMemory += td.reserveMemory
  const {tcp, udp} = staticPorts(td)
  for (const p of tcp) bump(ci.tcpPorts, p, -1)
  for (const p of udp) bump(ci.udpPorts, p, -1)
  task.holdsResources = false
  if (countsAsRegistered(ci)) {
    ci.cluster.reservedCpu -= td.reserveCpu
    ci.cluster.reservedMemory -= td.reserveMemory
    state.recordReservation(ci.cluster)
  }
  if (activeInstance(ci)) state.capacityChanged(ci.cluster)
}

function resources(cpu: number, memory: number, tcp: Iterable<number>, udp: Iterable<number>) {
  const ports = (p: Iterable<number>) => [...p].map(String)
  return [
    {name: 'CPU', type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: cpu},
    {name: 'MEMORY', type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: memory},
    {
      name: 'PORTS',
      type: 'STRINGSET',
      doubleValue: 0,
      longValue: 0,
      integerValue: 0,
      stringSetValue: ports(tcp),
    },
    {
      name: 'PORTS_UDP',
      type: 'STRINGSET',
      doubleValue: 0,
      longValue: 0,
      integerValue: 0,
      stringSetValue: ports(udp),
    },
  ]
}

export function describeInstance(ci: ContainerInstance): Record<string, unknown> {
  return {
    containerInstanceArn: ci.arn,
    ec2InstanceId: ci.ec2InstanceId,
    capacityProviderName: ci.capacityProviderName,
    version: ci.version,
    versionInfo: {agentVersion: AGENT_VERSION, agentHash: '3e5a2c1b', dockerVersion: 'DockerVersion: 25.0.8'},
    registeredResources: resources(ci.cpu, ci.memory, AGENT_PORTS, []),
    remainingResources: resources(
      ci.remainingCpu,
      ci.remainingMemory,
      [...AGENT_PORTS, ...ci.tcpPorts.keys()],
      ci.udpPorts.keys(),
    ),
    status: ci.status,
    agentConnected: ci.agentConnected,
    runningTasksCount: ci.runningCount,
    pendingTasksCount: ci.pendingCount,
    attributes: [...instanceAttributes(ci)].map(([name, value]) =>
      value === undefined ? {name} : {name, value},
    ),
    registeredAt: new Date(ci.registeredAt),
    attachments: [],
    tags: [],
    healthStatus: {overallStatus: 'OK', details: []},
  }
}
