import type {Cluster, ContainerInstance, Task} from '../model.js'
import type {State} from '../state.js'

/**
 * Forgetting: ECS keeps STOPPED tasks and INACTIVE container instances visible for a while (retentionMs),
 * then drops them. One sweep per cluster and minute, over first-in-first-out queues, instead of one timer per
 * task; and at most MAX_STOPPED_TASKS are kept, so repeated rollouts of a large cluster stay bounded in memory.
 */
export const MAX_STOPPED_TASKS = 10_000
const SWEEP_EVERY_MS = 60_000

interface Graveyard {
  tasks: Task[]
  taskHead: number
  instances: ContainerInstance[]
  instanceHead: number
  swept: boolean
}

const graveyards = new WeakMap<Cluster, Graveyard>()

function graveyard(cluster: Cluster): Graveyard {
  let g = graveyards.get(cluster)
  if (!g) {
    g = {tasks: [], taskHead: 0, instances: [], instanceHead: 0, swept: false}
    graveyards.set(cluster, g)
  }
  return g
}

function forgetTask(task: Task): void {
  task.cluster.tasks.delete(task.id)
  task.instance.tasks.delete(task)
  task.service?.tasks.delete(task)
}

export function buryTask(state: State, task: Task): void {
  const g = graveyard(task.cluster)
  g.tasks.push(task)
  while (g.tasks.length - g.taskHead > MAX_STOPPED_TASKS) forgetTask(g.tasks[g.taskHead++]!)
  schedule(state, task.cluster, g)
}

export function buryInstance(state: State, ci: ContainerInstance): void {
  const g = graveyard(ci.cluster)
  g.instances.push(ci)
  schedule(state, ci.cluster, g)
}

function schedule(state: State, cluster: Cluster, g: Graveyard): void {
  if (g.swept) return
  g.swept = true
  state.after(SWEEP_EVERY_MS, () => {
    g.swept = false
    const cutoff = state.now() - state.timings.retentionMs
    while (g.taskHead < g.tasks.length && (g.tasks[g.taskHead]!.stoppedAt ?? 0) <= cutoff)
      forgetTask(g.tasks[g.taskHead++]!)
    while (g.instanceHead < g.instances.length && g.instances[g.instanceHead]!.deregisteredAt! <= cutoff) {
      const ci = g.instances[g.instanceHead++]!
      cluster.instances.delete(ci.id)
    }
    // Drop the forgotten prefix now and then, so the queues do not grow without end.
    if (g.taskHead > 1024) {
      g.tasks.splice(0, g.taskHead)
      g.taskHead = 0
    }
    if (g.instanceHead > 1024) {
      g.instances.splice(0, g.instanceHead)
      g.instanceHead = 0
    }
    if (g.taskHead < g.tasks.length || g.instanceHead < g.instances.length) schedule(state, cluster, g)
  })
}
