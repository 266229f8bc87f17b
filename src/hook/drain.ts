/**
 * The handler's time-bounded drain (HookDrain) over core's drain engine, the same code `ecsdrain drain`
 * runs: find the instance with the `ec2InstanceId ==` filter, then `drainInstance` with the Lambda's
 * `runDeadline`, which sets DRAINING (checking `failures`), waits until no task on it is other than
 * STOPPED, heartbeats the hook, and completes CONTINUE once drained; transient faults are retried.
 */
import {drainInstance} from '../core/drain/index.js'
import {AwsApiError} from '../core/errors.js'
import type {AutoScalingPort, Clock, EcsDetailsPort, EcsPort, LoadBalancingPort} from '../core/ports.js'
import {retryOwnCall, type HookDrain, type HookDrainResult} from './handler.js'

export interface HookDrainOptions {
  intervalMs?: number
  random?: () => number
}

export function createHookDrain(
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort; ecsDetails?: EcsDetailsPort; elb?: LoadBalancingPort},
  clock: Clock,
  opts: HookDrainOptions = {},
): HookDrain {
  return async (req): Promise<HookDrainResult> => {
    const instance = await retryOwnCall(
      () => ports.ecs.findContainerInstance(req.cluster, req.ec2InstanceId),
      clock,
      opts.random,
    )
    if (!instance) return {outcome: 'not-in-cluster'}
    const result = await drainInstance(
      {...ports, clock},
      {cluster: req.cluster, instance},
      {
        // The handler owns the drain's overall deadline (it survives hand-overs); this run ends at `until`.
        timeoutMs: Math.max(0, req.until - clock.now()) + 60_000,
        runDeadline: req.until,
        intervalMs: opts.intervalMs ?? 5_000,
        hookName: req.lifecycleAction.hookName,
        // Its own hook is how it was called, not a second drainer; any other drain function on the group is.
        ownHookName: req.lifecycleAction.hookName,
        // The instance is terminating whatever preflight says: refusing would only let it die undrained.
        force: true,
        onEvent: ({type, ...rest}) => {
          const {ec2InstanceId: _id, at: _at, ...fields} = rest as Record<string, unknown>
          req.onEvent({type, ...fields})
        },
      },
    )
    switch (result.outcome) {
      case 'drained':
        if (result.lifecycleAction?.result === 'CONTINUE') return {outcome: 'completed'}
        return {outcome: 'action-gone'}
      case 'suspended':
      case 'timeout':
        return {outcome: 'timeout', tasksRemaining: result.tasksRemaining}
      default: {
        const code = result.error?.code ?? result.outcome
        throw new AwsApiError(result.error?.message ?? `the drain ended ${result.outcome}`, {
          awsCode: code,
          operation: 'drain',
          transient: false,
        })
      }
    }
  }
}
