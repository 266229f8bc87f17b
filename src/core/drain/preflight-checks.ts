/**
 * Preflight's checks of what really holds a drain up, beyond capacity: a second drainer on the group, the
 * hook's heartbeat budget against the longest expected stop, an estimate of the drain against the
 * deadlines, protected tasks, and deployments under way or failed. Pure: the facts in, verdicts out.
 */
import type {CapacityProviderInfo, TaskProtection} from '../ports.js'
import type {LifecycleHookInfo, ServiceInfo, TaskInfo} from '../types.js'
import {AGENT_DEFAULT_STOP_TIMEOUT_S} from '../explain/reasons.js'
import {TERMINATING_TRANSITION} from './lifecycle-context.js'
import {kindOf, serviceNameOf} from './task-kind.js'
import type {Blocker, LifecycleContext} from './types.js'

/** What preflight reads beyond the drain's own facts (see engine.ts, readInsight). */
export interface PreflightInsight {
  now: number
  noWait: boolean
  /** Every lifecycle hook of the instance's group; null when unknown (no group, or the read failed). */
  groupHooks: LifecycleHookInfo[] | null
  /** The hook that started this drain (the Lambda's): not a second drainer. */
  ownHookName?: string
  /** The instance's capacity provider; null when none or unknown. */
  capacityProvider: CapacityProviderInfo | null
  /** Container instances running each service's live tasks, for distinctInstance; absent: unknown. */
  serviceHosts: ReadonlyMap<string, ReadonlySet<string>>
  stopTimeoutOf(task: TaskInfo): number | null
  deregistrationDelayOf(targetGroupArn: string): number | null
  protectionOf(taskArn: string): TaskProtection | undefined
}

export interface ChecksFacts {
  instanceId: string
  tasks: readonly TaskInfo[]
  services: ReadonlyMap<string, ServiceInfo>
  lifecycle: LifecycleContext
  timeoutAt: number
  insight: PreflightInsight
}

function short(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/**
 * Capacity-provider managed draining: "Amazon ECS manages and gracefully drains the EC2 container
 * instances that are in the Auto Scaling group capacity provider" (Amazon ECS API Reference,
 * AutoScalingGroupProvider: managedDraining; Safely stop Amazon ECS workloads running on EC2 instances,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html).
 * A terminating hook with a notification target has a program acting on it (a drain function, the
 * book's Lambda, another ecsdrain stack). Two drainers complete the same lifecycle action twice.
 */
export function secondDrainers(facts: ChecksFacts): Blocker[] {
  const {lifecycle, insight} = facts
  const pending = lifecycle.hook !== null
  const found: string[] = []
  if (insight.capacityProvider?.managedDraining) {
    found.push(
      `capacity provider ${insight.capacityProvider.name} has managed instance draining on: ECS drains this instance itself when the group terminates it`,
    )
  }
  for (const hook of insight.groupHooks ?? []) {
    if (hook.transition !== TERMINATING_TRANSITION || !hook.notificationTargetArn) continue
    if (hook.hookName === insight.ownHookName) continue
    found.push(
      `terminating lifecycle hook ${hook.hookName} notifies ${hook.notificationTargetArn}: a drain function acts on it`,
    )
  }
  if (found.length === 0) return []
  return [
    {
      kind: 'second-drainer',
      detail:
        `another drainer works on ${lifecycle.autoScalingGroupName ?? 'this group'}: ${found.join('; ')}.` +
        (pending
          ? ' Two drainers complete the same lifecycle action twice.'
          : ' It acts once the group terminates the instance.'),
      fix: 'let the other drainer do it (nothing to run here), or turn it off; pass --force to drain anyway',
      // Only a pending action can be completed twice; before the termination it is a warning.
      refuses: pending,
    },
  ]
}

export interface StopEstimate {
  /** Seconds: deregistration delay + stopTimeout, for the task with the longest. */
  longest: number
  delay: number
  stopTimeout: number
  /** At least this long for the whole drain (the longest stop; daemons after). */
  drain: number
}

/**
 * How long one task takes to stop once told to: the longest deregistration delay of its service's target
 * groups (AWS's 300 s when unread), then its containers' stopTimeout (the agent's 30 s when unset).
 */
export function taskStop(
  task: TaskInfo,
  services: ReadonlyMap<string, ServiceInfo>,
  insight: Pick<PreflightInsight, 'stopTimeoutOf' | 'deregistrationDelayOf'>,
): {total: number; delay: number; stopTimeout: number} {
  const service = services.get(serviceNameOf(task) ?? '')
  const delays = (service?.loadBalancers ?? []).map(
    (lb) => insight.deregistrationDelayOf(lb.targetGroupArn) ?? 300,
  )
  const delay = Math.max(0, ...delays)
  const stopTimeout = insight.stopTimeoutOf(task) ?? AGENT_DEFAULT_STOP_TIMEOUT_S
  return {total: delay + stopTimeout, delay, stopTimeout}
}

/** The stops of a set of tasks (one instance's): the longest one, and the drain's floor (replicas, then daemons). */
export function estimateStops(
  tasks: readonly TaskInfo[],
  services: ReadonlyMap<string, ServiceInfo>,
  insight: Pick<PreflightInsight, 'stopTimeoutOf' | 'deregistrationDelayOf'>,
): StopEstimate {
  let longest = {total: 0, delay: 0, stopTimeout: 0}
  let others = 0
  let daemons = 0
  for (const task of tasks) {
    const stop = taskStop(task, services, insight)
    if (stop.total > longest.total) longest = stop
    const kind = kindOf(task, services)
    if (kind === 'daemon') daemons = Math.max(daemons, stop.total)
    else if (kind === 'replica') others = Math.max(others, stop.total)
  }
  return {
    longest: longest.total,
    delay: longest.delay,
    stopTimeout: longest.stopTimeout,
    drain: Math.ceil(others + daemons),
  }
}

export function estimate(facts: ChecksFacts): StopEstimate {
  return estimateStops(facts.tasks, facts.services, facts.insight)
}

/** Warnings about time: the heartbeat budget under --no-wait, and the drain against its deadlines. */
export function budgetWarnings(facts: ChecksFacts): string[] {
  const {lifecycle, insight} = facts
  const e = estimate(facts)
  const warnings: string[] = []
  const hook = lifecycle.hook
  if (hook && insight.noWait && hook.heartbeatTimeout < e.longest) {
    warnings.push(
      `--no-wait: nothing will heartbeat lifecycle hook ${hook.hookName}, whose HeartbeatTimeout (${hook.heartbeatTimeout} s) is shorter than ` +
        `the longest expected stop here (${e.longest} s: deregistration delay ${e.delay} s + stopTimeout ${e.stopTimeout} s): ` +
        `Auto Scaling applies ${hook.defaultResult} while tasks still stop. Drain without --no-wait, or heartbeat it (\`ecsdrain heartbeat\`).`,
    )
  }
  const doneAt = insight.now + e.drain * 1000
  if (hook && lifecycle.globalDeadline && lifecycle.globalDeadline.getTime() < doneAt) {
    warnings.push(
      `the lifecycle action's global timeout (about ${lifecycle.globalDeadline.toISOString()}) ends before the estimated drain ` +
        `(at least ${e.drain} s): the instance terminates then, drained or not.`,
    )
  }
  if (!insight.noWait && facts.timeoutAt < doneAt) {
    warnings.push(
      `--timeout ends in ${Math.round((facts.timeoutAt - insight.now) / 1000)} s, before the estimated drain (at least ${e.drain} s: ` +
        'deregistration delays and stop timeouts): expect exit 3 unless it goes faster.',
    )
  }
  return warnings
}

/**
 * Task scale-in protection: the app marked work it does not want cut short. Draining does not honour it
 * (it holds back "scale-in events from either service auto scaling or deployments", Protect your Amazon
 * ECS tasks from being terminated by scale-in events,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html), so say so,
 * with the expiry, before the drain replaces the task anyway.
 */
export function protectedTasks(facts: ChecksFacts): string[] {
  const {insight} = facts
  const out: string[] = []
  for (const task of facts.tasks) {
    const p = insight.protectionOf(task.taskArn)
    const expiry = p?.expirationDate?.getTime() ?? null
    if (!p?.protectionEnabled || (expiry !== null && expiry <= insight.now)) continue
    out.push(
      `task ${short(task.taskArn)} of ${serviceNameOf(task) ?? '?'} is protected by task scale-in protection` +
        `${expiry === null ? '' : ` until ${new Date(expiry).toISOString()}`}: draining replaces it anyway (protection holds back ` +
        'service auto scaling and deployments only). To let its work finish, wait for the expiry before draining.',
    )
  }
  return out
}

/** A deployment under way competes with the drain's replacements; a FAILED one starts none. */
export function deploymentBlockers(facts: ChecksFacts): Blocker[] {
  const out: Blocker[] = []
  for (const service of facts.services.values()) {
    const deployments = service.deployments ?? []
    const primary = deployments.find((d) => d.status === 'PRIMARY')
    if (primary?.rolloutState === 'FAILED') {
      out.push({
        kind: 'deployment-failed',
        detail:
          `service ${service.serviceName}'s deployment ${primary.id} is FAILED (deployment circuit breaker` +
          `${primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}): it launches no new tasks, so its tasks here get no replacement.`,
        fix: `fix and redeploy ${service.serviceName} first, or drain with a lower minimumHealthyPercent`,
        refuses: false,
      })
    } else if (deployments.length > 1 || primary?.rolloutState === 'IN_PROGRESS') {
      out.push({
        kind: 'deployment',
        detail: `service ${service.serviceName} has a deployment under way (${deployments.length} deployment(s), PRIMARY ${primary?.rolloutState ?? 'unknown'}): its replacements start from the new task definition and may be slow to come.`,
        fix: 'wait for the deployment to finish (steady state), or drain anyway',
        refuses: false,
      })
    }
  }
  return out
}
