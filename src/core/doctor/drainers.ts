/**
 * Who drains a group's terminating instances. Each terminating lifecycle hook is a drainer of some kind, and
 * a capacity provider's managed draining is one too (ECS adds its own hook for it). Whether a drainer
 * heartbeats decides which timeout bounds a drain: the HeartbeatTimeout for one that does not, the global
 * timeout for one that does.
 */
import {TERMINATING_TRANSITION} from '../drain/lifecycle-context.js'
import type {LifecycleHookInfo, TaskInfo} from '../types.js'
import type {ClusterFacts, GroupFacts} from './gather.js'
import type {EcsdrainStack} from './gather-stack.js'

/**
 * The hook ECS adds for managed instance draining ("Safely stop Amazon ECS workloads running on EC2
 * instances", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html).
 */
export const MANAGED_DRAINING_HOOK = 'ecs-managed-draining-termination-hook'

/**
 * CDK's `InstanceDrainHook` (aws-ecs, made by `addAsgCapacityProvider`/`addCapacity` unless `taskDrainTime`
 * is 0) is a construct with id `DrainECSHook`, so CloudFormation's generated hook name holds it.
 */
const CDK_DRAIN_HOOK = /DrainECSHook/

export type DrainerKind =
  'ecs-managed-draining' | 'ecsdrain' | 'cdk-instance-drain-hook' | 'custom' | 'manual'

export interface Drainer {
  kind: DrainerKind
  /** The hook (null for managed draining that ECS has not hooked up yet). */
  hook: LifecycleHookInfo | null
  /** What it is, for a message: the hook's name, or the capacity provider's. */
  name: string
  /** Records lifecycle heartbeats while it drains, so only the global timeout bounds it. */
  heartbeats: boolean
  /** The ecsdrain stack behind it. */
  stack?: EcsdrainStack
}

export const KIND_TEXT: Record<DrainerKind, string> = {
  'ecs-managed-draining': 'ECS managed instance draining',
  ecsdrain: "ecsdrain's hook stack",
  'cdk-instance-drain-hook': "CDK's InstanceDrainHook",
  custom: 'a drain function (the hook notifies a target)',
  manual: 'a hook with no notification target (an operator, or an EventBridge rule, must complete it)',
}

export function terminatingHooks(g: GroupFacts): LifecycleHookInfo[] {
  return (g.hooks ?? []).filter((h) => h.transition === TERMINATING_TRANSITION)
}

export function drainersOf(g: GroupFacts, facts: ClusterFacts): Drainer[] {
  const out: Drainer[] = []
  const hooks = terminatingHooks(g)
  const managedHook = hooks.find((h) => h.hookName === MANAGED_DRAINING_HOOK)
  if (g.capacityProvider?.managedDraining || managedHook) {
    // ECS drains the instance and keeps its hook alive until the tasks are gone, up to the global timeout.
    out.push({
      kind: 'ecs-managed-draining',
      hook: managedHook ?? null,
      name: g.capacityProvider ? `capacity provider ${g.capacityProvider.name}` : MANAGED_DRAINING_HOOK,
      heartbeats: true,
    })
  }
  for (const hook of hooks) {
    if (hook === managedHook) continue
    const stack = facts.stacks.found.find((s) => s.hookName === hook.hookName)
    const kind: DrainerKind = stack
      ? 'ecsdrain'
      : CDK_DRAIN_HOOK.test(hook.hookName)
        ? 'cdk-instance-drain-hook'
        : hook.notificationTargetArn
          ? 'custom'
          : 'manual'
    // ecsdrain heartbeats every HeartbeatTimeout/3; CDK's function waits in one invocation and does not.
    out.push({kind, hook, name: hook.hookName, heartbeats: kind === 'ecsdrain', stack})
  }
  return out
}

/** The live service tasks on the group's container instances. */
export function tasksOnGroup(g: GroupFacts, facts: ClusterFacts): TaskInfo[] {
  const arns = new Set(g.instances.map((i) => i.containerInstanceArn))
  return [...facts.serviceTasks.values()].flat().filter((t) => arns.has(t.containerInstanceArn ?? ''))
}

export const groupResource = (g: GroupFacts) => `autoScalingGroup/${g.group.autoScalingGroupName}`
export const hookResource = (g: GroupFacts, hook: LifecycleHookInfo) =>
  `lifecycleHook/${g.group.autoScalingGroupName}/${hook.hookName}`
