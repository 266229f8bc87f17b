/**
 * The one rule of "drained", for every caller (drain, complete's guard, the TUI, auto-drain, the Lambda):
 * an instance is drained when every task ever seen on it is STOPPED. `runningTasksCount == 0` is not it
 * (DEACTIVATING and STOPPING tasks still serve or hold connections), and neither is "no task listed": a
 * list can miss a task whose desiredStatus changes while the lists are being answered.
 */
import {AwsApiError} from '../errors.js'
import type {EcsPort} from '../ports.js'
import type {TaskInfo} from '../types.js'

export type TaskListingPort = Pick<EcsPort, 'listTaskArnsOnInstance' | 'describeTasks'>

/**
 * Follows the tasks of one container instance across polls. It remembers every task it has seen live and
 * describes each of them at every poll, listed or not, so a task can leave the answer only by being
 * described as STOPPED (which is final). A poll costs two ListTasks and one DescribeTasks per 100 tasks
 * not known to be STOPPED: a STOPPED task is described once and then left alone, although
 * ListTasks(STOPPED) keeps naming it for about an hour.
 */
export class InstanceTasks {
  private readonly seen = new Set<string>()
  private readonly finished = new Set<string>()

  constructor(
    readonly cluster: string,
    readonly containerInstanceArn: string,
  ) {}

  /** Every task on the instance whose lastStatus is not STOPPED (asked through `ecs`, retrying or not). */
  async live(ecs: TaskListingPort): Promise<TaskInfo[]> {
    // One list after the other, RUNNING first: desiredStatus only ever moves RUNNING -> STOPPED, so a task
    // that moves while the two are answered is in the first list or in the second. Sent together (or with
    // the first one throttled and retried), a task that moves after the STOPPED answer and before the
    // RUNNING one is in neither: a drain completed with a task still DEACTIVATING that way.
    const running = await ecs.listTaskArnsOnInstance(this.cluster, this.containerInstanceArn, 'RUNNING')
    const stopping = await ecs.listTaskArnsOnInstance(this.cluster, this.containerInstanceArn, 'STOPPED')
    // Asked: every task listed now, plus every task seen live before, whether or not a list names it now.
    const asked = [...new Set([...this.seen, ...running, ...stopping])].filter((a) => !this.finished.has(a))
    if (asked.length === 0) return []
    const described = await ecs.describeTasks(this.cluster, asked)
    const byArn = new Map(described.map((t) => [t.taskArn, t]))
    const unanswered = asked.filter((arn) => !byArn.has(arn))
    if (unanswered.length > 0) {
      // A task we cannot see is not a task that stopped: never let it count as gone. Only tasks described
      // live are remembered, so a listed task that ECS expunged (long STOPPED) drops out at the next list.
      throw new AwsApiError(
        `DescribeTasks did not return ${unanswered.length} task(s) seen on the instance: ${unanswered[0]}`,
        {awsCode: 'TaskMissing', operation: 'DescribeTasks', transient: true},
      )
    }
    const live: TaskInfo[] = []
    for (const arn of asked) {
      const task = byArn.get(arn)!
      if (task.lastStatus === 'STOPPED') {
        this.seen.delete(arn)
        this.finished.add(arn)
      } else {
        this.seen.add(arn)
        live.push(task)
      }
    }
    return live
  }
}

/** One look, for single-shot callers (complete's guard): the same rule, with nothing seen before. */
export function liveTasksOnInstance(
  ecs: TaskListingPort,
  cluster: string,
  containerInstanceArn: string,
): Promise<TaskInfo[]> {
  return new InstanceTasks(cluster, containerInstanceArn).live(ecs)
}
