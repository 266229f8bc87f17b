/**
 * The explainer's reads, cached so that they cost almost nothing per poll:
 * - a task definition (stopTimeout) and a target group's deregistration delay do not change during a
 *   drain: each is read once, ever;
 * - task scale-in protection can change at any time (the task itself may set it), so it is read again at
 *   most once a minute, and at a known expiry; only for RUNNING service tasks, the ones it can hold.
 * A read that fails leaves the fact unknown and never fails the drain: a transient fault is tried again at
 * the next poll, and an endpoint that refuses the call (access denied, not implemented) is not asked again.
 */
import {EcsdrainError, isTransient} from '../errors.js'
import type {Clock, EcsDetailsPort, LoadBalancingPort, TaskProtection} from '../ports.js'
import type {ServiceInfo, TaskInfo} from '../types.js'
import {kindOf} from '../drain/preflight.js'
import {AGENT_DEFAULT_STOP_TIMEOUT_S} from './reasons.js'

export interface ExplainPorts {
  ecsDetails?: EcsDetailsPort
  elb?: LoadBalancingPort
}

const PROTECTION_TTL_MS = 60_000

type Source = 'taskDefinitions' | 'targetGroups' | 'protection'

export class ExplainSources {
  private readonly stopTimeouts = new Map<string, number | null>()
  private readonly delays = new Map<string, number>()
  private readonly protections = new Map<string, TaskProtection>()
  private readonly protectionAsked = new Set<string>()
  private nextProtectionReadAt = 0
  private readonly off = new Map<Source, string>()

  constructor(
    private readonly ports: ExplainPorts,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** Why a fact is unknown for good (the endpoint refused the call), for a warning. */
  get unavailable(): ReadonlyMap<Source, string> {
    return this.off
  }

  stopTimeoutOf = (task: TaskInfo): number | null => this.stopTimeouts.get(task.taskDefinitionArn) ?? null
  deregistrationDelayOf = (targetGroupArn: string): number | null => this.delays.get(targetGroupArn) ?? null
  protectionOf = (taskArn: string): TaskProtection | undefined => this.protections.get(taskArn)

  /** Reads what the next explanation needs and is not known yet. Throws only what is not an AWS answer. */
  async refresh(
    cluster: string,
    tasks: readonly TaskInfo[],
    services: ReadonlyMap<string, ServiceInfo>,
  ): Promise<void> {
    await Promise.all([
      this.readTaskDefinitions(tasks),
      this.readTargetGroups(services),
      this.readProtection(cluster, tasks, services),
    ])
  }

  private async attempt<T>(source: Source, read: () => Promise<T>): Promise<T | undefined> {
    if (this.off.has(source)) return undefined
    try {
      return await read()
    } catch (error) {
      // An interrupt or the drain's own timeout (thrown by retrying ports) is not an answer: pass it on.
      if (!(error instanceof EcsdrainError)) throw error
      if (!isTransient(error)) this.off.set(source, error.message)
      return undefined
    }
  }

  private async readTaskDefinitions(tasks: readonly TaskInfo[]): Promise<void> {
    const port = this.ports.ecsDetails
    if (!port) return
    const wanted = [...new Set(tasks.map((t) => t.taskDefinitionArn))].filter(
      (a) => a && !this.stopTimeouts.has(a),
    )
    await Promise.all(
      wanted.map(async (arn) => {
        const td = await this.attempt('taskDefinitions', () => port.describeTaskDefinition(arn))
        if (!td) return
        // A container without its own stopTimeout gets the agent's (ECS_CONTAINER_STOP_TIMEOUT, default 30 s).
        const own = td.containers.map((c) => c.stopTimeout)
        this.stopTimeouts.set(
          arn,
          own.some((s) => s !== null) ? Math.max(...own.map((s) => s ?? AGENT_DEFAULT_STOP_TIMEOUT_S)) : null,
        )
      }),
    )
  }

  private async readTargetGroups(services: ReadonlyMap<string, ServiceInfo>): Promise<void> {
    const port = this.ports.elb
    if (!port) return
    const wanted = [
      ...new Set(
        [...services.values()].flatMap((s) => (s.loadBalancers ?? []).map((lb) => lb.targetGroupArn)),
      ),
    ].filter((arn) => !this.delays.has(arn))
    await Promise.all(
      wanted.map(async (arn) => {
        const delay = await this.attempt('targetGroups', () => port.deregistrationDelaySeconds(arn))
        if (delay !== undefined) this.delays.set(arn, delay)
      }),
    )
  }

  private async readProtection(
    cluster: string,
    tasks: readonly TaskInfo[],
    services: ReadonlyMap<string, ServiceInfo>,
  ): Promise<void> {
    const port = this.ports.ecsDetails
    if (!port) return
    const holdable = tasks
      .filter((t) => t.desiredStatus === 'RUNNING' && kindOf(t, services) === 'replica')
      .map((t) => t.taskArn)
    const now = this.clock.now()
    const fresh = holdable.some((a) => !this.protectionAsked.has(a))
    if (holdable.length === 0 || (!fresh && now < this.nextProtectionReadAt)) return
    const answer = await this.attempt('protection', () => port.getTaskProtection(cluster, holdable))
    if (!answer) return
    for (const arn of holdable) {
      this.protectionAsked.add(arn)
      this.protections.delete(arn)
    }
    for (const p of answer) this.protections.set(p.taskArn, p)
    const expiries = answer
      .filter((p) => p.protectionEnabled && p.expirationDate && p.expirationDate.getTime() > now)
      .map((p) => p.expirationDate!.getTime())
    this.nextProtectionReadAt = Math.min(now + PROTECTION_TTL_MS, ...expiries)
  }
}
