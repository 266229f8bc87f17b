import {afterEach, describe, expect, it} from 'vitest'
import {SimError} from '../../../src/sim/types.js'
import {
  CLUSTER,
  describeInstances,
  describeService,
  describeTasks,
  harness,
  registerTaskDef,
  type Harness,
  type Obj,
} from './helpers.js'

// Task states (aws-semantics §3): every lastStatus, the stop timeout, the load balancer's deregistration delay.

let h: Harness
afterEach(() => h?.world.stop())

function watchStatuses(
  h: Harness,
  taskArn: string,
  untilStatus: string,
  maxMs = 120_000,
): {status: string; at: number}[] {
  const seen: {status: string; at: number}[] = []
  h.clock.runUntil(
    () => {
      const t = h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [taskArn]}).tasks[0]
      if (seen[seen.length - 1]?.status !== t.lastStatus) seen.push({status: t.lastStatus, at: h.clock.now()})
      return t.lastStatus === untilStatus
    },
    maxMs,
    50,
  )
  return seen
}

describe('task states', () => {
  it('a standalone task walks PROVISIONING to RUNNING, then DEACTIVATING to STOPPED with its own stopTimeout', () => {
    h = harness({timings: {taskStartMs: 3_000, deprovisionMs: 500}})
    registerTaskDef(h, 'job', 100, {stopTimeout: 12})
    const run = h.call<Obj>('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'job', startedBy: 'me'})
    const task = run.tasks[0]
    expect(task).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      startedBy: 'me',
      cpu: '64',
      memory: '100',
    })
    const up = watchStatuses(h, task.taskArn, 'RUNNING')
    expect(up.map((s) => s.status)).toEqual(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING'])
    const ci = describeInstances(h)[0]!
    expect(ci.runningTasksCount).toBe(2)

    const stop = h.call<Obj>('ecs', 'StopTask', {cluster: CLUSTER, task: task.taskArn, reason: 'done'})
    expect(stop.task.desiredStatus).toBe('STOPPED')
    const down = watchStatuses(h, task.taskArn, 'STOPPED')
    expect(down.map((s) => s.status)).toEqual(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'])
    const stopping = down.find((s) => s.status === 'STOPPING')!.at
    const deprovisioning = down.find((s) => s.status === 'DEPROVISIONING')!.at
    // Observed every 50 ms: STOPPING lasts the container's 12 s, not the agent's default 30 s.
    expect(deprovisioning - stopping).toBeGreaterThan(11_900)
    expect(deprovisioning - stopping).toBeLessThanOrEqual(12_000)
    const done = h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [task.taskArn]}).tasks[0]
    expect(done).toMatchObject({stoppedReason: 'done', stopCode: 'UserInitiated'})
    expect(done.stoppedAt).toBeInstanceOf(Date)
    expect(done.stoppingAt).toBeInstanceOf(Date)
    expect(done.startedAt).toBeInstanceOf(Date)
  })

  it('runningTasksCount drops while a load-balanced task is still DEACTIVATING and STOPPING', () => {
    h = harness()
    const [task] = describeTasks(h)
    h.call('ecs', 'UpdateService', {cluster: CLUSTER, service: 'todobackend', desiredCount: 0})
    h.clock.advance(1_000)
    const during = h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [task.taskArn]}).tasks[0]
    expect(during.lastStatus).toBe('DEACTIVATING')
    expect(during.group).toBe('service:todobackend')
    expect(during.startedBy).toMatch(/^ecs-svc\//)
    const ci = describeInstances(h)[0]!
    expect(ci.runningTasksCount).toBe(0)
    // Still reserving: it has not stopped yet.
    expect(ci.remainingResources.find((r: Obj) => r.name === 'MEMORY').integerValue).toBe(993 - 480)
    // todobackend-tg keeps AWS's default deregistration delay: 300 s from the stop (1 s in).
    h.clock.advance(299_500)
    expect(
      h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [task.taskArn]}).tasks[0].lastStatus,
    ).toBe('DEACTIVATING')
    h.clock.advance(1_000)
    expect(
      h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [task.taskArn]}).tasks[0].lastStatus,
    ).toBe('STOPPING')
  })

  it('host ports: a second task needing the same static port cannot be placed on the instance', () => {
    h = harness()
    registerTaskDef(h, 'web', 100, {portMappings: [{containerPort: 80, hostPort: 8080}]})
    const first = h.call<Obj>('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'web'})
    expect(first.tasks[0].containers[0].networkBindings).toEqual([
      {bindIP: '0.0.0.0', containerPort: 80, hostPort: 8080, protocol: 'tcp'},
    ])
    const ports = describeInstances(h)[0]!.remainingResources.find(
      (r: Obj) => r.name === 'PORTS',
    ).stringSetValue
    expect(ports).toContain('8080')
    const second = h.call<Obj>('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'web'})
    expect(second.tasks).toEqual([])
    expect(second.failures[0].reason).toBe('RESOURCE:PORTS')
  })

  it('memory: RunTask reports RESOURCE:MEMORY when nothing has room', () => {
    h = harness()
    registerTaskDef(h, 'big', 600)
    const res = h.call<Obj>('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'big', count: 2})
    expect(res.tasks).toEqual([])
    expect(res.failures.map((f: Obj) => f.reason)).toEqual(['RESOURCE:MEMORY', 'RESOURCE:MEMORY'])
    expect(() => h.call('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'big', count: 11})).toThrow(
      SimError,
    )
  })

  it('a new task definition rolls the service within min/max percent, and the old deployment goes away', () => {
    h = harness()
    h.call('ecs', 'RegisterTaskDefinition', {
      family: 'todobackend',
      containerDefinitions: [
        {
          name: 'todobackend',
          image: 'dockerinaws/todobackend:2',
          cpu: 245,
          memory: 300,
          portMappings: [{containerPort: 8000}],
        },
      ],
    })
    const updated = h.call<Obj>('ecs', 'UpdateService', {
      cluster: CLUSTER,
      service: 'todobackend',
      taskDefinition: 'todobackend:2',
    })
    expect(updated.service.deployments.map((d: Obj) => d.status)).toEqual(['PRIMARY', 'ACTIVE'])
    h.clock.runUntil(() => {
      const svc = describeService(h, 'todobackend')
      expect(svc.runningCount).toBeGreaterThanOrEqual(1)
      return svc.deployments.length === 1 && svc.runningCount === 1
    })
    const live = describeTasks(h).filter((t) => t.desiredStatus === 'RUNNING')
    expect(live.map((t) => t.taskDefinitionArn)).toEqual([
      expect.stringMatching(/task-definition\/todobackend:2$/),
    ])
  })

  it('STOPPED tasks and INACTIVE instances stay visible about an hour, then are forgotten', () => {
    h = harness({hook: 'none'})
    const [task] = describeTasks(h)
    const ci = describeInstances(h)[0]!
    h.call('autoscaling', 'TerminateInstanceInAutoScalingGroup', {
      InstanceId: ci.ec2InstanceId,
      ShouldDecrementDesiredCapacity: 'false',
    })
    h.clock.advance(5_000)
    const look = () => ({
      task: h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [task.taskArn]}),
      ci: h.call<Obj>('ecs', 'DescribeContainerInstances', {
        cluster: CLUSTER,
        containerInstances: [ci.containerInstanceArn],
      }),
    })
    h.clock.advance(55 * 60_000)
    expect(look().task.tasks[0].lastStatus).toBe('STOPPED')
    expect(look().ci.containerInstances[0].status).toBe('INACTIVE')
    h.clock.advance(10 * 60_000)
    expect(look().task.failures).toEqual([{arn: task.taskArn, reason: 'MISSING'}])
    expect(look().ci.failures).toEqual([{arn: ci.containerInstanceArn, reason: 'MISSING'}])
  })
})
