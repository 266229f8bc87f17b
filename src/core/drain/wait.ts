/**
 * Waiting until the instance is drained: every task seen on it is STOPPED (live-tasks.ts; not merely
 * runningTasksCount == 0, which ignores tasks still stopping). Each poll costs calls that grow with the
 * tasks on the instance (ListTasks + DescribeTasks) and with their services (DescribeServices, 10 a call),
 * never with the size of the cluster. Lifecycle heartbeats are sent on their own schedule in the same loop.
 */
import type {AutoScalingPort, EcsPort} from '../ports.js'
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../types.js'
import {isTransient} from '../errors.js'
import {isNoActiveLifecycleAction} from './lifecycle-context.js'
import {kindOf, serviceNameOf} from './preflight.js'
import type {InstanceTasks} from './live-tasks.js'
import type {InstanceExplainer} from '../explain/index.js'
import type {InstanceExplanation} from '../explain/types.js'
import type {RunContext} from './run-context.js'
import type {Blocker, LifecycleActionReport, ServiceProgress} from './types.js'
import type {LifecycleHookInfo} from '../types.js'

export interface WaitState {
  cluster: string
  /** The instance as the drain sees it (DRAINING once the wait starts). */
  instance: ContainerInstance
  ec2InstanceId: string
  containerInstanceArn: string
  services: Map<string, ServiceInfo>
  /** Service tasks per service at the start, for "replaced so far". */
  atStart: Map<string, number>
  startedAt: number
  tasks: TaskInfo[]
  /** Every task seen on the instance; the drain ends when all of them are STOPPED. */
  taskWatch: InstanceTasks
  blockers: Blocker[]
  warnings: string[]
  /** Says why each remaining task waits; run once per poll, its reads cached. */
  explainer: InstanceExplainer
  /** The last poll's explanation. */
  explanation: InstanceExplanation | null
  hook: LifecycleHookInfo | null
  group: string | null
  action: LifecycleActionReport | null
  nextHeartbeatAt: number
  heartbeatFailures: number
}

export interface WaitOptions {
  intervalMs: number
  stopStandalone: boolean
  stuckAfterMs: number
}

function short(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

const SHUTTING_DOWN = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING'])

export function isStopping(task: TaskInfo): boolean {
  return task.desiredStatus === 'STOPPED' || SHUTTING_DOWN.has(task.lastStatus)
}

export function serviceProgress(state: WaitState): ServiceProgress[] {
  const names = new Set([...state.atStart.keys()])
  for (const t of state.tasks) {
    const name = serviceNameOf(t)
    if (name !== null) names.add(name)
  }
  return [...names].sort().map((service) => {
    const mine = state.tasks.filter((t) => serviceNameOf(t) === service)
    const atStart = state.atStart.get(service) ?? 0
    return {
      service,
      kind: state.services.get(service)?.schedulingStrategy === 'DAEMON' ? 'daemon' : 'replica',
      atStart,
      replaced: Math.max(0, atStart - mine.length),
      stopping: mine.filter(isStopping).length,
      remaining: mine.filter((t) => !isStopping(t)).length,
    }
  })
}

/** Adds a blocker once (by kind and detail) and tells the renderer. */
function report(ctx: RunContext, state: WaitState, blocker: Blocker): void {
  if (state.blockers.some((b) => b.kind === blocker.kind && b.detail === blocker.detail)) return
  state.blockers.push(blocker)
  ctx.emit({type: 'blocker', blocker})
}

/**
 * Heartbeats whenever due; a third of HeartbeatTimeout apart leaves room for retries of a throttled call.
 * A heartbeat that fails transiently is retried on the next turn of the loop.
 */
export async function heartbeatIfDue(
  ctx: RunContext,
  autoScaling: AutoScalingPort,
  state: WaitState,
): Promise<void> {
  const {hook, group, action} = state
  if (!hook || !group || !action || ctx.clock.now() < state.nextHeartbeatAt) return
  try {
    await autoScaling.recordLifecycleActionHeartbeat({
      autoScalingGroupName: group,
      hookName: hook.hookName,
      instanceId: state.ec2InstanceId,
    })
  } catch (error) {
    if (isTransient(error)) {
      // Retry soon, but not in a tight loop: the next poll waits for this.
      state.heartbeatFailures += 1
      const delayMs = ctx.backoff(state.heartbeatFailures)
      state.nextHeartbeatAt = ctx.clock.now() + delayMs
      ctx.emit({
        type: 'retry',
        operation: 'RecordLifecycleActionHeartbeat',
        message: (error as Error).message,
        attempt: state.heartbeatFailures,
        delayMs,
      })
      return
    }
    if (!isNoActiveLifecycleAction(error)) throw error
    // Completed or expired by someone else: the instance is on its way out; keep draining what we can.
    state.hook = null
    action.note = 'the lifecycle action was completed or expired elsewhere during the drain'
    report(ctx, state, {
      kind: 'lifecycle-action-gone',
      detail: `no active lifecycle action for ${state.ec2InstanceId} any more (completed or expired elsewhere): it will terminate`,
      fix: 'nothing to complete; the drain goes on until the instance is gone or --timeout',
      refuses: false,
    })
    return
  }
  state.heartbeatFailures = 0
  const now = ctx.clock.now()
  const deadline = new Date(now + hook.heartbeatTimeout * 1000)
  action.heartbeats += 1
  action.heartbeatDeadline = deadline.toISOString()
  state.nextHeartbeatAt = now + Math.max(5000, (hook.heartbeatTimeout * 1000) / 3)
  ctx.emit({type: 'heartbeat', hook: hook.hookName, group, deadline})
}

async function handleStandalone(
  ctx: RunContext,
  ecs: EcsPort,
  state: WaitState,
  opts: WaitOptions,
  stopped: Set<string>,
  stopFailures: Map<string, number>,
) {
  const standalone = state.tasks.filter((t) => kindOf(t, state.services) === 'standalone' && !isStopping(t))
  for (const task of standalone) {
    if (!opts.stopStandalone) {
      report(ctx, state, {
        kind: 'standalone-task',
        detail: `standalone task ${short(task.taskArn)} (${task.group}) is still running: draining does not stop it.`,
        fix: `stop standalone task ${short(task.taskArn)} or pass --stop-standalone`,
        refuses: false,
      })
      continue
    }
    if (stopped.has(task.taskArn)) continue
    try {
      await ecs.stopTask(
        state.cluster,
        task.taskArn,
        `ecsdrain: draining container instance ${state.ec2InstanceId}`,
      )
    } catch (error) {
      if (!isTransient(error)) throw error
      // Retried on the next poll, not here: a retry loop of its own would hold off the heartbeats.
      const attempt = (stopFailures.get(task.taskArn) ?? 0) + 1
      stopFailures.set(task.taskArn, attempt)
      const message = (error as Error).message
      ctx.emit({type: 'retry', operation: 'StopTask', message, attempt, delayMs: opts.intervalMs})
      continue
    }
    stopped.add(task.taskArn)
    ctx.emit({type: 'stopped-standalone', taskArn: task.taskArn})
  }
}

function checkStuck(ctx: RunContext, state: WaitState, opts: WaitOptions, firstSeen: Map<string, number>) {
  const now = ctx.clock.now()
  for (const task of state.tasks.filter(isStopping)) {
    if (!firstSeen.has(task.taskArn)) firstSeen.set(task.taskArn, task.stoppingAt?.getTime() ?? now)
    const since = firstSeen.get(task.taskArn)!
    if (now - since < opts.stuckAfterMs) continue
    report(ctx, state, {
      kind: 'stuck-stopping',
      detail: `task ${short(task.taskArn)} has been ${task.lastStatus} for ${Math.round((now - since) / 1000)}s.`,
      fix: "check its containers' stopTimeout and the target group's deregistration delay; or stop it with `aws ecs stop-task`",
      refuses: false,
    })
  }
}

/** "unable to place" events that appeared since the drain started, for services that still have tasks here. */
async function checkServiceEvents(ctx: RunContext, ecs: EcsPort, state: WaitState, seen: Set<string>) {
  const names = [...new Set(state.tasks.map(serviceNameOf).filter((n): n is string => n !== null))]
  if (names.length === 0) return
  let services: ServiceInfo[]
  try {
    services = await ecs.describeServices(state.cluster, names)
  } catch (error) {
    if (!isTransient(error)) throw error
    return // only diagnostics: try again on the next poll
  }
  for (const service of services) {
    state.services.set(service.serviceName, service)
    const fresh = service.events.filter(
      (e) =>
        e.createdAt.getTime() >= state.startedAt && /unable to place/i.test(e.message) && !seen.has(e.id),
    )
    for (const event of fresh) seen.add(event.id)
    if (fresh.length === 0) continue
    report(ctx, state, {
      kind: 'unable-to-place',
      detail: fresh[0]!.message,
      fix: 'scale the group out by 1 (or more), or lower the minimumHealthyPercent of ' + service.serviceName,
      refuses: false,
    })
  }
}

/** Returns once drained; throws DrainStop on interrupt, timeout or end of run. */
export async function waitUntilDrained(
  ctx: RunContext,
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort},
  state: WaitState,
  opts: WaitOptions,
): Promise<void> {
  const stopped = new Set<string>()
  const stopFailures = new Map<string, number>()
  const firstSeen = new Map<string, number>()
  const seenEvents = new Set<string>()
  let failures = 0
  for (;;) {
    ctx.checkStop()
    await heartbeatIfDue(ctx, ports.autoScaling, state)
    let tasks: TaskInfo[]
    try {
      tasks = await state.taskWatch.live(ports.ecs)
    } catch (error) {
      if (!isTransient(error)) throw error
      failures += 1
      const delayMs = Math.min(ctx.backoff(failures), opts.intervalMs)
      ctx.emit({
        type: 'retry',
        operation: 'ListTasks/DescribeTasks',
        message: (error as Error).message,
        attempt: failures,
        delayMs,
      })
      await ctx.pause(delayMs)
      continue
    }
    failures = 0
    state.tasks = tasks
    const progress = () =>
      ctx.emit({
        type: 'progress',
        tasksRemaining: tasks.length,
        stopping: tasks.filter(isStopping).length,
        services: serviceProgress(state),
        standalone: tasks.filter((t) => kindOf(t, state.services) === 'standalone').length,
        ...(state.explanation ? {explanation: state.explanation} : {}),
      })
    if (tasks.length === 0) {
      // Drained: say so and complete at once; there is nothing left to explain.
      state.explanation = {
        ec2InstanceId: state.ec2InstanceId,
        at: ctx.clock.now(),
        reasons: [],
        etaSeconds: 0,
      }
      progress()
      return
    }
    await handleStandalone(ctx, ports.ecs, state, opts, stopped, stopFailures)
    checkStuck(ctx, state, opts, firstSeen)
    await checkServiceEvents(ctx, ports.ecs, state, seenEvents)
    // Why each task still waits, from this poll's tasks and services and the explainer's cached reads.
    state.explanation = await state.explainer.explain(state.instance, tasks, state.services)
    progress()
    const untilHeartbeat = state.hook ? state.nextHeartbeatAt - ctx.clock.now() : Number.POSITIVE_INFINITY
    await ctx.pause(Math.max(0, Math.min(opts.intervalMs, untilHeartbeat)))
  }
}
