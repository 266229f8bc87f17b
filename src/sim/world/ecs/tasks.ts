import type {Binding, ContainerInstance, Service, Task, TaskDefinition, TaskStatus} from '../model.js'
import type {State} from '../state.js'
import {buryTask} from './graveyard.js'
import {release, reserve} from './instances.js'
import {dropTargets, registerTargets, startDeregistration} from './targets.js'

/**
 * Tasks: launch and the walk through every lastStatus, as "Amazon ECS task lifecycle" describes it
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html):
 * PROVISIONING -> PENDING -> ACTIVATING ("registers load balancer target groups") -> RUNNING, and on a stop
 * DEACTIVATING ("deregistering the task from load balancer target groups", for the groups' deregistration
 * delay) -> STOPPING (SIGTERM, then SIGKILL after stopTimeout) -> DEPROVISIONING -> STOPPED.
 */

const PENDING_STATES: ReadonlySet<TaskStatus> = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING'])

/**
 * The agent's stop timeout when a container sets none: "If neither the stopTimeout parameter or the
 * ECS_CONTAINER_STOP_TIMEOUT agent configuration variable are set, then the default values of 30 seconds for
 * Linux containers ... are used." (ContainerDefinition, stopTimeout:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
 */
export const AGENT_STOP_TIMEOUT_SECONDS = 30

/** An essential container of a task that fails its health checks exits this long after it starts (no load balancer). */
const CRASH_AFTER_MS = 10_000

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
  /** Scenario building: the task is RUNNING (and healthy in its target groups) at once, with no timers. */
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
    targets: [],
    healthy: false,
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
    registerTargets(state, task, true)
    task.healthy = true
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
        registerTargets(state, task, false)
        setLastStatus(state, task, 'RUNNING')
        if (task.targets.length === 0) crashIfUnhealthy(state, task)
      })
    })
  })
  return task
}

/**
 * Without a load balancer a RUNNING task counts as healthy: "If tasks for services that do not use a load
 * balancer are in the RUNNING state, they are considered healthy." (Draining Amazon ECS container instances:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html). A task of a
 * definition that fails its checks (ScenarioKnobs.unhealthyNewRevisions) crashes instead: its essential container exits.
 */
function crashIfUnhealthy(state: State, task: Task): void {
  if (!task.taskDef.failsHealthChecks) {
    task.healthy = true
    return
  }
  task.timer = state.after(CRASH_AFTER_MS, () => {
    task.timer = undefined
    stopTask(state, task, 'Essential container in task exited', 'EssentialContainerExited', {exitCode: 1})
    state.onTaskFailed(task)
  })
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

/**
 * STOPPING: ECS sends SIGTERM, and SIGKILL after each container's stopTimeout (the agent's 30 s when unset).
 * How soon an app exits on SIGTERM is the scenario's choice (ScenarioKnobs.sigtermExitMs); by default it
 * does not, and waits for SIGKILL. Returns how long STOPPING lasts and each container's exit code.
 */
function stopping(state: State, task: Task): {ms: number; exitCodes: number[]} {
  const exit = state.knobs.sigtermExitMs
  let ms = 0
  const exitCodes = task.taskDef.containers.map((c) => {
    const timeout = (c.stopTimeout ?? AGENT_STOP_TIMEOUT_SECONDS) * 1000
    const clean = exit !== undefined && exit <= timeout
    ms = Math.max(ms, clean ? exit : timeout)
    return clean ? 0 : 137
  })
  return {ms, exitCodes}
}

function finish(state: State, task: Task): void {
  state.cancel(task.timer)
  task.timer = undefined
  const now = state.now()
  task.executionStoppedAt ??= now
  task.stoppedAt = now
  task.healthy = false
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

/**
 * desiredStatus STOPPED. A RUNNING task walks DEACTIVATING (for the longest deregistration delay of its target
 * groups), STOPPING (the stop timeout, or until the app exits) and DEPROVISIONING; a task not yet RUNNING has
 * nothing to shut down gracefully. Returns the target groups it started deregistering from.
 */
export function stopTask(
  state: State,
  task: Task,
  reason: string,
  stopCode: string,
  opts: {exitCode?: number} = {},
): string[] {
  if (task.desiredStatus === 'STOPPED') return []
  setDesiredStopped(task)
  task.stoppingAt = state.now()
  task.stoppedReason = reason
  task.stopCode = stopCode
  task.version++
  state.cancel(task.timer)
  if (task.lastStatus !== 'RUNNING') {
    finish(state, task)
    return []
  }
  task.healthy = false
  setLastStatus(state, task, 'DEACTIVATING')
  const {delayMs, groups} = startDeregistration(state, task)
  task.timer = state.after(delayMs, () => {
    setLastStatus(state, task, 'STOPPING')
    const down =
      opts.exitCode === undefined
        ? stopping(state, task)
        : {ms: 0, exitCodes: task.taskDef.containers.map(() => opts.exitCode!)}
    task.timer = state.after(down.ms, () => {
      task.executionStoppedAt = state.now()
      task.exitCodes = down.exitCodes
      setLastStatus(state, task, 'DEPROVISIONING')
      task.timer = state.after(state.timings.deprovisionMs, () => finish(state, task))
    })
  })
  return groups
}

/** The host died: the task is STOPPED at once, whatever it was doing, and leaves its target groups. */
export function killTask(state: State, task: Task, reason: string): void {
  if (task.lastStatus === 'STOPPED') return
  if (task.desiredStatus !== 'STOPPED') {
    setDesiredStopped(task)
    task.stoppingAt = state.now()
    task.stoppedReason = reason
    task.stopCode = 'TerminationNotice'
  }
  dropTargets(state, task)
  task.exitCodes ??= task.taskDef.containers.map(() => 137)
  finish(state, task)
}
