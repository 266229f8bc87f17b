import type {SimTimer} from '../../types.js'

/** Auto Scaling entities. */

export type LifecycleState =
  | 'Pending'
  | 'Pending:Wait'
  | 'Pending:Proceed'
  | 'InService'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Terminated'

export interface LifecycleHook {
  name: string
  groupName: string
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING'
  roleArn?: string
  notificationTargetArn?: string
  notificationMetadata?: string
  /** Seconds. */
  heartbeatTimeout: number
  defaultResult: 'CONTINUE' | 'ABANDON'
}

/** A pending lifecycle action: one per hook while the instance waits. */
export interface LifecycleAction {
  hook: LifecycleHook
  token: string
  startedAt: number
  heartbeatDeadline: number
  globalDeadline: number
  timer?: SimTimer
  /** Applies the hook's DefaultResult when a deadline passes. */
  onTimeout: (action: LifecycleAction) => void
}

export interface Activity {
  seq: number
  id: string
  groupName: string
  description: string
  cause: string
  startTime: number
  endTime?: number
  statusCode: 'PreInService' | 'InProgress' | 'MidLifecycleAction' | 'Successful' | 'Failed' | 'Cancelled'
  progress: number
  details: string
}

export interface AsgInstance {
  seq: number
  id: string
  groupName: string
  availabilityZone: string
  instanceType: string
  lifecycleState: LifecycleState
  protectedFromScaleIn: boolean
  launchedAt: number
  /** When it entered InService (instance refresh counts its warmup from here). */
  inServiceAt?: number
  /** The launch template (and version) it was launched from. */
  launchTemplate: LaunchTemplateSpec
  /** Pending lifecycle actions, by hook name. */
  actions: Map<string, LifecycleAction>
  activity?: Activity
  /** True once its ECS agent has registered the container instance. */
  registered: boolean
  timers: SimTimer[]
}

export interface LaunchTemplateSpec {
  LaunchTemplateId: string
  LaunchTemplateName: string
  /** A version number, or `$Latest` / `$Default` (the sim models no EC2 launch templates: kept as given). */
  Version: string
}

export type RefreshStatus =
  | 'Pending'
  | 'InProgress'
  | 'Successful'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled'
  | 'RollbackInProgress'
  | 'RollbackFailed'
  | 'RollbackSuccessful'
  | 'Baking'

/** StartInstanceRefresh's Preferences, with AWS's defaults applied (RefreshPreferences in the API reference). */
export interface RefreshPreferences {
  minHealthyPercentage: number
  /** Undefined when not given: AWS then reports none and behaves as 100. */
  maxHealthyPercentage?: number
  instanceWarmupSeconds: number
  /** Undefined: no checkpoints. */
  checkpointPercentages?: number[]
  checkpointDelaySeconds?: number
  skipMatching: boolean
  autoRollback: boolean
  scaleInProtectedInstances: 'Refresh' | 'Ignore' | 'Wait'
  standbyInstances: 'Terminate' | 'Ignore' | 'Wait'
  bakeTimeSeconds: number
}

export interface RollbackDetails {
  reason: string
  startTime: number
  /** Progress of the refresh when the rollback began. */
  percentageCompleteOnRollback: number
  instancesToUpdateOnRollback: number
}

export interface InstanceRefresh {
  id: string
  groupName: string
  status: RefreshStatus
  statusReason?: string
  startTime: number
  endTime?: number
  preferences: RefreshPreferences
  /** DesiredConfiguration.LaunchTemplate, if given. */
  desired?: LaunchTemplateSpec
  /** The group's launch template when the refresh started: the target of a rollback. */
  previous: LaunchTemplateSpec
  /** Instances still to be replaced (in capacity, not on the target configuration, not ignored). */
  toReplace: Set<string>
  /** Instances being terminated by the current batch. */
  terminating: Set<string>
  /** The group's instances the refresh counts progress against (those in capacity at the start, less ignored ones). */
  total: number
  /** Index of the next checkpoint in preferences.checkpointPercentages. */
  nextCheckpoint: number
  /** While a checkpoint's delay (or the bake time) runs: when it ends. */
  pausedUntil?: number
  /** Since when the next replacement has been held up by scale-in protection (ScaleInProtectedInstances Wait). */
  blockedSince?: number
  rollback?: RollbackDetails
  timer?: SimTimer
}

export interface Group {
  seq: number
  name: string
  arn: string
  minSize: number
  maxSize: number
  desiredCapacity: number
  availabilityZones: string[]
  instanceType: string
  /** What each instance registers with ECS. */
  cpu: number
  memory: number
  clusterName?: string
  launchTemplate: LaunchTemplateSpec
  /** Seconds (the API's default is 0). The instance warmup defaults to DefaultInstanceWarmup, else this. */
  healthCheckGracePeriod: number
  defaultInstanceWarmup?: number
  defaultCooldown: number
  newInstancesProtectedFromScaleIn: boolean
  /** InstanceMaintenancePolicy, in %; absent when the group has none. */
  instanceMaintenancePolicy?: {minHealthyPercentage: number; maxHealthyPercentage: number}
  instances: Map<string, AsgInstance>
  hooks: Map<string, LifecycleHook>
  /** Newest first, bounded. */
  activities: Activity[]
  /** Newest first. */
  refreshes: InstanceRefresh[]
  createdAt: number
  /** Instances in capacity per availability zone, kept as they launch and leave, to balance launches. */
  azCounts: Map<string, number>
  /** Extra instances above desired that an instance refresh with MaxHealthyPercentage > 100 may run. */
  surge: number
  capacityProvider?: {name: string; managedDraining: boolean}
  tags: {Key: string; Value: string}[]
}
