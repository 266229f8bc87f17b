/**
 * `ecsdrain refresh`'s vocabulary: the plan (what `--dry-run` prints, and `--json`'s first line), the events
 * the follower emits while the refresh runs (NDJSON lines under `--json`), and the outcome. Fields are only
 * ever added.
 */
import type {Blocker} from '../drain/types.js'
import type {DrainEvent, DrainResult} from '../drain/types.js'

/** Who completes each terminating instance's lifecycle action once its tasks are STOPPED. */
export type DrainerKind =
  /** The ecsdrain hook stack (`ecsdrain install`): its hook notifies the stack's topic; the Lambda drains. */
  | 'stack'
  /** ECS capacity-provider managed draining: ECS's own hook, ECS drains. */
  | 'capacity-provider'
  /** ecsdrain itself, as `watch --auto-drain` does: a terminating hook nobody else acts on. */
  | 'assisted'
  /** A terminating hook notifying something that is not an ecsdrain stack (another drain function). */
  | 'other'

export interface Drainer {
  kind: DrainerKind
  /** The hook (or capacity provider) it acts through. */
  via: string
  detail: string
}

export interface HookTiming {
  hookName: string
  heartbeatTimeout: number
  globalTimeout: number
  defaultResult: string
  /** Seconds: at least this long per instance (deregistration delay + stopTimeout, daemons after). */
  expectedDrainSeconds: number
  /** Whether the drainer heartbeats the hook (ecsdrain and its stack do; ECS manages its own hook). */
  heartbeated: boolean
  verdict: 'fits' | 'needs-heartbeats' | 'too-short'
  detail: string
}

export interface RefreshInstancePlan {
  ec2InstanceId: string
  availabilityZone: string | null
  /** Live service and standalone tasks on it now. */
  tasks: number
  launchTemplate: string | null
  /** Already on the target launch template (left alone with --skip-matching). */
  matching: boolean
  replace: boolean
}

/** One group's plan: the JSON of `refresh --dry-run --json` holds one per group. */
export interface GroupRefreshPlan {
  autoScalingGroupName: string
  desiredCapacity: number
  launchTemplate: string | null
  instances: RefreshInstancePlan[]
  /** The instances to replace. */
  toReplace: string[]
  /** The largest number of instances replaced at once that keeps every service at or above its minimum. */
  largestSafeBatch: number
  /** Why a bigger batch would not be safe (the first service that would fall short), or null. */
  batchLimit: string | null
  /** launch-first: replacements join before old instances go (MaxHealthyPercentage above 100). */
  strategy: 'launch-first' | 'terminate-first'
  minHealthyPercentage: number
  maxHealthyPercentage: number
  /** Where the two percentages came from. */
  percentagesFrom: 'plan' | 'flags'
  drainers: Drainer[]
  hooks: HookTiming[]
  blockers: Blocker[]
  warnings: string[]
  /** True when the refresh would be refused (exit 4) unless --force. */
  refused: boolean
}

export interface RefreshPlan {
  cluster: string
  groups: GroupRefreshPlan[]
  refused: boolean
}

export type RefreshOutcome =
  | 'successful'
  /** A guard stopped it (see `guard`), and --on-failure acted. */
  | 'stopped'
  /** Auto Scaling ended it Failed, Cancelled or RolledBack, and no guard of ours did. */
  | 'failed'
  | 'refused'
  | 'dry-run'
  | 'interrupted'
  | 'timeout'

export type OnFailure = 'cancel' | 'rollback' | 'continue'

export interface GuardTrip {
  kind: 'below-minimum' | 'deployment-failed' | 'drain-failed' | 'refresh-failed'
  detail: string
  /** What --on-failure did about it. */
  action: OnFailure | 'none'
  actionResult: string
}

/** The last line of `refresh --json`, one per group. */
export interface GroupRefreshResult {
  autoScalingGroupName: string
  instanceRefreshId: string | null
  outcome: RefreshOutcome
  /** Auto Scaling's last word: Status, PercentageComplete, InstancesToUpdate, StatusReason. */
  status: string | null
  percentageComplete: number | null
  instancesToUpdate: number | null
  statusReason: string | null
  guard: GuardTrip | null
  /** ecsdrain's own drains (assisted mode), one per instance it drained. */
  drains: DrainResult[]
  /** Instances left waiting with tasks still live (after a stop or an interrupt), and what to do next. */
  leftWaiting: string[]
  startedAt: string
  finishedAt: string
}

interface Base {
  autoScalingGroupName: string
  /** Clock time (ms). */
  at: number
}

export type RefreshEvent = Base &
  (
    | {type: 'started'; instanceRefreshId: string; minHealthyPercentage: number; maxHealthyPercentage: number}
    | {
        type: 'progress'
        status: string
        percentageComplete: number
        instancesToUpdate: number | null
        statusReason: string | null
        /** The instances of the group being replaced now (Terminating*), with their live tasks when known. */
        replacing: Array<{ec2InstanceId: string; lifecycleState: string; liveTasks: number | null}>
      }
    | {type: 'drain'; ec2InstanceId: string; event: DrainEvent}
    | {type: 'drain-finished'; ec2InstanceId: string; result: DrainResult}
    | {type: 'guard'; guard: GuardTrip}
    | {type: 'finished'; result: GroupRefreshResult}
  )
