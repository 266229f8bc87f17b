/**
 * The small interfaces through which core talks to the outside world. src/aws implements them with the
 * SDK (paging and batching inside, so callers never see a nextToken); tests implement them with fakes.
 */
import type {
  AsgGroup,
  AsgGroupSummary,
  AsgInstance,
  ClusterInfo,
  ContainerInstance,
  InstanceRefresh,
  LifecycleHookInfo,
  LifecycleResult,
  MetricPoint,
  ScalingActivity,
  ServiceInfo,
  TaskInfo,
} from './types.js'

export interface StateChangeFailure {
  arn: string | null
  reason: string
  detail: string | null
}

export interface EcsPort {
  /** Every cluster ARN in the account and region. */
  listClusterArns(): Promise<string[]>
  describeClusters(namesOrArns: string[]): Promise<ClusterInfo[]>
  /**
   * All container instances of the cluster: ListContainerInstances pages of 100, DescribeContainerInstances
   * batches of 100, each page described while the next is listed. `onBatch`, if given, sees each described
   * batch as it arrives (so that a caller can start its own follow-up calls early); the result has them all.
   */
  listContainerInstances(
    cluster: string,
    onBatch?: (batch: ContainerInstance[]) => void,
  ): Promise<ContainerInstance[]>
  /**
   * One instance by EC2 id, with the `ec2InstanceId ==` filter (never a full listing). The returned
   * instance's ec2InstanceId is checked, because some emulators ignore the filter.
   */
  findContainerInstance(cluster: string, ec2InstanceId: string): Promise<ContainerInstance | undefined>
  describeContainerInstances(cluster: string, arns: string[]): Promise<ContainerInstance[]>
  updateContainerInstancesState(
    cluster: string,
    arns: string[],
    status: 'ACTIVE' | 'DRAINING',
  ): Promise<{instances: ContainerInstance[]; failures: StateChangeFailure[]}>
  /**
   * The ARNs of the instance's tasks with this desiredStatus (ListTasks, every page). STOPPED lists also
   * name tasks that have finished, for about an hour. Which tasks are live is core's rule
   * (drain/live-tasks.ts), not the adapter's.
   */
  listTaskArnsOnInstance(
    cluster: string,
    containerInstanceArn: string,
    desiredStatus: 'RUNNING' | 'STOPPED',
  ): Promise<string[]>
  /** Exactly the tasks asked for, whatever their status (DescribeTasks, 100 a call). */
  describeTasks(cluster: string, taskArns: string[]): Promise<TaskInfo[]>
  /** Every service of the cluster (ListServices, then DescribeServices 10 at a time). */
  listServices(cluster: string): Promise<ServiceInfo[]>
  describeServices(cluster: string, names: string[]): Promise<ServiceInfo[]>
  stopTask(cluster: string, taskArn: string, reason: string): Promise<void>
}

/** What `ecsdrain refresh` asks StartInstanceRefresh for (RefreshPreferences in the API reference). */
export interface StartRefreshRequest {
  autoScalingGroupName: string
  minHealthyPercentage: number
  maxHealthyPercentage: number
  skipMatching: boolean
  checkpointPercentages?: number[]
  checkpointDelaySeconds?: number
  /** A fixed launch template version to refresh to (what makes a rollback possible); absent: the group's own. */
  desiredLaunchTemplate?: {id: string | null; name: string | null; version: string}
}

export interface LifecycleActionRef {
  autoScalingGroupName: string
  hookName: string
  instanceId: string
}

export interface AutoScalingPort {
  /** Batches of 50 ids. Instances not in any group are simply absent from the result. */
  describeAutoScalingInstances(instanceIds: string[]): Promise<AsgInstance[]>
  describeAutoScalingGroups(names: string[]): Promise<AsgGroup[]>
  /**
   * The same groups without their members (IncludeInstances=false): what a poll needs for sizes, at a cost
   * that does not grow with the group, where AWS would otherwise list every instance of a 5,000-instance group.
   */
  describeAutoScalingGroupSummaries(names: string[]): Promise<AsgGroupSummary[]>
  describeLifecycleHooks(group: string): Promise<LifecycleHookInfo[]>
  /** Newest first. */
  describeScalingActivities(group: string, maxRecords?: number): Promise<ScalingActivity[]>
  /** The group's newest refreshes (one page), or exactly the ones asked for. */
  describeInstanceRefreshes(group: string, ids?: string[]): Promise<InstanceRefresh[]>
  /** StartInstanceRefresh; resolves with the refresh's id. */
  startInstanceRefresh(request: StartRefreshRequest): Promise<string>
  /** CancelInstanceRefresh (in-flight replacements finish); resolves with the refresh's id. */
  cancelInstanceRefresh(group: string): Promise<string>
  /** RollbackInstanceRefresh; AWS refuses it (IrreversibleInstanceRefresh) for some refreshes. */
  rollbackInstanceRefresh(group: string): Promise<string>
  /**
   * Every scaling activity of the group that started at or after `since`, newest first: pages of 100
   * until one reaches back past `since` (DescribeScalingActivities has no time filter).
   */
  scalingActivitiesSince(group: string, since: Date): Promise<ScalingActivity[]>
  completeLifecycleAction(ref: LifecycleActionRef, result: LifecycleResult): Promise<void>
  recordLifecycleActionHeartbeat(ref: LifecycleActionRef): Promise<void>
}

/** A task definition's stop timeouts, per container (the rest of it is not needed by a drain). */
export interface TaskDefinitionInfo {
  taskDefinitionArn: string
  /** Seconds per container; null when the container leaves it to the agent (ECS_CONTAINER_STOP_TIMEOUT). */
  containers: Array<{name: string; stopTimeout: number | null}>
}

/** Task scale-in protection (GetTaskProtection). */
export interface TaskProtection {
  taskArn: string
  protectionEnabled: boolean
  expirationDate: Date | null
}

export interface CapacityProviderInfo {
  name: string
  autoScalingGroupArn: string | null
  managedDraining: boolean
  managedTerminationProtection: boolean
}

/**
 * The ECS reads beyond the drain's own that say why a drain waits: stop timeouts, protection, capacity
 * providers, where a service's tasks run. Each answer is small and most never change during a drain, so the
 * explainer caches them (src/core/explain/sources.ts).
 */
export interface EcsDetailsPort {
  /** DescribeTaskDefinition. */
  describeTaskDefinition(taskDefinitionArn: string): Promise<TaskDefinitionInfo>
  /** GetTaskProtection, 10 tasks a call. Tasks ECS does not know are absent. */
  getTaskProtection(cluster: string, taskArns: string[]): Promise<TaskProtection[]>
  /** DescribeCapacityProviders (names or ARNs). Unknown ones are absent. */
  describeCapacityProviders(names: string[]): Promise<CapacityProviderInfo[]>
  /**
   * The ARNs of a service's tasks with this desiredStatus (ListTasks serviceName, every page). STOPPED lists
   * what ECS still keeps of the stopped ones (about an hour).
   */
  listServiceTaskArns(
    cluster: string,
    serviceName: string,
    desiredStatus: 'RUNNING' | 'STOPPED',
  ): Promise<string[]>
  /**
   * The tasks ECS still describes among these ARNs or ids (DescribeTasks, 100 a call); the ones it has
   * forgotten (MISSING: a STOPPED task is kept about an hour) are simply absent. For looking back (`report`);
   * a drain uses EcsPort.describeTasks, for which a MISSING task is an error.
   */
  describeRetainedTasks(cluster: string, taskRefs: string[]): Promise<TaskInfo[]>
  /** The container instances running live tasks of a service (ListTasks serviceName + DescribeTasks). */
  serviceTaskInstances(cluster: string, serviceName: string): Promise<string[]>
}

/** A service's live tasks (ListTasks serviceName, desiredStatus RUNNING, then DescribeTasks): for doctor. */
export interface ServiceTasksPort {
  serviceTasks(cluster: string, serviceName: string): Promise<TaskInfo[]>
}

/** SQS, the little doctor reads: how many messages a queue holds (GetQueueAttributes). */
export interface QueuePort {
  /** ApproximateNumberOfMessages (visible), ...NotVisible (in flight) and ...Delayed, by queue URL. */
  queueDepth(queueUrl: string): Promise<{visible: number; inFlight: number; delayed: number}>
}

/** A CloudWatch alarm as doctor reads it (DescribeAlarms). */
export interface AlarmInfo {
  name: string
  /** OK, ALARM or INSUFFICIENT_DATA. */
  state: string
  stateReason: string | null
  stateUpdatedAt: Date | null
  actionsEnabled: boolean
  /** Whom it notifies when it goes to ALARM (SNS topic ARNs, ...). */
  alarmActions: string[]
  namespace: string | null
  metricName: string | null
}

export interface MetricSumQuery {
  /** Unique in one call, [a-z][a-zA-Z0-9_]* (GetMetricData's rule). */
  id: string
  namespace: string
  metricName: string
  dimensions: Record<string, string>
}

/** CloudWatch beyond MemoryReservation: the hook stack's alarms and its function's metrics. */
export interface MonitoringPort {
  /** The alarms with these names (DescribeAlarms); unknown names are absent. */
  describeAlarms(names: string[]): Promise<AlarmInfo[]>
  /** Each metric's Sum over [start, end) (GetMetricData); null where CloudWatch has no datapoint. */
  metricSums(queries: MetricSumQuery[], start: Date, end: Date): Promise<Record<string, number | null>>
}

/** ELBv2, the little a drain needs: how long a target group holds a deregistering target. */
export interface LoadBalancingPort {
  /** `deregistration_delay.timeout_seconds` (DescribeTargetGroupAttributes). */
  deregistrationDelaySeconds(targetGroupArn: string): Promise<number>
}

export interface CloudWatchPort {
  /** AWS/ECS MemoryReservation for the cluster, statistic Minimum, period 60 s, oldest first. */
  memoryReservationMinimum(cluster: string, start: Date, end: Date): Promise<MetricPoint[]>
}

export interface Clock {
  now(): number
  /** Resolves after ms, or rejects with an AbortError when the signal fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export interface AwsPorts {
  ecs: EcsPort
  autoScaling: AutoScalingPort
  cloudWatch: CloudWatchPort
}
