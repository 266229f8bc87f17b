/**
 * The single-shot actions beside the drain: undrain (back to ACTIVE), complete and heartbeat a pending
 * lifecycle action. Shared by the commands and the TUI's `u`, `c` and `h` keys. Transient faults are left to
 * the adapters' retry strategy here: these are one call each, run by an operator who sees the answer.
 */
import {AwsApiError, EcsdrainError, RefusedError, UsageError} from '../errors.js'
import type {AutoScalingPort, Clock, EcsPort, LifecycleActionRef} from '../ports.js'
import type {LifecycleHookInfo, LifecycleResult} from '../types.js'
import {
  TERMINATING_WAIT,
  chooseTerminatingHook,
  isNoActiveLifecycleAction,
  resolveLifecycle,
} from './lifecycle-context.js'
import {liveTasksOnInstance} from './live-tasks.js'
import type {DrainTarget} from './types.js'

export interface UndrainResult {
  ec2InstanceId: string
  cluster: string
  containerInstanceArn: string
  previousStatus: string
  status: string
  lifecycleState: string | null
  warnings: string[]
}

export async function undrainInstance(
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort},
  target: DrainTarget,
): Promise<UndrainResult> {
  const {cluster, instance} = target
  const [asg] = await ports.autoScaling.describeAutoScalingInstances([instance.ec2InstanceId])
  const lifecycleState = asg?.lifecycleState ?? null
  const warnings: string[] = []
  if (lifecycleState?.startsWith('Terminating')) {
    warnings.push(
      `${instance.ec2InstanceId} is ${lifecycleState}: Auto Scaling will terminate it anyway, and tasks placed on it now will die with it`,
    )
  }
  let status = instance.status
  if (instance.status !== 'ACTIVE') {
    const {instances, failures} = await ports.ecs.updateContainerInstancesState(
      cluster,
      [instance.containerInstanceArn],
      'ACTIVE',
    )
    if (failures.length > 0) {
      throw new EcsdrainError(`ECS did not set ${instance.ec2InstanceId} to ACTIVE: ${failures[0]!.reason}`, {
        code: `UNDRAIN_${failures[0]!.reason}`,
        suggestion: 'check that the instance is still registered (`ecsdrain instances`)',
      })
    }
    status = instances[0]?.status ?? 'ACTIVE'
  } else {
    warnings.push(`${instance.ec2InstanceId} was already ACTIVE: nothing changed`)
  }
  return {
    ec2InstanceId: instance.ec2InstanceId,
    cluster,
    containerInstanceArn: instance.containerInstanceArn,
    previousStatus: instance.status,
    status,
    lifecycleState,
    warnings,
  }
}

export interface PendingAction {
  ref: LifecycleActionRef
  hook: LifecycleHookInfo
  lifecycleState: string
  globalDeadline: Date | null
}

/** Finds the hook and group holding the instance; explains why there is none. */
export async function findPendingAction(
  autoScaling: AutoScalingPort,
  instanceId: string,
  opts: {hookName?: string; group?: string},
): Promise<PendingAction> {
  const lc = await resolveLifecycle(autoScaling, instanceId, opts)
  if (opts.group !== undefined && opts.hookName !== undefined && lc.lifecycleState !== TERMINATING_WAIT) {
    // Named explicitly: Auto Scaling itself judges whether the action exists (its describe calls can lag
    // behind, and some emulators never report Terminating:Wait).
    const hook = chooseTerminatingHook(
      await autoScaling.describeLifecycleHooks(opts.group),
      opts.group,
      opts.hookName,
    )!
    return {
      ref: {autoScalingGroupName: opts.group, hookName: hook.hookName, instanceId},
      hook,
      lifecycleState: lc.lifecycleState ?? 'unknown',
      globalDeadline: null,
    }
  }
  if (lc.autoScalingGroupName === null) {
    throw new UsageError(
      `${instanceId} is not in an Auto Scaling group (any more): no lifecycle action is pending. If it was terminating, its action was already completed or has expired.`,
      {
        code: 'NOT_IN_GROUP',
        suggestion: 'Pass --asg if the group is known, or check the id with `ecsdrain instances`.',
      },
    )
  }
  if (lc.lifecycleState !== TERMINATING_WAIT && /^Terminat/.test(lc.lifecycleState ?? '')) {
    throw new EcsdrainError(
      `No active Lifecycle Action found for ${instanceId}: it is ${lc.lifecycleState}, so the action was already completed or expired.`,
      {
        code: 'NO_ACTIVE_LIFECYCLE_ACTION',
        suggestion: 'Nothing to do: Auto Scaling is terminating the instance.',
      },
    )
  }
  if (lc.lifecycleState !== TERMINATING_WAIT || !lc.hook) {
    throw new UsageError(
      `${instanceId} is ${lc.lifecycleState ?? 'not in the group'}${lc.lifecycleState === TERMINATING_WAIT ? ' with no terminating hook' : ''}: no lifecycle action is pending.`,
      {
        code: 'NO_PENDING_ACTION',
        suggestion: 'Only an instance in Terminating:Wait has a lifecycle action to complete or extend.',
      },
    )
  }
  return {
    ref: {autoScalingGroupName: lc.autoScalingGroupName, hookName: lc.hook.hookName, instanceId},
    hook: lc.hook,
    lifecycleState: lc.lifecycleState,
    globalDeadline: lc.globalDeadline,
  }
}

function gone(error: unknown, instanceId: string): never {
  if (isNoActiveLifecycleAction(error)) {
    throw new EcsdrainError(
      `No active Lifecycle Action found for ${instanceId}: it was already completed, or it expired.`,
      {
        code: 'NO_ACTIVE_LIFECYCLE_ACTION',
        suggestion:
          'Check the instance with `ecsdrain instances`; it is probably terminating or gone already.',
        cause: error,
      },
    )
  }
  if (
    error instanceof AwsApiError &&
    /not ?implemented|InvalidAction|UnknownOperation/i.test(`${error.awsCode} ${error.message}`)
  ) {
    throw new EcsdrainError(`This endpoint does not implement ${error.operation}.`, {
      code: 'UNSUPPORTED_OPERATION',
      suggestion: 'Use an endpoint that supports lifecycle actions (AWS, or `ecsdrain sim`).',
      cause: error,
    })
  }
  if (error instanceof AwsApiError) {
    // Failing still after the client's retries, or an answer that is not AWS's (an HTML error page): say
    // which call, and that nothing was changed.
    throw new EcsdrainError(
      `${error.operation} kept failing (${error.message.split('\n')[0]}); the lifecycle action of ${instanceId} is unchanged.`,
      {
        code: 'LIFECYCLE_CALL_FAILED',
        suggestion: error.transient
          ? 'Try again in a moment.'
          : 'Check the endpoint: an emulator may not implement lifecycle actions at all (moto does not).',
        cause: error,
      },
    )
  }
  throw error
}

export interface CompleteResult {
  ec2InstanceId: string
  hook: string
  group: string
  result: LifecycleResult
  liveTasks: number
}

/**
 * Completes the pending action. For a termination both CONTINUE and ABANDON let the instance terminate,
 * so either is refused while tasks still live on it, unless forced.
 */
export async function completeAction(
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort},
  instanceId: string,
  target: DrainTarget | null,
  opts: {result: LifecycleResult; hookName?: string; group?: string; force?: boolean},
): Promise<CompleteResult> {
  const pending = await findPendingAction(ports.autoScaling, instanceId, opts)
  const live = target
    ? await liveTasksOnInstance(ports.ecs, target.cluster, target.instance.containerInstanceArn)
    : []
  if (live.length > 0 && !opts.force) {
    throw new RefusedError(
      `${live.length} task(s) still live on ${instanceId}: completing with ${opts.result} would terminate them.`,
      {
        code: 'TASKS_STILL_RUNNING',
        suggestion: `Drain first (\`ecsdrain drain ${instanceId}\`), or pass --force.`,
      },
    )
  }
  try {
    await ports.autoScaling.completeLifecycleAction(pending.ref, opts.result)
  } catch (error) {
    gone(error, instanceId)
  }
  return {
    ec2InstanceId: instanceId,
    hook: pending.ref.hookName,
    group: pending.ref.autoScalingGroupName,
    result: opts.result,
    liveTasks: live.length,
  }
}

export interface HeartbeatResult {
  ec2InstanceId: string
  hook: string
  group: string
  /** When the action times out now, unless heartbeated again (never after the global deadline). */
  heartbeatDeadline: string
  globalDeadline: string | null
}

export async function heartbeatAction(
  ports: {autoScaling: AutoScalingPort; clock: Clock},
  instanceId: string,
  opts: {hookName?: string; group?: string},
): Promise<HeartbeatResult> {
  const pending = await findPendingAction(ports.autoScaling, instanceId, opts)
  try {
    await ports.autoScaling.recordLifecycleActionHeartbeat(pending.ref)
  } catch (error) {
    gone(error, instanceId)
  }
  let deadline = ports.clock.now() + pending.hook.heartbeatTimeout * 1000
  if (pending.globalDeadline) deadline = Math.min(deadline, pending.globalDeadline.getTime())
  return {
    ec2InstanceId: instanceId,
    hook: pending.ref.hookName,
    group: pending.ref.autoScalingGroupName,
    heartbeatDeadline: new Date(deadline).toISOString(),
    globalDeadline: pending.globalDeadline?.toISOString() ?? null,
  }
}
