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
  /** Capacity providers associated with the cluster (PutClusterCapacityProviders), by name. */
  capacityProviders: string[]
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[]
}

export interface CapacityProviderStrategyItem {
  capacityProvider: string
  weight: number
  base: number
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

/** A placement constraint: `distinctInstance`, or `memberOf` with a cluster query language expression. */
export interface PlacementConstraint {
  type: 'distinctInstance' | 'memberOf'
  expression?: string
}

export interface PlacementStrategy {
  type: 'random' | 'spread' | 'binpack'
  field?: string
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
  /** memberOf constraints only: distinctInstance is not supported in task definitions. */
  placementConstraints: PlacementConstraint[]
  /** The scenario knob `unhealthyNewRevisions` marked it: its tasks fail their health checks. */
  failsHealthChecks: boolean
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
  /** Custom attributes (PutAttributes): name -> value (undefined for a name-only attribute). */
  attributes: Map<string, string | undefined>
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
  /** Registered load-balancer targets (target group ARN + host port), from RUNNING until deregistered. */
  targets: TaskTarget[]
  /** Counted towards minimumHealthyPercent: RUNNING and, with load balancers, healthy in all of them. */
  healthy: boolean
  /** Task scale-in protection (UpdateTaskProtection): the instant it expires, in sim ms. */
  protectedUntil?: number
  /** Exit codes per container, set when the task stops (137 after SIGKILL, 0 after a clean SIGTERM exit). */
  exitCodes?: number[]
}

export interface TaskTarget {
  targetGroupArn: string
  port: number
  containerName: string
  containerPort: number
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'

export interface Deployment {
  id: string
  taskDef: TaskDefinition
  createdAt: number
  updatedAt: number
  rolloutState: RolloutState
  rolloutStateReason: string
  /** Tasks of this deployment that failed to start or failed their health checks (the circuit breaker's count). */
  failedTasks: number
}

export interface LoadBalancerRef {
  targetGroupArn: string
  containerName: string
  containerPort: number
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
  loadBalancers: LoadBalancerRef[]
  placementConstraints: PlacementConstraint[]
  placementStrategy: PlacementStrategy[]
  capacityProviderStrategy: CapacityProviderStrategyItem[]
  /** Seconds after a task starts during which the scheduler ignores failing load-balancer health checks. */
  healthCheckGracePeriodSeconds: number
  circuitBreaker: {enable: boolean; rollback: boolean}
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
