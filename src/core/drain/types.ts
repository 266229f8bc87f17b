/**
 * The drain engine's vocabulary: what callers pass in, the events it emits while it works, and the result
 * it returns. `DrainResult` is also the JSON contract of `ecsdrain drain --json` (one object per instance).
 */
import type {ContainerInstance, LifecycleHookInfo, LifecycleResult} from '../types.js'
import type {InstanceExplanation, ReasonKind} from '../explain/types.js'

/** An instance already located in its cluster (see src/core/locate.ts for finding one by EC2 id). */
export interface DrainTarget {
  cluster: string
  instance: ContainerInstance
}

/**
 * The Auto Scaling side of an instance: its group, lifecycle state and the terminating hook that holds it.
 * `hook` is set only while the instance waits in Terminating:Wait on that hook (the action is pending).
 */
export interface LifecycleContext {
  autoScalingGroupName: string | null
  lifecycleState: string | null
  hook: LifecycleHookInfo | null
  /** Estimated from the scaling activity that started the termination; null when unknown. */
  globalDeadline: Date | null
}

export type BlockerKind =
  | 'last-active-instance'
  | 'deadlock'
  | 'no-capacity'
  | 'standalone-task'
  | 'unable-to-place'
  | 'stuck-stopping'
  | 'hook-deadline'
  | 'agent-disconnected'
  | 'lifecycle-action-gone'
  /** Another drainer acts on the same instance: capacity-provider managed draining, or a hook's drain function. */
  | 'second-drainer'
  /** A placement constraint that no other ACTIVE instance meets: the service's tasks cannot move. */
  | 'placement-constraint'
  /** The service's deployment is under way or FAILED: replacements compete with it or never come. */
  | 'deployment'
  /** `refresh`: nobody would drain a terminating instance (no terminating hook, no managed draining). */
  | 'no-drainer'
  /** `refresh`: not even one instance can be replaced without a service falling below its minimum. */
  | 'unsafe-batch'
  /** Why a task still waits, at the last look (the explainer's kinds). */
  | ReasonKind

/** Something that stops (or will stop) the drain from finishing, with what the operator can do about it. */
export interface Blocker {
  kind: BlockerKind
  detail: string
  fix: string
  /** True when preflight refuses to start because of it (exit 4), unless --force. */
  refuses: boolean
  /** The task it is about (ARN), when it is about one. */
  task?: string | null
  /** Seconds until it stops blocking, when that can be known. */
  etaSeconds?: number | null
}

/** A blocker as `drain --json` prints it. */
export interface BlockerReport {
  kind: BlockerKind
  detail: string
  fix: string
  /** The task's ARN, or null for a blocker about the instance or a service. */
  task: string | null
  /** Seconds until it stops blocking as far as is known, or null. */
  etaSeconds: number | null
}

/** Per service: how its tasks on the instance are moving. */
export interface ServiceProgress {
  service: string
  kind: 'replica' | 'daemon'
  atStart: number
  /** Tasks of the service that have left the instance (STOPPED) since the drain started. */
  replaced: number
  /** Tasks on the instance told to stop (desiredStatus STOPPED) but not STOPPED yet. */
  stopping: number
  /** Tasks on the instance still meant to run. */
  remaining: number
}

export interface TaskCounts {
  replica: number
  daemon: number
  standalone: number
}

export interface PreflightReport {
  tasks: TaskCounts
  /** Replica tasks per service (daemon services listed with kind 'daemon'). */
  services: Array<{
    service: string
    kind: 'replica' | 'daemon'
    tasks: number
    minimumHealthyPercent: number
    maximumPercent: number
  }>
  standaloneTasks: string[]
  otherActiveInstances: number
  blockers: Blocker[]
  warnings: string[]
  /** The drain will be refused (exit 4) unless forced. */
  refused: boolean
}

export type DrainOutcome =
  | 'drained'
  | 'timeout'
  | 'refused'
  | 'dry-run'
  | 'interrupted'
  | 'failed'
  /** Only with `noWait`: DRAINING was set and tasks remain; nothing waited for or completed. */
  | 'draining'
  /** Only with `runDeadline` (the Lambda): the run's time is up, the drain is not; call drain again. */
  | 'suspended'

export interface LifecycleActionReport {
  hook: string
  group: string
  /** The result sent with CompleteLifecycleAction, or null when nothing was completed. */
  result: LifecycleResult | null
  heartbeats: number
  /** The last heartbeat deadline we set (ISO), or null. */
  heartbeatDeadline: string | null
  /** Why nothing was completed, when result is null. */
  note: string | null
}

/** The JSON contract of `ecsdrain drain --json`, one per instance. Add fields; never rename or remove. */
export interface DrainResult {
  ec2InstanceId: string
  cluster: string
  containerInstanceArn: string | null
  outcome: DrainOutcome
  /** ECS status as last seen (ACTIVE, DRAINING, ...). */
  status: string | null
  autoScalingGroupName: string | null
  lifecycleState: string | null
  tasksAtStart: number
  tasksRemaining: number
  services: ServiceProgress[]
  /**
   * What blocked or blocks the drain: preflight's verdicts, what the wait met, and for every task still not
   * STOPPED at the end, why (the explainer's last look).
   */
  blockers: BlockerReport[]
  /** Seconds until the drain would be done, at the last look: 0 once drained; null when unknowable. */
  etaSeconds: number | null
  warnings: string[]
  lifecycleAction: LifecycleActionReport | null
  /** What preflight found (tasks by kind, services, room elsewhere); null when planning did not finish. */
  preflight: Pick<
    PreflightReport,
    'tasks' | 'services' | 'standaloneTasks' | 'otherActiveInstances' | 'refused'
  > | null
  startedAt: string
  finishedAt: string
  error: {code: string; message: string} | null
}

interface EventBase {
  ec2InstanceId: string
  /** Clock time (ms since the epoch). */
  at: number
}

export type DrainEvent = EventBase &
  (
    | {type: 'preflight'; report: PreflightReport; lifecycle: LifecycleContext}
    | {type: 'started'; alreadyDraining: boolean; tasksAtStart: number}
    | {
        type: 'progress'
        tasksRemaining: number
        stopping: number
        services: ServiceProgress[]
        standalone: number
        /** Why each remaining task waits, and the drain's ETA (absent where nothing was explained). */
        explanation?: InstanceExplanation
      }
    | {type: 'heartbeat'; hook: string; group: string; deadline: Date}
    | {type: 'blocker'; blocker: Blocker}
    | {type: 'warning'; message: string}
    | {type: 'retry'; operation: string; message: string; attempt: number; delayMs: number}
    | {type: 'stopped-standalone'; taskArn: string}
    | {type: 'drained'}
    | {type: 'completed'; hook: string; group: string; result: LifecycleResult}
    | {type: 'timeout'; tasksRemaining: number}
    | {type: 'interrupted'; tasksRemaining: number}
    | {type: 'suspended'; tasksRemaining: number}
    | {type: 'failed'; code: string; message: string}
  )

export interface DrainOptions {
  /** Total time for the drain, measured from `startedAt`. */
  timeoutMs: number
  /** When the drain began (ms). Defaults to now; a resumed run (the Lambda's next invocation) passes the first start. */
  startedAt?: number
  /** Poll period. */
  intervalMs: number
  /** Set DRAINING and return without waiting (outcome 'drained' only if already empty). */
  noWait?: boolean
  /** Never call CompleteLifecycleAction. */
  noComplete?: boolean
  /** Preflight only: change nothing. */
  dryRun?: boolean
  /** Drain despite refusing blockers. */
  force?: boolean
  /** Stop standalone tasks on the instance, with a reason. */
  stopStandalone?: boolean
  /** The group the instance must belong to (`--asg`); a mismatch is a usage error. */
  autoScalingGroupName?: string
  /** Which terminating hook to heartbeat and complete when the group has several. */
  hookName?: string
  /**
   * The hook whose notification started this drain (the Lambda's own): not a second drainer. Other
   * terminating hooks with a notification target, and capacity-provider managed draining, are.
   */
  ownHookName?: string
  /**
   * Container instance ARNs drained by the same command. Preflight counts none of them as room for
   * replacements: each alone would see the others ACTIVE, so draining every instance at once was not refused.
   */
  batch?: readonly string[]
  /** A task told to stop that is still not STOPPED after this long is reported as stuck (default 10 min). */
  stuckAfterMs?: number
  /** Operator interrupt (Ctrl-C): stop at once, complete nothing; outcome 'interrupted'. */
  signal?: AbortSignal
  /**
   * End of this run (ms), for time-boxed callers such as the Lambda: at the deadline the engine returns
   * outcome 'suspended' with the instance left DRAINING and the hook heartbeated, so a new run can resume.
   */
  runDeadline?: number
  /** Receives every event; must not throw. */
  onEvent?: (event: DrainEvent) => void
}
