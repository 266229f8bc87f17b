/**
 * What `GET /_sim/stats` serves, so that tests and benchmarks can count the API calls a command made and
 * check what it did to the world. The JSON shape (a stable contract for tests):
 *
 *   {
 *     "operations": {"ecs:ListTasks": {"calls": 3, "throttled": 1, "errors": 0}, ...},
 *     "totals": {"calls": 3, "throttled": 1, "errors": 0},
 *     "refused": {"browser": 0, "host": 0, "signature": 0},
 *     "world": {
 *       "prematureCompletions": {
 *         "count": 1,
 *         "events": [{"at": "2026-…Z", "instanceId": "i-…", "autoScalingGroupName": "…",
 *                     "lifecycleHookName": "…", "lifecycleActionResult": "CONTINUE",
 *                     "lifecycleState": "Terminating:Wait", "accepted": true,
 *                     "tasks": [{"taskArn": "arn:…", "lastStatus": "DEACTIVATING"}]}]
 *       },
 *       "tasksAliveAtTermination": {
 *         "count": 2,
 *         "events": [{"at": "2026-…Z", "instanceId": "i-…",
 *                     "tasks": [{"taskArn": "arn:…", "lastStatus": "RUNNING"}, …]}]
 *       }
 *     }
 *   }
 *
 * - `calls` counts every request that named an operation, whatever its outcome; `throttled` those answered
 *   with an injected throttling error; `errors` those answered with any other error (injected server faults
 *   and the world's own errors alike). Keys are `service:Operation`.
 * - `refused` counts the requests the guard turned away before any operation ran (src/sim/protocol/guard.ts):
 *   sent by a browser, to a non-loopback Host, or without a SigV4 signature. They are in no other count.
 * - `world.prematureCompletions`: every CompleteLifecycleAction (CONTINUE or ABANDON) that named an instance
 *   while some task on it had a lastStatus other than STOPPED: the lifecycle state the instance was in when
 *   the call arrived, and the offending tasks. `accepted` says whether it completed a pending action (false
 *   when AWS answered "No active Lifecycle Action found"). `count` counts them all.
 * - `world.tasksAliveAtTermination`: tasks whose lastStatus was not STOPPED when their instance was
 *   terminated (EC2 shutting down under them), one event per instance; `count` counts tasks.
 * - Each `events` list keeps the newest 100; `count` is never capped. `POST /_sim/stats/reset` zeroes all.
 */

export interface OperationCounts {
  calls: number
  throttled: number
  errors: number
}

export interface TaskStatusEntry {
  taskArn: string
  lastStatus: string
}

export interface PrematureCompletion {
  at: string
  instanceId: string
  autoScalingGroupName: string
  lifecycleHookName: string
  lifecycleActionResult: string
  lifecycleState: string
  accepted: boolean
  tasks: TaskStatusEntry[]
}

export interface TerminationWithTasks {
  at: string
  instanceId: string
  tasks: TaskStatusEntry[]
}

export interface WorldAuditSnapshot {
  prematureCompletions: {count: number; events: PrematureCompletion[]}
  tasksAliveAtTermination: {count: number; events: TerminationWithTasks[]}
}

/** What a world reports beside the call counts; fake worlds have none. */
export interface WorldAudit {
  snapshot(): WorldAuditSnapshot
  reset(): void
}

export type RefusedCounts = Record<'browser' | 'host' | 'signature', number>

export interface StatsSnapshot {
  operations: Record<string, OperationCounts>
  totals: OperationCounts
  refused: RefusedCounts
  world?: WorldAuditSnapshot
}

export type CallOutcome = 'ok' | 'throttled' | 'error'

export class SimStats {
  private readonly counts = new Map<string, OperationCounts>()
  private refusals: RefusedCounts = {browser: 0, host: 0, signature: 0}

  constructor(private readonly audit?: WorldAudit) {}

  record(service: string, operation: string, outcome: CallOutcome): void {
    const key = `${service}:${operation || '(unknown)'}`
    let counts = this.counts.get(key)
    if (!counts) {
      counts = {calls: 0, throttled: 0, errors: 0}
      this.counts.set(key, counts)
    }
    counts.calls++
    if (outcome === 'throttled') counts.throttled++
    if (outcome === 'error') counts.errors++
  }

  refused(reason: keyof RefusedCounts): void {
    this.refusals[reason]++
  }

  snapshot(): StatsSnapshot {
    const operations: Record<string, OperationCounts> = {}
    const totals: OperationCounts = {calls: 0, throttled: 0, errors: 0}
    for (const key of [...this.counts.keys()].sort()) {
      const counts = {...this.counts.get(key)!}
      operations[key] = counts
      totals.calls += counts.calls
      totals.throttled += counts.throttled
      totals.errors += counts.errors
    }
    const snapshot: StatsSnapshot = {operations, totals, refused: {...this.refusals}}
    if (this.audit) snapshot.world = this.audit.snapshot()
    return snapshot
  }

  reset(): void {
    this.counts.clear()
    this.refusals = {browser: 0, host: 0, signature: 0}
    this.audit?.reset()
  }
}
