/**
 * The domain model, in the shapes the core reasons about. Adapters in src/aws translate the SDK's shapes
 * into these; nothing here knows about the SDK. Times are Date objects; counts and resources are numbers
 * (CPU in units of 1/1024 vCPU, memory in MiB).
 */

export type ContainerInstanceStatus =
  'REGISTERING' | 'REGISTRATION_FAILED' | 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'DEREGISTERING'

export interface ResourcePair {
  registered: number
  remaining: number
}

export interface ContainerInstance {
  cluster: string
  containerInstanceArn: string
  ec2InstanceId: string
  status: ContainerInstanceStatus | string
  agentConnected: boolean
  runningTasksCount: number
  pendingTasksCount: number
  cpu: ResourcePair
  memory: ResourcePair
  /** Host TCP ports in use on the instance (the agent's own plus those bound by tasks). */
  usedTcpPorts: number[]
  availabilityZone: string | null
  instanceType: string | null
  capacityProviderName: string | null
  registeredAt: Date | null
  /**
   * Every attribute of the instance (`ecs.availability-zone`, `ecs.instance-type`, custom ones from
   * PutAttributes), for placement constraints' cluster query language. Absent when the source has none.
   */
  attributes?: Readonly<Record<string, string>>
}

export type TaskLastStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED'

export interface TaskInfo {
  taskArn: string
  containerInstanceArn: string | null
  /** `service:NAME` for service tasks, `family:NAME` for standalone tasks. */
  group: string
  startedBy: string | null
  lastStatus: TaskLastStatus | string
  desiredStatus: 'RUNNING' | 'STOPPED' | string
  taskDefinitionArn: string
  cpu: number
  memory: number
  hostPorts: number[]
  startedAt: Date | null
  stoppingAt: Date | null
  stoppedReason: string | null
  /** When it reached STOPPED; absent when the source did not say. */
  stoppedAt?: Date | null
  /** ECS's stopCode (ServiceSchedulerInitiated, TerminationNotice, ...); absent when the source did not say. */
  stopCode?: string | null
}

/** A target group a service registers its tasks with (ECS `loadBalancers`). */
export interface ServiceLoadBalancer {
  targetGroupArn: string
  containerName: string | null
  containerPort: number | null
}

/** One of a service's deployments (ECS `deployments`): PRIMARY is the newest, ACTIVE ones are being replaced. */
export interface ServiceDeployment {
  id: string
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE' | string
  /** IN_PROGRESS, COMPLETED or FAILED (the circuit breaker tripped); null when ECS reports none. */
  rolloutState: string | null
  rolloutStateReason: string | null
  taskDefinition: string
  desiredCount: number
  runningCount: number
  pendingCount: number
  failedTasks: number
  createdAt: Date | null
}

export interface PlacementConstraint {
  /** `distinctInstance` or `memberOf`. */
  type: string
  /** The cluster query language expression of a `memberOf`. */
  expression: string | null
}

export interface PlacementStrategy {
  /** `spread`, `binpack` or `random`. */
  type: string
  /** e.g. `attribute:ecs.availability-zone`, `instanceId`, `memory`, `cpu`. */
  field: string | null
}

export interface ServiceEvent {
  id: string
  createdAt: Date
  message: string
}

export interface ServiceInfo {
  serviceName: string
  serviceArn: string
  status: string
  desiredCount: number
  runningCount: number
  pendingCount: number
  schedulingStrategy: 'REPLICA' | 'DAEMON' | string
  minimumHealthyPercent: number
  maximumPercent: number
  taskDefinition: string
  /** Newest first, as ECS returns them. */
  events: ServiceEvent[]
  /** The target groups its tasks register with; absent when the source did not say. */
  loadBalancers?: ServiceLoadBalancer[]
  deployments?: ServiceDeployment[]
  /** Whether the deployment circuit breaker is on, and rolls back. */
  circuitBreaker?: {enable: boolean; rollback: boolean} | null
  placementConstraints?: PlacementConstraint[]
  placementStrategy?: PlacementStrategy[]
}

export interface ClusterInfo {
  clusterName: string
  clusterArn: string
  status: string
  registeredContainerInstancesCount: number
  runningTasksCount: number
  pendingTasksCount: number
  activeServicesCount: number
}

export interface AsgInstance {
  instanceId: string
  autoScalingGroupName: string
  lifecycleState: string
  healthStatus: string
  availabilityZone: string | null
  instanceType: string | null
  protectedFromScaleIn: boolean
  /** The launch template the instance was launched from; null when it has none (a launch configuration). */
  launchTemplate?: LaunchTemplateRef | null
}

/** A launch template and version, as Auto Scaling names them (DescribeAutoScalingGroups, ...Instances). */
export interface LaunchTemplateRef {
  id: string | null
  name: string | null
  version: string | null
}

/** How far below and above desired an instance replacement may go (InstanceMaintenancePolicy), in %. */
export interface HealthyPercentages {
  minHealthyPercentage: number | null
  maxHealthyPercentage: number | null
}

/** A group as DescribeAutoScalingGroups gives it with IncludeInstances=false: sizes and settings, no members. */
export interface AsgGroupSummary {
  autoScalingGroupName: string
  desiredCapacity: number
  minSize: number
  maxSize: number
  status: string | null
  /** The group's launch template; null when it uses something else; absent when the source did not say. */
  launchTemplate?: LaunchTemplateRef | null
  /** The group's ARN (capacity providers name their group by it); absent when the source did not say. */
  autoScalingGroupArn?: string | null
  /** The group's instance maintenance policy; null when it has none; absent when the source did not say. */
  instanceMaintenancePolicy?: HealthyPercentages | null
  newInstancesProtectedFromScaleIn?: boolean
}

/** A group with its members, as DescribeAutoScalingGroups gives it by default. */
export interface AsgGroup extends AsgGroupSummary {
  instances: Array<{
    instanceId: string
    lifecycleState: string
    availabilityZone?: string | null
    launchTemplate?: LaunchTemplateRef | null
    protectedFromScaleIn?: boolean
  }>
}

export interface LifecycleHookInfo {
  hookName: string
  autoScalingGroupName: string
  transition: string
  /** Seconds. */
  heartbeatTimeout: number
  /** Seconds: the smaller of 48 h and 100 × HeartbeatTimeout. */
  globalTimeout: number
  defaultResult: 'CONTINUE' | 'ABANDON' | string
  /**
   * Where Auto Scaling sends the hook's notifications (SNS, SQS): a hook with one has a program (a drain
   * function) acting on it. null for a hook someone completes by hand; absent when the source did not say.
   */
  notificationTargetArn?: string | null
}

export interface ScalingActivity {
  activityId: string
  autoScalingGroupName: string
  description: string
  cause: string
  statusCode: string
  startTime: Date
  endTime: Date | null
  progress: number
}

export interface InstanceRefresh {
  instanceRefreshId: string
  autoScalingGroupName: string
  status: string
  percentageComplete: number
  startTime: Date | null
  /** Added for `refresh` and `report`; absent when the source did not say. */
  endTime?: Date | null
  statusReason?: string | null
  instancesToUpdate?: number | null
  /** The refresh's MinHealthyPercentage and MaxHealthyPercentage; absent when the source did not say. */
  preferences?: HealthyPercentages
}

export interface MetricPoint {
  timestamp: Date
  value: number
}

export type LifecycleResult = 'CONTINUE' | 'ABANDON'

/** A lifecycle action pending on an instance, with deadlines estimated from the activity that started it. */
export interface PendingLifecycleAction {
  name: string
  autoScalingGroupName: string
  heartbeatDeadline: Date | null
  globalDeadline: Date | null
  defaultResult: string
  /**
   * The other hooks of the same transition that the instance also waits on (it waits for all of them),
   * each with its own deadlines; the one above is the one whose heartbeat deadline comes first.
   */
  alsoPending?: Array<Pick<PendingLifecycleAction, 'name' | 'heartbeatDeadline' | 'globalDeadline'>>
}

/** One row of `ecsdrain instances` and of the TUI's table: ECS joined with Auto Scaling. */
export interface InstanceView extends ContainerInstance {
  /** null when the instance is not in an Auto Scaling group. */
  autoScalingGroupName: string | null
  lifecycleState: string | null
  lifecycleHook: PendingLifecycleAction | null
}

/** The shared model of a cluster at one moment, used by `instances`, `drain` and `watch`. */
export interface ClusterSnapshot {
  cluster: string
  clusterArn: string
  takenAt: Date
  instances: InstanceView[]
  services: ServiceInfo[]
  groups: AsgGroupSummary[]
  /** Newest first, across the groups. */
  activities: ScalingActivity[]
  refreshes: InstanceRefresh[]
}
