/**
 * The explainer's vocabulary: for every task on an instance that is not STOPPED, why the drain still waits
 * on it, and for how long, where that can be known. `{kind, detail, etaSeconds}` is also what the TUI shows
 * per task, and what `drain --json` adds to its blockers (with the task and a fix).
 */

export type ReasonKind =
  /** DEACTIVATING (or told to stop behind a load balancer): waiting out the target groups' deregistration delay. */
  | 'deregistering'
  /** STOPPING: SIGTERM sent, SIGKILL after the containers' stopTimeout. */
  | 'stopping'
  /** DEPROVISIONING: the agent releases the task's resources; then STOPPED. */
  | 'deprovisioning'
  /** Told to stop (desiredStatus STOPPED) and not yet moving: the agent has not acted on it. */
  | 'stop-requested'
  /** PENDING/ACTIVATING on a DRAINING instance: ECS stops such service tasks at once. */
  | 'starting'
  /** A RUNNING replica: the scheduler stops it once a replacement runs elsewhere (within min/max percent). */
  | 'awaiting-replacement'
  /** The service's replacements cannot be placed: ECS's own event says why. */
  | 'unable-to-place'
  /** The service's deployment FAILED (circuit breaker): it launches no new tasks, so no replacement comes. */
  | 'deployment-failed'
  /** minimumHealthyPercent and maximumPercent leave the scheduler no move. */
  | 'deadlock'
  /** A daemon task: ECS stops it after every other task on the instance. */
  | 'daemon-last'
  /** Not part of a service: draining never stops it. */
  | 'standalone-task'
  /** The ECS agent is disconnected: nothing on the instance changes until it reconnects. */
  | 'agent-disconnected'
  /** The instance is not DRAINING: nothing asks this task to stop. */
  | 'running'

export interface TaskReason {
  /** The task's ARN. */
  task: string
  /** The service, or null for a standalone task. */
  service: string | null
  lastStatus: string
  kind: ReasonKind
  /** One sentence for an operator, with the numbers (target group, seconds left, expiry, ECS's event). */
  detail: string
  /** What the operator can do; "nothing" is an answer too. */
  fix: string
  /** Seconds until the task is STOPPED as far as can be known (an upper bound), or null when unknowable. */
  etaSeconds: number | null
}

export interface InstanceExplanation {
  ec2InstanceId: string
  /** When it was worked out (ms since the epoch, clock time). */
  at: number
  reasons: TaskReason[]
  /** Seconds until every task is STOPPED, when each one's is known; null when any is unknowable. */
  etaSeconds: number | null
}
