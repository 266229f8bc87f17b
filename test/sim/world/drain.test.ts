import {afterEach, describe, expect, it} from 'vitest'
import {
  CLUSTER,
  describeInstances,
  describeService,
  describeTasks,
  drain,
  harness,
  registerTaskDef,
  retireTodobackend,
  scaleTo,
  type Harness,
  type Obj,
} from './helpers.js'

// The drain cases of aws-semantics §2, driven through the handlers on a manual clock.

let h: Harness
afterEach(() => h?.world.stop())

function original(h: Harness): Obj {
  return describeInstances(h).sort((a, b) => +a.registeredAt - +b.registeredAt)[0]!
}

function createService(
  h: Harness,
  name: string,
  desired: number,
  min: number,
  max: number,
  memory = 100,
): void {
  registerTaskDef(h, name, memory)
  h.call('ecs', 'CreateService', {
    cluster: CLUSTER,
    serviceName: name,
    taskDefinition: name,
    desiredCount: desired,
    deploymentConfiguration: {minimumHealthyPercent: min, maximumPercent: max},
  })
  h.clock.runUntil(() => describeService(h, name).runningCount === desired)
}

describe('draining a container instance', () => {
  it('min 100 / max 200 with spare capacity: the replacement runs before the old task stops', () => {
    h = harness()
    scaleTo(h, 2)
    const a = original(h)
    const [oldTask] = describeTasks(h, {containerInstance: a.containerInstanceArn})
    expect(oldTask.lastStatus).toBe('RUNNING')

    const res = drain(h, a.containerInstanceArn)
    expect(res.failures).toEqual([])
    expect(res.containerInstances[0].status).toBe('DRAINING')

    let replacementRanWhileOldRunning = false
    h.clock.runUntil(() => {
      const svc = describeService(h, 'todobackend')
      // Never an outage: at least one task RUNNING at every step.
      expect(svc.runningCount).toBeGreaterThanOrEqual(1)
      const tasks = describeTasks(h)
      const old = tasks.find((t) => t.taskArn === oldTask.taskArn)!
      const fresh = tasks.find((t) => t.taskArn !== oldTask.taskArn && t.desiredStatus === 'RUNNING')
      if (fresh?.lastStatus === 'RUNNING' && old.lastStatus === 'RUNNING')
        replacementRanWhileOldRunning = true
      if (old.desiredStatus === 'STOPPED') expect(fresh?.lastStatus).toBe('RUNNING')
      return old.lastStatus === 'STOPPED'
    })
    expect(replacementRanWhileOldRunning).toBe(true)
    h.clock.advance(2_000) // the scheduler notices the service settled
    const svc = describeService(h, 'todobackend')
    expect(svc.events[0].message).toMatch(/has reached a steady state/)
    expect(svc.events.some((e: Obj) => /has stopped 1 running tasks/.test(e.message))).toBe(true)
    expect(
      describeInstances(h).find((ci) => ci.containerInstanceArn === a.containerInstanceArn)!
        .runningTasksCount,
    ).toBe(0)
  })

  it('min 50: old tasks stop before their replacements start', () => {
    h = harness()
    retireTodobackend(h)
    createService(h, 'half', 4, 50, 100)
    scaleTo(h, 2)
    const a = original(h)
    drain(h, a.containerInstanceArn)
    h.clock.advance(1_000) // one scheduler pass
    const tasks = describeTasks(h, {family: 'half'})
    const stopping = tasks.filter((t) => t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED')
    const onA = (t: Obj) => t.containerInstanceArn === a.containerInstanceArn
    expect(stopping).toHaveLength(2)
    expect(stopping.every(onA)).toBe(true)
    expect(tasks.filter((t) => !onA(t))).toHaveLength(0)
    h.clock.runUntil(() => {
      expect(describeService(h, 'half').runningCount).toBeGreaterThanOrEqual(2)
      return describeTasks(h, {family: 'half', containerInstance: a.containerInstanceArn}).every(
        (t) => t.lastStatus === 'STOPPED',
      )
    })
    h.clock.runUntil(() => describeService(h, 'half').runningCount === 4)
  })

  it('min 100 / max 100: nothing can move, and the service says why', () => {
    h = harness()
    retireTodobackend(h)
    createService(h, 'stuck', 1, 100, 100)
    scaleTo(h, 2)
    const a = original(h)
    drain(h, a.containerInstanceArn)
    h.clock.advance(600_000)
    const [task] = describeTasks(h, {family: 'stuck'})
    expect(describeTasks(h, {family: 'stuck'})).toHaveLength(1)
    expect(task.lastStatus).toBe('RUNNING')
    expect(task.containerInstanceArn).toBe(a.containerInstanceArn)
    const events = describeService(h, 'stuck').events.map((e: Obj) => e.message)
    expect(
      events.filter((m: string) => /unable to stop or start tasks during a deployment/.test(m)),
    ).toHaveLength(1)
  })

  it('standalone tasks are never stopped by draining', () => {
    h = harness()
    registerTaskDef(h, 'batch', 100)
    const a = original(h)
    const run = h.call<Obj>('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'batch'})
    expect(run.failures).toEqual([])
    expect(run.tasks[0].group).toBe('family:batch')
    scaleTo(h, 2)
    drain(h, a.containerInstanceArn)
    h.clock.advance(3_600_000 - 1)
    const live = h.call<Obj>('ecs', 'ListTasks', {
      cluster: CLUSTER,
      containerInstance: a.containerInstanceArn,
      desiredStatus: 'RUNNING',
    })
    expect(live.taskArns).toEqual([run.tasks[0].taskArn])
    expect(describeTasks(h, {family: 'batch'})[0].lastStatus).toBe('RUNNING')
  })

  it('daemon tasks stop last, after the replica tasks are gone', () => {
    h = harness()
    registerTaskDef(h, 'agent', 50)
    h.call('ecs', 'CreateService', {
      cluster: CLUSTER,
      serviceName: 'agent',
      taskDefinition: 'agent',
      schedulingStrategy: 'DAEMON',
    })
    scaleTo(h, 2)
    h.clock.runUntil(() => describeService(h, 'agent').runningCount === 2)
    const a = original(h)
    drain(h, a.containerInstanceArn)
    h.clock.runUntil(() => {
      const onA = describeTasks(h, {containerInstance: a.containerInstanceArn})
      const replica = onA.find((t) => t.group === 'service:todobackend')!
      const daemon = onA.find((t) => t.group === 'service:agent')!
      if (replica.lastStatus !== 'STOPPED') expect(daemon.desiredStatus).toBe('RUNNING')
      return daemon.lastStatus === 'STOPPED'
    })
    expect(describeService(h, 'agent').desiredCount).toBe(1)
  })

  it('no capacity: an unable-to-place event, then the drain completes after a scale-out', () => {
    h = harness()
    const a = original(h)
    drain(h, a.containerInstanceArn)
    h.clock.advance(60_000)
    const svc = describeService(h, 'todobackend')
    expect(svc.events[0].message).toMatch(
      /^\(service todobackend\) was unable to place a task because no container instance met all of its requirements/,
    )
    expect(svc.runningCount).toBe(1)
    expect(describeTasks(h)[0].desiredStatus).toBe('RUNNING')

    scaleTo(h, 2)
    h.clock.runUntil(() =>
      describeTasks(h, {containerInstance: a.containerInstanceArn}).every((t) => t.lastStatus === 'STOPPED'),
    )
    const after = describeService(h, 'todobackend')
    expect(after.runningCount).toBe(1)
    expect(after.events.some((e: Obj) => /has started 1 tasks/.test(e.message))).toBe(true)
  })

  it('PENDING service tasks on a draining instance stop at once', () => {
    h = harness()
    scaleTo(h, 2)
    h.call('ecs', 'UpdateService', {cluster: CLUSTER, service: 'todobackend', desiredCount: 2})
    h.clock.advance(1_500) // the scheduler placed the second task; it is still starting
    const starting = describeTasks(h).filter((t) => t.lastStatus !== 'RUNNING')
    expect(starting).toHaveLength(1)
    drain(h, starting[0].containerInstanceArn)
    h.clock.advance(1_000)
    const t = describeTasks(h).find((x) => x.taskArn === starting[0].taskArn)!
    expect(t.lastStatus).toBe('STOPPED')
    expect(t.stoppedReason).toMatch(/DRAINING/)
  })

  it('setting the instance back to ACTIVE undoes the drain, and unknown instances come back as failures', () => {
    h = harness()
    const a = original(h)
    drain(h, a.containerInstanceArn)
    const res = h.call<Obj>('ecs', 'UpdateContainerInstancesState', {
      cluster: CLUSTER,
      containerInstances: [a.containerInstanceArn, 'deadbeef'],
      status: 'ACTIVE',
    })
    expect(res.containerInstances[0].status).toBe('ACTIVE')
    expect(res.failures).toEqual([{arn: 'deadbeef', reason: 'MISSING'}])
  })
})
