import {EventEmitter} from 'node:events'
import type {ScenarioKnobs, SimClock, SimTimer} from '../types.js'
import {DrainAudit} from './asg/audit.js'
import type {AsgInstance, Group} from './asg/model.js'
import type {CapacityProvider} from './ecs/capacity-model.js'
import type {TargetGroup} from './elb/model.js'
import {IdSource} from './ids.js'
import {MetricStore} from './metrics/store.js'
import type {Cluster, ContainerInstance, Service, SimTimings, Task, TaskDefinition} from './model.js'

/**
 * The world's state and its shared machinery: clock and timers, ids, indexes, the scheduler's dirty set and
 * the notification point. The ECS, Auto Scaling and CloudWatch modules all work on one State.
 */
export class State {
  readonly ids: IdSource
  readonly notifications = new EventEmitter()
  readonly metrics = new MetricStore()
  readonly clusters = new Map<string, Cluster>()
  readonly taskDefs = new Map<string, TaskDefinition[]>()
  readonly groups = new Map<string, Group>()
  /** ELBv2 target groups, by ARN. */
  readonly targetGroups = new Map<string, TargetGroup>()
  /** ECS capacity providers, by name. */
  readonly capacityProviders = new Map<string, CapacityProvider>()
  /** Set once the scenario is built: what is registered afterwards is "new" (ScenarioKnobs.unhealthyNewRevisions). */
  built = false
  /** Container instances by EC2 instance id, across clusters (an EC2 instance registers in one cluster). */
  readonly byEc2Id = new Map<string, ContainerInstance>()
  /** Auto Scaling instances by id, across groups, in launch order (DescribeAutoScalingInstances' order). */
  readonly asgInstances = new Map<string, AsgInstance>()
  /** Drains gone wrong, for `GET /_sim/stats` (see asg/audit.ts). */
  readonly audit = new DrainAudit()
  /** Reaction hooks, installed by the modules that own them (keeps modules free of import cycles). */
  reconcileService: (svc: Service) => void = () => {}
  onTaskChange: (task: Task) => void = () => {}
  /** A task failed to start or its essential container exited (the circuit breaker counts these). */
  onTaskFailed: (task: Task) => void = () => {}
  /** A task's target turned unhealthy in a target group. */
  onTaskUnhealthy: (task: Task, targetGroupArn: string, port: number) => void = () => {}
  /** Called when a group's instances change state, so an instance refresh can take its next step. */
  onGroupChange: (group: Group) => void = () => {}

  private seq = 0
  private readonly timers = new Set<SimTimer>()
  private readonly dirty = new Set<Service>()
  private flushTimer?: SimTimer
  private stopped = false
  /** While > 0 (scenario building), metric samples are not recorded per change but once at the end. */
  quiet = 0

  constructor(
    readonly clock: SimClock,
    readonly region: string,
    readonly accountId: string,
    readonly timings: SimTimings,
    seed?: number,
    readonly knobs: ScenarioKnobs = {},
  ) {
    this.ids = new IdSource(seed)
  }

  nextSeq(): number {
    return ++this.seq
  }

  now(): number {
    return this.clock.now()
  }

  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`
  }

  /** A tracked timer: stop() cancels every one still pending. */
  after(ms: number, fn: () => void): SimTimer {
    if (this.stopped) return {id: -1}
    const timer = this.clock.setTimer(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
    return timer
  }

  cancel(timer: SimTimer | undefined): void {
    if (!timer) return
    this.clock.clearTimer(timer)
    this.timers.delete(timer)
  }

  /** Asks the scheduler to look at a service soon; many changes in a burst lead to one pass. */
  markDirty(svc: Service): void {
    if (svc.status !== 'ACTIVE') return
    this.dirty.add(svc)
    if (this.flushTimer) return
    this.flushTimer = this.after(this.timings.schedulerDelayMs, () => {
      this.flushTimer = undefined
      const batch = [...this.dirty]
      this.dirty.clear()
      for (const s of batch) this.reconcileService(s)
    })
  }

  /** Capacity appeared in the cluster: services that could not place a task try again. */
  capacityChanged(cluster: Cluster): void {
    for (const svc of cluster.starved) this.markDirty(svc)
    for (const svc of cluster.services.values()) if (svc.schedulingStrategy === 'DAEMON') this.markDirty(svc)
  }

  /** Records the cluster's reservation metrics; called on every change of its totals. */
  recordReservation(cluster: Cluster): void {
    if (this.quiet > 0) return
    const t = this.now()
    const pct = (reserved: number, registered: number) => (registered > 0 ? (reserved / registered) * 100 : 0)
    const dims = [{Name: 'ClusterName', Value: cluster.name}]
    this.metrics.record(
      'AWS/ECS',
      'MemoryReservation',
      dims,
      pct(cluster.reservedMemory, cluster.registeredMemory),
      t,
      {
        carry: true,
        unit: 'Percent',
      },
    )
    this.metrics.record(
      'AWS/ECS',
      'CPUReservation',
      dims,
      pct(cluster.reservedCpu, cluster.registeredCpu),
      t,
      {
        carry: true,
        unit: 'Percent',
      },
    )
  }

  stop(): void {
    this.stopped = true
    for (const t of this.timers) this.clock.clearTimer(t)
    this.timers.clear()
    this.flushTimer = undefined
  }
}
