/**
 * Whether each drainer has the time a drain takes. A task stops in its target groups' deregistration delay
 * plus its stopTimeout (preflight's own estimate, drain/preflight-checks.ts); an instance drains in its
 * longest replica stop, then its longest daemon stop. A drainer that does not heartbeat has the hook's
 * HeartbeatTimeout; one that does has the global timeout, min(100 x HeartbeatTimeout, 48 h) (aws-semantics
 * §6, "Amazon EC2 Auto Scaling lifecycle hooks"); ecsdrain's Lambda also stops at its drain timeout.
 */
import {estimateStops, taskStop} from '../drain/preflight-checks.js'
import type {TaskInfo} from '../types.js'
import {drainersOf, hookResource, tasksOnGroup, type Drainer} from './drainers.js'
import type {ClusterFacts, GroupFacts} from './gather.js'
import type {Finding} from './types.js'

function servicesOf(facts: ClusterFacts) {
  return new Map(facts.services.map((s) => [s.serviceName, s]))
}

function serviceName(task: TaskInfo): string {
  return task.group.startsWith('service:') ? task.group.slice('service:'.length) : task.group
}

/** The most a drainer gives one drain, and what bounds it. */
function budget(d: Drainer): {seconds: number; bound: string} | null {
  if (!d.hook) return null
  if (!d.heartbeats) return {seconds: d.hook.heartbeatTimeout, bound: 'HeartbeatTimeout'}
  const drainTimeout = Number(d.stack?.stack.outputs.DrainTimeoutSeconds)
  if (Number.isFinite(drainTimeout) && drainTimeout > 0 && drainTimeout < d.hook.globalTimeout)
    return {seconds: drainTimeout, bound: 'ecsdrain drain timeout'}
  return {seconds: d.hook.globalTimeout, bound: 'GlobalTimeout'}
}

function heartbeatFix(g: GroupFacts, d: Drainer, seconds: number): string {
  const raise = `aws autoscaling put-lifecycle-hook --auto-scaling-group-name ${g.group.autoScalingGroupName} --lifecycle-hook-name ${d.name} --lifecycle-transition autoscaling:EC2_INSTANCE_TERMINATING --heartbeat-timeout ${Math.min(7200, seconds)}`
  return d.kind === 'cdk-instance-drain-hook'
    ? `raise taskDrainTime in the CDK app to at least ${seconds} s (its hook's HeartbeatTimeout), or replace the hook with \`ecsdrain install\`, which heartbeats`
    : `${raise}, or have the drain function heartbeat (ecsdrain's does: \`ecsdrain install\`)`
}

export function timingChecks(facts: ClusterFacts): Finding[] {
  const out: Finding[] = []
  const services = servicesOf(facts)
  const insight = facts.sources
  for (const g of facts.groups) {
    const tasks = tasksOnGroup(g, facts)
    if (tasks.length === 0 || g.hooks === null) continue
    // The longest single stop, and the longest whole-instance drain, on this group.
    const longest = tasks
      .map((t) => ({task: t, ...taskStop(t, services, insight)}))
      .reduce((a, b) => (b.total > a.total ? b : a))
    const drains = g.instances.map((i) => ({
      instance: i.ec2InstanceId,
      ...estimateStops(
        tasks.filter((t) => t.containerInstanceArn === i.containerInstanceArn),
        services,
        insight,
      ),
    }))
    const worst = drains.reduce((a, b) => (b.drain > a.drain ? b : a))
    for (const d of drainersOf(g, facts)) {
      if (!d.hook) continue
      const base = {cluster: facts.cluster, resource: hookResource(g, d.hook)}
      const stopEvidence = {
        service: serviceName(longest.task),
        deregistrationDelay: longest.delay,
        stopTimeout: longest.stopTimeout,
        longestStop: longest.total,
      }
      if (!d.heartbeats && (d.kind === 'custom' || d.kind === 'cdk-instance-drain-hook')) {
        if (d.hook.heartbeatTimeout < longest.total)
          out.push({
            ...base,
            check: 'heartbeat-too-short',
            severity: d.kind === 'cdk-instance-drain-hook' ? 'error' : 'warn',
            message:
              `lifecycle hook ${d.name}'s HeartbeatTimeout (${d.hook.heartbeatTimeout} s) is shorter than the longest expected stop on ` +
              `${g.group.autoScalingGroupName}: ${stopEvidence.service} (deregistration delay ${longest.delay} s + stopTimeout ${longest.stopTimeout} s = ` +
              `${longest.total} s). ${d.kind === 'custom' ? 'Unless its drain function heartbeats, ' : 'As it does not heartbeat, '}Auto Scaling applies ` +
              `${d.hook.defaultResult} while the task still stops.`,
            evidence: {heartbeatTimeout: d.hook.heartbeatTimeout, drainer: d.kind, ...stopEvidence},
            fix: heartbeatFix(g, d, longest.total + 60),
          })
      }
      if (d.hook.globalTimeout < worst.drain)
        out.push({
          ...base,
          check: 'global-timeout-too-short',
          severity: 'warn',
          message:
            `lifecycle hook ${d.name}'s global timeout (${d.hook.globalTimeout} s: min(100 x HeartbeatTimeout, 48 h)) ends before the longest ` +
            `drain on ${g.group.autoScalingGroupName} (${worst.instance}: at least ${worst.drain} s, replicas then daemons): heartbeats cannot ` +
            'extend it, so the instance terminates with tasks still stopping.',
          evidence: {
            globalTimeout: d.hook.globalTimeout,
            heartbeatTimeout: d.hook.heartbeatTimeout,
            instance: worst.instance,
            longestDrain: worst.drain,
          },
          fix: `raise the hook's HeartbeatTimeout to at least ${Math.min(7200, Math.ceil(worst.drain / 100))} s (the global timeout is 100 x it), or shorten the services' deregistration delays and stopTimeouts`,
        })
    }
    out.push(...stopTimeoutChecks(facts, g, tasks))
  }
  return out
}

/** Task definitions whose own stopTimeout is longer than some drainer of the group allows a whole drain. */
function stopTimeoutChecks(facts: ClusterFacts, g: GroupFacts, tasks: TaskInfo[]): Finding[] {
  const budgets = drainersOf(g, facts)
    .map((d) => ({d, b: budget(d)}))
    .filter((x): x is {d: Drainer; b: {seconds: number; bound: string}} => x.b !== null)
  if (budgets.length === 0) return []
  const tight = budgets.reduce((a, x) => (x.b.seconds < a.b.seconds ? x : a))
  const out: Finding[] = []
  const seen = new Set<string>()
  for (const t of tasks) {
    const stopTimeout = facts.sources.stopTimeoutOf(t)
    if (stopTimeout === null || seen.has(t.taskDefinitionArn) || stopTimeout <= tight.b.seconds) continue
    seen.add(t.taskDefinitionArn)
    const family = t.taskDefinitionArn.slice(t.taskDefinitionArn.lastIndexOf('/') + 1)
    out.push({
      cluster: facts.cluster,
      resource: `taskDefinition/${family}`,
      check: 'stop-timeout-over-hook',
      severity: 'error',
      message:
        `task definition ${family} (service ${serviceName(t)}) gives its containers a stopTimeout of ${stopTimeout} s, longer than ` +
        `${tight.d.name} allows a whole drain on ${g.group.autoScalingGroupName} (its ${tight.b.bound}, ${tight.b.seconds} s): the instance ` +
        'terminates before such a task can stop cleanly.',
      evidence: {stopTimeout, hook: tight.d.name, bound: tight.b.bound, allowed: tight.b.seconds},
      fix: `lower stopTimeout in ${family}'s container definitions (register a new revision), or give ${tight.d.name} more time`,
    })
  }
  return out
}
