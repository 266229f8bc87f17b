import {AwsApiError} from '../../src/core/errors.js'
import type {AutoScalingPort, Clock, EcsPort, LifecycleActionRef} from '../../src/core/ports.js'
import type {ContainerInstance, LifecycleResult, ServiceInfo, TaskInfo} from '../../src/core/types.js'
import {containerInstance, serviceInfo, taskInfo} from '../helpers/core-shapes.js'

/** Virtual time: sleep advances the clock at once, so a 15-minute Lambda runs in milliseconds. */
export class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-11-28T03:00:00Z')) {}
  now(): number {
    return this.t
  }
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms)
    await Promise.resolve()
  }
}

export const throttle = (op: string) =>
  new AwsApiError('Rate exceeded', {awsCode: 'ThrottlingException', operation: op, transient: true})
export const noActiveAction = (id: string) =>
  new AwsApiError(`No active Lifecycle Action found with instance ID ${id}`, {
    awsCode: 'ValidationError',
    operation: 'AutoScaling.CompleteLifecycleAction',
    transient: false,
  })

export const INSTANCE = 'i-0123456789abcdef0'
export const GROUP = 'todobackend-asg'
export const HOOK = 'ecsdrain-hook'
export const CLUSTER = 'todobackend-cluster'

function task(n: number, stopped: boolean): TaskInfo {
  return taskInfo(
    {
      taskArn: `arn:aws:ecs:us-east-1:123456789012:task/${CLUSTER}/t${n}`,
      containerInstanceArn: 'ci-arn',
      group: 'service:todobackend',
    },
    {
      startedBy: 'ecs-svc/1',
      taskDefinitionArn: 'td',
      cpu: 0,
      memory: 256,
      ...(stopped ? {lastStatus: 'STOPPED', desiredStatus: 'STOPPED'} : {}),
    },
  )
}

function service(): ServiceInfo {
  return serviceInfo({
    serviceName: 'todobackend',
    serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/todobackend`,
    taskDefinition: 'td',
  })
}

/**
 * One instance, one hook, in memory. Tasks leave the instance after `pollsUntilDrained` task listings
 * once it is DRAINING; `faults` lets a test make any call fail with whatever error it likes.
 */
export class FakeWorld {
  status = 'ACTIVE'
  inCluster = true
  lifecycleState: string | null = 'Terminating:Wait'
  actionPending = true
  tasksLeft: number
  readonly tasksTotal: number
  completions: Array<{ref: LifecycleActionRef; result: LifecycleResult}> = []
  heartbeats = 0
  calls: string[] = []
  faults: Partial<Record<string, () => Error | undefined>> = {}

  constructor(
    tasks = 1,
    public pollsUntilDrained = 3,
    public heartbeatTimeout = 900,
  ) {
    this.tasksLeft = tasks
    this.tasksTotal = tasks
  }

  private tasks(from: number, to: number): TaskInfo[] {
    const all = Array.from({length: this.tasksTotal}, (_, i) => task(i, i >= this.tasksLeft))
    return all.slice(from, to)
  }

  private hit(op: string): void {
    this.calls.push(op)
    const err = this.faults[op]?.()
    if (err) throw err
  }

  instance(): ContainerInstance {
    return containerInstance(
      {cluster: CLUSTER, containerInstanceArn: 'ci-arn', ec2InstanceId: INSTANCE},
      {
        status: this.status,
        runningTasksCount: this.tasksLeft,
        cpu: {registered: 1024, remaining: 1024},
        memory: {registered: 993, remaining: 500},
        instanceType: 't2.micro',
      },
    )
  }

  ecs(): EcsPort {
    const no = (): never => {
      throw new Error('not used by the handler')
    }
    return {
      listClusterArns: no,
      describeClusters: no,
      listContainerInstances: async () => {
        this.hit('listContainerInstances')
        return this.inCluster ? [this.instance()] : []
      },
      describeContainerInstances: async () => {
        this.hit('describeContainerInstances')
        return this.inCluster ? [this.instance()] : []
      },
      listServices: async () => {
        this.hit('listServices')
        return [service()]
      },
      describeServices: async () => {
        this.hit('describeServices')
        return [service()]
      },
      stopTask: no,
      findContainerInstance: async (cluster, id) => {
        this.hit('findContainerInstance')
        return this.inCluster && cluster === CLUSTER && id === INSTANCE ? this.instance() : undefined
      },
      updateContainerInstancesState: async (_c, _arns, status) => {
        this.hit('updateContainerInstancesState')
        this.status = status
        return {instances: [this.instance()], failures: []}
      },
      // Tasks t0..t(tasksLeft-1) run; the ones that have left are STOPPED, and ListTasks(STOPPED) names them.
      // Each ListTasks(RUNNING) is one poll: that is what `pollsUntilDrained` counts.
      listTaskArnsOnInstance: async (_c, _ci, desiredStatus) => {
        if (desiredStatus === 'STOPPED') {
          this.hit('listTaskArnsOnInstance:STOPPED')
          return this.tasks(this.tasksLeft, this.tasksTotal).map((t) => t.taskArn)
        }
        this.hit('listTaskArnsOnInstance')
        if (this.status === 'DRAINING' && this.tasksLeft > 0 && --this.pollsUntilDrained <= 0)
          this.tasksLeft = 0
        return this.tasks(0, this.tasksLeft).map((t) => t.taskArn)
      },
      describeTasks: async (_c, arns) => {
        this.hit('describeTasks')
        return this.tasks(0, this.tasksTotal).filter((t) => arns.includes(t.taskArn))
      },
    }
  }

  autoScaling(): AutoScalingPort {
    const no = (): never => {
      throw new Error('not used by the handler')
    }
    return {
      describeAutoScalingGroups: no,
      describeAutoScalingGroupSummaries: no,
      describeScalingActivities: async () => {
        this.hit('describeScalingActivities')
        return []
      },
      describeInstanceRefreshes: no,
      startInstanceRefresh: no,
      cancelInstanceRefresh: no,
      rollbackInstanceRefresh: no,
      scalingActivitiesSince: no,
      describeAutoScalingInstances: async (ids) => {
        this.hit('describeAutoScalingInstances')
        if (this.lifecycleState === null || !ids.includes(INSTANCE)) return []
        return [
          {
            instanceId: INSTANCE,
            autoScalingGroupName: GROUP,
            lifecycleState: this.lifecycleState,
            healthStatus: 'Healthy',
            availabilityZone: 'us-east-1a',
            instanceType: 't2.micro',
            protectedFromScaleIn: false,
          },
        ]
      },
      describeLifecycleHooks: async () => {
        this.hit('describeLifecycleHooks')
        return [
          {
            hookName: HOOK,
            autoScalingGroupName: GROUP,
            transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
            heartbeatTimeout: this.heartbeatTimeout,
            globalTimeout: Math.min(172_800, 100 * this.heartbeatTimeout),
            defaultResult: 'CONTINUE',
          },
        ]
      },
      completeLifecycleAction: async (ref, result) => {
        this.hit('completeLifecycleAction')
        if (!this.actionPending) throw noActiveAction(ref.instanceId)
        this.actionPending = false
        this.lifecycleState = 'Terminating:Proceed'
        this.completions.push({ref, result})
      },
      recordLifecycleActionHeartbeat: async (ref) => {
        this.hit('recordLifecycleActionHeartbeat')
        if (!this.actionPending) throw noActiveAction(ref.instanceId)
        this.heartbeats++
      },
    }
  }
}

export function lifecycleMessage(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Origin: 'AutoScalingGroup',
    Destination: 'EC2',
    Service: 'AWS Auto Scaling',
    Time: '2026-11-28T03:00:00.000Z',
    AccountId: '123456789012',
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    RequestId: 'req-1',
    LifecycleActionToken: 'token-1',
    EC2InstanceId: INSTANCE,
    LifecycleHookName: HOOK,
    AutoScalingGroupName: GROUP,
    NotificationMetadata: null,
    ...extra,
  })
}

export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ecsdrain-topic'
export const snsEvent = (...messages: string[]) => ({
  Records: messages.map((Message, i) => ({Sns: {Message, TopicArn: TOPIC, MessageId: `m${i}`}})),
})
/** A Lambda context whose remaining time follows the fake clock. */
export const lambdaContext = (clock: FakeClock, timeoutMs = 900_000) => {
  const end = clock.now() + timeoutMs
  return {getRemainingTimeInMillis: () => end - clock.now()}
}
