/**
 * Preflight's checks of the real blockers: placement constraints and room per AZ, a second drainer, the
 * heartbeat budget and the drain's estimate against its deadlines, protected tasks, and deployments. Pure
 * rules through analyzePreflight, and the reads behind them through planDrain on the fake world.
 */
import {describe, expect, it} from 'vitest'

import {analyzePreflight, planDrain, type PreflightFacts} from '../../../src/core/drain/index.js'
import type {PreflightInsight} from '../../../src/core/drain/preflight-checks.js'
import type {LifecycleHookInfo} from '../../../src/core/types.js'
import {FakeWorld, instance, service, task} from './fake-world.js'

const NOW = Date.parse('2026-11-28T03:00:00Z')
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/0123456789abcdef'
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING'

function hook(name: string, target: string | null, heartbeatTimeout = 900): LifecycleHookInfo {
  return {
    hookName: name,
    autoScalingGroupName: 'asg1',
    transition: TERMINATING,
    heartbeatTimeout,
    globalTimeout: 100 * heartbeatTimeout,
    defaultResult: 'CONTINUE',
    notificationTargetArn: target,
  }
}

function insight(over: Partial<PreflightInsight> = {}): PreflightInsight {
  return {
    now: NOW,
    noWait: false,
    groupHooks: [],
    capacityProvider: null,
    serviceHosts: new Map(),
    stopTimeoutOf: () => 30,
    deregistrationDelayOf: () => 300,
    protectionOf: () => undefined,
    ...over,
  }
}

const pending = (h: LifecycleHookInfo) => ({
  autoScalingGroupName: 'asg1',
  lifecycleState: 'Terminating:Wait',
  hook: h,
  globalDeadline: new Date(NOW + 90_000_000),
})
const inService = {
  autoScalingGroupName: 'asg1',
  lifecycleState: 'InService',
  hook: null,
  globalDeadline: null,
}

function facts(over: Partial<PreflightFacts> = {}): PreflightFacts {
  const target = instance(1, {
    availabilityZone: 'eu-west-1a',
    attributes: {'ecs.availability-zone': 'eu-west-1a'},
  })
  return {
    instance: target,
    tasks: [task(target, 'service:web')],
    services: [
      service('web', {loadBalancers: [{targetGroupArn: TG, containerName: 'app', containerPort: 80}]}),
    ],
    clusterInstances: [
      target,
      instance(2, {availabilityZone: 'eu-west-1b', attributes: {'ecs.availability-zone': 'eu-west-1b'}}),
    ],
    lifecycle: inService,
    timeoutAt: NOW + 30 * 60_000,
    stopStandalone: false,
    force: false,
    insight: insight(),
    ...over,
  }
}

describe('placement constraints', () => {
  const pinned = (expression: string) => [
    service('web', {placementConstraints: [{type: 'memberOf', expression}]}),
  ]

  it('refuses a service whose memberOf no other ACTIVE instance meets, naming the constraint and AZs', () => {
    const report = analyzePreflight(
      facts({services: pinned('attribute:ecs.availability-zone == eu-west-1a')}),
    )
    const b = report.blockers.find((x) => x.kind === 'placement-constraint')!
    expect(b.refuses).toBe(true)
    expect(b.detail).toContain('memberOf(attribute:ecs.availability-zone == eu-west-1a)')
    expect(b.detail).toContain('(eu-west-1a)')
    expect(b.detail).toContain('other ACTIVE instances (eu-west-1b)')
    expect(report.refused).toBe(true)
    // Met elsewhere: nothing to say.
    const ok = analyzePreflight(
      facts({services: pinned('attribute:ecs.availability-zone in [eu-west-1a, eu-west-1b]')}),
    )
    expect(ok.blockers.map((x) => x.kind)).toEqual([])
    // Dying anyway: warn and drain.
    const dying = analyzePreflight(
      facts({
        services: pinned('attribute:ecs.availability-zone == eu-west-1a'),
        lifecycle: pending(hook('h', null)),
      }),
    )
    expect(dying.refused).toBe(false)
  })

  it('distinctInstance: every other instance already runs the service', () => {
    const services = [service('web', {placementConstraints: [{type: 'distinctInstance', expression: null}]})]
    const two = instance(2)
    const busy = facts({
      services,
      clusterInstances: [instance(1), two],
      insight: insight({serviceHosts: new Map([['web', new Set([two.containerInstanceArn])]])}),
    })
    expect(analyzePreflight(busy).blockers.map((b) => [b.kind, b.refuses])).toEqual([
      ['placement-constraint', true],
    ])
    const free = facts({services, clusterInstances: [instance(1), two]})
    expect(analyzePreflight(free).blockers).toEqual([])
  })

  it('no room: counted per AZ among the eligible instances, and only a warning', () => {
    const target = instance(1)
    const full = instance(2, {availabilityZone: 'eu-west-1b', memory: {registered: 4096, remaining: 100}})
    const report = analyzePreflight(facts({instance: target, clusterInstances: [target, full]}))
    const b = report.blockers.find((x) => x.kind === 'no-capacity')!
    expect(b.detail).toContain('web (1; eu-west-1b: 1 eligible, none with room)')
    expect(b.refuses).toBe(false)
    expect(b.fix).toBe('scale the group out by 1')
  })
})

describe('a second drainer', () => {
  it('refuses while the action is pending: managed draining, or another hook with a drain function', () => {
    const own = hook('manual-hook', null)
    const managed = analyzePreflight(
      facts({
        lifecycle: pending(own),
        insight: insight({
          groupHooks: [own],
          capacityProvider: {
            name: 'cp1',
            autoScalingGroupArn: null,
            managedDraining: true,
            managedTerminationProtection: false,
          },
        }),
      }),
    )
    const b = managed.blockers.find((x) => x.kind === 'second-drainer')!
    expect(b.detail).toContain('capacity provider cp1 has managed instance draining on')
    expect(b.refuses).toBe(true)
    expect(managed.refused).toBe(true)
    expect(
      analyzePreflight(
        facts({
          lifecycle: pending(own),
          force: true,
          insight: insight({
            capacityProvider: {
              name: 'cp1',
              autoScalingGroupArn: null,
              managedDraining: true,
              managedTerminationProtection: false,
            },
          }),
        }),
      ).refused,
    ).toBe(false)

    const lambda = hook('book-drain', 'arn:aws:sns:eu-west-1:1:drain-topic')
    const other = analyzePreflight(
      facts({lifecycle: pending(own), insight: insight({groupHooks: [own, lambda]})}),
    )
    expect(other.blockers.find((x) => x.kind === 'second-drainer')!.detail).toContain(
      'terminating lifecycle hook book-drain notifies arn:aws:sns:eu-west-1:1:drain-topic',
    )
    expect(other.refused).toBe(true)
  })

  it("the Lambda's own hook is not a second drainer; a manual hook is none; before the termination it only warns", () => {
    const lambda = hook('ecsdrain-prod', 'arn:aws:sns:eu-west-1:1:ecsdrain')
    const mine = analyzePreflight(
      facts({
        lifecycle: pending(lambda),
        insight: insight({groupHooks: [lambda], ownHookName: 'ecsdrain-prod'}),
      }),
    )
    expect(mine.blockers.filter((b) => b.kind === 'second-drainer')).toEqual([])
    // ecsdrain by hand on an instance whose own hook has a drain function: that function drains it too.
    const byHand = analyzePreflight(
      facts({lifecycle: pending(lambda), insight: insight({groupHooks: [lambda]})}),
    )
    expect(byHand.refused).toBe(true)
    const manual = hook('manual', null)
    expect(
      analyzePreflight(facts({lifecycle: pending(manual), insight: insight({groupHooks: [manual]})}))
        .blockers,
    ).toEqual([])
    const early = analyzePreflight(facts({lifecycle: inService, insight: insight({groupHooks: [lambda]})}))
    expect(early.blockers.map((b) => [b.kind, b.refuses])).toEqual([['second-drainer', false]])
    expect(early.refused).toBe(false)
  })
})

describe('time budgets', () => {
  it('--no-wait with a HeartbeatTimeout shorter than deregistration delay + stopTimeout warns', () => {
    const short = hook('h', null, 120)
    const report = analyzePreflight(
      facts({lifecycle: pending(short), insight: insight({noWait: true, groupHooks: [short]})}),
    )
    expect(report.warnings.join('\n')).toContain(
      'HeartbeatTimeout (120 s) is shorter than the longest expected stop here (330 s: deregistration delay 300 s + stopTimeout 30 s)',
    )
    const waited = analyzePreflight(
      facts({lifecycle: pending(short), insight: insight({groupHooks: [short]})}),
    )
    expect(waited.warnings.join('\n')).not.toContain('HeartbeatTimeout (120 s)')
  })

  it('a --timeout or global timeout shorter than the estimated drain warns', () => {
    const tight = analyzePreflight(facts({timeoutAt: NOW + 200_000}))
    expect(tight.warnings.join('\n')).toContain(
      '--timeout ends in 200 s, before the estimated drain (at least 330 s',
    )
    const h = hook('h', null)
    const ending = {...pending(h), globalDeadline: new Date(NOW + 100_000)}
    expect(analyzePreflight(facts({lifecycle: ending})).warnings.join('\n')).toContain(
      "the lifecycle action's global timeout",
    )
    expect(analyzePreflight(facts()).warnings.join('\n')).not.toContain('estimated drain')
  })
})

describe('protection and deployments', () => {
  it('a protected task: a warning with its expiry, since draining replaces it anyway', () => {
    const f = facts()
    const t = f.tasks[0]!
    const expiry = new Date(NOW + 2 * 3600_000)
    const report = analyzePreflight({
      ...f,
      insight: insight({
        protectionOf: (a) =>
          a === t.taskArn ? {taskArn: a, protectionEnabled: true, expirationDate: expiry} : undefined,
      }),
    })
    expect(report.blockers).toEqual([])
    expect(report.warnings.join('\n')).toContain(
      `protected by task scale-in protection until ${expiry.toISOString()}: draining replaces it anyway`,
    )
  })

  it('a FAILED deployment and one under way', () => {
    const d = (rolloutState: string, status = 'PRIMARY') => ({
      id: `ecs-svc/${rolloutState}`,
      status,
      rolloutState,
      rolloutStateReason: null,
      taskDefinition: 'web:2',
      desiredCount: 1,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      createdAt: null,
    })
    const failed = analyzePreflight(facts({services: [service('web', {deployments: [d('FAILED')]})]}))
    expect(failed.blockers.map((b) => b.kind)).toEqual(['deployment-failed'])
    const rolling = analyzePreflight(
      facts({services: [service('web', {deployments: [d('IN_PROGRESS'), d('COMPLETED', 'ACTIVE')]})]}),
    )
    expect(rolling.blockers.map((b) => b.kind)).toEqual(['deployment'])
    expect(
      analyzePreflight(facts({services: [service('web', {deployments: [d('COMPLETED')]})]})).blockers,
    ).toEqual([])
  })
})

describe('planDrain reads what the checks need, once', () => {
  it('hooks, the capacity provider, and the explainer sources; without them nothing is refused', async () => {
    const w = new FakeWorld().withHook()
    w.instances = [instance(1, {capacityProviderName: 'cp1'}), instance(2)]
    w.services = [service('web')]
    w.tasks = [
      {task: task(w.target, 'service:web', {taskDefinitionArn: 'web:1'}), leaveAfterMs: 0, stopMs: 1000},
    ]
    w.taskDefinitions.set('web:1', [60])
    w.capacityProviders = [
      {name: 'cp1', autoScalingGroupArn: null, managedDraining: true, managedTerminationProtection: true},
    ]
    const options = {timeoutMs: 60_000, intervalMs: 5000}
    const plan = await planDrain(w.fullPorts, {cluster: 'c1', instance: {...w.target}}, options)
    expect(plan.report.blockers.map((b) => b.kind)).toContain('second-drainer')
    expect(plan.report.refused).toBe(true)
    expect(w.count('DescribeCapacityProviders')).toBe(1)
    expect(w.count('DescribeTaskDefinition')).toBe(1)
    const bare = await planDrain(w.ports, {cluster: 'c1', instance: {...w.target}}, options)
    expect(bare.report.refused).toBe(false)
  })
})
