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
  launchTemplateVersion: string
  /** Pending lifecycle actions, by hook name. */
  actions: Map<string, LifecycleAction>
  activity?: Activity
  /** True once its ECS agent has registered the container instance. */
  registered: boolean
  timers: SimTimer[]
}

export interface InstanceRefresh {
  id: string
  groupName: string
  status: 'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelling' | 'Cancelled'
  statusReason?: string
  startTime: number
  endTime?: number
  minHealthyPercentage: number
  maxHealthyPercentage: number
  instanceWarmupSeconds: number
  /** Instances present when the refresh started, still to be replaced. */
  toReplace: Set<string>
  total: number
  preferences: Record<string, unknown>
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
  launchTemplate: {LaunchTemplateId: string; LaunchTemplateName: string; Version: string}
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
