import type {
  PrematureCompletion,
  TaskStatusEntry,
  TerminationWithTasks,
  WorldAudit,
  WorldAuditSnapshot,
} from '../../stats.js'
import type {ContainerInstance} from '../model.js'

/**
 * What went wrong in drains, as the world saw it: lifecycle actions completed while tasks still ran on the
 * instance, and tasks still not STOPPED when EC2 terminated their instance. A drain is done only when every
 * task on the instance is STOPPED (aws-semantics.md §3, §10): DEACTIVATING and STOPPING tasks still serve or
 * hold connections. Served in `GET /_sim/stats` under `world` (shape documented in src/sim/stats.ts).
 */

const KEEP = 100

/** The tasks on a container instance whose lastStatus is not STOPPED. */
export function liveTasks(ci: ContainerInstance | undefined): TaskStatusEntry[] {
  if (!ci) return []
  const out: TaskStatusEntry[] = []
  for (const t of ci.tasks)
    if (t.lastStatus !== 'STOPPED') out.push({taskArn: t.arn, lastStatus: t.lastStatus})
  return out
}

function keep<T>(events: T[], event: T): void {
  events.push(event)
  if (events.length > KEEP) events.shift()
}

export class DrainAudit implements WorldAudit {
  private completions = {count: 0, events: [] as PrematureCompletion[]}
  private terminations = {count: 0, events: [] as TerminationWithTasks[]}

  completion(event: PrematureCompletion): void {
    this.completions.count++
    keep(this.completions.events, event)
  }

  termination(event: TerminationWithTasks): void {
    this.terminations.count += event.tasks.length
    keep(this.terminations.events, event)
  }

  snapshot(): WorldAuditSnapshot {
    return {
      prematureCompletions: {count: this.completions.count, events: [...this.completions.events]},
      tasksAliveAtTermination: {count: this.terminations.count, events: [...this.terminations.events]},
    }
  }

  reset(): void {
    this.completions = {count: 0, events: []}
    this.terminations = {count: 0, events: []}
  }
}
