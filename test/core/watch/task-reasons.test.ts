/** The details view's reasons (the explainer's seam): what the drain engine's own rules already know. */
import {describe, expect, it} from 'vitest'

import type {ServiceInfo, TaskInfo} from '../../../src/core/types.js'
import {explainTask} from '../../../src/core/watch/task-reasons.js'
import {serviceInfo, taskInfo} from '../../helpers/core-shapes.js'
import {instance, T0, terminating} from '../../ui/fixtures.js'

const svc = (over: Partial<ServiceInfo> = {}) =>
  serviceInfo({serviceName: 'web', serviceArn: 'arn:svc/web', taskDefinition: 'web:1'}, over)
const task = (over: Partial<TaskInfo> = {}, group = 'service:web') =>
  taskInfo(
    {taskArn: 'arn:task/c/abc', containerInstanceArn: 'arn:ci/1', group},
    {startedBy: 'ecs-svc/1', ...over},
  )

const draining = instance(1, {status: 'DRAINING'})
const ctx = (inst = draining, services: ServiceInfo[] = [svc()]) => ({
  instance: inst,
  services: new Map(services.map((s) => [s.serviceName, s])),
  now: T0,
})

describe('explainTask', () => {
  it('explains nothing for a STOPPED task, or a task running on an ACTIVE instance', () => {
    expect(explainTask(task({lastStatus: 'STOPPED', desiredStatus: 'STOPPED'}), ctx())).toBeUndefined()
    expect(explainTask(task(), ctx(instance(1)))).toBeUndefined()
  })

  it('a task on its way out says which stage it is in, and for how long', () => {
    const r = explainTask(
      task({lastStatus: 'DEACTIVATING', desiredStatus: 'STOPPED', stoppingAt: new Date(T0 - 42_000)}),
      ctx(instance(1)),
    )
    expect(r).toMatchObject({kind: 'stopping', etaSeconds: null})
    expect(r!.detail).toMatch(/^DEACTIVATING for 42 s: deregistering from its load balancer/)
    const stopping = explainTask(task({lastStatus: 'STOPPING', desiredStatus: 'STOPPED'}), ctx())
    expect(stopping!.detail).toContain('SIGKILL follows after their stopTimeout')
  })

  it('a standalone task needs stopping, a daemon task goes last', () => {
    expect(explainTask(task({startedBy: null}, 'family:batch'), ctx())).toMatchObject({
      kind: 'standalone',
      detail: expect.stringContaining('--stop-standalone'),
    })
    expect(explainTask(task(), ctx(draining, [svc({schedulingStrategy: 'DAEMON'})]))).toMatchObject({
      kind: 'daemon',
    })
  })

  it('a min 100 / max 100 service is a deadlock; ECS’s own "unable to place" is quoted', () => {
    expect(
      explainTask(task(), ctx(draining, [svc({minimumHealthyPercent: 100, maximumPercent: 100})])),
    ).toMatchObject({
      kind: 'deadlock',
    })
    const message =
      '(service web) was unable to place a task because no container instance met all of its requirements.'
    const stuck = svc({events: [{id: 'e2', createdAt: new Date(T0), message}]})
    expect(explainTask(task(), ctx(draining, [stuck]))).toMatchObject({
      kind: 'cannot-place',
      detail: `a replacement cannot be placed: ${message}`,
    })
    // Placement went on since: the newest event says so, and the old failure is no longer the reason.
    const placed = svc({
      events: [
        {id: 'e3', createdAt: new Date(T0 + 1000), message: '(service web) has started 1 tasks: (task x).'},
        {id: 'e2', createdAt: new Date(T0), message},
      ],
    })
    expect(explainTask(task(), ctx(draining, [placed]))).toMatchObject({kind: 'awaiting-replacement'})
  })

  it('a replica waits for its replacement on a DRAINING instance; a terminating ACTIVE one waits for a drain', () => {
    expect(explainTask(task(), ctx())).toMatchObject({
      kind: 'awaiting-replacement',
      detail: expect.stringContaining('minimumHealthyPercent 100, maximumPercent 200'),
    })
    expect(explainTask(task(), ctx(terminating(2)))).toMatchObject({kind: 'not-draining'})
  })
})
