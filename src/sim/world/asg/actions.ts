import type {State} from '../state.js'
import type {AsgInstance, Group, LifecycleAction, LifecycleHook} from './model.js'

/**
 * Pending lifecycle actions: their heartbeat and global deadlines, and the notification Auto Scaling sends to
 * a hook's target when one starts. What happens at a deadline (DefaultResult) is the caller's onTimeout.
 */

export function startAction(
  state: State,
  g: Group,
  inst: AsgInstance,
  hook: LifecycleHook,
  onTimeout: (action: LifecycleAction) => void,
): void {
  const now = state.now()
  const action: LifecycleAction = {
    hook,
    token: state.ids.uuid(),
    startedAt: now,
    heartbeatDeadline: now + hook.heartbeatTimeout * 1000,
    globalDeadline: now + Math.min(172_800, 100 * hook.heartbeatTimeout) * 1000,
    onTimeout,
  }
  inst.actions.set(hook.name, action)
  armAction(state, action)
  // For the world's own followers of lifecycle actions (ECS managed instance draining, ecs/capacity-providers.ts).
  state.notifications.emit('lifecycle-action', {group: g, instance: inst, hook})
  if (hook.notificationTargetArn) {
    const message: Record<string, unknown> = {
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
      Service: 'AWS Auto Scaling',
      Time: new Date(now).toISOString(),
      AccountId: state.accountId,
      LifecycleTransition: hook.transition,
      RequestId: state.ids.uuid(),
      LifecycleActionToken: action.token,
      EC2InstanceId: inst.id,
      LifecycleHookName: hook.name,
      AutoScalingGroupName: g.name,
    }
    if (hook.notificationMetadata !== undefined) message.NotificationMetadata = hook.notificationMetadata
    state.notifications.emit('publish', {
      targetArn: hook.notificationTargetArn,
      roleArn: hook.roleArn,
      message: JSON.stringify(message),
    })
  }
}

/** (Re)arms the timer of the earlier deadline: heartbeat timeout or global timeout; either applies DefaultResult. */
function armAction(state: State, action: LifecycleAction): void {
  state.cancel(action.timer)
  const due = Math.min(action.heartbeatDeadline, action.globalDeadline)
  action.timer = state.after(due - state.now(), () => {
    action.timer = undefined
    action.onTimeout(action)
  })
}

export function heartbeat(state: State, action: LifecycleAction): void {
  action.heartbeatDeadline = Math.min(
    state.now() + action.hook.heartbeatTimeout * 1000,
    action.globalDeadline,
  )
  armAction(state, action)
}
