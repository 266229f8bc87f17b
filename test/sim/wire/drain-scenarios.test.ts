/**
 * The drain cases of aws-semantics.md §2, the hook lifecycle (§6) and the seed's outage, driven only through
 * the SDK v3 clients over HTTP, as ecsdrain drives AWS. (test/sim/world covers the same behaviour at the
 * handler level, in more detail; these prove it survives the wire.)
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
  PutLifecycleHookCommand,
  RecordLifecycleActionHeartbeatCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import {
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {
  CLUSTER,
  advanceUntil,
  createService,
  drain,
  groupInstances,
  instances,
  memoryMinimum,
  scaleTo,
  sdkHarness,
  service,
  tasks,
  type SdkHarness,
} from './sdk-harness.js'

let h: SdkHarness
afterEach(() => h?.close())

const oldest = async () => (await instances(h))[0]!

describe('draining over the wire', () => {
  it('min 100 / max 200 with spare capacity: the replacement starts first, never an outage', async () => {
    h = await sdkHarness()
    await scaleTo(h, 2)
    const a = await oldest()
    const [old] = await tasks(h, {containerInstance: a.containerInstanceArn})
    await drain(h, a.containerInstanceArn!)
    let overlap = false
    await advanceUntil(h, async () => {
      expect((await service(h, 'todobackend')).runningCount).toBeGreaterThanOrEqual(1)
      const all = await tasks(h)
      const before = all.find((t) => t.taskArn === old!.taskArn)!
      const fresh = all.find((t) => t.taskArn !== old!.taskArn && t.desiredStatus === 'RUNNING')
      if (fresh?.lastStatus === 'RUNNING' && before.lastStatus === 'RUNNING') overlap = true
      return before.lastStatus === 'STOPPED'
    })
    expect(overlap).toBe(true)
  })

  it('min 50: old tasks stop before their replacements start', async () => {
    h = await sdkHarness()
    await h.clients.ecs.send(
      new UpdateServiceCommand({cluster: CLUSTER, service: 'todobackend', desiredCount: 0}),
    )
    await createService(h, 'half', 4, 50, 100)
    await advanceUntil(h, async () => (await service(h, 'half')).runningCount === 4)
    await scaleTo(h, 2)
    const a = await oldest()
    await drain(h, a.containerInstanceArn!)
    h.sim.manualClock!.advance(1_000)
    const half = await tasks(h, {family: 'half'})
    const stopping = half.filter((t) => t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED')
    expect(stopping).toHaveLength(2)
    expect(half.filter((t) => t.containerInstanceArn !== a.containerInstanceArn)).toHaveLength(0)
    await advanceUntil(
      h,
      async () =>
        (await service(h, 'half')).runningCount === 4 &&
        (await tasks(h, {family: 'half'})).filter(
          (t) => t.lastStatus === 'RUNNING' && t.containerInstanceArn !== a.containerInstanceArn,
        ).length === 4,
    )
  })

  it('min 100 / max 100: stuck, with an event that says why', async () => {
    h = await sdkHarness()
    await h.clients.ecs.send(
      new UpdateServiceCommand({cluster: CLUSTER, service: 'todobackend', desiredCount: 0}),
    )
    await createService(h, 'stuck', 1, 100, 100)
    await advanceUntil(h, async () => (await service(h, 'stuck')).runningCount === 1)
    await scaleTo(h, 2)
    const a = await oldest()
    await drain(h, a.containerInstanceArn!)
    h.sim.manualClock!.advance(600_000)
    const stuck = await tasks(h, {family: 'stuck'})
    expect(stuck).toEqual([
      expect.objectContaining({lastStatus: 'RUNNING', containerInstanceArn: a.containerInstanceArn}),
    ])
    const events = (await service(h, 'stuck')).events!.map((e) => e.message ?? '')
    expect(events.some((m) => /unable to stop or start tasks during a deployment/.test(m))).toBe(true)
  })

  it('standalone tasks are untouched; daemon tasks stop last', async () => {
    h = await sdkHarness()
    await createService(h, 'agent', 0, 0, 0, {schedulingStrategy: 'DAEMON'})
    await h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'batch',
        containerDefinitions: [{name: 'batch', image: 'example/batch', cpu: 64, memory: 100}],
      }),
    )
    const a = await oldest()
    const run = await h.clients.ecs.send(new RunTaskCommand({cluster: CLUSTER, taskDefinition: 'batch'}))
    const standalone = run.tasks![0]!.taskArn!
    await scaleTo(h, 2)
    await advanceUntil(h, async () => (await service(h, 'agent')).runningCount === 2)
    await drain(h, a.containerInstanceArn!)
    await advanceUntil(h, async () => {
      const onA = await tasks(h, {containerInstance: a.containerInstanceArn})
      const replica = onA.find((t) => t.group === 'service:todobackend')!
      const daemon = onA.find((t) => t.group === 'service:agent')!
      if (replica.lastStatus !== 'STOPPED') expect(daemon.desiredStatus).toBe('RUNNING')
      return daemon.lastStatus === 'STOPPED'
    })
    const live = await h.clients.ecs.send(
      new ListTasksCommand({
        cluster: CLUSTER,
        containerInstance: a.containerInstanceArn,
        desiredStatus: 'RUNNING',
      }),
    )
    expect(live.taskArns).toEqual([standalone])
  })

  it('no capacity: an unable-to-place event, then resolved after a scale-out', async () => {
    h = await sdkHarness()
    const a = await oldest()
    await drain(h, a.containerInstanceArn!)
    h.sim.manualClock!.advance(60_000)
    const before = await service(h, 'todobackend')
    expect(before.events![0]!.message).toMatch(
      /^\(service todobackend\) was unable to place a task because no container instance met all of its requirements/,
    )
    expect(before.runningCount).toBe(1)
    await scaleTo(h, 2)
    await advanceUntil(h, async () =>
      (await tasks(h, {containerInstance: a.containerInstanceArn})).every((t) => t.lastStatus === 'STOPPED'),
    )
    expect((await service(h, 'todobackend')).runningCount).toBe(1)
  })
})

describe('the hook lifecycle over the wire', () => {
  const waitState = async (id: string) =>
    (await h.clients.autoScaling.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [id]})))
      .AutoScalingInstances?.[0]?.LifecycleState

  async function terminateOriginal(heartbeatTimeout: number, defaultResult: 'CONTINUE' | 'ABANDON') {
    h = await sdkHarness('manual')
    await h.clients.autoScaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: h.group,
        LifecycleHookName: 'todobackend-drain-hook',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: heartbeatTimeout,
        DefaultResult: defaultResult,
      }),
    )
    await scaleTo(h, 2)
    const id = (await oldest()).ec2InstanceId!
    await h.clients.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({InstanceId: id, ShouldDecrementDesiredCapacity: true}),
    )
    await advanceUntil(h, async () => (await waitState(id)) === 'Terminating:Wait', 10_000)
    return id
  }

  it('a heartbeat extends the wait; the timeout then applies DefaultResult and the instance terminates', async () => {
    const id = await terminateOriginal(60, 'CONTINUE')
    h.sim.manualClock!.advance(50_000)
    await h.clients.autoScaling.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: h.group,
        LifecycleHookName: 'todobackend-drain-hook',
        InstanceId: id,
      }),
    )
    h.sim.manualClock!.advance(50_000) // 100 s after the wait began: past the first timeout, within the renewed one
    expect(await waitState(id)).toBe('Terminating:Wait')
    h.sim.manualClock!.advance(15_000)
    await advanceUntil(h, async () => (await waitState(id)) === undefined, 60_000)
    expect((await groupInstances(h)).map((i) => i.InstanceId)).not.toContain(id)
  })

  it('CONTINUE terminates the instance and deregisters its container instance; a second completion is refused', async () => {
    const id = await terminateOriginal(3600, 'ABANDON')
    const complete = () =>
      h.clients.autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: h.group,
          LifecycleHookName: 'todobackend-drain-hook',
          InstanceId: id,
          LifecycleActionResult: 'CONTINUE',
        }),
      )
    await complete()
    await advanceUntil(h, async () => (await waitState(id)) === undefined, 60_000)
    const left = await h.clients.ecs.send(
      new ListContainerInstancesCommand({cluster: CLUSTER, filter: `ec2InstanceId == ${id}`}),
    )
    expect(left.containerInstanceArns).toEqual([])
    await expect(complete()).rejects.toMatchObject({name: 'ValidationError'})
  })
})

describe('the seed outage over the wire', () => {
  const refreshDone = async () =>
    (await h.clients.autoScaling.send(new DescribeInstanceRefreshesCommand({AutoScalingGroupName: h.group})))
      .InstanceRefreshes![0]!.Status === 'Successful'
  const startRefresh = () =>
    h.clients.autoScaling.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: h.group,
        Preferences: {MinHealthyPercentage: 100, MaxHealthyPercentage: 200},
      }),
    )

  it("--hook none: running count reaches 0 and that minute's MemoryReservation Minimum is 0", async () => {
    h = await sdkHarness('none')
    await startRefresh()
    let zeroAt: number | undefined
    await advanceUntil(h, async () => {
      const running = (await service(h, 'todobackend')).runningCount
      if (zeroAt === undefined && running === 0) zeroAt = h.sim.clock.now()
      return (await refreshDone()) && running === 1
    })
    expect(zeroAt).toBeDefined()
    const {timestamps, values} = await memoryMinimum(h, zeroAt! - 5 * 60_000)
    const minute = Math.floor(zeroAt! / 60_000) * 60_000
    expect(values[timestamps.indexOf(minute)]).toBe(0)
  })

  it('--hook manual, drained and completed by raw SDK calls: no outage', async () => {
    h = await sdkHarness('manual')
    const start = h.sim.clock.now()
    await startRefresh()
    let waiting: string | undefined
    await advanceUntil(
      h,
      async () => {
        const all = await h.clients.autoScaling.send(new DescribeAutoScalingInstancesCommand({}))
        waiting = all.AutoScalingInstances!.find((i) => i.LifecycleState === 'Terminating:Wait')?.InstanceId
        return waiting !== undefined
      },
      120_000,
    )
    const [ciArn] = (
      await h.clients.ecs.send(
        new ListContainerInstancesCommand({cluster: CLUSTER, filter: `ec2InstanceId == ${waiting}`}),
      )
    ).containerInstanceArns!
    await drain(h, ciArn!)
    let minRunning = Infinity
    await advanceUntil(
      h,
      async () => {
        minRunning = Math.min(minRunning, (await service(h, 'todobackend')).runningCount!)
        return (await tasks(h, {containerInstance: ciArn})).every((t) => t.lastStatus === 'STOPPED')
      },
      // The replacement's first health check (30 s), todobackend-tg's 300 s deregistration delay, the 30 s stop.
      900_000,
      2_000,
    )
    await h.clients.autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: h.group,
        LifecycleHookName: 'todobackend-drain-hook',
        InstanceId: waiting,
        LifecycleActionResult: 'CONTINUE',
      }),
    )
    await advanceUntil(
      h,
      async () => {
        minRunning = Math.min(minRunning, (await service(h, 'todobackend')).runningCount!)
        return refreshDone()
      },
      120_000,
    )
    h.sim.manualClock!.advance(120_000)
    expect(minRunning).toBe(1)
    const {values} = await memoryMinimum(h, start)
    expect(values.length).toBeGreaterThan(2)
    expect(Math.min(...values)).toBeGreaterThan(0)
  })
})
