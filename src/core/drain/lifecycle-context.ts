/**
 * The Auto Scaling side of an instance: its group, lifecycle state, and which terminating hook (if any)
 * holds it in Terminating:Wait. Used by drain, complete and heartbeat alike, so that they agree.
 */
import {AwsApiError, UsageError} from '../errors.js'
import type {AutoScalingPort} from '../ports.js'
import type {LifecycleHookInfo} from '../types.js'
import type {LifecycleContext} from './types.js'

export const TERMINATING_TRANSITION = 'autoscaling:EC2_INSTANCE_TERMINATING'
export const TERMINATING_WAIT = 'Terminating:Wait'

/** Auto Scaling answers ValidationError "No active Lifecycle Action found ..." for a completed or expired action. */
export function isNoActiveLifecycleAction(error: unknown): boolean {
  return (
    error instanceof AwsApiError &&
    error.awsCode === 'ValidationError' &&
    /no active lifecycle action/i.test(error.message)
  )
}

/** Picks the hook: the named one, else the group's only terminating hook; several need --hook. */
export function chooseTerminatingHook(
  hooks: readonly LifecycleHookInfo[],
  group: string,
  hookName: string | undefined,
): LifecycleHookInfo | null {
  const terminating = hooks.filter((h) => h.transition === TERMINATING_TRANSITION)
  if (hookName !== undefined) {
    const named = terminating.find((h) => h.hookName === hookName)
    if (named) return named
    throw new UsageError(`Group ${group} has no terminating lifecycle hook named ${hookName}.`, {
      code: 'UNKNOWN_HOOK',
      suggestion:
        terminating.length > 0
          ? `Its terminating hooks: ${terminating.map((h) => h.hookName).join(', ')}.`
          : 'The group has no terminating hook: install one with `ecsdrain install`.',
    })
  }
  if (terminating.length > 1) {
    throw new UsageError(`Group ${group} has several terminating lifecycle hooks.`, {
      code: 'AMBIGUOUS_HOOK',
      suggestion: `Pass --hook with one of: ${terminating.map((h) => h.hookName).join(', ')}.`,
    })
  }
  return terminating[0] ?? null
}

/**
 * The global timeout runs from the moment the action started. Auto Scaling does not expose that moment,
 * so estimate it from the newest scaling activity that terminates this instance.
 */
async function estimateGlobalDeadline(
  autoScaling: AutoScalingPort,
  group: string,
  instanceId: string,
  hook: LifecycleHookInfo,
): Promise<Date | null> {
  const activities = await autoScaling.describeScalingActivities(group, 50)
  const start = activities.find((a) => a.description.includes(instanceId) && /terminat/i.test(a.description))
  return start ? new Date(start.startTime.getTime() + hook.globalTimeout * 1000) : null
}

export async function resolveLifecycle(
  autoScaling: AutoScalingPort,
  instanceId: string,
  opts: {hookName?: string; group?: string} = {},
): Promise<LifecycleContext> {
  const [asg] = await autoScaling.describeAutoScalingInstances([instanceId])
  const group = asg?.autoScalingGroupName ?? opts.group ?? null
  if (opts.group !== undefined && asg && asg.autoScalingGroupName !== opts.group) {
    throw new UsageError(`${instanceId} belongs to group ${asg.autoScalingGroupName}, not ${opts.group}.`, {
      code: 'WRONG_GROUP',
      suggestion: `Drop --asg, or pass --asg ${asg.autoScalingGroupName}.`,
    })
  }
  const lifecycleState = asg?.lifecycleState ?? null
  if (group === null || lifecycleState !== TERMINATING_WAIT) {
    return {autoScalingGroupName: group, lifecycleState, hook: null, globalDeadline: null}
  }
  const hook = chooseTerminatingHook(await autoScaling.describeLifecycleHooks(group), group, opts.hookName)
  const globalDeadline = hook ? await estimateGlobalDeadline(autoScaling, group, instanceId, hook) : null
  return {autoScalingGroupName: group, lifecycleState, hook, globalDeadline}
}

/** The instances of a group held in Terminating:Wait (what `drain --asg G` drains). */
export async function instancesInTerminatingWait(
  autoScaling: AutoScalingPort,
  group: string,
): Promise<string[]> {
  const [found] = await autoScaling.describeAutoScalingGroups([group])
  if (!found) {
    throw new UsageError(`Auto Scaling group ${group} was not found.`, {
      code: 'UNKNOWN_GROUP',
      suggestion:
        'Check the name with `aws autoscaling describe-auto-scaling-groups`, and --region / --profile.',
    })
  }
  return found.instances.filter((i) => i.lifecycleState === TERMINATING_WAIT).map((i) => i.instanceId)
}
