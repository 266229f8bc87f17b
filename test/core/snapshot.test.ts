import {describe, expect, it} from 'vitest'

import type {AutoScalingPort} from '../../src/core/ports.js'
import {buildClusterSnapshot} from '../../src/core/snapshot.js'
import type {AsgInstance, ClusterInfo, LifecycleHookInfo, ScalingActivity} from '../../src/core/types.js'
import {FakeEcs, fakeInstance} from '../helpers/fake-ecs.js'

const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`
const cluster: ClusterInfo = {
  clusterName: 'web',
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/web',
  status: 'ACTIVE',
  registeredContainerInstancesCount: 3,
  runningTasksCount: 0,
  pendingTasksCount: 0,
  activeServicesCount: 0,
}
const T0 = new Date('2026-11-28T03:00:00Z')

function fakeAsg(instances: AsgInstance[], hooks: LifecycleHookInfo[], activities: ScalingActivity[]) {
  const calls: string[] = []
  const no = (): never => {
    throw new Error('not used by a snapshot')
  }
  const port: AutoScalingPort = {
    startInstanceRefresh: no,
    cancelInstanceRefresh: no,
    rollbackInstanceRefresh: no,
    scalingActivitiesSince: no,
    async describeAutoScalingInstances(ids) {
      calls.push('DescribeAutoScalingInstances')
      return instances.filter((i) => ids.includes(i.instanceId))
    },
    describeAutoScalingGroups: no,
    async describeAutoScalingGroupSummaries(names) {
      calls.push('DescribeAutoScalingGroups')
      return names.map((n) => ({
        autoScalingGroupName: n,
        desiredCapacity: 3,
        minSize: 1,
        maxSize: 4,
        status: null,
      }))
    },
    async describeLifecycleHooks(group) {
      calls.push(`DescribeLifecycleHooks ${group}`)
      return hooks.filter((h) => h.autoScalingGroupName === group)
    },
    async describeScalingActivities(group) {
      calls.push(`DescribeScalingActivities ${group}`)
      return activities.filter((a) => a.autoScalingGroupName === group)
    },
    async describeInstanceRefreshes(group) {
      calls.push(`DescribeInstanceRefreshes ${group}`)
      return []
    },
    async completeLifecycleAction() {},
    async recordLifecycleActionHeartbeat() {},
  }
  return {port, calls}
}

const asgI = (n: number, state: string, group = 'asg-web'): AsgInstance => ({
  instanceId: id(n),
  autoScalingGroupName: group,
  lifecycleState: state,
  healthStatus: 'HEALTHY',
  availabilityZone: 'us-east-1c',
  instanceType: 'm5.large',
  protectedFromScaleIn: false,
})
const hook = (name: string, heartbeatTimeout: number): LifecycleHookInfo => ({
  hookName: name,
  autoScalingGroupName: 'asg-web',
  transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
  heartbeatTimeout,
  globalTimeout: Math.min(172800, heartbeatTimeout * 100),
  defaultResult: 'CONTINUE',
})
const activity = (desc: string, start: Date): ScalingActivity => ({
  activityId: desc,
  autoScalingGroupName: 'asg-web',
  description: desc,
  cause: '',
  statusCode: 'WaitingForELBConnectionDraining',
  startTime: start,
  endTime: null,
  progress: 50,
})

describe('buildClusterSnapshot', () => {
  it('joins ECS with Auto Scaling and estimates the pending hook deadlines from the activity', async () => {
    const ecs = new FakeEcs({
      web: [
        fakeInstance('web', id(2)),
        fakeInstance('web', id(1), {status: 'DRAINING'}),
        fakeInstance('web', id(3), {availabilityZone: null, instanceType: null}),
      ],
    })
    const asg = fakeAsg(
      [asgI(1, 'Terminating:Wait'), asgI(2, 'InService')],
      [hook('drain-hook', 900), hook('slow-hook', 3600)],
      [
        activity(`Terminating EC2 instance: ${id(1)}`, T0),
        activity(`Terminating EC2 instance: ${id(1)}`, new Date(T0.getTime() - 86_400_000)),
        activity(`Launching a new EC2 instance: ${id(2)}`, T0),
      ],
    )
    const snap = await buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster, {
      now: () => T0.getTime() + 5000,
    })

    expect(snap.cluster).toBe('web')
    expect(snap.takenAt.toISOString()).toBe('2026-11-28T03:00:05.000Z')
    expect(snap.instances.map((i) => i.ec2InstanceId)).toEqual([id(1), id(2), id(3)])
    const [waiting, inService, loose] = snap.instances
    expect(waiting).toMatchObject({
      status: 'DRAINING',
      autoScalingGroupName: 'asg-web',
      lifecycleState: 'Terminating:Wait',
    })
    expect(waiting!.lifecycleHook).toEqual({
      name: 'drain-hook',
      autoScalingGroupName: 'asg-web',
      heartbeatDeadline: new Date('2026-11-28T03:15:00Z'),
      globalDeadline: new Date('2026-11-29T04:00:00Z'),
      defaultResult: 'CONTINUE',
      // It waits for both hooks; the other is named too.
      alsoPending: [
        {
          name: 'slow-hook',
          heartbeatDeadline: new Date('2026-11-28T04:00:00Z'),
          globalDeadline: new Date('2026-11-30T03:00:00Z'),
        },
      ],
    })
    expect(inService).toMatchObject({lifecycleState: 'InService', lifecycleHook: null})
    expect(loose).toMatchObject({autoScalingGroupName: null, lifecycleState: null, lifecycleHook: null})
    expect(loose!.availabilityZone).toBeNull()
  })

  it('counts a known heartbeat of this wait (never past the global deadline), and ignores older ones', async () => {
    const ecs = new FakeEcs({web: [fakeInstance('web', id(1))]})
    const asg = fakeAsg(
      [asgI(1, 'Terminating:Wait')],
      [hook('drain-hook', 900), hook('slow-hook', 3600)],
      [activity(`Terminating EC2 instance: ${id(1)}`, T0)],
    )
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)
    const beats: Record<string, Date> = {'drain-hook': at(50)}
    const snap = (lastHeartbeat: (i: string, h: string) => Date | undefined) =>
      buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster, {lastHeartbeat}).then(
        (s) => s.instances[0]!.lifecycleHook!,
      )

    // drain-hook heartbeated at +50 min: its deadline is +65, after slow-hook's +60, which now bites first.
    const pushed = await snap((i, h) => (i === id(1) ? beats[h] : undefined))
    expect(pushed.name).toBe('slow-hook')
    expect(pushed.heartbeatDeadline).toEqual(at(60))
    expect(pushed.alsoPending).toEqual([
      {name: 'drain-hook', heartbeatDeadline: at(65), globalDeadline: new Date('2026-11-29T04:00:00Z')},
    ])
    // A heartbeat from before this wait began (an earlier termination of the same id) counts for nothing.
    const stale = await snap((_i, h) => (h === 'drain-hook' ? at(-10) : undefined))
    expect(stale.name).toBe('drain-hook')
    expect(stale.heartbeatDeadline).toEqual(at(15))
    // However late the heartbeat, the global deadline holds.
    const late = await snap((_i, h) => (h === 'drain-hook' ? at(25 * 60 - 5) : undefined))
    expect(late.alsoPending![0]!.heartbeatDeadline).toEqual(new Date('2026-11-29T04:00:00Z'))
  })

  it('sends Auto Scaling full batches of 50 as ECS pages arrive, whatever the page size', async () => {
    const instances = Array.from({length: 130}, (_, n) => fakeInstance('web', id(n + 1)))
    const ecs = new FakeEcs({web: instances})
    // A server that pages by 30: the join must still make ceil(130/50) = 3 calls of at most 50 ids.
    ecs.listContainerInstances = async (_cluster, onBatch) => {
      for (let i = 0; i < instances.length; i += 30) onBatch?.(instances.slice(i, i + 30))
      return instances
    }
    const sizes: number[] = []
    const asg = fakeAsg(
      instances.map((_, n) => asgI(n + 1, 'InService')),
      [],
      [],
    )
    const describe = asg.port.describeAutoScalingInstances
    asg.port.describeAutoScalingInstances = (ids) => {
      sizes.push(ids.length)
      return describe(ids)
    }
    const snap = await buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster)
    expect(sizes).toEqual([50, 50, 30])
    expect(snap.instances.every((i) => i.autoScalingGroupName === 'asg-web')).toBe(true)
  })

  it('in instances mode, asks only for what rows need', async () => {
    const ecs = new FakeEcs({web: [fakeInstance('web', id(1)), fakeInstance('web', id(2))]})
    const asg = fakeAsg([asgI(1, 'InService'), asgI(2, 'InService')], [hook('h', 900)], [])
    const snap = await buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster)
    expect(asg.calls).toEqual(['DescribeAutoScalingInstances'])
    expect(snap.services).toEqual([])
    expect(snap.groups).toEqual([])
  })

  it('fills AZ and type from Auto Scaling when ECS lacks them; no hook when none matches the transition', async () => {
    const ecs = new FakeEcs({web: [fakeInstance('web', id(4), {availabilityZone: null, instanceType: null})]})
    const launchHook = {...hook('launch', 300), transition: 'autoscaling:EC2_INSTANCE_LAUNCHING'}
    const asg = fakeAsg([asgI(4, 'Terminating:Wait')], [launchHook], [])
    const [view] = (await buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster)).instances
    expect(view).toMatchObject({
      availabilityZone: 'us-east-1c',
      instanceType: 'm5.large',
      lifecycleHook: null,
    })
  })

  it('has null deadlines when the starting activity is no longer in the recent history', async () => {
    const ecs = new FakeEcs({web: [fakeInstance('web', id(1))]})
    const asg = fakeAsg([asgI(1, 'Terminating:Wait')], [hook('h', 900)], [])
    const [view] = (await buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster)).instances
    expect(view!.lifecycleHook).toMatchObject({name: 'h', heartbeatDeadline: null, globalDeadline: null})
  })

  it('in full mode, adds groups, activities newest first and refreshes', async () => {
    const ecs = new FakeEcs({web: [fakeInstance('web', id(1))]})
    const older = activity(
      'Launching a new EC2 instance: i-00000000000000009',
      new Date(T0.getTime() - 60_000),
    )
    const asg = fakeAsg([asgI(1, 'InService')], [], [older, activity('x', T0)])
    const snap = await buildClusterSnapshot({ecs, autoScaling: asg.port}, cluster, {detail: 'full'})
    expect(snap.groups.map((g) => g.autoScalingGroupName)).toEqual(['asg-web'])
    expect(snap.activities.map((a) => a.activityId)).toEqual(['x', older.activityId])
    expect(asg.calls).toContain('DescribeInstanceRefreshes asg-web')
  })
})
