import type {ContainerInstance, Service, Task} from '../model.js'
import {activeInstance} from '../model.js'
import type {State} from '../state.js'
import {misfit} from './instances.js'
import {launchTask, place, stopTask} from './tasks.js'

/**
 * The service scheduler (aws-semantics §2, §4). A replica service keeps desiredCount tasks; tasks on a
 * DRAINING instance, or of an older deployment, are replaced within the deployment configuration:
 * - never more than maximumPercent of desired tasks live (PENDING or RUNNING) at once;
 * - an old task stops only while minimumHealthyPercent of desired stay RUNNING;
 * - PENDING tasks on a DRAINING instance stop at once.
 * Daemon services keep one task per ACTIVE instance and leave a DRAINING instance last.
 */

export function installScheduler(state: State): void {
  state.reconcileService = (svc) => reconcileService(state, svc)
  state.onTaskChange = (task) => {
    if (task.service && (task.lastStatus === 'RUNNING' || task.lastStatus === 'STOPPED'))
      state.markDirty(task.service)
    if (task.lastStatus === 'STOPPED' && task.instance.status === 'DRAINING')
      for (const svc of task.cluster.services.values())
        if (svc.schedulingStrategy === 'DAEMON') state.markDirty(svc)
  }
}

export function addEvent(state: State, svc: Service, message: string): void {
  svc.events.unshift({id: state.ids.uuid(), createdAt: state.now(), message})
  if (svc.events.length > 100) svc.events.length = 100
}

function taskList(tasks: Task[]): string {
  return tasks.map((t) => `(task ${t.id})`).join(' ')
}

function needsReplacement(svc: Service, t: Task): boolean {
  return !activeInstance(t.instance) || t.deploymentId !== svc.deployments[0]?.id
}

function live(svc: Service): Task[] {
  return [...svc.tasks].filter((t) => t.desiredStatus === 'RUNNING')
}

const MISFIT_TEXT: Record<string, string> = {
  'RESOURCE:CPU': 'has insufficient CPU units available',
  'RESOURCE:MEMORY': 'has insufficient memory available',
  'RESOURCE:PORTS': 'is already using a port required by your task',
  'RESOURCE:PORTS_UDP': 'is already using a port required by your task',
  AGENT: 'is not connected',
}

function unableToPlace(svc: Service, reason: string, closest?: ContainerInstance): string {
  const why = closest
    ? `The closest matching (container-instance ${closest.id}) ${MISFIT_TEXT[reason] ?? 'does not meet the requirements'}.`
    : `Reason: ${reason}`
  return (
    `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements. ` +
    `${why} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`
  )
}

/** Records an event that says why progress is blocked, once per distinct reason until progress resumes. */
function blocked(state: State, svc: Service, message: string): void {
  if (svc.blockedReason === message) return
  svc.blockedReason = message
  addEvent(state, svc, message)
}

export function reconcileService(state: State, svc: Service): void {
  if (svc.status !== 'ACTIVE') return
  if (svc.schedulingStrategy === 'DAEMON') reconcileDaemon(state, svc)
  else reconcileReplica(state, svc)
  updateSteadyState(state, svc)
}

function stopAll(state: State, svc: Service, tasks: Task[], reason: string | ((t: Task) => string)): void {
  if (tasks.length === 0) return
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING')
  const pending = tasks.filter((t) => t.lastStatus !== 'RUNNING')
  for (const t of tasks)
    stopTask(state, t, typeof reason === 'string' ? reason : reason(t), 'ServiceSchedulerInitiated')
  if (running.length > 0)
    addEvent(
      state,
      svc,
      `(service ${svc.name}) has stopped ${running.length} running tasks: ${taskList(running)}.`,
    )
  if (pending.length > 0)
    addEvent(
      state,
      svc,
      `(service ${svc.name}) has stopped ${pending.length} pending tasks: ${taskList(pending)}.`,
    )
  svc.blockedReason = undefined
  state.markDirty(svc)
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

  if (fresh.length > desired) {
    // Scale-in: stop the surplus, tasks not yet running first.
    const surplus = [...fresh].sort(
      (a, b) => Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING'),
    )
    stopAll(
      state,
      svc,
      [...old, ...surplus.slice(0, fresh.length - desired)],
      `Scaling activity initiated by (deployment ${primary.id})`,
    )
    return
  }

  const maxLive = Math.floor((desired * svc.maximumPercent) / 100)
  const minHealthy = Math.ceil((desired * svc.minimumHealthyPercent) / 100)
  const toStart = Math.max(0, Math.min(desired - fresh.length, maxLive - tasks.length))
  const started: Task[] = []
  let starved = false
  for (let i = 0; i < toStart; i++) {
    const p = place(svc.cluster, primary.taskDef, svc)
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
  const healthy = tasks.filter((t) => t.lastStatus === 'RUNNING').length
  const stoppable = Math.min(old.length, healthy - minHealthy)
  if (stoppable > 0) {
    // Oldest first, so a drain and a deployment both make steady progress.
    const victims = [...old].sort((a, b) => a.seq - b.seq).slice(0, stoppable)
    stopAll(state, svc, victims, drainReason)
    return
  }
  const inFlight = tasks.some((t) => t.lastStatus !== 'RUNNING')
  if (old.length > 0 && started.length === 0 && !inFlight && !starved && maxLive <= tasks.length) {
    blocked(
      state,
      svc,
      `(service ${svc.name}) was unable to stop or start tasks during a deployment because of the service ` +
        `deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
    )
  }
}

function reconcileDaemon(state: State, svc: Service): void {
  const primary = svc.deployments[0]!
  let active = 0
  const started: Task[] = []
  const toStop: Task[] = []
  let starved = false
  for (const ci of svc.cluster.instances.values()) {
    const placed = svc.placedOn.get(ci) ?? 0
    if (activeInstance(ci)) {
      active++
      if (placed > 0) continue
      const why = misfit(ci, primary.taskDef)
      if (why) {
        starved = true
        blocked(state, svc, unableToPlace(svc, why, ci))
        continue
      }
      started.push(launchTask(state, ci, primary.taskDef, {service: svc, deploymentId: primary.id}))
    } else if (ci.status === 'DRAINING' && placed > 0) {
      const mine = [...ci.tasks].filter((t) => t.service === svc && t.desiredStatus === 'RUNNING')
      // Daemon tasks leave last: only once no replica task is left alive on the instance.
      const replicasLeft = [...ci.tasks].some(
        (t) => t.service && t.service.schedulingStrategy === 'REPLICA' && t.lastStatus !== 'STOPPED',
      )
      if (!replicasLeft) toStop.push(...mine)
    }
  }
  svc.desiredCount = active
  if (starved) svc.cluster.starved.add(svc)
  else svc.cluster.starved.delete(svc)
  if (started.length > 0)
    addEvent(state, svc, `(service ${svc.name}) has started ${started.length} tasks: ${taskList(started)}.`)
  stopAll(state, svc, toStop, `Service ${svc.name}: container instance is in DRAINING state`)
}

function updateSteadyState(state: State, svc: Service): void {
  const tasks = [...svc.tasks]
  const liveTasks = tasks.filter((t) => t.desiredStatus === 'RUNNING')
  const settled =
    liveTasks.length === svc.desiredCount &&
    liveTasks.every((t) => t.lastStatus === 'RUNNING' && !needsReplacement(svc, t)) &&
    tasks.every((t) => t.desiredStatus === 'RUNNING' || t.lastStatus === 'STOPPED')
  if (settled) {
    // A finished deployment leaves only the primary.
    svc.deployments.length = 1
    if (!svc.steady) addEvent(state, svc, `(service ${svc.name}) has reached a steady state.`)
    svc.blockedReason = undefined
  }
  svc.steady = settled
}
