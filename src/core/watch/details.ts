/**
 * The tasks of the one instance whose details view is open. Loaded only while the view is open, and only
 * for that instance, never per refresh for the whole cluster: a look costs two ListTasks and one
 * DescribeTasks per 100 tasks (the drain engine's rule, drain/live-tasks.ts), whatever the cluster's size.
 *
 * The live tasks come from `InstanceTasks`, so a task can leave the list only by being seen STOPPED, as in a
 * drain. The STOPPED tasks that the same DescribeTasks answers (ListTasks names them for about an hour) are
 * kept too, newest first, for their stop reasons.
 */
import {kindOf, serviceNameOf, type TaskKind} from '../drain/preflight.js'
import {InstanceTasks, type TaskListingPort} from '../drain/live-tasks.js'
import type {InstanceView, ServiceInfo, TaskInfo} from '../types.js'
import {explainTask, type ReasonContext, type TaskReason} from './task-reasons.js'

/**
 * Why each live task is not STOPPED yet, by task ARN. A watch session plugs in the drain explainer
 * (./explain.ts); the loader's own default asks `explainTask` (the drain engine's rules, no reads). The
 * details view renders whatever comes back.
 */
export type ExplainTasks = (
  live: readonly TaskInfo[],
  ctx: ReasonContext,
) => Promise<ReadonlyMap<string, TaskReason>> | ReadonlyMap<string, TaskReason>

export const explainWithEngineRules: ExplainTasks = (live, ctx) =>
  new Map(
    live.flatMap((t) => {
      const reason = explainTask(t, ctx)
      return reason ? [[t.taskArn, reason] as const] : []
    }),
  )

export interface TaskRow {
  taskArn: string
  /** The last part of the ARN, as the console and `aws ecs stop-task --task` use it. */
  taskId: string
  service: string | null
  kind: TaskKind
  lastStatus: string
  desiredStatus: string
  startedAt: Date | null
  stoppingAt: Date | null
  stoppedReason: string | null
  /** Why it is not STOPPED yet (the explainer's seam); absent when there is nothing to explain. */
  reason?: TaskReason
}

export interface InstanceDetails {
  ec2InstanceId: string
  containerInstanceArn: string
  state: 'loading' | 'ready' | 'error'
  /** Live tasks first (as found), then STOPPED ones, newest first. */
  tasks: TaskRow[]
  /** The last load's error, shown above the last good list. */
  error: string | null
  /** When the tasks were last loaded. */
  at: Date | null
}

/** At most this many STOPPED tasks are shown: enough for the last few stop reasons. */
export const STOPPED_SHOWN = 10

export function taskRow(task: TaskInfo, services: ReadonlyMap<string, ServiceInfo>, reason?: TaskReason) {
  const row: TaskRow = {
    taskArn: task.taskArn,
    taskId: task.taskArn.slice(task.taskArn.lastIndexOf('/') + 1),
    service: serviceNameOf(task),
    kind: kindOf(task, services),
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    startedAt: task.startedAt,
    stoppingAt: task.stoppingAt,
    stoppedReason: task.stoppedReason,
  }
  if (reason) row.reason = reason
  return row
}

export class InstanceDetailsLoader {
  private readonly tasks: InstanceTasks
  private readonly stopped = new Map<string, TaskInfo>()

  constructor(
    private readonly ecs: TaskListingPort,
    readonly cluster: string,
    readonly instance: Pick<InstanceView, 'ec2InstanceId' | 'containerInstanceArn'>,
    private readonly explain: ExplainTasks = explainWithEngineRules,
  ) {
    this.tasks = new InstanceTasks(cluster, instance.containerInstanceArn)
  }

  /** One look at the instance's tasks, explained against the latest snapshot's view of it. */
  async load(ctx: {
    instance: InstanceView
    services: readonly ServiceInfo[]
    now: number
  }): Promise<TaskRow[]> {
    // The same DescribeTasks answer also holds the STOPPED tasks: keep them, at no extra call.
    const capture: TaskListingPort = {
      listTaskArnsOnInstance: (...args) => this.ecs.listTaskArnsOnInstance(...args),
      describeTasks: async (cluster, arns) => {
        const described = await this.ecs.describeTasks(cluster, arns)
        for (const t of described) if (t.lastStatus === 'STOPPED') this.stopped.set(t.taskArn, t)
        return described
      },
    }
    const live = await this.tasks.live(capture)
    const services = new Map(ctx.services.map((s) => [s.serviceName, s]))
    const reasons = await this.explain(live, {instance: ctx.instance, services, now: ctx.now})
    const stopped = [...this.stopped.values()]
      .sort((a, b) => (b.stoppingAt?.getTime() ?? 0) - (a.stoppingAt?.getTime() ?? 0))
      .slice(0, STOPPED_SHOWN)
    // Forget the rest: the view shows only the newest few, and memory must not grow while it stays open.
    for (const arn of this.stopped.keys())
      if (!stopped.some((t) => t.taskArn === arn)) this.stopped.delete(arn)
    return [
      ...live.map((t) => taskRow(t, services, reasons.get(t.taskArn))),
      ...stopped.map((t) => taskRow(t, services)),
    ]
  }
}
