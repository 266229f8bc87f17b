import type {
  Binding,
  Cluster,
  ContainerInstance,
  Service,
  Task,
  TaskDefinition,
  TaskStatus,
} from '../model.js'
import {activeInstance} from '../model.js'
import type {State} from '../state.js'
import {buryTask} from './graveyard.js'
import {misfit, release, reserve} from './instances.js'

/**
 * Tasks: placement, and the walk through every lastStatus (PROVISIONING ... RUNNING, then DEACTIVATING ...
 * STOPPED) with the stop timeout and, for load-balanced services, the deregistration delay.
 */

const PENDING_STATES: ReadonlySet<TaskStatus> = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING'])

export function isPending(t: Task): boolean {
  return PENDING_STATES.has(t.lastStatus)
}

/** Moves lastStatus and keeps the instance's and the cluster's running/pending counters exact. */
function setLastStatus(state: State, task: Task, status: TaskStatus): void {
  const ci = task.instance
  const c = task.cluster
  const count = (by: number) => {
    if (task.lastStatus === 'RUNNING') {
      ci.runningCount += by
      c.runningTasks += by
    } else if (isPending(task)) {
      ci.pendingCount += by
      c.pendingTasks += by
    }
  }
  count(-1)
  task.lastStatus = status
  task.version++
  count(+1)
  state.onTaskChange(task)
}

export interface LaunchOptions {
  service?: Service
  deploymentId?: string
  startedBy?: string
  group?: string
  /** Scenario building: the task is RUNNING at once, with no timers. */
  alreadyRunning?: boolean
}

export function launchTask(
  state: State,
  ci: ContainerInstance,
  td: TaskDefinition,
  opts: LaunchOptions = {},
): Task {
  const id = state.ids.hex(32)
  const cluster = ci.cluster
  const now = state.now()
  const task: Task = {
    seq: state.nextSeq(),
    id,
    arn: state.arn('ecs', `task/${cluster.name}/${id}`),
    cluster,
    taskDef: td,
    instance: ci,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    group: opts.group ?? (opts.service ? `service:${opts.service.name}` : `family:${td.family}`),
    startedBy: opts.startedBy ?? opts.deploymentId,
    service: opts.service,
    deploymentId: opts.deploymentId,
    createdAt: now,
    bindings: bindingsFor(ci, td),
    holdsResources: false,
    version: 1,
  }
  cluster.tasks.set(id, task)
  ci.tasks.add(task)
  if (opts.service) {
    opts.service.tasks.add(task)
    opts.service.placedOn.set(ci, (opts.service.placedOn.get(ci) ?? 0) + 1)
  }
  reserve(state, task)
  ci.pendingCount++
  cluster.pendingTasks++
  if (opts.alreadyRunning) {
    task.pullStartedAt = task.pullStoppedAt = task.startedAt = now
    setLastStatus(state, task, 'RUNNING')
    return task
  }
  const step = state.timings.taskStartMs / 3
  task.timer = state.after(step, () => {
    task.pullStartedAt = state.now()
    setLastStatus(state, task, 'PENDING')
    task.timer = state.after(step, () => {
      task.pullStoppedAt = state.now()
      setLastStatus(state, task, 'ACTIVATING')
      task.timer = state.after(step, () => {
        task.startedAt = state.now()
        task.timer = undefined
        setLastStatus(state, task, 'RUNNING')
      })
    })
  })
  return task
}

function bindingsFor(ci: ContainerInstance, td: TaskDefinition): Binding[] {
  const out: Binding[] = []
  for (const c of td.containers)
    for (const p of c.portMappings) {
      // Dynamic host ports come from the ephemeral range; which one is not something clients rely on.
      const hostPort =
        p.hostPort > 0 ? p.hostPort : 32768 + ((ci.seq * 131 + ci.tasks.size * 17 + out.length) % 28000)
      out.push({containerName: c.name, containerPort: p.containerPort, hostPort, protocol: p.protocol})
    }
  return out
}

function stopTimeoutMs(state: State, task: Task): number {
  const own = task.taskDef.containers.map((c) => c.stopTimeout).filter((s): s is number => s !== undefined)
  return own.length > 0 ? Math.max(...own) * 1000 : state.timings.stopTimeoutMs
}

function finish(state: State, task: Task): void {
  state.cancel(task.timer)
  task.timer = undefined
  const now = state.now()
  task.executionStoppedAt ??= now
  task.stoppedAt = now
  setLastStatus(state, task, 'STOPPED')
  release(state, task)
  // ECS keeps STOPPED tasks visible for a while, then forgets them.
  buryTask(state, task)
}

function setDesiredStopped(task: Task): void {
  task.desiredStatus = 'STOPPED'
  const svc = task.service
  if (!svc) return
  const n = (svc.placedOn.get(task.instance) ?? 0) - 1
  if (n > 0) svc.placedOn.set(task.instance, n)
  else svc.placedOn.delete(task.instance)
}

/** desiredStatus STOPPED: a RUNNING task walks DEACTIVATING, STOPPING (stop timeout), DEPROVISIONING. */
export function stopTask(state: State, task: Task, reason: string, stopCode: string): void {
  if (task.desiredStatus === 'STOPPED') return
  setDesiredStopped(task)
  task.stoppingAt = state.now()
  task.stoppedReason = reason
  task.stopCode = stopCode
  task.version++
  state.cancel(task.timer)
  if (task.lastStatus !== 'RUNNING') {
    // Not started yet: nothing to shut down gracefully.
    finish(state, task)
    return
  }
  setLastStatus(state, task, 'DEACTIVATING')
  const deregistration =
    task.service && task.service.loadBalancers.length > 0 ? state.timings.deregistrationDelayMs : 0
  task.timer = state.after(deregistration, () => {
    setLastStatus(state, task, 'STOPPING')
    task.timer = state.after(stopTimeoutMs(state, task), () => {
      task.executionStoppedAt = state.now()
      setLastStatus(state, task, 'DEPROVISIONING')
      task.timer = state.after(state.timings.deprovisionMs, () => finish(state, task))
    })
  })
}

/** The host died: the task is STOPPED at once, whatever it was doing. */
export function killTask(state: State, task: Task, reason: string): void {
  if (task.lastStatus === 'STOPPED') return
  if (task.desiredStatus !== 'STOPPED') {
    setDesiredStopped(task)
    task.stoppingAt = state.now()
    task.stoppedReason = reason
    task.stopCode = 'TerminationNotice'
  }
  finish(state, task)
}

export type Placement = {instance: ContainerInstance} | {reason: string; closest?: ContainerInstance}

/**
 * Chooses an ACTIVE instance with room for td: spread over instances (fewest tasks of the same service or
 * family first), then the most free memory. Never a DRAINING instance.
 */
export function place(cluster: Cluster, td: TaskDefinition, svc?: Service): Placement {
  let best: ContainerInstance | undefined
  let bestLoad = Infinity
  let closest: {ci: ContainerInstance; reason: string} | undefined
  let anyActive = false
  for (const ci of cluster.instances.values()) {
    if (!activeInstance(ci)) continue
    anyActive = true
    const why = misfit(ci, td)
    if (why) {
      if (!closest) closest = {ci, reason: why}
      continue
    }
    let load = svc?.placedOn.get(ci) ?? 0
    if (!svc)
      for (const t of ci.tasks) if (t.desiredStatus === 'RUNNING' && t.taskDef.family === td.family) load++
    if (load < bestLoad || (load === bestLoad && best && ci.remainingMemory > best.remainingMemory)) {
      best = ci
      bestLoad = load
    }
  }
  if (best) return {instance: best}
  if (!anyActive) return {reason: 'No Container Instances were found in your cluster.'}
  return {reason: closest?.reason ?? 'AGENT', closest: closest?.ci}
}

function iso(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms)
}

export function describeTask(task: Task): Record<string, unknown> {
  const td = task.taskDef
  const stopped = task.lastStatus === 'STOPPED'
  return {
    taskArn: task.arn,
    clusterArn: task.cluster.arn,
    taskDefinitionArn: td.arn,
    containerInstanceArn: task.instance.arn,
    overrides: {
      containerOverrides: td.containers.map((c) => ({name: c.name})),
      inferenceAcceleratorOverrides: [],
    },
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    cpu: String(td.reserveCpu),
    memory: String(td.reserveMemory),
    containers: td.containers.map((c, i) => ({
      containerArn: task.cluster.arn.replace(
        /:cluster\/.*/,
        `:container/${task.cluster.name}/${task.id}/${i}`,
      ),
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      lastStatus: containerStatus(task),
      ...(stopped ? {exitCode: task.stopCode === 'TerminationNotice' ? 137 : 0} : {}),
      networkBindings: task.bindings
        .filter((b) => b.containerName === c.name)
        .map((b) => ({
          bindIP: '0.0.0.0',
          containerPort: b.containerPort,
          hostPort: b.hostPort,
          protocol: b.protocol,
        })),
      networkInterfaces: [],
      healthStatus: 'UNKNOWN',
      cpu: String(c.cpu),
      ...(c.memory !== undefined ? {memory: String(c.memory)} : {}),
      ...(c.memoryReservation !== undefined ? {memoryReservation: String(c.memoryReservation)} : {}),
    })),
    startedBy: task.startedBy,
    version: task.version,
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    connectivity: 'CONNECTED',
    connectivityAt: iso(task.createdAt),
    pullStartedAt: iso(task.pullStartedAt),
    pullStoppedAt: iso(task.pullStoppedAt),
    executionStoppedAt: iso(task.executionStoppedAt),
    createdAt: iso(task.createdAt),
    startedAt: iso(task.startedAt),
    stoppingAt: iso(task.stoppingAt),
    stoppedAt: iso(task.stoppedAt),
    group: task.group,
    launchType: 'EC2',
    availabilityZone: task.instance.availabilityZone,
    attachments: [],
    healthStatus: 'UNKNOWN',
    tags: [],
    attributes: [{name: 'ecs.cpu-architecture', value: 'x86_64'}],
    enableExecuteCommand: false,
  }
}

function containerStatus(task: Task): string {
  if (task.lastStatus === 'STOPPED' || task.lastStatus === 'DEPROVISIONING') return 'STOPPED'
  if (task.lastStatus === 'RUNNING' || task.lastStatus === 'DEACTIVATING' || task.lastStatus === 'STOPPING')
    return 'RUNNING'
  return 'PENDING'
}
