/**
 * The drain of one instance, in two steps: `planDrain` (resolve + preflight, changes nothing) and
 * `executeDrain` (DRAINING, wait, heartbeats, complete). Commands plan every instance first, so that bad
 * input or a refusal for one instance stops the whole command before anything changes.
 */
import {EcsdrainError, UsageError} from '../errors.js'
import type {AutoScalingPort, Clock, EcsDetailsPort, EcsPort, LoadBalancingPort} from '../ports.js'
import type {ServiceInfo, TaskInfo} from '../types.js'
import {InstanceExplainer} from '../explain/index.js'
import {ExplainSources} from '../explain/sources.js'
import {readInsight} from './insight.js'
import {isNoActiveLifecycleAction, resolveLifecycle} from './lifecycle-context.js'
import {InstanceTasks} from './live-tasks.js'
import {analyzePreflight, kindOf, serviceNameOf} from './preflight.js'
import {DrainStop, RunContext, retrying} from './run-context.js'
import type {
  Blocker,
  BlockerReport,
  DrainOptions,
  DrainOutcome,
  DrainResult,
  DrainTarget,
  LifecycleContext,
  PreflightReport,
} from './types.js'
import {serviceProgress, waitUntilDrained, type WaitState} from './wait.js'

export interface DrainPorts {
  ecs: EcsPort
  autoScaling: AutoScalingPort
  clock: Clock
  /** The explainer's and preflight's extra reads; without them a drain explains less (defaults assumed). */
  ecsDetails?: EcsDetailsPort
  elb?: LoadBalancingPort
}

export interface DrainPlan {
  target: DrainTarget
  lifecycle: LifecycleContext
  report: PreflightReport
  tasks: TaskInfo[]
  services: ServiceInfo[]
  /** The instance's tasks, followed from the plan to the end of the drain (drained = all seen STOPPED). */
  taskWatch: InstanceTasks
  /** The explainer's cached reads (task definitions, target groups, protection), shared by plan and wait. */
  sources: ExplainSources
  startedAt: number
  /** Set when planning itself ended the drain (interrupted, timed out, failed). */
  finished?: DrainResult
}

const DEFAULT_STUCK_AFTER_MS = 10 * 60_000
const COMPLETE_GRACE_MS = 60_000

function context(
  ports: DrainPorts,
  target: DrainTarget,
  options: DrainOptions,
  startedAt: number,
): RunContext {
  return new RunContext(
    ports.clock,
    target.instance.ec2InstanceId,
    startedAt + options.timeoutMs,
    options.onEvent,
    options.signal,
    options.runDeadline,
  )
}

function baseResult(
  plan: Pick<DrainPlan, 'target' | 'lifecycle' | 'tasks' | 'startedAt'> & {report?: PreflightReport},
  now: number,
): DrainResult {
  const {instance, cluster} = plan.target
  return {
    ec2InstanceId: instance.ec2InstanceId,
    cluster,
    containerInstanceArn: instance.containerInstanceArn,
    outcome: 'failed',
    status: instance.status,
    autoScalingGroupName: plan.lifecycle.autoScalingGroupName,
    lifecycleState: plan.lifecycle.lifecycleState,
    tasksAtStart: plan.tasks.length,
    tasksRemaining: plan.tasks.length,
    services: [],
    blockers: [],
    etaSeconds: null,
    warnings: [],
    lifecycleAction: plan.lifecycle.hook
      ? {
          hook: plan.lifecycle.hook.hookName,
          group: plan.lifecycle.autoScalingGroupName ?? '',
          result: null,
          heartbeats: 0,
          heartbeatDeadline: null,
          note: null,
        }
      : null,
    preflight: plan.report
      ? {
          tasks: plan.report.tasks,
          services: plan.report.services,
          standaloneTasks: plan.report.standaloneTasks,
          otherActiveInstances: plan.report.otherActiveInstances,
          refused: plan.report.refused,
        }
      : null,
    startedAt: new Date(plan.startedAt).toISOString(),
    finishedAt: new Date(now).toISOString(),
    error: null,
  }
}

function toReport(b: Blocker): BlockerReport {
  return {kind: b.kind, detail: b.detail, fix: b.fix, task: b.task ?? null, etaSeconds: b.etaSeconds ?? null}
}

/**
 * The blockers so far, plus why each task still not STOPPED waits, as of the last look. A task's current
 * reason replaces an older entry of the same kind for the same task (preflight's standalone verdict, say).
 */
function withCurrentReasons(history: readonly BlockerReport[], state: WaitState): BlockerReport[] {
  const live = new Set(state.tasks.map((t) => t.taskArn))
  const reasons = (state.explanation?.reasons ?? []).filter((r) => live.has(r.task))
  const current = new Set(reasons.map((r) => `${r.kind} ${r.task}`))
  return [
    ...history.filter((b) => b.task === null || !current.has(`${b.kind} ${b.task}`)),
    ...reasons.map(({kind, detail, fix, task, etaSeconds}) => ({kind, detail, fix, task, etaSeconds})),
  ]
}

function failure(error: unknown): {code: string; message: string} {
  if (error instanceof EcsdrainError) return {code: error.code, message: error.message}
  return {code: 'INTERNAL', message: error instanceof Error ? error.message : String(error)}
}

function stopped(ctx: RunContext, result: DrainResult, error: unknown): DrainResult {
  if (error instanceof DrainStop) {
    result.outcome = error.reason
    const action = result.lifecycleAction
    if (action && action.result === null && result.status === 'DRAINING' && error.reason !== 'suspended') {
      // Left pending, the action times out and Auto Scaling applies the hook's DefaultResult: for a
      // termination, the instance goes, drained or not. Say when, and how to keep it.
      result.warnings.push(
        `lifecycle action ${action.hook} is still pending` +
          (action.heartbeatDeadline ? ` until about ${action.heartbeatDeadline}` : '') +
          '; after that Auto Scaling applies its default result. Keep it with `ecsdrain heartbeat` or resume the drain.',
      )
    }
    ctx.emit({type: error.reason, tasksRemaining: result.tasksRemaining})
  } else {
    result.outcome = 'failed'
    result.error = failure(error)
    ctx.emit({type: 'failed', ...result.error})
  }
  result.finishedAt = new Date(ctx.clock.now()).toISOString()
  return result
}

/** Resolve and preflight; changes nothing. Throws UsageError for input the operator must fix (exit 2). */
export async function planDrain(
  ports: DrainPorts,
  target: DrainTarget,
  options: DrainOptions,
): Promise<DrainPlan> {
  const startedAt = options.startedAt ?? ports.clock.now()
  const ctx = context(ports, target, options, startedAt)
  const {cluster, instance} = target
  const empty: LifecycleContext = {
    autoScalingGroupName: null,
    lifecycleState: null,
    hook: null,
    globalDeadline: null,
  }
  const plan: DrainPlan = {
    target,
    lifecycle: empty,
    report: undefined as never,
    tasks: [],
    services: [],
    taskWatch: new InstanceTasks(cluster, instance.containerInstanceArn),
    // Raw ports, not retrying ones: an explainer read that is throttled waits for the next poll rather than
    // holding up the heartbeats.
    sources: new ExplainSources({ecsDetails: ports.ecsDetails, elb: ports.elb}, ports.clock),
    startedAt,
  }
  try {
    const ecs = retrying(ctx, ports.ecs)
    plan.lifecycle = await resolveLifecycle(retrying(ctx, ports.autoScaling), instance.ec2InstanceId, {
      hookName: options.hookName,
      group: options.autoScalingGroupName,
    })
    plan.tasks = await plan.taskWatch.live(ecs)
    const names = [...new Set(plan.tasks.map(serviceNameOf).filter((n): n is string => n !== null))]
    plan.services = names.length ? await ecs.describeServices(cluster, names) : []
    // Preflight is the one step that reads the whole cluster: capacity depends on every other instance.
    // Instances drained by the same command are leaving too: they are no room for replacements.
    const leaving = new Set(options.batch ?? [])
    const clusterInstances = (await ecs.listContainerInstances(cluster)).filter(
      (i) => i.containerInstanceArn === instance.containerInstanceArn || !leaving.has(i.containerInstanceArn),
    )
    const insight = await readInsight(
      {
        autoScaling: retrying(ctx, ports.autoScaling),
        ecsDetails: ports.ecsDetails && retrying(ctx, ports.ecsDetails),
      },
      plan.sources,
      {
        cluster,
        instance,
        tasks: plan.tasks,
        services: plan.services,
        lifecycle: plan.lifecycle,
        now: ctx.clock.now(),
        noWait: options.noWait ?? false,
        ownHookName: options.ownHookName,
      },
    )
    plan.report = analyzePreflight({
      instance,
      tasks: plan.tasks,
      services: plan.services,
      clusterInstances,
      lifecycle: plan.lifecycle,
      timeoutAt: ctx.timeoutAt,
      stopStandalone: options.stopStandalone ?? false,
      force: options.force ?? false,
      insight,
    })
    ctx.emit({type: 'preflight', report: plan.report, lifecycle: plan.lifecycle})
  } catch (error) {
    if (error instanceof UsageError) throw error
    // The result first: its preflight stays null when planning did not get that far.
    const result = baseResult(plan, ctx.clock.now())
    plan.report ??= {
      tasks: {replica: 0, daemon: 0, standalone: 0},
      services: [],
      standaloneTasks: [],
      otherActiveInstances: 0,
      blockers: [],
      warnings: [],
      refused: false,
    }
    plan.finished = stopped(ctx, result, error)
  }
  return plan
}

async function setDraining(ports: DrainPorts, ctx: RunContext, target: DrainTarget): Promise<void> {
  const {cluster, instance} = target
  const {failures, instances} = await ctx.retry('UpdateContainerInstancesState', () =>
    ports.ecs.updateContainerInstancesState(cluster, [instance.containerInstanceArn], 'DRAINING'),
  )
  // The call succeeds even when nothing changed: the answer is in `failures`.
  if (failures.length > 0) {
    const f = failures[0]!
    throw new EcsdrainError(
      `ECS did not set ${instance.ec2InstanceId} to DRAINING: ${f.reason}${f.detail ? ` (${f.detail})` : ''}`,
      {
        code: `DRAIN_${f.reason}`,
        suggestion: 'check that the instance is still registered in the cluster (`ecsdrain instances`)',
      },
    )
  }
  const now = instances.find((i) => i.containerInstanceArn === instance.containerInstanceArn)
  if (now && now.status !== 'DRAINING') {
    throw new EcsdrainError(`${instance.ec2InstanceId} is ${now.status} after the request, not DRAINING`, {
      code: 'DRAIN_NOT_APPLIED',
    })
  }
}

/** Carries out a plan. Never throws: every ending is a DrainResult with a documented outcome. */
export async function executeDrain(
  ports: DrainPorts,
  plan: DrainPlan,
  options: DrainOptions,
): Promise<DrainResult> {
  if (plan.finished) return plan.finished
  const ctx = context(ports, plan.target, options, plan.startedAt)
  const result = baseResult(plan, ctx.clock.now())
  result.blockers = plan.report.blockers.map(toReport)
  result.warnings = [...plan.report.warnings]
  const finish = (outcome: DrainOutcome): DrainResult => {
    result.outcome = outcome
    result.finishedAt = new Date(ctx.clock.now()).toISOString()
    return result
  }
  if (options.dryRun) return finish('dry-run')
  if (plan.report.refused) return finish('refused')

  const services = new Map(plan.services.map((s) => [s.serviceName, s]))
  const atStart = new Map<string, number>()
  for (const t of plan.tasks) {
    const name = serviceNameOf(t)
    if (name !== null && kindOf(t, services) !== 'standalone') atStart.set(name, (atStart.get(name) ?? 0) + 1)
  }
  const state: WaitState = {
    cluster: plan.target.cluster,
    instance: {...plan.target.instance, status: 'DRAINING'},
    ec2InstanceId: plan.target.instance.ec2InstanceId,
    containerInstanceArn: plan.target.instance.containerInstanceArn,
    services,
    atStart,
    startedAt: plan.startedAt,
    tasks: plan.tasks,
    taskWatch: plan.taskWatch,
    blockers: [],
    warnings: result.warnings,
    explainer: new InstanceExplainer(plan.sources, ports.clock, {
      eventsSince: plan.startedAt,
      stopStandalone: options.stopStandalone ?? false,
    }),
    explanation: null,
    hook: plan.lifecycle.hook,
    group: plan.lifecycle.autoScalingGroupName,
    action: result.lifecycleAction,
    nextHeartbeatAt: ctx.clock.now(),
    heartbeatFailures: 0,
  }
  const history = result.blockers
  const syncResult = () => {
    result.tasksRemaining = state.tasks.length
    result.services = serviceProgress(state)
    for (const b of state.blockers) {
      if (!history.some((r) => r.kind === b.kind && r.detail === b.detail)) history.push(toReport(b))
    }
    result.blockers = withCurrentReasons(history, state)
    result.etaSeconds = state.tasks.length === 0 ? 0 : (state.explanation?.etaSeconds ?? null)
  }
  try {
    const alreadyDraining = plan.target.instance.status === 'DRAINING'
    if (!alreadyDraining) await setDraining(ports, ctx, plan.target)
    result.status = 'DRAINING'
    ctx.emit({type: 'started', alreadyDraining, tasksAtStart: plan.tasks.length})
    if (options.noWait) {
      syncResult()
      return finish(plan.tasks.length === 0 ? 'drained' : 'draining')
    }
    await waitUntilDrained(ctx, ports, state, {
      intervalMs: options.intervalMs,
      stopStandalone: options.stopStandalone ?? false,
      stuckAfterMs: options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS,
    })
    syncResult()
    ctx.emit({type: 'drained'})
    await completeIfPending(ports, ctx, state, options)
    return finish('drained')
  } catch (error) {
    syncResult()
    return stopped(ctx, result, error)
  }
}

async function completeIfPending(
  ports: DrainPorts,
  ctx: RunContext,
  state: WaitState,
  options: DrainOptions,
) {
  const {hook, group, action} = state
  if (!hook || !group || !action) return
  if (options.noComplete) {
    action.note = '--no-complete: the lifecycle action is left pending'
    return
  }
  const ref = {autoScalingGroupName: group, hookName: hook.hookName, instanceId: state.ec2InstanceId}
  // Drained at the last poll before --timeout: still complete (a throttled call gets a minute's grace),
  // rather than leave an empty instance waiting for the hook's default result.
  const completing = ctx.withTimeoutAt(Math.max(ctx.timeoutAt, ctx.clock.now() + COMPLETE_GRACE_MS))
  try {
    await completing.retry('CompleteLifecycleAction', () =>
      ports.autoScaling.completeLifecycleAction(ref, 'CONTINUE'),
    )
  } catch (error) {
    if (!isNoActiveLifecycleAction(error)) throw error
    action.note = 'no active lifecycle action to complete: it was completed or expired elsewhere'
    return
  }
  action.result = 'CONTINUE'
  ctx.emit({type: 'completed', hook: hook.hookName, group, result: 'CONTINUE'})
}

/** plan + execute, for callers with nothing to confirm in between (the Lambda, the TUI's auto-drain). */
export async function drainInstance(
  ports: DrainPorts,
  target: DrainTarget,
  options: DrainOptions,
): Promise<DrainResult> {
  return executeDrain(ports, await planDrain(ports, target, options), options)
}
