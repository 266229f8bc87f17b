/**
 * Preflight: what draining this instance would do, and what would stop it. `analyzePreflight` is pure (the
 * facts in, the verdicts out) so every rule is tested without ports; `classifyTasks` is shared with the wait.
 */
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../types.js'
import {instancesNeeded} from './placement.js'
import {
  budgetWarnings,
  deploymentBlockers,
  protectedTasks,
  secondDrainers,
  type PreflightInsight,
} from './preflight-checks.js'
import {assessRoom} from './replacement-room.js'
import {isDeadlocked, kindOf, serviceNameOf} from './task-kind.js'
import type {Blocker, LifecycleContext, PreflightReport} from './types.js'

export {isDeadlocked, kindOf, serviceNameOf, type TaskKind} from './task-kind.js'

export interface PreflightFacts {
  instance: ContainerInstance
  /** Live tasks on the instance (lastStatus not STOPPED). */
  tasks: TaskInfo[]
  /** The services of those tasks. */
  services: ServiceInfo[]
  /** Every container instance of the cluster (the target included or not). */
  clusterInstances: ContainerInstance[]
  lifecycle: LifecycleContext
  /** When the drain would give up (ms). */
  timeoutAt: number
  stopStandalone: boolean
  force: boolean
  /** What the checks beyond capacity need (hooks, capacity provider, timers, protection); absent: skipped. */
  insight?: PreflightInsight
}

function short(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

function capacityBlockers(
  facts: PreflightFacts,
  replicas: TaskInfo[],
  others: ContainerInstance[],
  canRefuse: boolean,
): {blockers: Blocker[]; warnings: string[]} {
  const services = new Map(facts.services.map((s) => [s.serviceName, s]))
  const verdict = assessRoom({
    replicas: replicas.filter((t) => t.desiredStatus === 'RUNNING'),
    services,
    others,
    serviceHosts: facts.insight?.serviceHosts ?? new Map(),
  })
  const here = facts.instance.availabilityZone ?? 'an unknown AZ'
  const blockers: Blocker[] = verdict.blocked.map((b) => ({
    kind: 'placement-constraint',
    detail:
      `service ${b.service}'s placement constraint ${b.constraint} leaves no other ACTIVE instance for its ${b.tasks} task(s) on ` +
      `${facts.instance.ec2InstanceId} (${here}); the other ACTIVE instances (${b.ruledOut.join(', ') || 'none'}) do not qualify: ` +
      'drained, they would have nowhere to run.',
    fix: `add an ACTIVE instance that meets ${b.constraint} (e.g. scale out in ${here}), or relax ${b.service}'s placement constraints; or pass --force`,
    refuses: canRefuse,
  }))
  const left = verdict.noRoom.flatMap((n) => n.demands)
  if (left.length > 0) {
    const needed = instancesNeeded(left, facts.instance)
    const perService = verdict.noRoom.map((n) => {
      const azs = Object.entries(n.eligibleByAz).map(
        ([az, count]) => `${az}: ${count} eligible, none with room`,
      )
      return `${n.service} (${n.tasks}; ${azs.join('; ') || 'no eligible instance'})`
    })
    blockers.push({
      kind: 'no-capacity',
      detail:
        `${left.length} replacement task(s) do not fit on the other ACTIVE instances (CPU, memory or host ports), by AZ: ` +
        `${perService.join(', ')}. Services at 100% minimum wait for capacity, others run below desired.`,
      fix:
        needed === null
          ? 'a task needs more than an instance of this size offers: add a bigger instance type to the group'
          : `scale the group out by ${needed}`,
      refuses: false,
    })
  }
  const warnings = verdict.unevaluated.map(
    (c) =>
      `placement constraint ${c} could not be evaluated here (unknown subject or syntax): counted as met`,
  )
  return {blockers, warnings}
}

export function analyzePreflight(facts: PreflightFacts): PreflightReport {
  const {instance, lifecycle} = facts
  const byName = new Map(facts.services.map((s) => [s.serviceName, s]))
  const others = facts.clusterInstances.filter(
    (i) => i.status === 'ACTIVE' && i.containerInstanceArn !== instance.containerInstanceArn,
  )
  const terminating = (lifecycle.lifecycleState ?? '').startsWith('Terminating')
  // Refusing protects what can still be saved; an instance that is dying anyway, or already DRAINING
  // (nothing would change), is drained with a warning instead.
  const canRefuse = !terminating && instance.status === 'ACTIVE'

  const replicas = facts.tasks.filter((t) => kindOf(t, byName) === 'replica')
  const daemons = facts.tasks.filter((t) => kindOf(t, byName) === 'daemon')
  const standalone = facts.tasks.filter((t) => kindOf(t, byName) === 'standalone')
  const perService = new Map<string, number>()
  for (const t of [...replicas, ...daemons]) {
    const name = serviceNameOf(t) ?? t.startedBy ?? '?'
    perService.set(name, (perService.get(name) ?? 0) + 1)
  }

  const blockers: Blocker[] = []
  const warnings: string[] = []
  if (others.length === 0) {
    blockers.push({
      kind: 'last-active-instance',
      detail: `${instance.ec2InstanceId} is the last ACTIVE instance of ${facts.instance.cluster}: nothing could run anywhere after it drains.`,
      fix: 'scale the group out by 1 and wait for the new instance to register, or pass --force',
      refuses: canRefuse,
    })
  }
  for (const service of facts.services) {
    if (service.schedulingStrategy === 'DAEMON' || !isDeadlocked(service)) continue
    blockers.push({
      kind: 'deadlock',
      detail:
        `service ${service.serviceName} (desired ${service.desiredCount}, minimumHealthyPercent ` +
        `${service.minimumHealthyPercent}, maximumPercent ${service.maximumPercent}) can neither start a replacement ` +
        'nor stop a task first: its tasks never leave a DRAINING instance.',
      fix: `raise maximumPercent above 100 (e.g. 200) or lower minimumHealthyPercent for ${service.serviceName}, or pass --force`,
      refuses: canRefuse,
    })
  }
  const room = capacityBlockers(facts, replicas, others, canRefuse)
  blockers.push(...room.blockers)
  warnings.push(...room.warnings)
  if (facts.stopStandalone && standalone.length > 0) {
    warnings.push(
      `will stop ${standalone.length} standalone task(s): ${standalone.map((t) => short(t.taskArn)).join(', ')}`,
    )
  } else {
    for (const t of standalone) {
      blockers.push({
        kind: 'standalone-task',
        detail: `standalone task ${short(t.taskArn)} (${t.group}) is not stopped by draining.`,
        fix: `stop standalone task ${short(t.taskArn)} or pass --stop-standalone`,
        refuses: false,
        task: t.taskArn,
      })
    }
  }
  if (facts.insight) {
    const checks = {
      instanceId: instance.ec2InstanceId,
      tasks: facts.tasks,
      services: byName,
      lifecycle,
      timeoutAt: facts.timeoutAt,
      insight: facts.insight,
    }
    blockers.push(...secondDrainers(checks), ...deploymentBlockers(checks))
    warnings.push(...protectedTasks(checks), ...budgetWarnings(checks))
  }
  if (!instance.agentConnected) {
    blockers.push({
      kind: 'agent-disconnected',
      detail: `the ECS agent on ${instance.ec2InstanceId} is disconnected: tasks are not stopped until it reconnects.`,
      fix: 'check the instance (ecs-agent logs, network), or let Auto Scaling replace it',
      refuses: false,
    })
  }
  if (lifecycle.hook && lifecycle.globalDeadline && lifecycle.globalDeadline.getTime() < facts.timeoutAt) {
    blockers.push({
      kind: 'hook-deadline',
      detail:
        `the lifecycle action's global timeout ends about ${lifecycle.globalDeadline.toISOString()}, before the drain's ` +
        `--timeout: the instance terminates then, drained or not (heartbeats cannot extend it).`,
      fix: 'finish sooner: add capacity so replacements start, or shorten --timeout to end before it',
      refuses: false,
    })
  }
  if (lifecycle.hook) {
    warnings.push(
      `lifecycle hook ${lifecycle.hook.hookName} is pending (HeartbeatTimeout ${lifecycle.hook.heartbeatTimeout}s, ` +
        `default ${lifecycle.hook.defaultResult}): ecsdrain will heartbeat it while draining`,
    )
  }
  if (terminating && blockers.some((b) => b.kind === 'last-active-instance' || b.kind === 'deadlock')) {
    warnings.push(
      `${instance.ec2InstanceId} is ${lifecycle.lifecycleState}: it will be terminated anyway, so it is drained regardless`,
    )
  }
  if (instance.status === 'DRAINING') {
    warnings.push(
      `${instance.ec2InstanceId} is already DRAINING (by ecsdrain, ECS managed draining or spot draining)`,
    )
  }
  if (instance.capacityProviderName && !facts.insight?.capacityProvider) {
    warnings.push(
      `capacity provider ${instance.capacityProviderName}: if its managed draining is on, ECS drains terminating instances too`,
    )
  }
  const wouldRefuse = blockers.some((b) => b.refuses)
  if (wouldRefuse && facts.force) warnings.push('--force: draining despite the refusing blockers')
  return {
    tasks: {replica: replicas.length, daemon: daemons.length, standalone: standalone.length},
    services: [...perService.entries()].map(([service, tasks]) => {
      const info = byName.get(service)
      return {
        service,
        kind: info?.schedulingStrategy === 'DAEMON' ? 'daemon' : 'replica',
        tasks,
        minimumHealthyPercent: info?.minimumHealthyPercent ?? 100,
        maximumPercent: info?.maximumPercent ?? 200,
      }
    }),
    standaloneTasks: standalone.map((t) => t.taskArn),
    otherActiveInstances: others.length,
    blockers,
    warnings,
    refused: wouldRefuse && !facts.force,
  }
}
