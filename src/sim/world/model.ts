import type {SimTimer, SimTimings} from '../types.js'

export type {SimTimings}

/** The world's entities. Handlers render them into AWS's shapes on the way out; nothing here is wire format. */

export type InstanceStatus = 'REGISTERING' | 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'DEREGISTERING'
export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED'

export const DEFAULT_TIMINGS: SimTimings = {
  bootDelayMs: 15_000,
  inServiceDelayMs: 10_000,
  taskStartMs: 3_000,
  stopTimeoutMs: 5_000,
  deregistrationDelayMs: 2_000,
  deprovisionMs: 500,
  schedulerDelayMs: 1_000,
  terminateDelayMs: 2_000,
  retentionMs: 3_600_000,
}

export interface Cluster {
  seq: number
  name: string
  arn: string
  instances: Map<string, ContainerInstance>
  tasks: Map<string, Task>
  services: Map<string, Service>
  /** Incremental totals over ACTIVE and DRAINING instances: never recomputed by walking the cluster. */
  registeredCpu: number
  registeredMemory: number
  reservedCpu: number
  reservedMemory: number
  registeredCount: number
  runningTasks: number
  pendingTasks: number
  /** Services waiting for capacity: retried whenever capacity appears. */
  starved: Set<Service>
  capacityProviders: string[]
}

export interface PortMapping {
  containerPort: number
  hostPort: number
  protocol: 'tcp' | 'udp'
}

export interface ContainerDef {
  name: string
  image: string
  cpu: number
  memory?: number
  memoryReservation?: number
  essential: boolean
  portMappings: PortMapping[]
  stopTimeout?: number
}

export interface TaskDefinition {
  seq: number
  arn: string
  family: string
  revision: number
  containers: ContainerDef[]
  cpu?: string
  memory?: string
  networkMode: string
  registeredAt: number
  status: 'ACTIVE' | 'INACTIVE'
  /** What a task of this definition reserves on its instance. */
  reserveCpu: number
  reserveMemory: number
}

export interface ContainerInstance {
  seq: number
  id: string
  arn: string
  cluster: Cluster
  ec2InstanceId: string
  instanceType: string
  availabilityZone: string
  status: InstanceStatus
  agentConnected: boolean
  cpu: number
  memory: number
  remainingCpu: number
  remainingMemory: number
  /** Static host ports in use (reserved ports of the agent excluded), with how many tasks use each. */
  tcpPorts: Map<number, number>
  udpPorts: Map<number, number>
  tasks: Set<Task>
  runningCount: number
  pendingCount: number
  registeredAt: number
  deregisteredAt?: number
  version: number
  capacityProviderName?: string
  asgName?: string
}

export interface Binding {
  containerName: string
  containerPort: number
  hostPort: number
  protocol: 'tcp' | 'udp'
}

export interface Task {
  seq: number
  id: string
  arn: string
  cluster: Cluster
  taskDef: TaskDefinition
  instance: ContainerInstance
  lastStatus: TaskStatus
  desiredStatus: 'RUNNING' | 'STOPPED'
  group: string
  startedBy?: string
  service?: Service
  deploymentId?: string
  createdAt: number
  pullStartedAt?: number
  pullStoppedAt?: number
  startedAt?: number
  stoppingAt?: number
  executionStoppedAt?: number
  stoppedAt?: number
  stoppedReason?: string
  stopCode?: string
  bindings: Binding[]
  /** True from placement until STOPPED: the task's CPU, memory and ports count against its instance. */
  holdsResources: boolean
  timer?: SimTimer
  version: number
}

export interface Deployment {
  id: string
  taskDef: TaskDefinition
  createdAt: number
  updatedAt: number
}

export interface ServiceEvent {
  id: string
  createdAt: number
  message: string
}

export interface Service {
  seq: number
  name: string
  arn: string
  cluster: Cluster
  taskDef: TaskDefinition
  desiredCount: number
  minimumHealthyPercent: number
  maximumPercent: number
  schedulingStrategy: 'REPLICA' | 'DAEMON'
  loadBalancers: Record<string, unknown>[]
  /** Every task of the service not yet forgotten (STOPPED ones are forgotten after the retention time). */
  tasks: Set<Task>
  /** How many of its tasks with desiredStatus RUNNING each instance holds: placement spreads in O(1). */
  placedOn: Map<ContainerInstance, number>
  /** Primary first. */
  deployments: Deployment[]
  /** Newest first, at most 100. */
  events: ServiceEvent[]
  createdAt: number
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'
  steady: boolean
  /** The reason of the last blocked-progress event, so the same event is not repeated every pass. */
  blockedReason?: string
}

export function activeInstance(ci: ContainerInstance): boolean {
  return ci.status === 'ACTIVE' && ci.agentConnected
}

/** Registered capacity counts for the cluster's totals (and MemoryReservation) while ACTIVE or DRAINING. */
export function countsAsRegistered(ci: ContainerInstance): boolean {
  return ci.status === 'ACTIVE' || ci.status === 'DRAINING'
}
