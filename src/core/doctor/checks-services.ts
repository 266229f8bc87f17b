/**
 * Services that make a drain deadlock or stall, found with preflight's own rules: the min/max deadlock
 * (drain/preflight.ts isDeadlocked), and the room for replacements when any one ACTIVE instance drains
 * (drain/replacement-room.ts: CPU, memory, host ports, placement constraints and strategies, per AZ), plus
 * services that one drain or one AZ takes down whole.
 */
import {isDeadlocked, kindOf} from '../drain/preflight.js'
import {assessRoom} from '../drain/replacement-room.js'
import type {ServiceInfo, TaskInfo} from '../types.js'
import type {ClusterFacts} from './gather.js'
import type {Finding} from './types.js'

const resource = (s: ServiceInfo) => `service/${s.serviceName}`
const minHealthy = (s: ServiceInfo) => Math.ceil((s.desiredCount * s.minimumHealthyPercent) / 100)

export function serviceChecks(facts: ClusterFacts): Finding[] {
  const out: Finding[] = []
  const services = new Map(facts.services.map((s) => [s.serviceName, s]))
  const active = facts.instances.filter((i) => i.status === 'ACTIVE')
  const azOf = new Map(facts.instances.map((i) => [i.containerInstanceArn, i.availabilityZone ?? '?']))
  const activeAzs = new Set(active.map((i) => i.availabilityZone ?? '?'))
  const replicas = facts.services.filter((s) => s.schedulingStrategy !== 'DAEMON' && s.desiredCount > 0)

  for (const s of replicas) {
    const base = {cluster: facts.cluster, resource: resource(s)}
    if (isDeadlocked(s))
      out.push({
        ...base,
        check: 'deadlock',
        severity: 'error',
        message:
          `service ${s.serviceName} (desired ${s.desiredCount}, minimumHealthyPercent ${s.minimumHealthyPercent}, maximumPercent ` +
          `${s.maximumPercent}) can neither start a replacement nor stop a task first: its tasks never leave a DRAINING instance.`,
        evidence: {
          desiredCount: s.desiredCount,
          minimumHealthyPercent: s.minimumHealthyPercent,
          maximumPercent: s.maximumPercent,
        },
        fix: `aws ecs update-service --cluster ${facts.cluster} --service ${s.serviceName} --deployment-configuration maximumPercent=200,minimumHealthyPercent=100`,
      })
    const tasks = facts.serviceTasks.get(s.serviceName) ?? []
    const hosts = new Set(tasks.map((t) => t.containerInstanceArn ?? ''))
    const azs = new Set(tasks.map((t) => azOf.get(t.containerInstanceArn ?? '') ?? '?'))
    if (tasks.length > 0 && hosts.size === 1 && active.length > 1) {
      const outage = s.desiredCount === 1 ? minHealthy(s) === 0 : true
      out.push({
        ...base,
        check: 'single-instance-service',
        severity: outage ? 'warn' : 'info',
        message:
          s.desiredCount === 1
            ? `service ${s.serviceName} runs one task: every drain and refresh moves it${outage ? `, and with minimumHealthyPercent ${s.minimumHealthyPercent} ECS stops it before its replacement runs (an outage)` : ', replacement first (minimumHealthyPercent 100)'}.`
            : `service ${s.serviceName}'s ${tasks.length} tasks all run on one instance: draining it moves all of them at once.`,
        evidence: {
          desiredCount: s.desiredCount,
          runningTasks: tasks.length,
          minimumHealthyPercent: s.minimumHealthyPercent,
        },
        fix:
          s.desiredCount === 1
            ? `run 2 or more (aws ecs update-service --cluster ${facts.cluster} --service ${s.serviceName} --desired-count 2), or keep minimumHealthyPercent 100`
            : `spread it: placementStrategy type=spread,field=instanceId (or a distinctInstance constraint)`,
      })
    } else if (tasks.length > 1 && azs.size === 1 && activeAzs.size > 1) {
      out.push({
        ...base,
        check: 'single-az-service',
        severity: 'warn',
        message: `service ${s.serviceName}'s ${tasks.length} tasks all run in ${[...azs][0]} though the cluster has ACTIVE instances in ${[...activeAzs].sort().join(', ')}: a refresh or an outage of that AZ takes all of it.`,
        evidence: {
          runningTasks: tasks.length,
          availabilityZone: [...azs][0]!,
          clusterAzs: [...activeAzs].sort(),
        },
        fix: 'spread it over AZs: placementStrategy type=spread,field=attribute:ecs.availability-zone first',
      })
    }
  }
  out.push(...roomChecks(facts, services))
  return out
}

/** For each ACTIVE instance, would its service tasks' replacements find room on the others? */
function roomChecks(facts: ClusterFacts, services: ReadonlyMap<string, ServiceInfo>): Finding[] {
  const active = facts.instances.filter((i) => i.status === 'ACTIVE')
  const serviceHosts = new Map<string, Set<string>>()
  const byInstance = new Map<string, TaskInfo[]>()
  for (const [name, tasks] of facts.serviceTasks) {
    serviceHosts.set(name, new Set(tasks.map((t) => t.containerInstanceArn ?? '')))
    for (const t of tasks) {
      if (kindOf(t, services) !== 'replica' || t.desiredStatus !== 'RUNNING') continue
      const list = byInstance.get(t.containerInstanceArn ?? '') ?? []
      list.push(t)
      byInstance.set(t.containerInstanceArn ?? '', list)
    }
  }
  const noRoom = new Map<string, {instances: string[]; tasks: number}>()
  const blocked = new Map<string, {instances: string[]; constraint: string}>()
  for (const instance of active) {
    const replicas = byInstance.get(instance.containerInstanceArn) ?? []
    if (replicas.length === 0) continue
    const others = active.filter((i) => i !== instance)
    const verdict = assessRoom({replicas, services, others, serviceHosts})
    for (const b of verdict.blocked) {
      const e = blocked.get(b.service) ?? {instances: [], constraint: b.constraint}
      e.instances.push(instance.ec2InstanceId)
      blocked.set(b.service, e)
    }
    for (const n of verdict.noRoom) {
      const e = noRoom.get(n.service) ?? {instances: [], tasks: 0}
      e.instances.push(instance.ec2InstanceId)
      e.tasks = Math.max(e.tasks, n.tasks)
      noRoom.set(n.service, e)
    }
  }
  const out: Finding[] = []
  for (const [name, b] of blocked)
    out.push({
      cluster: facts.cluster,
      resource: `service/${name}`,
      check: 'single-instance-constraint',
      severity: 'error',
      message:
        `service ${name}'s placement constraint ${b.constraint} leaves no other ACTIVE instance for its tasks on ${b.instances.join(', ')}: ` +
        'draining or replacing that instance leaves them nowhere to run (preflight refuses such a drain; a refresh does not ask).',
      evidence: {constraint: b.constraint, instances: b.instances, activeInstances: active.length},
      fix: `add capacity that meets ${b.constraint} (a second instance of that kind), or relax ${name}'s placement constraints`,
    })
  for (const [name, n] of noRoom) {
    const s = services.get(name)!
    out.push({
      cluster: facts.cluster,
      resource: `service/${name}`,
      check: 'no-room-on-n-1',
      severity: 'warn',
      message:
        (active.length === 1
          ? `${n.instances[0]} is the cluster's only ACTIVE instance: draining it leaves service ${name}'s ${n.tasks} task(s) nowhere to run`
          : `draining ${n.instances.join(', ')} leaves up to ${n.tasks} of service ${name}'s replacement task(s) without room on the other ` +
            `${active.length - 1} ACTIVE instance(s) (CPU, memory or host ports)`) +
        `: ${s.minimumHealthyPercent >= 100 ? 'the drain waits for a scale-out' : 'the service runs below desired until one'}.`,
      evidence: {
        desiredCount: s.desiredCount,
        instances: n.instances,
        tasksWithoutRoom: n.tasks,
        activeInstances: active.length,
      },
      fix: 'keep one instance of headroom: raise the group by 1 (or its capacity provider targetCapacity below 100), or scale out before a refresh',
    })
  }
  return out
}
