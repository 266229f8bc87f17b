/**
 * Who will drain the instances a refresh terminates, and whether the group's terminating hooks give them
 * the time. Pure: the group's hooks, its capacity providers and the ecsdrain stack's topic in, verdicts out.
 *
 * - A terminating hook whose notification target is an ecsdrain stack's topic: that stack's Lambda drains.
 * - Capacity-provider managed draining: ECS drains, through its own hook ("Safely stop Amazon ECS workloads
 *   running on EC2 instances", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html).
 * - A terminating hook with no notification target: nobody acts on it, so ecsdrain drains and completes it
 *   itself (assisted mode, as `watch --auto-drain`).
 * - No terminating hook at all: Auto Scaling terminates at once, tasks and all ("Amazon EC2 Auto Scaling
 *   lifecycle hooks", https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html): refused.
 * Two drainers complete the same lifecycle action twice: refused too.
 */
import {MANAGED_DRAINING_HOOK_NAME} from './names.js'
import {TERMINATING_TRANSITION} from '../drain/lifecycle-context.js'
import type {Blocker} from '../drain/types.js'
import type {CapacityProviderInfo} from '../ports.js'
import type {LifecycleHookInfo} from '../types.js'
import type {Drainer, HookTiming} from './types.js'

export interface DrainerFacts {
  group: string
  hooks: readonly LifecycleHookInfo[]
  /** The capacity providers of the group's instances. */
  capacityProviders: readonly CapacityProviderInfo[]
  /** The SNS topic of the ecsdrain stack installed for this cluster, or null when there is none. */
  stackTopicArn: string | null
  stackName: string
  /** The longest expected drain of one instance, in seconds. */
  expectedDrainSeconds: number
}

export interface DrainerVerdict {
  drainers: Drainer[]
  hooks: HookTiming[]
  blockers: Blocker[]
  warnings: string[]
}

export function whoDrains(facts: DrainerFacts): DrainerVerdict {
  const drainers: Drainer[] = []
  const terminating = facts.hooks.filter((h) => h.transition === TERMINATING_TRANSITION)
  for (const cp of facts.capacityProviders.filter((c) => c.managedDraining))
    drainers.push({
      kind: 'capacity-provider',
      via: cp.name,
      detail: `capacity provider ${cp.name} has managed instance draining on: ECS drains each terminating instance`,
    })
  for (const h of terminating) {
    if (h.hookName === MANAGED_DRAINING_HOOK_NAME) continue
    const target = h.notificationTargetArn ?? null
    if (target && facts.stackTopicArn && target === facts.stackTopicArn)
      drainers.push({
        kind: 'stack',
        via: h.hookName,
        detail: `the ecsdrain stack ${facts.stackName}: hook ${h.hookName} notifies its topic; its Lambda drains and completes`,
      })
    else if (target)
      drainers.push({
        kind: 'other',
        via: h.hookName,
        detail: `hook ${h.hookName} notifies ${target}: a drain function that is not an ecsdrain stack acts on it`,
      })
  }
  const manual = terminating.filter(
    (h) => !h.notificationTargetArn && h.hookName !== MANAGED_DRAINING_HOOK_NAME,
  )
  if (drainers.length === 0 && manual.length > 0)
    drainers.push({
      kind: 'assisted',
      via: manual.map((h) => h.hookName).join(', '),
      detail: `nobody acts on hook ${manual.map((h) => h.hookName).join(', ')}: ecsdrain drains each terminating instance and completes its action (assisted mode)`,
    })
  const blockers: Blocker[] = []
  const warnings: string[] = []
  if (terminating.length === 0)
    blockers.push({
      kind: 'no-drainer',
      detail: `${facts.group} has no terminating lifecycle hook and no managed draining: Auto Scaling would terminate each instance at once, its tasks with it (the outage the seed saw).`,
      fix: `install the hook stack (\`ecsdrain install --asg ${facts.group}\`), or add a terminating lifecycle hook for ecsdrain to drain through; or pass --force`,
      refuses: true,
    })
  else if (drainers.length === 0)
    blockers.push({
      kind: 'no-drainer',
      detail: `${facts.group}'s only terminating hook is ECS's managed-draining hook, but no capacity provider of the group has managed draining on.`,
      fix: 'turn managed draining on for the capacity provider, or install the hook stack; or pass --force',
      refuses: true,
    })
  if (drainers.length > 1)
    blockers.push({
      kind: 'second-drainer',
      detail: `${drainers.length} drainers act on ${facts.group}: ${drainers.map((d) => d.detail).join('; ')}. Two drainers complete the same lifecycle action twice.`,
      fix: 'keep one: turn managed draining off, or uninstall the other drain function; or pass --force',
      refuses: true,
    })
  if (drainers.some((d) => d.kind === 'other'))
    warnings.push(
      'a drain function that is not ecsdrain drains this group: ecsdrain follows the refresh and completes nothing',
    )
  const kind = drainers[0]?.kind
  const hooks = terminating.map((h) => timing(h, facts.expectedDrainSeconds, kind))
  return {drainers, hooks, blockers, warnings}
}

function timing(h: LifecycleHookInfo, expected: number, drainer: Drainer['kind'] | undefined): HookTiming {
  // ecsdrain (assisted) and its stack's Lambda heartbeat every HeartbeatTimeout/3; ECS manages its own hook.
  const heartbeated =
    drainer === 'assisted' || drainer === 'stack' || h.hookName === MANAGED_DRAINING_HOOK_NAME
  const base = {
    hookName: h.hookName,
    heartbeatTimeout: h.heartbeatTimeout,
    globalTimeout: h.globalTimeout,
    defaultResult: h.defaultResult,
    expectedDrainSeconds: expected,
    heartbeated,
  }
  if (h.globalTimeout < expected)
    return {
      ...base,
      verdict: 'too-short',
      detail: `global timeout ${h.globalTimeout} s < expected drain ${expected} s: Auto Scaling applies ${h.defaultResult} before the tasks stop`,
    }
  if (h.heartbeatTimeout < expected)
    return {
      ...base,
      verdict: heartbeated ? 'needs-heartbeats' : 'too-short',
      detail: heartbeated
        ? `HeartbeatTimeout ${h.heartbeatTimeout} s < expected drain ${expected} s: kept alive by heartbeats (global ${h.globalTimeout} s)`
        : `HeartbeatTimeout ${h.heartbeatTimeout} s < expected drain ${expected} s and nothing heartbeats it: ${h.defaultResult} applies mid-drain`,
    }
  return {
    ...base,
    verdict: 'fits',
    detail: `HeartbeatTimeout ${h.heartbeatTimeout} s covers the expected drain (${expected} s)`,
  }
}
