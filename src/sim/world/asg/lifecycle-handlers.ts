import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {list, str} from '../input.js'
import type {State} from '../state.js'
import {heartbeat} from './actions.js'
import {liveTasks} from './audit.js'
import {completeAction} from './groups.js'
import type {AsgInstance, Group, LifecycleAction, LifecycleHook} from './model.js'
import {describeHook} from './shapes.js'
import {int, requireGroup, validation} from './validation.js'

/** Lifecycle hooks and their pending actions (aws-semantics.md §6). */

/** The pending action named by hook + group + (InstanceId or LifecycleActionToken), or AWS's error. */
function findAction(state: State, input: Input): {g: Group; inst: AsgInstance; action: LifecycleAction} {
  const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
  const hookName = str(input, 'LifecycleHookName')
  if (!hookName) throw validation('LifecycleHookName is required.')
  const instanceId = str(input, 'InstanceId')
  const token = str(input, 'LifecycleActionToken')
  if (!instanceId && !token)
    throw validation('Either an instance ID or a lifecycle action token must be specified.')
  const candidates = instanceId ? [g.instances.get(instanceId)].filter((i) => !!i) : g.instances.values()
  for (const inst of candidates) {
    const action = inst.actions.get(hookName)
    if (action && (!token || action.token === token)) return {g, inst, action}
  }
  throw validation(
    instanceId
      ? `No active Lifecycle Action found with instance ID ${instanceId}`
      : `No active Lifecycle Action found with token ${token}`,
  )
}

/**
 * Counts a CompleteLifecycleAction that named an instance while tasks on it were not yet STOPPED: the
 * instance is not drained (aws-semantics.md §3), whatever `runningTasksCount` says. See stats.ts.
 */
function auditCompletion(state: State, input: Input, inst: AsgInstance | undefined, accepted: boolean): void {
  if (!inst) return
  const tasks = liveTasks(state.byEc2Id.get(inst.id))
  if (tasks.length === 0) return
  state.audit.completion({
    at: new Date(state.now()).toISOString(),
    instanceId: inst.id,
    autoScalingGroupName: inst.groupName,
    lifecycleHookName: str(input, 'LifecycleHookName') ?? '',
    lifecycleActionResult: str(input, 'LifecycleActionResult') ?? '',
    lifecycleState: inst.lifecycleState,
    accepted,
    tasks,
  })
}

export function lifecycleHandlers(state: State): Record<string, OperationHandler> {
  return {
    PutLifecycleHook: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const name = str(input, 'LifecycleHookName')
      if (!name) throw validation('LifecycleHookName is required.')
      const existing = g.hooks.get(name)
      const transition = str(input, 'LifecycleTransition') ?? existing?.transition
      if (
        transition !== 'autoscaling:EC2_INSTANCE_LAUNCHING' &&
        transition !== 'autoscaling:EC2_INSTANCE_TERMINATING'
      )
        throw validation(`Invalid Lifecycle Transition: ${transition ?? 'null'}`)
      const heartbeatTimeout = int(input, 'HeartbeatTimeout') ?? existing?.heartbeatTimeout ?? 3600
      if (heartbeatTimeout < 30 || heartbeatTimeout > 7200)
        throw validation('Heartbeat timeout must be between 30 and 7200 seconds.')
      const defaultResult = str(input, 'DefaultResult') ?? existing?.defaultResult ?? 'ABANDON'
      if (defaultResult !== 'CONTINUE' && defaultResult !== 'ABANDON')
        throw validation(`Invalid value for DefaultResult: ${defaultResult}`)
      const hook: LifecycleHook = {
        name,
        groupName: g.name,
        transition,
        heartbeatTimeout,
        defaultResult,
        roleArn: str(input, 'RoleARN') ?? existing?.roleArn,
        notificationTargetArn: str(input, 'NotificationTargetARN') ?? existing?.notificationTargetArn,
        notificationMetadata: str(input, 'NotificationMetadata') ?? existing?.notificationMetadata,
      }
      g.hooks.set(name, hook)
      if (hook.notificationTargetArn) {
        // Auto Scaling proves it can reach the target with a test message first.
        state.notifications.emit('publish', {
          targetArn: hook.notificationTargetArn,
          roleArn: hook.roleArn,
          message: JSON.stringify({
            AccountId: state.accountId,
            RequestId: state.ids.uuid(),
            AutoScalingGroupARN: g.arn,
            AutoScalingGroupName: g.name,
            Service: 'AWS Auto Scaling',
            Event: 'autoscaling:TEST_NOTIFICATION',
            Time: new Date(state.now()).toISOString(),
          }),
        })
      }
      return {}
    },
    DeleteLifecycleHook: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const name = str(input, 'LifecycleHookName') ?? ''
      if (!g.hooks.has(name))
        throw validation(`No Lifecycle Hook found with name ${name} for group ${g.name}`)
      g.hooks.delete(name)
      // Outstanding actions complete first: CONTINUE for terminating instances, as AWS documents.
      for (const inst of [...g.instances.values()])
        if (inst.actions.has(name)) completeAction(state, g, inst, name, 'CONTINUE')
      return {}
    },
    DescribeLifecycleHooks: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const names = list<string>(input, 'LifecycleHookNames')?.map(String)
      const hooks = [...g.hooks.values()].filter((h) => !names || names.includes(h.name))
      return {LifecycleHooks: hooks.map(describeHook)}
    },
    CompleteLifecycleAction: (input: Input) => {
      const result = str(input, 'LifecycleActionResult')
      if (result !== 'CONTINUE' && result !== 'ABANDON')
        throw validation(`Invalid value for LifecycleActionResult: ${result ?? 'null'}`)
      let found
      try {
        found = findAction(state, input)
      } catch (error) {
        const id = str(input, 'InstanceId')
        auditCompletion(state, input, id ? state.asgInstances.get(id) : undefined, false)
        throw error
      }
      auditCompletion(state, input, found.inst, true)
      completeAction(state, found.g, found.inst, found.action.hook.name, result)
      return {}
    },
    RecordLifecycleActionHeartbeat: (input: Input) => {
      heartbeat(state, findAction(state, input).action)
      return {}
    },
  }
}
