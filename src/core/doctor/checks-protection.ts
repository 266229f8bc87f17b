/**
 * What holds instances and tasks back, and refresh settings that let a refresh cut too deep:
 * - instance scale-in protection on an instance running only daemons (or nothing): ECS's managed termination
 *   protection releases such instances, but protection set any other way (NewInstancesProtectedFromScaleIn, a
 *   script) keeps them forever ("Control which Auto Scaling instances terminate during scale in",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-protection.html);
 * - task scale-in protection set near its 48 h maximum ("Protect your Amazon ECS tasks from being terminated
 *   by scale-in events", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html);
 * - an instance maintenance policy or refresh preferences that terminate before launching, taking more of a
 *   service out at once than its minimumHealthyPercent allows ("Set an instance maintenance policy on your
 *   Auto Scaling group", https://docs.aws.amazon.com/autoscaling/ec2/userguide/set-instance-maintenance-policy-on-group.html;
 *   RefreshPreferences: MinHealthyPercentage "the default is 90 percent, or the percentage set in the instance
 *   maintenance policy").
 */
import {kindOf} from '../drain/preflight.js'
import {assessRoom} from '../drain/replacement-room.js'
import type {HealthyPercentages} from '../types.js'
import {drainersOf, groupResource} from './drainers.js'
import type {ClusterFacts, GroupFacts} from './gather.js'
import type {Finding} from './types.js'

/** At least this long left of a task's protection counts as "near the 48 h limit" (half of it). */
export const NEAR_PROTECTION_LIMIT_MS = 24 * 3600_000
const REFRESH_DEFAULT_MIN_HEALTHY = 90

export function protectionChecks(facts: ClusterFacts): Finding[] {
  const out: Finding[] = []
  const services = new Map(facts.services.map((s) => [s.serviceName, s]))
  const tasks = [...facts.serviceTasks.values()].flat()
  for (const g of facts.groups) {
    for (const i of g.instances) {
      const asg = facts.asgInstances.get(i.ec2InstanceId)
      if (!asg?.protectedFromScaleIn) continue
      const here = tasks.filter((t) => t.containerInstanceArn === i.containerInstanceArn)
      const daemons = here.filter((t) => kindOf(t, services) === 'daemon')
      // Every task it runs is a daemon's (counting tasks no service owns too, from the instance's counters).
      if (i.runningTasksCount + i.pendingTasksCount !== daemons.length) continue
      out.push({
        cluster: facts.cluster,
        resource: `instance/${i.ec2InstanceId}`,
        check: 'daemon-only-protected-instance',
        severity: 'warn',
        message:
          `${i.ec2InstanceId} (group ${g.group.autoScalingGroupName}) is protected from scale-in but runs ${daemons.length === 0 ? 'no task' : `only daemon tasks (${[...new Set(daemons.map((t) => t.group.replace(/^service:/, '')))].join(', ')})`}: ` +
          'nothing will ever release it, so scale-ins skip it and it is paid for idle.' +
          (g.capacityProvider?.managedTerminationProtection
            ? ''
            : ' Its group is not behind a capacity provider with managed termination protection, which would release it.'),
        evidence: {
          protectedFromScaleIn: true,
          runningTasks: i.runningTasksCount,
          daemonTasks: daemons.length,
          newInstancesProtectedFromScaleIn: g.group.newInstancesProtectedFromScaleIn ?? null,
          managedTerminationProtection: g.capacityProvider?.managedTerminationProtection ?? false,
        },
        fix: `aws autoscaling set-instance-protection --auto-scaling-group-name ${g.group.autoScalingGroupName} --instance-ids ${i.ec2InstanceId} --no-protected-from-scale-in`,
      })
    }
    out.push(...refreshChecks(facts, g))
  }
  for (const t of tasks) {
    const p = facts.sources.protectionOf(t.taskArn)
    const expiry = p?.protectionEnabled ? (p.expirationDate?.getTime() ?? null) : null
    if (expiry === null || expiry - facts.now < NEAR_PROTECTION_LIMIT_MS) continue
    const service = t.group.replace(/^service:/, '')
    out.push({
      cluster: facts.cluster,
      resource: `task/${t.taskArn.slice(t.taskArn.lastIndexOf('/') + 1)}`,
      check: 'task-protection-near-limit',
      severity: 'warn',
      message:
        `a task of ${service} is protected from scale-in until ${new Date(expiry).toISOString()} (${Math.round((expiry - facts.now) / 3600_000)} h ` +
        'of the 48 h maximum left): scale-ins and deployments hold back until then, and a drain replaces it anyway, cutting its work short.',
      evidence: {
        service,
        expirationDate: new Date(expiry).toISOString(),
        hoursLeft: Math.round((expiry - facts.now) / 3600_000),
      },
      fix: 'have the task clear its protection when its work is done (UpdateTaskProtection --no-protection-enabled), and ask for minutes, not days (expiresInMinutes)',
    })
  }
  return out
}

/** The percentages a refresh of the group uses unless told otherwise. */
function refreshPolicy(g: GroupFacts): {policy: HealthyPercentages; from: string} {
  if (g.group.instanceMaintenancePolicy)
    return {policy: g.group.instanceMaintenancePolicy, from: 'instance maintenance policy'}
  const last = g.refreshes?.[0]?.preferences
  if (last && last.minHealthyPercentage !== null) return {policy: last, from: 'the last instance refresh'}
  return {
    policy: {minHealthyPercentage: REFRESH_DEFAULT_MIN_HEALTHY, maxHealthyPercentage: 100},
    from: 'the instance refresh defaults',
  }
}

function refreshChecks(facts: ClusterFacts, g: GroupFacts): Finding[] {
  const {policy, from} = refreshPolicy(g)
  const min = policy.minHealthyPercentage ?? REFRESH_DEFAULT_MIN_HEALTHY
  const max = policy.maxHealthyPercentage ?? 100
  const n = g.group.desiredCapacity
  // With MaxHealthyPercentage 100 a refresh terminates first, at least one instance at a time.
  if (max > 100 || n === 0) return []
  const atOnce = Math.max(1, n - Math.ceil((n * min) / 100))
  const drained = drainersOf(g, facts).some((d) => d.kind !== 'manual')
  const out: Finding[] = []
  const services = new Map(facts.services.map((s) => [s.serviceName, s]))
  const active = facts.instances.filter((i) => i.status === 'ACTIVE')
  for (const s of facts.services) {
    if (s.schedulingStrategy === 'DAEMON' || s.desiredCount === 0) continue
    const tasks = (facts.serviceTasks.get(s.serviceName) ?? []).filter((t) =>
      g.instances.some((i) => i.containerInstanceArn === t.containerInstanceArn),
    )
    if (tasks.length === 0) continue
    const perInstance = g.instances
      .map((i) => ({i, tasks: tasks.filter((t) => t.containerInstanceArn === i.containerInstanceArn)}))
      .sort((a, b) => b.tasks.length - a.tasks.length)
      .slice(0, atOnce)
    const out_ = perInstance.flatMap((x) => x.tasks)
    const running = (facts.serviceTasks.get(s.serviceName) ?? []).length
    const required = Math.ceil((s.desiredCount * s.minimumHealthyPercent) / 100)
    if (running - out_.length >= required) continue
    // A drainer moves them first, if the instances left have room; without one they die at once.
    if (drained) {
      const gone = new Set(perInstance.map((x) => x.i.containerInstanceArn))
      const room = assessRoom({
        replicas: out_,
        services,
        others: active.filter((i) => !gone.has(i.containerInstanceArn)),
        serviceHosts: new Map(),
      })
      if (room.noRoom.length === 0 && room.blocked.length === 0) continue
    }
    out.push({
      cluster: facts.cluster,
      resource: groupResource(g),
      check: 'refresh-below-minimum',
      severity: 'warn',
      message:
        `an instance refresh of ${g.group.autoScalingGroupName} (${from}: MinHealthyPercentage ${min}, MaxHealthyPercentage ${max}) terminates ` +
        `${atOnce} of ${n} instance(s) before launching replacements; they hold ${out_.length} of service ${s.serviceName}'s ${running} task(s), ` +
        `which must keep ${required} running (minimumHealthyPercent ${s.minimumHealthyPercent}), and ` +
        (drained ? 'the instances left have no room for the replacements.' : 'no drainer moves them first.'),
      evidence: {
        minHealthyPercentage: min,
        maxHealthyPercentage: max,
        policySource: from,
        desiredCapacity: n,
        instancesAtOnce: atOnce,
        service: s.serviceName,
        tasksTakenOut: out_.length,
        minimumRunning: required,
      },
      fix: `aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${g.group.autoScalingGroupName} --instance-maintenance-policy MinHealthyPercentage=100,MaxHealthyPercentage=200 (launch before terminating)`,
    })
  }
  return out
}
