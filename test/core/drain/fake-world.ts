/**
 * Fake ports for the drain engine: a tiny ECS + Auto Scaling world on a virtual clock. Time moves only when
 * the engine sleeps, so a two-hour drain takes microseconds and every run is deterministic. Tasks follow a
 * script: once the instance is DRAINING, a task is told to stop after `leaveAfterMs` and is STOPPED
 * `stopMs` later (never, for standalone tasks, until StopTask). A lifecycle action expires when no
 * heartbeat arrives within HeartbeatTimeout, as in Auto Scaling.
 */
import {AwsApiError} from '../../../src/core/errors.js'
import type {
  AutoScalingPort,
  CapacityProviderInfo,
  Clock,
  EcsDetailsPort,
  EcsPort,
  LifecycleActionRef,
  LoadBalancingPort,
  TaskProtection,
} from '../../../src/core/ports.js'
import type {ContainerInstance, LifecycleHookInfo, ServiceInfo, TaskInfo} from '../../../src/core/types.js'
import {containerInstance, serviceInfo, taskInfo} from '../../helpers/core-shapes.js'

export class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-11-28T03:00:00Z')) {}
  private listeners: Array<() => void> = []
  onAdvance(fn: () => void): void {
    this.listeners.push(fn)
  }
  now(): number {
    return this.t
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw Object.assign(new Error('aborted'), {name: 'AbortError'})
    this.t += ms
    for (const fn of this.listeners) fn()
    await Promise.resolve()
    if (signal?.aborted) throw Object.assign(new Error('aborted'), {name: 'AbortError'})
  }
}

export function instance(n: number, over: Partial<ContainerInstance> = {}): ContainerInstance {
  const hex = n.toString(16).padStart(17, '0')
  return containerInstance(
    {
      cluster: 'c1',
      containerInstanceArn: `arn:aws:ecs:eu-west-1:1:container-instance/c1/${hex}`,
      ec2InstanceId: `i-${hex}`,
    },
    {usedTcpPorts: [22, 2375, 2376, 51678, 51679], availabilityZone: 'eu-west-1a', ...over},
  )
}

export function service(name: string, over: Partial<ServiceInfo> = {}): ServiceInfo {
  return serviceInfo(
    {
      serviceName: name,
      serviceArn: `arn:aws:ecs:eu-west-1:1:service/c1/${name}`,
      taskDefinition: `${name}:1`,
    },
    {desiredCount: 2, runningCount: 2, ...over},
  )
}

export interface ScriptedTask {
  task: TaskInfo
  /** After DRAINING, when the task is told to stop (Infinity: never by itself). */
  leaveAfterMs: number
  /** Time from told-to-stop to STOPPED. */
  stopMs: number
  stopRequestedAt?: number
}

let taskSeq = 0
export function task(on: ContainerInstance, group: string, over: Partial<TaskInfo> = {}): TaskInfo {
  taskSeq += 1
  return taskInfo(
    {
      taskArn: `arn:aws:ecs:eu-west-1:1:task/c1/t${taskSeq}`,
      containerInstanceArn: on.containerInstanceArn,
      group,
    },
    {startedBy: group.startsWith('service:') ? 'ecs-svc/123' : null, ...over},
  )
}

export function apiError(awsCode: string, transient: boolean, message = awsCode): AwsApiError {
  return new AwsApiError(message, {awsCode, operation: 'test', transient})
}

export interface CallRecord {
  op: string
  t: number
}

export class FakeWorld {
  readonly clock = new FakeClock()
  readonly calls: CallRecord[] = []
  instances: ContainerInstance[] = []
  services: ServiceInfo[] = []
  tasks: ScriptedTask[] = []
  drainingAt: number | null = null
  asg: {group: string; lifecycleState: string} | null = null
  hooks: LifecycleHookInfo[] = []
  action: {active: boolean; lastBeat: number; startedAt: number} | null = null
  completions: Array<{t: number; result: string; liveTasks: number; ref: LifecycleActionRef}> = []
  heartbeats: number[] = []
  stopTaskReasons: string[] = []
  /** Task ARNs that ListTasks leaves out (a list answered while the task changed its desiredStatus). */
  unlisted = new Set<string>()
  /** Called before each operation; return an error to fail that call. */
  fault: (op: string) => Error | undefined = () => undefined

  constructor() {
    this.clock.onAdvance(() => this.tick())
  }

  get target(): ContainerInstance {
    return this.instances[0]!
  }

  /** Puts the target in Terminating:Wait behind one hook, as an instance refresh would. */
  withHook(heartbeatTimeout = 900, globalTimeout = Math.min(172_800, 100 * heartbeatTimeout)): this {
    this.asg = {group: 'asg1', lifecycleState: 'Terminating:Wait'}
    this.hooks = [
      {
        hookName: 'drain-hook',
        autoScalingGroupName: 'asg1',
        transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeatTimeout,
        globalTimeout,
        defaultResult: 'CONTINUE',
      },
    ]
    this.action = {active: true, lastBeat: this.clock.now(), startedAt: this.clock.now()}
    return this
  }

  live(): TaskInfo[] {
    return this.tasks.map((s) => s.task).filter((t) => t.lastStatus !== 'STOPPED')
  }

  private tick(): void {
    const now = this.clock.now()
    if (this.drainingAt !== null) {
      for (const s of this.tasks) {
        if (s.stopRequestedAt === undefined && now >= this.drainingAt + s.leaveAfterMs)
          this.requestStop(s, this.drainingAt + s.leaveAfterMs)
      }
    }
    for (const s of this.tasks) {
      if (s.stopRequestedAt !== undefined && s.task.lastStatus !== 'STOPPED') {
        s.task.lastStatus = now >= s.stopRequestedAt + s.stopMs ? 'STOPPED' : 'DEACTIVATING'
      }
    }
    const hook = this.hooks[0]
    if (this.action?.active && hook) {
      const expired =
        now > this.action.lastBeat + hook.heartbeatTimeout * 1000 ||
        now > this.action.startedAt + hook.globalTimeout * 1000
      if (expired) this.action.active = false
    }
  }

  private requestStop(s: ScriptedTask, at: number): void {
    s.stopRequestedAt = at
    s.task.desiredStatus = 'STOPPED'
    s.task.stoppingAt = new Date(at)
  }

  private call(op: string): void {
    this.calls.push({op, t: this.clock.now()})
    const error = this.fault(op)
    if (error) throw error
  }

  /** Calls of `op`; 'ListTasks' counts both lists, 'ListTasks:RUNNING' one of them. */
  count(op: string): number {
    return this.calls.filter((c) => c.op === op || c.op.startsWith(`${op}:`)).length
  }

  readonly ecs: EcsPort = {
    listClusterArns: async () => (this.call('ListClusters'), ['arn:aws:ecs:eu-west-1:1:cluster/c1']),
    describeClusters: async () => (this.call('DescribeClusters'), []),
    listContainerInstances: async () => (
      this.call('ListContainerInstances'),
      this.instances.map((i) => ({...i}))
    ),
    findContainerInstance: async (_c, id) => (
      this.call('ListContainerInstances'),
      this.instances.find((i) => i.ec2InstanceId === id)
    ),
    describeContainerInstances: async (_c, arns) => (
      this.call('DescribeContainerInstances'),
      this.instances.filter((i) => arns.includes(i.containerInstanceArn))
    ),
    updateContainerInstancesState: async (_c, arns, status) => {
      this.call('UpdateContainerInstancesState')
      const found = this.instances.filter((i) => arns.includes(i.containerInstanceArn))
      for (const i of found) {
        if (status === 'DRAINING' && i.status !== 'DRAINING') this.drainingAt = this.clock.now()
        if (status === 'ACTIVE') this.drainingAt = null
        i.status = status
      }
      const failures = arns
        .filter((a) => !found.some((i) => i.containerInstanceArn === a))
        .map((arn) => ({arn, reason: 'MISSING', detail: null}))
      return {instances: found.map((i) => ({...i})), failures}
    },
    // Exactly what was asked: ListTasks by desiredStatus (STOPPED ones too, as ECS lists them for an hour),
    // DescribeTasks only the ARNs named, whatever their lastStatus. Which are live is core's business.
    listTaskArnsOnInstance: async (_c, arn, desiredStatus) => {
      this.call(`ListTasks:${desiredStatus}`)
      return this.tasks
        .map((s) => s.task)
        .filter((t) => t.containerInstanceArn === arn && t.desiredStatus === desiredStatus)
        .filter((t) => !this.unlisted.has(t.taskArn))
        .map((t) => t.taskArn)
    },
    describeTasks: async (_c, arns) => {
      this.call('DescribeTasks')
      return this.tasks
        .map((s) => s.task)
        .filter((t) => arns.includes(t.taskArn))
        .map((t) => ({...t}))
    },
    listServices: async () => (this.call('ListServices'), this.services),
    describeServices: async (_c, names) => (
      this.call('DescribeServices'),
      this.services.filter((s) => names.includes(s.serviceName))
    ),
    stopTask: async (_c, arn, reason) => {
      this.call('StopTask')
      this.stopTaskReasons.push(reason)
      const s = this.tasks.find((x) => x.task.taskArn === arn)
      if (s && s.stopRequestedAt === undefined) this.requestStop(s, this.clock.now())
    },
  }

  private requireAction(ref: LifecycleActionRef): void {
    const hook = this.hooks.find((h) => h.hookName === ref.hookName)
    if (!this.action?.active || !hook || ref.instanceId !== this.target.ec2InstanceId) {
      throw apiError(
        'ValidationError',
        false,
        `No active Lifecycle Action found with instance ID ${ref.instanceId}`,
      )
    }
  }

  readonly autoScaling: AutoScalingPort = {
    startInstanceRefresh: notUsed,
    cancelInstanceRefresh: notUsed,
    rollbackInstanceRefresh: notUsed,
    scalingActivitiesSince: notUsed,
    describeAutoScalingInstances: async (ids) => {
      this.call('DescribeAutoScalingInstances')
      if (!this.asg || !ids.includes(this.target.ec2InstanceId)) return []
      return [
        {
          instanceId: this.target.ec2InstanceId,
          autoScalingGroupName: this.asg.group,
          lifecycleState: this.asg.lifecycleState,
          healthStatus: 'Healthy',
          availabilityZone: null,
          instanceType: null,
          protectedFromScaleIn: false,
        },
      ]
    },
    describeAutoScalingGroups: async () => (this.call('DescribeAutoScalingGroups'), []),
    describeAutoScalingGroupSummaries: async () => (this.call('DescribeAutoScalingGroups'), []),
    describeLifecycleHooks: async () => (this.call('DescribeLifecycleHooks'), this.hooks),
    describeScalingActivities: async () => {
      this.call('DescribeScalingActivities')
      if (!this.action || !this.asg) return []
      return [
        {
          activityId: 'a1',
          autoScalingGroupName: this.asg.group,
          description: `Terminating EC2 instance: ${this.target.ec2InstanceId}`,
          cause: 'refresh',
          statusCode: 'InProgress',
          startTime: new Date(this.action.startedAt),
          endTime: null,
          progress: 50,
        },
      ]
    },
    describeInstanceRefreshes: async () => (this.call('DescribeInstanceRefreshes'), []),
    completeLifecycleAction: async (ref, result) => {
      this.call('CompleteLifecycleAction')
      this.requireAction(ref)
      this.action!.active = false
      this.completions.push({
        t: this.clock.now(),
        result,
        ref,
        liveTasks: this.live().filter((t) => t.containerInstanceArn === this.target.containerInstanceArn)
          .length,
      })
    },
    recordLifecycleActionHeartbeat: async (ref) => {
      this.call('RecordLifecycleActionHeartbeat')
      this.requireAction(ref)
      this.action!.lastBeat = this.clock.now()
      this.heartbeats.push(this.clock.now())
    },
  }

  /** Per task definition ARN: each container's stopTimeout (null: the agent's). */
  taskDefinitions = new Map<string, Array<number | null>>()
  protections = new Map<string, TaskProtection>()
  capacityProviders: CapacityProviderInfo[] = []
  targetGroupDelays = new Map<string, number>()
  /** Per service: the container instances its live tasks run on (for distinctInstance). */
  serviceHosts = new Map<string, string[]>()

  readonly ecsDetails: EcsDetailsPort = {
    listServiceTaskArns: notUsed,
    describeRetainedTasks: notUsed,
    describeTaskDefinition: async (arn) => {
      this.call('DescribeTaskDefinition')
      const stops = this.taskDefinitions.get(arn)
      if (!stops) throw apiError('ClientException', false, `Unable to describe task definition ${arn}`)
      return {
        taskDefinitionArn: arn,
        containers: stops.map((stopTimeout, i) => ({name: `c${i}`, stopTimeout})),
      }
    },
    getTaskProtection: async (_c, arns) => {
      this.call('GetTaskProtection')
      if (arns.length > 10) throw apiError('InvalidParameterException', false, 'at most 10 tasks')
      return arns.flatMap((a) => {
        const p = this.protections.get(a)
        return p ? [{...p}] : [{taskArn: a, protectionEnabled: false, expirationDate: null}]
      })
    },
    describeCapacityProviders: async (names) => (
      this.call('DescribeCapacityProviders'),
      this.capacityProviders.filter((p) => names.includes(p.name))
    ),
    serviceTaskInstances: async (_c, name) => (
      this.call('ServiceTaskInstances'),
      this.serviceHosts.get(name) ?? []
    ),
  }

  readonly elb: LoadBalancingPort = {
    deregistrationDelaySeconds: async (arn) => {
      this.call('DescribeTargetGroupAttributes')
      const delay = this.targetGroupDelays.get(arn)
      if (delay === undefined) throw apiError('TargetGroupNotFound', false, `no target group ${arn}`)
      return delay
    },
  }

  get ports() {
    return {ecs: this.ecs, autoScaling: this.autoScaling, clock: this.clock}
  }

  /** The ports with the explainer's reads too. */
  get fullPorts() {
    return {...this.ports, ecsDetails: this.ecsDetails, elb: this.elb}
  }
}

/** A port method no drain calls: a fake answers only what it is asked. */
function notUsed(): never {
  throw new Error('not used by a drain')
}

/** A target with two web tasks (leaving after 20 s and 40 s, 30 s to stop) and a spare ACTIVE instance with room. */
export function twoWebTasksWorld(): FakeWorld {
  const w = new FakeWorld()
  w.instances = [instance(1), instance(2)]
  w.services = [service('web')]
  w.tasks = [
    {task: task(w.instances[0]!, 'service:web'), leaveAfterMs: 20_000, stopMs: 30_000},
    {task: task(w.instances[0]!, 'service:web'), leaveAfterMs: 40_000, stopMs: 30_000},
  ]
  return w
}
