/**
 * Why a task is still not STOPPED, in one line, from what the drain engine's rules know alone (standalone,
 * daemon, deadlock, stopping, waiting for a replacement, ECS's "unable to place"), with no reads of its own.
 * A watch session uses the drain explainer instead (./explain.ts: target groups, stopTimeouts, protection,
 * ETAs); this stays the details loader's default for a caller that has no explainer ports.
 */
import {isDeadlocked, kindOf, serviceNameOf} from '../drain/preflight.js'
import {isStopping} from '../drain/wait.js'
import type {InstanceView, ServiceInfo, TaskInfo} from '../types.js'

export type TaskReasonKind =
  'standalone' | 'daemon' | 'deadlock' | 'stopping' | 'cannot-place' | 'awaiting-replacement' | (string & {})

export interface TaskReason {
  kind: TaskReasonKind
  detail: string
  /** What the operator can do about it, when anything. */
  fix?: string
  /** Seconds until the task is expected to be STOPPED; null when that cannot be known yet. */
  etaSeconds: number | null
}

export interface ReasonContext {
  instance: InstanceView
  services: ReadonlyMap<string, ServiceInfo>
  now: number
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`
}

function stoppingReason(task: TaskInfo, now: number): TaskReason {
  const since = task.stoppingAt ? ` for ${seconds(now - task.stoppingAt.getTime())}` : ''
  // What AWS does in each state (aws-semantics.md §3 and §10). The task's own stopTimeout and its target
  // group's delay are not known here yet, so no ETA: "Amazon ECS task lifecycle",
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html
  const what =
    task.lastStatus === 'DEACTIVATING'
      ? 'deregistering from its load balancer (the target group deregistration delay, 300 s by default)'
      : task.lastStatus === 'STOPPING'
        ? 'its containers got SIGTERM; SIGKILL follows after their stopTimeout (30 s by default)'
        : task.lastStatus === 'RUNNING'
          ? 'told to stop; the agent has not begun yet'
          : `told to stop, ${task.lastStatus}`
  return {kind: 'stopping', detail: `${task.lastStatus}${since}: ${what}`, etaSeconds: null}
}

/**
 * The reason a task is not STOPPED, when it matters: on a DRAINING or terminating instance, or when the task
 * is on its way out. undefined for a STOPPED task, and for a task that simply runs on an ACTIVE instance.
 */
export function explainTask(task: TaskInfo, ctx: ReasonContext): TaskReason | undefined {
  if (task.lastStatus === 'STOPPED') return undefined
  if (isStopping(task)) return stoppingReason(task, ctx.now)
  const draining =
    ctx.instance.status === 'DRAINING' || (ctx.instance.lifecycleState ?? '').startsWith('Terminating')
  if (!draining) return undefined
  const kind = kindOf(task, ctx.services)
  if (kind === 'standalone') {
    return {
      kind: 'standalone',
      detail: `standalone task (${task.group}): draining does not stop it; stop it, or drain with --stop-standalone`,
      etaSeconds: null,
    }
  }
  const name = serviceNameOf(task)
  const service = name === null ? undefined : ctx.services.get(name)
  if (kind === 'daemon') {
    return {
      kind: 'daemon',
      detail: 'daemon task: ECS stops it after the other tasks have left the DRAINING instance',
      etaSeconds: null,
    }
  }
  if (service && isDeadlocked(service)) {
    return {
      kind: 'deadlock',
      detail:
        `service ${service.serviceName} has minimumHealthyPercent ${service.minimumHealthyPercent} and ` +
        `maximumPercent ${service.maximumPercent}: no replacement can start, so this task never stops`,
      etaSeconds: null,
    }
  }
  // The newest service event says where placement stands: "unable to place" until a replacement starts.
  const newest = service?.events[0]
  if (newest && /unable to place/i.test(newest.message)) {
    return {
      kind: 'cannot-place',
      detail: `a replacement cannot be placed: ${newest.message}`,
      etaSeconds: null,
    }
  }
  if (ctx.instance.status !== 'DRAINING') {
    return {
      kind: 'not-draining',
      detail: 'the instance is terminating but not DRAINING: nothing moves this task until it is drained',
      etaSeconds: null,
    }
  }
  const limits = service
    ? ` (minimumHealthyPercent ${service.minimumHealthyPercent}, maximumPercent ${service.maximumPercent})`
    : ''
  return {
    kind: 'awaiting-replacement',
    detail: `ECS starts a replacement elsewhere, then stops this one${limits}`,
    etaSeconds: null,
  }
}
