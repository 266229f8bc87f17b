/**
 * The explainer's rules, one by one, as a pure function: a task in each state, with the facts that decide
 * its reason and ETA. Given the facts, When explained, Then the kind, the numbers in the detail, and the ETA.
 */
import {describe, expect, it} from 'vitest'

import {explainTasks, type ExplainFacts} from '../../../src/core/explain/index.js'
import type {TaskProtection} from '../../../src/core/ports.js'
import type {ServiceInfo, TaskInfo} from '../../../src/core/types.js'
import {instance, service, task} from '../drain/fake-world.js'

const T0 = Date.parse('2026-11-28T03:00:00Z')
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/0123456789abcdef'
const target = instance(1, {status: 'DRAINING', availabilityZone: 'eu-west-1a'})

function facts(tasks: TaskInfo[], services: ServiceInfo[], over: Partial<ExplainFacts> = {}): ExplainFacts {
  return {
    now: T0,
    instance: target,
    tasks,
    services: new Map(services.map((s) => [s.serviceName, s])),
    stopTimeoutOf: () => 30,
    deregistrationDelayOf: (arn) => (arn === TG ? 300 : null),
    protectionOf: () => undefined,
    stopSeenAt: new Map(),
    statusSeenAt: new Map(),
    eventsSince: T0 - 60_000,
    stopStandalone: false,
    ...over,
  }
}

const web = (over: Partial<ServiceInfo> = {}) =>
  service('web', {loadBalancers: [{targetGroupArn: TG, containerName: 'app', containerPort: 80}], ...over})

describe('explainTasks', () => {
  it('deregistering: the target group, the delay left since the stop request, then the stopTimeout', () => {
    const t = task(target, 'service:web', {
      lastStatus: 'DEACTIVATING',
      desiredStatus: 'STOPPED',
      stoppingAt: new Date(T0 - 60_000),
    })
    const e = explainTasks(facts([t], [web()]))
    expect(e.reasons).toHaveLength(1)
    expect(e.reasons[0]).toMatchObject({
      kind: 'deregistering',
      task: t.taskArn,
      service: 'web',
      etaSeconds: 240 + 30,
    })
    expect(e.reasons[0]!.detail).toContain('target group web-tg')
    expect(e.reasons[0]!.detail).toContain('up to 240 s left of its 300 s deregistration delay')
    expect(e.etaSeconds).toBe(270)
  })

  it('an unread deregistration delay is assumed at ELB default and said to be assumed', () => {
    const t = task(target, 'service:web', {
      lastStatus: 'DEACTIVATING',
      desiredStatus: 'STOPPED',
      stoppingAt: new Date(T0),
    })
    const e = explainTasks(facts([t], [web()], {deregistrationDelayOf: () => null}))
    expect(e.reasons[0]!.detail).toContain("ELB's default 300 s assumed")
    expect(e.reasons[0]!.etaSeconds).toBe(330)
  })

  it('stopping: the stopTimeout left since it was first seen STOPPING; past it, SIGKILL is due', () => {
    const t = task(target, 'service:web', {lastStatus: 'STOPPING', desiredStatus: 'STOPPED'})
    const seen = new Map([[t.taskArn, T0 - 12_000]])
    const e = explainTasks(facts([t], [web()], {statusSeenAt: seen, stopTimeoutOf: () => 45}))
    expect(e.reasons[0]).toMatchObject({kind: 'stopping', etaSeconds: 33})
    expect(e.reasons[0]!.detail).toContain('its 45 s stopTimeout: about 33 s left')
    const late = explainTasks(facts([t], [web()], {statusSeenAt: new Map([[t.taskArn, T0 - 90_000]])}))
    expect(late.reasons[0]!.detail).toContain('SIGKILL is due')
    expect(late.reasons[0]!.etaSeconds).toBe(0)
  })

  it("stopping with no stopTimeout of its own names the agent's default", () => {
    const t = task(target, 'service:api', {lastStatus: 'STOPPING', desiredStatus: 'STOPPED'})
    const e = explainTasks(facts([t], [service('api')], {stopTimeoutOf: () => null}))
    expect(e.reasons[0]!.detail).toContain("the agent's stop timeout (default 30 s)")
    expect(e.reasons[0]!.etaSeconds).toBe(30)
  })

  it('protected: said with its expiry, not waited for (draining is not a scale-in event it holds back)', () => {
    const t = task(target, 'service:web')
    const expiry = new Date(T0 + 600_000)
    const protection: TaskProtection = {taskArn: t.taskArn, protectionEnabled: true, expirationDate: expiry}
    const e = explainTasks(
      facts([t], [web()], {protectionOf: (a) => (a === t.taskArn ? protection : undefined)}),
    )
    expect(e.reasons[0]!.kind).toBe('awaiting-replacement')
    expect(e.reasons[0]!.detail).toContain(
      `protected from scale-in until ${expiry.toISOString()}, which does not hold back a drain`,
    )
    const later = explainTasks(facts([t], [web()], {now: T0 + 601_000, protectionOf: () => protection}))
    expect(later.reasons[0]!.detail).not.toContain('protected')
  })

  it('deployment FAILED: no replacement comes, and the ETA is unknowable', () => {
    const t = task(target, 'service:web')
    const failed = web({
      deployments: [
        {
          id: 'ecs-svc/2',
          status: 'PRIMARY',
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          taskDefinition: 'web:2',
          desiredCount: 2,
          runningCount: 0,
          pendingCount: 0,
          failedTasks: 6,
          createdAt: null,
        },
      ],
    })
    const e = explainTasks(facts([t], [failed]))
    expect(e.reasons[0]).toMatchObject({kind: 'deployment-failed', etaSeconds: null})
    expect(e.reasons[0]!.detail).toContain(
      'ecs-svc/2 is FAILED (deployment circuit breaker: ECS deployment circuit breaker',
    )
    expect(e.etaSeconds).toBeNull()
  })

  it("unable to place: ECS's own event text, the placement, the AZ; older events do not count", () => {
    const t = task(target, 'service:web')
    const message =
      '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.'
    const placed = web({
      events: [{id: 'e1', createdAt: new Date(T0 - 10_000), message}],
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.availability-zone == eu-west-1a'}],
      placementStrategy: [{type: 'spread', field: 'attribute:ecs.availability-zone'}],
    })
    const e = explainTasks(facts([t], [placed]))
    expect(e.reasons[0]!.kind).toBe('unable-to-place')
    expect(e.reasons[0]!.detail).toContain(`"${message}"`)
    expect(e.reasons[0]!.detail).toContain(
      'memberOf(attribute:ecs.availability-zone == eu-west-1a), spread(attribute:ecs.availability-zone)',
    )
    expect(e.reasons[0]!.detail).toContain('This instance is in eu-west-1a')
    const old = explainTasks(facts([t], [placed], {eventsSince: T0}))
    expect(old.reasons[0]!.kind).toBe('awaiting-replacement')
  })

  it('deadlock at min 100 / max 100', () => {
    const t = task(target, 'service:web')
    const e = explainTasks(facts([t], [web({minimumHealthyPercent: 100, maximumPercent: 100})]))
    expect(e.reasons[0]).toMatchObject({kind: 'deadlock', etaSeconds: null})
  })

  it('a daemon stops after the others: its ETA is theirs plus its own stop', () => {
    const replica = task(target, 'service:web', {
      lastStatus: 'DEACTIVATING',
      desiredStatus: 'STOPPED',
      stoppingAt: new Date(T0),
    })
    const daemon = task(target, 'service:agent')
    const e = explainTasks(
      facts([daemon, replica], [web(), service('agent', {schedulingStrategy: 'DAEMON'})]),
    )
    const byKind = Object.fromEntries(e.reasons.map((r) => [r.kind, r]))
    expect(byKind['deregistering']!.etaSeconds).toBe(330)
    expect(byKind['daemon-last']).toMatchObject({task: daemon.taskArn, etaSeconds: 330 + 30})
    expect(byKind['daemon-last']!.detail).toContain('after the 1 other task(s)')
    expect(e.etaSeconds).toBe(360)
  })

  it('standalone: needs --stop-standalone; with it, it is being stopped', () => {
    const t = task(target, 'family:batch')
    expect(explainTasks(facts([t], [])).reasons[0]).toMatchObject({kind: 'standalone-task', etaSeconds: null})
    expect(explainTasks(facts([t], [])).reasons[0]!.fix).toContain('--stop-standalone')
    expect(explainTasks(facts([t], [], {stopStandalone: true})).reasons[0]!.etaSeconds).toBe(30)
  })

  it('an ACTIVE instance: nothing asks its tasks to stop', () => {
    const t = task(target, 'service:web')
    const e = explainTasks(facts([t], [web()], {instance: {...target, status: 'ACTIVE'}}))
    expect(e.reasons[0]!.kind).toBe('running')
  })

  it('a disconnected agent holds every task, and the ETA is unknowable', () => {
    const t = task(target, 'service:web')
    const e = explainTasks(facts([t], [web()], {instance: {...target, agentConnected: false}}))
    expect(e.reasons[0]!.kind).toBe('agent-disconnected')
    expect(e.etaSeconds).toBeNull()
  })
})
