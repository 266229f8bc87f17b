/**
 * The explainer inside the drain engine: each poll's progress event says why every remaining task waits,
 * with ETAs that count down, from reads that are cached (a task definition and a target group read once,
 * protection at most once a minute and at its expiry), and a timed-out drain's JSON names what it waited on.
 */
import {describe, expect, it} from 'vitest'

import {drainInstance, type DrainEvent, type DrainOptions} from '../../../src/core/drain/index.js'
import type {InstanceExplanation} from '../../../src/core/explain/index.js'
import {FakeWorld, instance, service, task} from './fake-world.js'

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/0123456789abcdef'
const base: DrainOptions = {timeoutMs: 30 * 60_000, intervalMs: 5000}

function lbWorld(): FakeWorld {
  const w = new FakeWorld()
  w.instances = [instance(1), instance(2)]
  w.services = [
    service('web', {loadBalancers: [{targetGroupArn: TG, containerName: 'app', containerPort: 80}]}),
  ]
  w.taskDefinitions.set('web:1', [30])
  w.targetGroupDelays.set(TG, 300)
  return w
}

async function drain(w: FakeWorld, o: Partial<DrainOptions> = {}) {
  const explanations: InstanceExplanation[] = []
  const onEvent = (e: DrainEvent) => {
    if (e.type === 'progress' && e.explanation) explanations.push(e.explanation)
  }
  const result = await drainInstance(
    w.fullPorts,
    {cluster: 'c1', instance: {...w.target}},
    {...base, onEvent, ...o},
  )
  return {result, explanations}
}

describe('the drain explains every poll', () => {
  it('a load-balanced task: deregistering from web-tg with the delay counting down, then drained', async () => {
    const w = lbWorld().withHook()
    const t = task(w.target, 'service:web', {taskDefinitionArn: 'web:1'})
    // Told to stop 10 s into the drain; ECS deregisters it for the 300 s delay, then 30 s to stop.
    w.tasks = [{task: t, leaveAfterMs: 10_000, stopMs: 330_000}]
    const {result, explanations} = await drain(w)
    expect(result.outcome).toBe('drained')
    const kinds = explanations.map((e) => e.reasons[0]?.kind ?? 'none')
    expect(kinds[0]).toBe('awaiting-replacement')
    const dereg = explanations.filter((e) => e.reasons[0]?.kind === 'deregistering')
    expect(dereg.length).toBeGreaterThan(50)
    expect(dereg[0]!.reasons[0]!.detail).toContain('target group web-tg')
    // The ETA counts down with the clock: from about 330 s to about 0.
    const etas = dereg.map((e) => e.etaSeconds!)
    expect(etas[0]).toBeGreaterThan(300)
    expect(etas[0]).toBeLessThanOrEqual(330)
    for (let i = 1; i < etas.length; i++) expect(etas[i]!).toBeLessThanOrEqual(etas[i - 1]!)
    expect(etas.at(-1)!).toBeLessThan(40)
    expect(explanations.at(-1)!).toMatchObject({reasons: [], etaSeconds: 0})
    expect(result.etaSeconds).toBe(0)
    // Never completed before the task was STOPPED.
    expect(w.completions).toHaveLength(1)
    expect(w.completions[0]!.liveTasks).toBe(0)
    // Read once each, for a drain of 70 polls.
    expect(w.count('DescribeTaskDefinition')).toBe(1)
    expect(w.count('DescribeTargetGroupAttributes')).toBe(1)
  })

  it('per poll, the explainer adds no call that grows with polls: protection at most once a minute', async () => {
    const w = lbWorld()
    const t = task(w.target, 'service:web', {taskDefinitionArn: 'web:1'})
    w.tasks = [{task: t, leaveAfterMs: 20 * 60_000, stopMs: 5000}]
    const {result} = await drain(w)
    expect(result.outcome).toBe('drained')
    const polls = w.count('DescribeTasks')
    expect(polls).toBeGreaterThan(200)
    // 20 minutes of polls: one read per minute (+ the first) at most, while the task can be protected.
    expect(w.count('GetTaskProtection')).toBeLessThanOrEqual(22)
    expect(w.count('GetTaskProtection')).toBeGreaterThanOrEqual(20)
  })

  it('a protected task is replaced like any other; the explanation says it is protected, and until when', async () => {
    const w = lbWorld()
    const t = task(w.target, 'service:web', {taskDefinitionArn: 'web:1'})
    const expiry = new Date(w.clock.now() + 2 * 3600_000)
    w.protections.set(t.taskArn, {taskArn: t.taskArn, protectionEnabled: true, expirationDate: expiry})
    w.tasks = [{task: t, leaveAfterMs: 60_000, stopMs: 60_000}]
    const {result, explanations} = await drain(w)
    expect(result.outcome).toBe('drained')
    const waiting = explanations.find((e) => e.reasons[0]?.kind === 'awaiting-replacement')!
    expect(waiting.reasons[0]!.detail).toContain(
      `protected from scale-in until ${expiry.toISOString()}, which does not hold back a drain`,
    )
    // Preflight warned first.
    expect(result.warnings.join('\n')).toContain('draining replaces it anyway')
  })

  it('a FAILED deployment: no replacement comes; the timeout says what it waited on', async () => {
    const w = lbWorld()
    w.services[0]!.deployments = [
      {
        id: 'ecs-svc/2',
        status: 'PRIMARY',
        rolloutState: 'FAILED',
        rolloutStateReason: 'tasks failed to start',
        taskDefinition: 'web:2',
        desiredCount: 2,
        runningCount: 1,
        pendingCount: 0,
        failedTasks: 10,
        createdAt: null,
      },
    ]
    const t = task(w.target, 'service:web', {taskDefinitionArn: 'web:1'})
    w.tasks = [{task: t, leaveAfterMs: Infinity, stopMs: 5000}]
    const {result} = await drain(w, {timeoutMs: 5 * 60_000})
    expect(result.outcome).toBe('timeout')
    expect(result.etaSeconds).toBeNull()
    const waiting = result.blockers.filter((b) => b.task === t.taskArn)
    expect(waiting).toEqual([expect.objectContaining({kind: 'deployment-failed', etaSeconds: null})])
    // Preflight said so first, about the service.
    expect(result.blockers.some((b) => b.kind === 'deployment-failed' && b.task === null)).toBe(true)
  })

  it('without the explainer ports it still explains, with the defaults assumed', async () => {
    const w = lbWorld()
    const t = task(w.target, 'service:web', {taskDefinitionArn: 'web:1'})
    w.tasks = [{task: t, leaveAfterMs: 0, stopMs: 60_000}]
    const explanations: InstanceExplanation[] = []
    await drainInstance(
      w.ports,
      {cluster: 'c1', instance: {...w.target}},
      {
        ...base,
        onEvent: (e) => void (e.type === 'progress' && e.explanation && explanations.push(e.explanation)),
      },
    )
    const dereg = explanations.find((e) => e.reasons[0]?.kind === 'deregistering')
    expect(dereg!.reasons[0]!.detail).toContain("ELB's default 300 s assumed")
    expect(w.count('DescribeTaskDefinition')).toBe(0)
  })
})
