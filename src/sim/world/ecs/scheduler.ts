import type {Service, Task} from '../model.js'
import {activeInstance} from '../model.js'
import type {State} from '../state.js'
import {followTaskForCapacityProviders} from './capacity-providers.js'
import {reconcileDaemon} from './daemon.js'
import {completePrimary, recordFailure} from './deployments.js'
import {addEvent, blocked, drainingEvents, taskList, unableToPlace} from './events.js'
import {place, SERVICE_DEFAULT_STRATEGY, type PlacementRequest} from './placement.js'
import {isProtected} from './protection.js'
import {stopAll} from './service-stops.js'
import {launchTask, stopTask} from './tasks.js'

/**
 * The service scheduler (aws-semantics §2, §4). A replica service keeps desiredCount tasks; tasks on a
 * DRAINING instance, or of an older deployment, are replaced within the deployment configuration:
 * - never more than maximumPercent of desired tasks live (PENDING or RUNNING) at once;
 * - an old task stops only while minimumHealthyPercent of desired stay healthy (RUNNING, and healthy in their
 *   target groups when the service has load balancers);
 * - PENDING tasks on a DRAINING instance stop at once.
 * Task scale-in protection holds back what the documentation says it holds back (./protection.ts); a FAILED
 * deployment launches nothing (./deployments.ts). Daemon services: ./daemon.ts.
 */

export function installScheduler(state: State): void {
  state.reconcileService = (svc) => reconcileService(state, svc)
  state.onTaskChange = (task) => {
    const svc = task.service
    if (svc && task.lastStatus === 'RUNNING' && task.targets.length > 0) registeredEvents(state, svc, task)
    if (svc && (task.lastStatus === 'RUNNING' || task.lastStatus === 'STOPPED')) state.markDirty(svc)
    if (task.lastStatus === 'STOPPED' && task.instance.status === 'DRAINING')
      for (const s of task.cluster.services.values())
        if (s.schedulingStrategy === 'DAEMON') state.markDirty(s)
    followTaskForCapacityProviders(state, task)
  }
  state.onTaskFailed = (task) => {
    recordFailure(state, task)
    if (task.service) state.markDirty(task.service)
  }
  state.onTaskUnhealthy = (task, targetGroupArn, port) => unhealthy(state, task, targetGroupArn, port)
}

function registeredEvents(state: State, svc: Service, task: Task): void {
  for (const x of task.targets)
    addEvent(state, svc, `(service ${svc.name}) registered 1 targets in (target-group ${x.targetGroupArn})`)
}

/**
 * A target failed its health checks. Past the service's healthCheckGracePeriodSeconds ("the Amazon ECS service
 * scheduler ignores unhealthy Elastic Load Balancing ... health checks after a task has first started", CreateService),
 * ECS says so in the wording of "Amazon ECS service unhealthy event messages"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html), stops the
 * task and replaces it; the circuit breaker counts it.
 */
function unhealthy(state: State, task: Task, targetGroupArn: string, port: number): void {
  const svc = task.service
  if (!svc || task.desiredStatus !== 'RUNNING') return
  const graceEnd = (task.startedAt ?? 0) + svc.healthCheckGracePeriodSeconds * 1000
  if (graceEnd > state.now()) {
    state.after(graceEnd - state.now(), () => unhealthy(state, task, targetGroupArn, port))
    return
  }
  addEvent(
    state,
    svc,
    `(service ${svc.name}) (task ${task.id}) (instance ${task.instance.ec2InstanceId}) (port ${port}) is unhealthy in ` +
      `(target-group ${targetGroupArn}) due to (reason Health checks failed with these codes: [502]).`,
  )
  const groups = stopTask(
    state,
    task,
    `Task failed ELB health checks in (target-group ${targetGroupArn})`,
    'ServiceSchedulerInitiated',
  )
  drainingEvents(state, svc, [task], groups)
  addEvent(state, svc, `(service ${svc.name}) has stopped 1 running tasks: ${taskList([task])}.`)
  recordFailure(state, task)
  state.markDirty(svc)
}

function needsReplacement(svc: Service, t: Task): boolean {
  return !activeInstance(t.instance) || t.deploymentId !== svc.deployments[0]?.id
}

function live(svc: Service): Task[] {
  return [...svc.tasks].filter((t) => t.desiredStatus === 'RUNNING')
}

export function reconcileService(state: State, svc: Service): void {
  if (svc.status !== 'ACTIVE') return
  if (svc.schedulingStrategy === 'DAEMON') reconcileDaemon(state, svc)
  else reconcileReplica(state, svc)
  updateSteadyState(state, svc)
}

export function placementFor(state: State, svc: Service): PlacementRequest {
  return {
    taskDef: svc.deployments[0]!.taskDef,
    group: `service:${svc.name}`,
    service: svc,
    constraints: svc.placementConstraints,
    strategy: svc.placementStrategy.length > 0 ? svc.placementStrategy : SERVICE_DEFAULT_STRATEGY,
    capacityProviders:
      svc.capacityProviderStrategy.length > 0
        ? new Set(svc.capacityProviderStrategy.map((s) => s.capacityProvider))
        : undefined,
  }
}

function reconcileReplica(state: State, svc: Service): void {
  const primary = svc.deployments[0]!
  const drainReason = (t: Task) =>
    activeInstance(t.instance)
      ? `Scaling activity initiated by (deployment ${primary.id})`
      : `Service ${svc.name}: container instance ${t.instance.id} is in ${t.instance.status} state`
  // PENDING tasks that must be replaced anyway are not worth waiting for.
  stopAll(
    state,
    svc,
    live(svc).filter((t) => needsReplacement(svc, t) && t.lastStatus !== 'RUNNING'),
    'Task stopped before it started: its container instance is DRAINING',
  )

  let tasks = live(svc)
  const desired = svc.desiredCount
  const fresh = tasks.filter((t) => !needsReplacement(svc, t))
  const old = tasks.filter((t) => needsReplacement(svc, t))
  // Scale-in and deployments never stop a protected task; a drain does (./protection.ts says why).
  const stoppable = (t: Task) => !activeInstance(t.instance) || !isProtected(state, t)

  if (fresh.length > desired) {
    // Scale-in: stop the surplus, tasks not yet running first, never a protected one.
    const surplus = fresh
      .filter((t) => !isProtected(state, t))
      .sort((a, b) => Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING'))
    stopAll(
      state,
      svc,
      [...old.filter(stoppable), ...surplus.slice(0, fresh.length - desired)],
      `Scaling activity initiated by (deployment ${primary.id})`,
    )
    return
  }

  const maxLive = Math.floor((desired * svc.maximumPercent) / 100)
  const minHealthy = Math.ceil((desired * svc.minimumHealthyPercent) / 100)
  // "A deployment in FAILED state doesn't launch any new tasks."
  const toStart =
    primary.rolloutState === 'FAILED'
      ? 0
      : Math.max(0, Math.min(desired - fresh.length, maxLive - tasks.length))
  const started: Task[] = []
  let starved = false
  const request = placementFor(state, svc)
  for (let i = 0; i < toStart; i++) {
    const p = place(state, svc.cluster, request)
    if (!('instance' in p)) {
      starved = true
      blocked(state, svc, unableToPlace(svc, p.reason, p.closest))
      break
    }
    started.push(launchTask(state, p.instance, primary.taskDef, {service: svc, deploymentId: primary.id}))
  }
  if (started.length > 0) {
    svc.blockedReason = undefined
    addEvent(state, svc, `(service ${svc.name}) has started ${started.length} tasks: ${taskList(started)}.`)
  }
  if (starved) svc.cluster.starved.add(svc)
  else if (fresh.length + started.length >= desired) svc.cluster.starved.delete(svc)

  tasks = live(svc)
  const healthy = tasks.filter((t) => t.healthy).length
  const candidates = old.filter(stoppable)
  const room = Math.min(candidates.length, healthy - minHealthy)
  if (room > 0) {
    // Unhealthy ones first, then oldest first, so a drain and a deployment both make steady progress.
    const victims = [...candidates]
      .sort((a, b) => Number(a.healthy) - Number(b.healthy) || a.seq - b.seq)
      .slice(0, room)
    stopAll(state, svc, victims, drainReason)
    return
  }
  const inFlight = tasks.some((t) => !t.healthy)
  if (candidates.length > 0 && started.length === 0 && !inFlight && !starved && maxLive <= tasks.length) {
    blocked(
      state,
      svc,
      `(service ${svc.name}) was unable to stop or start tasks during a deployment because of the service ` +
        `deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
    )
  }
}

function updateSteadyState(state: State, svc: Service): void {
  const tasks = [...svc.tasks]
  const liveTasks = tasks.filter((t) => t.desiredStatus === 'RUNNING')
  const settled =
    liveTasks.length === svc.desiredCount &&
    liveTasks.every((t) => t.healthy && !needsReplacement(svc, t)) &&
    tasks.every((t) => t.desiredStatus === 'RUNNING' || t.lastStatus === 'STOPPED')
  if (settled) {
    completePrimary(state, svc)
    if (!svc.steady) addEvent(state, svc, `(service ${svc.name}) has reached a steady state.`)
    svc.blockedReason = undefined
  }
  svc.steady = settled
}
