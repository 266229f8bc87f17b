import {afterEach, describe, expect, it} from 'vitest'
import {
  CLUSTER,
  describeService,
  describeTasks,
  groupName,
  harness,
  type Harness,
  type Obj,
} from './helpers.js'
import {memoryMinimumQuery} from '../../helpers/metric-queries.js'

// The seed's story: a rolling update without a hook is an outage; with a hook and a proper drain it is not.

let h: Harness
afterEach(() => h?.world.stop())

function refreshStatus(h: Harness): string {
  return h.call<Obj>('autoscaling', 'DescribeInstanceRefreshes', {AutoScalingGroupName: groupName(h)})
    .InstanceRefreshes[0].Status
}

function memoryMinimum(h: Harness, fromMs: number): {Timestamps: Date[]; Values: number[]} {
  return h.call<Obj>(
    'cloudwatch',
    'GetMetricData',
    memoryMinimumQuery(CLUSTER, fromMs, h.clock.now() + 60_000),
  ).MetricDataResults[0]
}

function startRollout(h: Harness): void {
  h.call('autoscaling', 'StartInstanceRefresh', {
    AutoScalingGroupName: groupName(h),
    Preferences: {MinHealthyPercentage: '100', MaxHealthyPercentage: '200'},
  })
}

describe('a rolling update of todobackend', () => {
  it("with --hook none: the running count reaches 0 and that minute's MemoryReservation Minimum is 0", () => {
    h = harness({hook: 'none'})
    const start = h.clock.now()
    startRollout(h)
    let zeroAt: number | undefined
    h.clock.runUntil(() => {
      if (zeroAt === undefined && describeService(h, 'todobackend').runningCount === 0) zeroAt = h.clock.now()
      return refreshStatus(h) === 'Successful' && describeService(h, 'todobackend').runningCount === 1
    }, 600_000)
    expect(zeroAt).toBeDefined()
    const {Timestamps, Values} = memoryMinimum(h, start - 30 * 60_000)
    const minuteOfOutage = Math.floor(zeroAt! / 60_000) * 60_000
    const i = Timestamps.findIndex((t) => t.getTime() === minuteOfOutage)
    expect(i).toBeGreaterThanOrEqual(0)
    expect(Values[i]).toBe(0)
    // Newest first; the 30 minutes before the rollout were steady at 480 of 993 MiB.
    expect(Timestamps[0]!.getTime()).toBeGreaterThan(Timestamps[Timestamps.length - 1]!.getTime())
    expect(Values[Values.length - 1]).toBeCloseTo((480 / 993) * 100, 5)
    expect(Timestamps.length).toBeGreaterThanOrEqual(31)
  })

  it('with --hook manual, draining and completing through the API: no outage', () => {
    h = harness({hook: 'manual'})
    const start = h.clock.now()
    startRollout(h)
    let waiting: Obj | undefined
    h.clock.runUntil(() => {
      waiting = h
        .call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {})
        .AutoScalingInstances.find((i: Obj) => i.LifecycleState === 'Terminating:Wait')
      return waiting !== undefined
    }, 120_000)
    const id = waiting!.InstanceId as string
    const [ciArn] = h.call<Obj>('ecs', 'ListContainerInstances', {
      cluster: CLUSTER,
      filter: `ec2InstanceId == ${id}`,
    }).containerInstanceArns
    h.call('ecs', 'UpdateContainerInstancesState', {
      cluster: CLUSTER,
      containerInstances: [ciArn],
      status: 'DRAINING',
    })
    let minRunning = Infinity
    h.clock.runUntil(() => {
      minRunning = Math.min(minRunning, describeService(h, 'todobackend').runningCount)
      const live = h.call<Obj>('ecs', 'ListTasks', {cluster: CLUSTER, containerInstance: ciArn}).taskArns
      return (
        live.length === 0 &&
        describeTasks(h, {containerInstance: ciArn}).every((t) => t.lastStatus === 'STOPPED')
      )
      // The replacement's first health check (30 s), the 300 s deregistration delay, the 30 s stop timeout.
    }, 900_000)
    h.call('autoscaling', 'CompleteLifecycleAction', {
      AutoScalingGroupName: groupName(h),
      LifecycleHookName: 'todobackend-drain-hook',
      InstanceId: id,
      LifecycleActionResult: 'CONTINUE',
    })
    h.clock.runUntil(() => {
      minRunning = Math.min(minRunning, describeService(h, 'todobackend').runningCount)
      return refreshStatus(h) === 'Successful'
    }, 120_000)
    h.clock.advance(120_000)
    expect(minRunning).toBe(1)
    const {Values} = memoryMinimum(h, start)
    expect(Values.length).toBeGreaterThan(2)
    expect(Math.min(...Values)).toBeGreaterThan(0)
  })

  it('--rollout-every starts refreshes again and again', () => {
    h = harness({hook: 'none', rolloutEveryMs: 300_000})
    h.clock.advance(300_000 + 1)
    expect(refreshStatus(h)).toBe('InProgress')
    h.clock.advance(299_000)
    expect(refreshStatus(h)).toBe('Successful')
    h.clock.advance(1_000)
    const all = h.call<Obj>('autoscaling', 'DescribeInstanceRefreshes', {
      AutoScalingGroupName: groupName(h),
    }).InstanceRefreshes
    expect(all).toHaveLength(2)
    expect(all[0].Status).toBe('InProgress')
  })
})
