/**
 * The handler's time-bounded drain (HookDrain) over core's ports: find the instance with the filter, set
 * DRAINING (checking `failures`), wait until no task on it is other than STOPPED, heartbeat the hook well
 * before its heartbeat timeout, and complete CONTINUE once drained. Transient faults are retried.
 *
 * TODO(issue 4): delegate to core's drain engine (`runDeadline` / outcome 'suspended') once it is merged;
 * the handler's tests drive this through fake ports, so they hold across that swap.
 */
import {AwsApiError} from '../core/errors.js'
import type {AutoScalingPort, Clock, EcsPort} from '../core/ports.js'
import type {HookDrain, HookDrainResult} from './handler.js'
import {retryTransient} from './retry.js'

export interface HookDrainOptions {
  intervalMs?: number
  random?: () => number
}

/** Auto Scaling's answer for an action already completed or expired: "No active Lifecycle Action found". */
const isActionGone = (e: unknown): boolean =>
  e instanceof AwsApiError && e.awsCode === 'ValidationError' && /lifecycle action/i.test(e.message)

export function createHookDrain(
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort},
  clock: Clock,
  opts: HookDrainOptions = {},
): HookDrain {
  const interval = opts.intervalMs ?? 5_000
  const retry = <T>(fn: () => Promise<T>) => retryTransient(fn, clock, {random: opts.random})

  return async (req): Promise<HookDrainResult> => {
    const {ecs, autoScaling} = ports
    const instance = await retry(() => ecs.findContainerInstance(req.cluster, req.ec2InstanceId))
    if (!instance) return {outcome: 'not-in-cluster'}
    const arn = instance.containerInstanceArn

    if (instance.status !== 'DRAINING') {
      const {failures} = await retry(() => ecs.updateContainerInstancesState(req.cluster, [arn], 'DRAINING'))
      if (failures.some((f) => f.reason === 'MISSING')) return {outcome: 'not-in-cluster'}
      if (failures.length > 0) {
        const f = failures[0]!
        throw new AwsApiError(`UpdateContainerInstancesState failed: ${f.reason} ${f.detail ?? ''}`.trim(), {
          awsCode: f.reason,
          operation: 'ECS.UpdateContainerInstancesState',
          transient: false,
        })
      }
      req.onEvent({type: 'started', containerInstanceArn: arn})
    }

    // A fresh invocation heartbeats at once: the notification may have waited, and the timer is per action.
    const beatEvery = Math.max(10_000, (req.heartbeatTimeout * 1000) / 3)
    let lastBeat = Number.NEGATIVE_INFINITY
    let lastRemaining = -1
    for (;;) {
      const live = await retry(() => ecs.listLiveTasksOnInstance(req.cluster, arn))
      if (live.length !== lastRemaining) {
        lastRemaining = live.length
        req.onEvent({
          type: 'progress',
          tasksRemaining: live.length,
          tasks: live.map((t) => `${t.group}:${t.lastStatus}`),
        })
      }
      try {
        if (live.length === 0) {
          await retry(() => autoScaling.completeLifecycleAction(req.lifecycleAction, 'CONTINUE'))
          return {outcome: 'completed'}
        }
        if (clock.now() - lastBeat >= beatEvery) {
          await retry(() => autoScaling.recordLifecycleActionHeartbeat(req.lifecycleAction))
          lastBeat = clock.now()
          req.onEvent({type: 'heartbeat'})
        }
      } catch (error) {
        if (isActionGone(error)) return {outcome: 'action-gone'}
        throw error
      }
      if (clock.now() + interval >= req.until) return {outcome: 'timeout', tasksRemaining: live.length}
      await clock.sleep(interval)
    }
  }
}
