/**
 * The explainer: for every task on an instance that is not STOPPED, why the drain waits on it and for how
 * long (src/core/explain/reasons.ts), from cached reads (sources.ts). The drain engine runs it at every
 * poll; the TUI and scripts call it for one instance:
 *
 *   const explain = createExplainer({ecs, ecsDetails, elb, clock})   // keep it: it caches, and remembers
 *   const {reasons, etaSeconds} = await explain(cluster, instance)    // when each task began to stop
 *   // reasons: [{task, service, lastStatus, kind, detail, fix, etaSeconds}]
 *
 * or `explainInstance(ports, cluster, instance)` for a single look. Each call costs the live-task rule's
 * ListTasks x2 + DescribeTasks and one DescribeServices per 10 services on the instance; the first call
 * also reads each task definition and target group once, and task protection at most once a minute.
 */
import type {Clock, EcsPort} from '../ports.js'
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../types.js'
import {liveTasksOnInstance} from '../drain/live-tasks.js'
import {serviceNameOf} from '../drain/preflight.js'
import {explainTasks} from './reasons.js'
import {ExplainSources, type ExplainPorts} from './sources.js'
import type {InstanceExplanation} from './types.js'

export type * from './types.js'
export {ExplainSources, type ExplainPorts} from './sources.js'
export {explainTasks, AGENT_DEFAULT_STOP_TIMEOUT_S, type ExplainFacts} from './reasons.js'
export {describePlacement} from './placement-text.js'

/** "Unable to place" events older than this are about another moment, for a caller that knows no start. */
const RECENT_EVENTS_MS = 15 * 60_000

/** Follows one instance's tasks across looks: when each was first seen told to stop, and in its status. */
export class InstanceExplainer {
  private readonly stopSeenAt = new Map<string, number>()
  private readonly statusSeen = new Map<string, {status: string; at: number}>()

  constructor(
    private readonly sources: ExplainSources,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly opts: {eventsSince: number; stopStandalone: boolean},
  ) {}

  async explain(
    instance: ContainerInstance,
    tasks: readonly TaskInfo[],
    services: ReadonlyMap<string, ServiceInfo>,
  ): Promise<InstanceExplanation> {
    await this.sources.refresh(instance.cluster, tasks, services)
    const now = this.clock.now()
    const statusSeenAt = new Map<string, number>()
    for (const t of tasks) {
      if (t.desiredStatus === 'STOPPED' && !this.stopSeenAt.has(t.taskArn))
        this.stopSeenAt.set(t.taskArn, now)
      const seen = this.statusSeen.get(t.taskArn)
      if (!seen || seen.status !== t.lastStatus)
        this.statusSeen.set(t.taskArn, {status: t.lastStatus, at: now})
      statusSeenAt.set(t.taskArn, this.statusSeen.get(t.taskArn)!.at)
    }
    return explainTasks({
      now,
      instance,
      tasks,
      services,
      stopTimeoutOf: this.sources.stopTimeoutOf,
      deregistrationDelayOf: this.sources.deregistrationDelayOf,
      protectionOf: this.sources.protectionOf,
      stopSeenAt: this.stopSeenAt,
      statusSeenAt,
      eventsSince: this.opts.eventsSince,
      stopStandalone: this.opts.stopStandalone,
    })
  }
}

export interface ExplainerPorts extends ExplainPorts {
  ecs: Pick<EcsPort, 'listTaskArnsOnInstance' | 'describeTasks' | 'describeServices'>
  clock: Pick<Clock, 'now'>
}

async function look(
  ports: ExplainerPorts,
  explainer: InstanceExplainer,
  cluster: string,
  instance: ContainerInstance,
) {
  const tasks = await liveTasksOnInstance(ports.ecs, cluster, instance.containerInstanceArn)
  const names = [...new Set(tasks.map(serviceNameOf).filter((n): n is string => n !== null))]
  const services = names.length > 0 ? await ports.ecs.describeServices(cluster, names) : []
  return explainer.explain(instance, tasks, new Map(services.map((s) => [s.serviceName, s])))
}

/**
 * One InstanceExplainer per container instance, kept, over sources shared by all of them: task definitions,
 * target groups and protection are read once per session, and each instance's explainer remembers when each
 * of its tasks began to stop, so ETAs count down. `drain` runs without --stop-standalone unless told.
 */
export function explainersPerInstance(
  ports: ExplainPorts,
  clock: Pick<Clock, 'now'>,
): (instance: ContainerInstance) => InstanceExplainer {
  const sources = new ExplainSources(ports, clock)
  const byInstance = new Map<string, InstanceExplainer>()
  return (instance) => {
    let explainer = byInstance.get(instance.containerInstanceArn)
    if (!explainer) {
      explainer = new InstanceExplainer(sources, clock, {
        eventsSince: clock.now() - RECENT_EVENTS_MS,
        stopStandalone: false,
      })
      byInstance.set(instance.containerInstanceArn, explainer)
    }
    return explainer
  }
}

/** An explainer to keep (e.g. one per TUI session), which makes its own reads of the instance's tasks. */
export function createExplainer(
  ports: ExplainerPorts,
): (cluster: string, instance: ContainerInstance) => Promise<InstanceExplanation> {
  const explainerOf = explainersPerInstance(ports, ports.clock)
  return (cluster, instance) => look(ports, explainerOf(instance), cluster, instance)
}

/** One look at one instance: every live task's reason and ETA, and the drain's ETA. */
export function explainInstance(
  ports: ExplainerPorts,
  cluster: string,
  instance: ContainerInstance,
): Promise<InstanceExplanation> {
  return createExplainer(ports)(cluster, instance)
}
