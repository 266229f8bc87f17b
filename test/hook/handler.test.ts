import {describe, expect, it} from 'vitest'

import {createHookDrain} from '../../src/hook/drain.js'
import {createHandler, maxAttempts, type HandlerConfig} from '../../src/hook/handler.js'
import {jsonLogger} from '../../src/hook/log.js'
import {
  CLUSTER,
  FakeClock,
  FakeWorld,
  GROUP,
  INSTANCE,
  TOPIC,
  lambdaContext,
  lifecycleMessage,
  snsEvent,
  throttle,
} from './fakes.js'

function setup(world: FakeWorld, config: Partial<HandlerConfig> = {}) {
  const clock = new FakeClock()
  const logs: Array<Record<string, unknown>> = []
  const published: Array<{topic: string; message: Record<string, unknown>}> = []
  const ports = {ecs: world.ecs(), autoScaling: world.autoScaling()}
  const handler = createHandler({
    drain: createHookDrain(ports, clock, {random: () => 0.5}),
    autoScaling: ports.autoScaling,
    publish: async (topic, message) => {
      world.calls.push('publish')
      published.push({topic, message: JSON.parse(message) as Record<string, unknown>})
    },
    clock,
    log: jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    config: {cluster: CLUSTER, drainTimeoutSeconds: 3600, ...config},
  })
  const events = () => logs.map((l) => l.event)
  return {clock, logs, published, handler, events}
}

describe('hook handler', () => {
  it('ignores and logs the test notification, calling no AWS API', async () => {
    const world = new FakeWorld()
    const {handler, clock, logs} = setup(world)
    const test = JSON.stringify({
      Service: 'AWS Auto Scaling',
      Event: 'autoscaling:TEST_NOTIFICATION',
      AutoScalingGroupName: GROUP,
      AutoScalingGroupARN: 'arn:aws:autoscaling:...',
      AccountId: '123456789012',
      RequestId: 'r',
      Time: '2026-11-28T03:00:00Z',
    })
    await handler(snsEvent(test), lambdaContext(clock))
    expect(world.calls).toEqual([])
    expect(logs).toEqual([{level: 'info', event: 'ignored-test-notification', group: GROUP}])
  })

  it('ignores other transitions and malformed messages, logging each', async () => {
    const world = new FakeWorld()
    const {handler, clock, events} = setup(world)
    const launching = lifecycleMessage({LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING'})
    await handler(
      snsEvent(launching, 'not json', '{"LifecycleTransition":"autoscaling:EC2_INSTANCE_TERMINATING"}'),
      lambdaContext(clock),
    )
    expect(world.calls).toEqual([])
    expect(events()).toEqual(['ignored-transition', 'ignored-malformed-message', 'ignored-malformed-message'])
  })

  it('drains with the filter lookup, heartbeats, and completes CONTINUE once no task is left', async () => {
    const world = new FakeWorld(2, 4)
    const {handler, clock, events} = setup(world)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    expect(world.status).toBe('DRAINING')
    expect(world.heartbeats).toBeGreaterThanOrEqual(1)
    expect(world.completions).toEqual([
      {
        ref: {autoScalingGroupName: GROUP, hookName: 'ecsdrain-hook', instanceId: INSTANCE},
        result: 'CONTINUE',
      },
    ])
    // Completed only after the last task listing came back empty.
    expect(world.calls.lastIndexOf('listTaskArnsOnInstance')).toBeLessThan(
      world.calls.indexOf('completeLifecycleAction'),
    )
    // The instance is found with the filter, never by listing the cluster first.
    const ecsLookups = world.calls.filter(
      (c) => c === 'findContainerInstance' || c === 'listContainerInstances',
    )
    expect(ecsLookups[0]).toBe('findContainerInstance')
    expect(events()).toContain('completed')
  })

  it('logs what the drain waits on, per task, when that changes (not in every progress line)', async () => {
    const world = new FakeWorld(2, 6)
    const {handler, clock, logs} = setup(world)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    const waiting = logs.filter((l) => l.event === 'waiting-on')
    expect(waiting.length).toBeGreaterThanOrEqual(1)
    expect(waiting.length).toBeLessThan(logs.filter((l) => l.event === 'drain-progress').length)
    const first = waiting[0] as {
      instanceId: string
      tasks: Array<Record<string, unknown>>
      etaSeconds: unknown
    }
    expect(first.instanceId).toBe(INSTANCE)
    expect(first.tasks.length).toBeGreaterThan(0)
    for (const t of first.tasks)
      expect(Object.keys(t).sort()).toEqual(['detail', 'etaSeconds', 'kind', 'task'])
    expect(logs.filter((l) => l.event === 'drain-progress').some((l) => 'explanation' in l)).toBe(false)
  })

  it('completes CONTINUE and logs why when the instance is not in the cluster', async () => {
    const world = new FakeWorld()
    world.inCluster = false
    const {handler, clock, logs} = setup(world)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    expect(world.completions.map((c) => c.result)).toEqual(['CONTINUE'])
    expect(world.calls).not.toContain('updateContainerInstancesState')
    const done = logs.find((l) => l.event === 'completed')
    expect(done?.reason).toMatch(
      /no container instance of cluster todobackend-cluster has EC2 id i-0123456789abcdef0/,
    )
  })

  it('rides out a throttling storm and never ABANDONs', async () => {
    const world = new FakeWorld(1, 3)
    let n = 0
    world.faults.listTaskArnsOnInstance = () => (++n % 4 !== 0 ? throttle('ECS.ListTasks') : undefined)
    let m = 0
    world.faults.recordLifecycleActionHeartbeat = () =>
      ++m <= 3 ? throttle('AutoScaling.Heartbeat') : undefined
    world.faults.describeAutoScalingInstances = (() => {
      let k = 0
      return () => (++k <= 2 ? throttle('AutoScaling.DescribeAutoScalingInstances') : undefined)
    })()
    const {handler, clock} = setup(world)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    expect(world.completions.map((c) => c.result)).toEqual(['CONTINUE'])
    expect(world.calls.filter((c) => c === 'listTaskArnsOnInstance').length).toBeGreaterThan(6)
  })

  it('hands over instead of ABANDON when the storm outlasts every retry', async () => {
    const world = new FakeWorld(1, 3)
    world.faults.findContainerInstance = () => throttle('ECS.ListContainerInstances')
    const {handler, clock, published, events} = setup(world)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    expect(world.completions).toEqual([])
    expect(published).toHaveLength(1)
    expect(published[0]!.message.ecsdrain).toEqual({attempt: 1, firstSeenAt: '2026-11-28T03:00:00.000Z'})
    expect(events()).toEqual(expect.arrayContaining(['transient-failure', 'handed-over']))
    expect(world.calls).not.toContain('updateContainerInstancesState')
  })

  it('heartbeats a short-timeout hook through a storm that outlasts every retry and its hand-over', async () => {
    const world = new FakeWorld(1, 3, 60)
    world.faults.findContainerInstance = () => throttle('ECS.ListContainerInstances')
    const {handler, clock, published} = setup(world)
    const beats = [clock.now()] // the action's wait began when the notification was sent
    world.faults.recordLifecycleActionHeartbeat = () => void beats.push(clock.now())
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    // The next invocation starts at once; it too must heartbeat before HeartbeatTimeout runs out.
    await handler(snsEvent(JSON.stringify(published[0]!.message)), lambdaContext(clock))
    expect(published.length).toBe(2)
    expect(world.completions).toEqual([])
    beats.push(clock.now())
    for (let i = 1; i < beats.length; i++) expect(beats[i]! - beats[i - 1]!).toBeLessThan(60_000)
  })

  it('hands over when the storm lasts the whole invocation, completing nothing', async () => {
    const world = new FakeWorld(1, 3)
    world.faults.listTaskArnsOnInstance = () => throttle('ECS.ListTasks')
    const {handler, clock, published} = setup(world)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock, 300_000))
    expect(world.completions).toEqual([])
    expect(world.calls.filter((c) => c === 'listTaskArnsOnInstance').length).toBeGreaterThan(5)
    expect(published.map((p) => (p.message.ecsdrain as {attempt: number}).attempt)).toEqual([1])
  })

  it('hands over to a fresh invocation before the Lambda times out, keeping the original message', async () => {
    const world = new FakeWorld(1, 10_000)
    const {handler, clock, published, events} = setup(world, {safetyMarginMs: 30_000})
    const start = clock.now()
    const context = lambdaContext(clock, 300_000)
    await handler(snsEvent(lifecycleMessage()), context)
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0)
    expect(clock.now() - start).toBeLessThan(300_000)
    expect(world.completions).toEqual([])
    expect(world.heartbeats).toBeGreaterThanOrEqual(1)
    expect(published).toHaveLength(1)
    expect(published[0]!.topic).toBe(TOPIC)
    expect(published[0]!.message).toMatchObject({EC2InstanceId: INSTANCE, LifecycleActionToken: 'token-1'})
    expect(published[0]!.message.ecsdrain).toEqual({attempt: 1, firstSeenAt: '2026-11-28T03:00:00.000Z'})
    expect(events()).toEqual(expect.arrayContaining(['budget-spent', 'handed-over']))

    // The next invocation carries on from the hand-over: it drains, and the attempt count goes on.
    world.pollsUntilDrained = 1
    const next = JSON.stringify(published[0]!.message)
    await handler(snsEvent(next), lambdaContext(clock, 300_000))
    expect(world.completions.map((c) => c.result)).toEqual(['CONTINUE'])
    expect(published).toHaveLength(1)
  })

  it('bounds the chain: gives up cleanly past the attempt count or the drain timeout', async () => {
    const world = new FakeWorld(1, 10_000)
    const {handler, clock, published, logs} = setup(world, {drainTimeoutSeconds: 600})
    const limit = maxAttempts({cluster: CLUSTER, drainTimeoutSeconds: 600})
    await handler(
      snsEvent(
        lifecycleMessage({ecsdrain: {attempt: limit, firstSeenAt: new Date(clock.now()).toISOString()}}),
      ),
      lambdaContext(clock),
    )
    clock.t += 601_000
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    expect(published).toEqual([])
    expect(world.completions).toEqual([])
    expect(world.calls).not.toContain('updateContainerInstancesState')
    expect(logs.filter((l) => l.event === 'gave-up').map((l) => l.reason)).toEqual([
      'too-many-hand-overs',
      'drain-timeout',
    ])
  })

  it('is harmless on duplicate deliveries, in sequence and concurrently', async () => {
    const world = new FakeWorld(1, 2)
    const {handler, clock, events} = setup(world)
    await Promise.all([
      handler(snsEvent(lifecycleMessage()), lambdaContext(clock)),
      handler(snsEvent(lifecycleMessage()), lambdaContext(clock)),
    ])
    expect(world.completions).toHaveLength(1)
    await handler(snsEvent(lifecycleMessage()), lambdaContext(clock))
    expect(world.completions).toHaveLength(1)
    expect(events()).toEqual(expect.arrayContaining(['completed', 'lifecycle-action-not-pending']))
    expect(world.calls.filter((c) => c === 'updateContainerInstancesState').length).toBeLessThanOrEqual(2)
  })
})
