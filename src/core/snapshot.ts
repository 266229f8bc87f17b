/**
 * Builds the ClusterSnapshot that `instances`, `drain` and `watch` share: ECS container instances joined
 * with Auto Scaling (group, lifecycle state, pending hook and its deadlines). The call budget is the point:
 * ceil(N/100) ListContainerInstances + ceil(N/100) DescribeContainerInstances + ceil(N/50)
 * DescribeAutoScalingInstances, plus a few calls per Auto Scaling group (not per instance).
 */
import {createLimiter, defer} from './concurrency.js'
import type {AutoScalingPort, EcsPort} from './ports.js'
import type {
  AsgInstance,
  ClusterInfo,
  ClusterSnapshot,
  ContainerInstance,
  InstanceView,
  LifecycleHookInfo,
  PendingLifecycleAction,
  ScalingActivity,
} from './types.js'

export interface SnapshotOptions {
  /**
   * `instances`: only what an instance row needs (hooks and activities only for groups with an instance in a
   * Wait state). `full`: also services, groups, recent activities and instance refreshes (watch, drain).
   */
  detail?: 'instances' | 'full'
  now?: () => number
  signal?: AbortSignal
  /** Recent activities per group in `full` mode. */
  activitiesPerGroup?: number
  /**
   * The last heartbeat known for an instance's hook (e.g. one ecsdrain sent itself), which Auto Scaling
   * does not report: it moves that hook's heartbeat deadline later than the estimate from the activity.
   */
  lastHeartbeat?: (instanceId: string, hookName: string) => Date | undefined
}

const WAIT_TRANSITIONS: Record<string, {transition: string; activity: RegExp}> = {
  'Terminating:Wait': {
    transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    activity: /^Terminating EC2 instance: (i-[0-9a-f]+)/,
  },
  'Pending:Wait': {
    transition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
    activity: /^Launching a new EC2 instance: (i-[0-9a-f]+)/,
  },
}
/** DescribeAutoScalingInstances takes up to 50 ids. */
const ASG_BATCH = 50
const ASG_CONCURRENCY = 4
/** The newest activities are enough to date a wait that is still pending (it can't outlast 48 h). */
const DEADLINE_ACTIVITY_RECORDS = 100

export async function buildClusterSnapshot(
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort},
  cluster: ClusterInfo,
  opts: SnapshotOptions = {},
): Promise<ClusterSnapshot> {
  const full = opts.detail === 'full'
  const name = cluster.clusterName
  const asg = asgJoiner(ports.autoScaling)
  const [containerInstances, services] = await Promise.all([
    ports.ecs.listContainerInstances(name, (batch) => asg.add(batch)),
    full ? ports.ecs.listServices(name) : Promise.resolve([]),
  ])
  opts.signal?.throwIfAborted()
  // Any instance the port did not report batch by batch (e.g. a fake without onBatch) is added now.
  asg.add(containerInstances)
  const asgInstances = await asg.done()
  opts.signal?.throwIfAborted()
  const asgById = new Map(asgInstances.map((a) => [a.instanceId, a]))

  const groupNames = [...new Set(asgInstances.map((a) => a.autoScalingGroupName))].sort()
  const waitingGroups = new Set(
    asgInstances.filter((a) => a.lifecycleState in WAIT_TRANSITIONS).map((a) => a.autoScalingGroupName),
  )
  const perGroup = await Promise.all(
    groupNames.map(async (group) => {
      const waiting = waitingGroups.has(group)
      const wantActivities = waiting ? DEADLINE_ACTIVITY_RECORDS : full ? (opts.activitiesPerGroup ?? 20) : 0
      const [hooks, activities, refreshes] = await Promise.all([
        waiting || full ? ports.autoScaling.describeLifecycleHooks(group) : Promise.resolve([]),
        wantActivities > 0
          ? ports.autoScaling.describeScalingActivities(group, wantActivities)
          : Promise.resolve([]),
        full ? ports.autoScaling.describeInstanceRefreshes(group) : Promise.resolve([]),
      ])
      return {group, hooks, activities, refreshes}
    }),
  )
  // Sizes only: the members are known already, one by one, from DescribeAutoScalingInstances.
  const groups =
    full && groupNames.length > 0 ? await ports.autoScaling.describeAutoScalingGroupSummaries(groupNames) : []
  opts.signal?.throwIfAborted()

  const hooksByGroup = new Map(perGroup.map((g) => [g.group, g.hooks]))
  const activities = perGroup
    .flatMap((g) => g.activities)
    .sort((a, b) => b.startTime.getTime() - a.startTime.getTime())
  const instances = containerInstances
    .map((ci) => toView(ci, asgById.get(ci.ec2InstanceId), hooksByGroup, activities, opts.lastHeartbeat))
    // Plain code-unit order: ids are ASCII, and localeCompare costs ICU calls on every comparison.
    .sort((a, b) => (a.ec2InstanceId < b.ec2InstanceId ? -1 : a.ec2InstanceId > b.ec2InstanceId ? 1 : 0))

  return {
    cluster: name,
    clusterArn: cluster.clusterArn,
    takenAt: new Date((opts.now ?? Date.now)()),
    instances,
    services,
    groups,
    activities,
    refreshes: perGroup.flatMap((g) => g.refreshes),
  }
}

/**
 * Describes the instances' Auto Scaling state while ECS is still being listed: ids are sent in full batches
 * of 50 as they arrive (so the call count stays ceil(N/50) whatever the page sizes), a few calls at a time.
 */
function asgJoiner(autoScaling: AutoScalingPort) {
  const limit = createLimiter(ASG_CONCURRENCY)
  const seen = new Set<string>()
  const buffer: string[] = []
  const calls: Promise<AsgInstance[]>[] = []
  const flush = (all: boolean) => {
    while (buffer.length >= ASG_BATCH || (all && buffer.length > 0)) {
      const ids = buffer.splice(0, ASG_BATCH)
      calls.push(defer(limit(() => autoScaling.describeAutoScalingInstances(ids))))
    }
  }
  return {
    add(batch: ContainerInstance[]) {
      for (const ci of batch) {
        if (ci.ec2InstanceId !== '' && !seen.has(ci.ec2InstanceId)) {
          seen.add(ci.ec2InstanceId)
          buffer.push(ci.ec2InstanceId)
        }
      }
      flush(false)
    },
    async done(): Promise<AsgInstance[]> {
      flush(true)
      return (await Promise.all(calls)).flat()
    },
  }
}

function toView(
  ci: ContainerInstance,
  asg: AsgInstance | undefined,
  hooksByGroup: Map<string, LifecycleHookInfo[]>,
  activities: ScalingActivity[],
  lastHeartbeat?: SnapshotOptions['lastHeartbeat'],
): InstanceView {
  return {
    ...ci,
    // ECS attributes are the source; the group's view fills in for an agent that did not report them.
    availabilityZone: ci.availabilityZone ?? asg?.availabilityZone ?? null,
    instanceType: ci.instanceType ?? asg?.instanceType ?? null,
    autoScalingGroupName: asg?.autoScalingGroupName ?? null,
    lifecycleState: asg?.lifecycleState ?? null,
    lifecycleHook: asg
      ? pendingAction(asg, hooksByGroup.get(asg.autoScalingGroupName) ?? [], activities, lastHeartbeat)
      : null,
  }
}

/**
 * The hooks an instance in a Wait state is waiting on, with deadlines estimated from the start of the
 * scaling activity that put it there: heartbeat = the later of start and the last known heartbeat, plus
 * HeartbeatTimeout (a heartbeat nobody told us about would push it later still), never past global =
 * start + GlobalTimeout (fixed). With several hooks on the same transition the instance waits for all of
 * them; the one whose heartbeat deadline comes first bites first, so it is the one named, the rest listed.
 */
export function pendingAction(
  asg: AsgInstance,
  hooks: LifecycleHookInfo[],
  activities: ScalingActivity[],
  lastHeartbeat?: SnapshotOptions['lastHeartbeat'],
): PendingLifecycleAction | null {
  const wait = WAIT_TRANSITIONS[asg.lifecycleState]
  if (!wait) return null
  const started = activities.find(
    (a) =>
      a.autoScalingGroupName === asg.autoScalingGroupName &&
      wait.activity.exec(a.description)?.[1] === asg.instanceId,
  )?.startTime
  const deadlines = hooks
    .filter((h) => h.transition === wait.transition)
    .map((hook) => ({hook, ...hookDeadlines(hook, started, lastHeartbeat?.(asg.instanceId, hook.hookName))}))
    .sort(
      (a, b) =>
        (a.heartbeatDeadline?.getTime() ?? 0) - (b.heartbeatDeadline?.getTime() ?? 0) ||
        a.hook.heartbeatTimeout - b.hook.heartbeatTimeout ||
        a.hook.hookName.localeCompare(b.hook.hookName),
    )
  const [first, ...rest] = deadlines
  if (!first) return null
  const view = (d: (typeof deadlines)[number]) => ({
    name: d.hook.hookName,
    heartbeatDeadline: d.heartbeatDeadline,
    globalDeadline: d.globalDeadline,
  })
  return {
    ...view(first),
    autoScalingGroupName: asg.autoScalingGroupName,
    defaultResult: first.hook.defaultResult,
    ...(rest.length > 0 ? {alsoPending: rest.map(view)} : {}),
  }
}

function hookDeadlines(hook: LifecycleHookInfo, started: Date | undefined, heartbeat: Date | undefined) {
  if (!started) return {heartbeatDeadline: null, globalDeadline: null}
  const global = started.getTime() + hook.globalTimeout * 1000
  // Only a heartbeat of this wait counts: one from before it started belongs to an earlier termination.
  const from = heartbeat && heartbeat > started ? heartbeat.getTime() : started.getTime()
  return {
    heartbeatDeadline: new Date(Math.min(from + hook.heartbeatTimeout * 1000, global)),
    globalDeadline: new Date(global),
  }
}
