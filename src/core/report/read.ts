/**
 * Reads a past window back from AWS, with a number of calls bounded by what happened in it, never by its
 * length: the groups' scaling activities (paged, newest first, until the window's start), their instance
 * refreshes (one page each), the services (their newest 100 events come with DescribeServices), ListTasks
 * STOPPED per service, DescribeTasks for the tasks those and the events name, DescribeContainerInstances
 * for the instances they ran on, the groups' hooks, and one GetMetricData for the MemoryReservation Minimum
 * at 60 s. Nothing is described minute by minute.
 */
import {readClusterMembers} from '../cluster-members.js'
import {mapBounded} from '../concurrency.js'
import {UsageError} from '../errors.js'
import type {AutoScalingPort, CloudWatchPort, EcsDetailsPort, EcsPort} from '../ports.js'
import type {CloudFormationPort} from '../stack/port.js'
import type {InstanceRefresh, ServiceInfo} from '../types.js'
import type {ReportEvidence} from './build.js'

export interface ReportPorts {
  ecs: EcsPort
  ecsDetails: EcsDetailsPort
  autoScaling: AutoScalingPort
  cloudWatch: CloudWatchPort
  cloudFormation?: Pick<CloudFormationPort, 'describeStack'>
}

export interface ReportOptions {
  cluster: string
  now: number
  /** `--since`: the window starts this long ago and runs to now (or the last thing recorded, if later). */
  sinceMs?: number
  /** `--refresh ID`: the window is the refresh's, from a minute before it started to two after it ended. */
  refreshId?: string
  stackName: string
}

const CONCURRENCY = 4
const METRIC_MARGIN_MS = 10 * 60_000
const STARTED = /\(service (\S+)\) has started \d+ tasks?: (.*)$/

export async function readEvidence(ports: ReportPorts, options: ReportOptions): Promise<ReportEvidence> {
  const {cluster, now} = options
  const {services, groups} = await readClusterMembers(ports, cluster)
  const refreshLists = await mapBounded(groups, CONCURRENCY, (g) =>
    ports.autoScaling.describeInstanceRefreshes(g, options.refreshId ? [options.refreshId] : undefined),
  )
  const allRefreshes = refreshLists.flat()
  // `--since` counts back from AWS's now: the newest service event, when it is later than our clock (a
  // region whose clock runs fast, as the sim at --speed, is ahead of ours).
  const newestEvent = Math.max(
    0,
    ...services.flatMap((s) => s.events.slice(0, 1).map((e) => e.createdAt.getTime())),
  )
  // When the services' runningCount held, as near as AWS's own records tell (for the running counts).
  const servicesReadAt = Math.max(now, newestEvent)
  const window = chooseWindow({...options, now: servicesReadAt}, allRefreshes)
  const refreshes = allRefreshes.filter((r) => overlaps(r, window))
  const [activities, hooks, stopped, stackTopicArn] = await Promise.all([
    mapBounded(groups, CONCURRENCY, (g) =>
      ports.autoScaling.scalingActivitiesSince(g, new Date(window.start)),
    ),
    mapBounded(
      groups,
      CONCURRENCY,
      async (g) => [g, await ports.autoScaling.describeLifecycleHooks(g)] as const,
    ),
    mapBounded(services, CONCURRENCY, (s) =>
      ports.ecsDetails.listServiceTaskArns(cluster, s.serviceName, 'STOPPED'),
    ),
    stackTopic(ports.cloudFormation, options.stackName),
  ])
  // ListTasks names tasks by ARN, the events by id: describe each task once, by id (DescribeTasks takes both).
  const refs = [
    ...new Set(
      [...stopped.flat(), ...startedInWindow(services, window.start)].map((r) => r.split('/').at(-1)!),
    ),
  ]
  // The events name tasks by id, ListTasks by ARN: the same task may come back twice.
  const described = new Map(
    (await ports.ecsDetails.describeRetainedTasks(cluster, refs)).map((t) => [t.taskArn, t]),
  )
  const tasks = [...described.values()].filter((t) => {
    const last = Math.max(t.startedAt?.getTime() ?? 0, t.stoppedAt?.getTime() ?? t.stoppingAt?.getTime() ?? 0)
    return last >= window.start
  })
  const arns = [...new Set(tasks.map((t) => t.containerInstanceArn).filter((a): a is string => !!a))]
  const containerInstances = await ports.ecs.describeContainerInstances(cluster, arns)
  // AWS's "now": the last thing it recorded, when that is later than our clock (a sim whose clock runs fast).
  const seen = [
    ...tasks.flatMap((t) => [t.startedAt, t.stoppedAt, t.stoppingAt]),
    ...services.flatMap((s) => s.events.slice(0, 1).map((e) => e.createdAt)),
    ...activities.flat().map((a) => a.endTime ?? a.startTime),
  ].map((d) => d?.getTime() ?? 0)
  const regionNow = Math.max(now, ...seen)
  // `--since` runs to now. CloudWatch answers only the minutes it has, so asking a little past now costs
  // nothing and covers a region whose clock is ahead of even its last record.
  const asked = options.refreshId ? window.end : regionNow + METRIC_MARGIN_MS
  const memory = await ports.cloudWatch.memoryReservationMinimum(
    cluster,
    new Date(window.start - 60_000),
    new Date(asked + 60_000),
  )
  const lastMinute = memory.reduce((m, p) => Math.max(m, p.timestamp.getTime() + 60_000), 0)
  const end = options.refreshId ? window.end : Math.max(regionNow, Math.min(lastMinute, asked))
  return {
    cluster,
    window: {start: window.start, end},
    now: Math.max(regionNow, end),
    activities: activities.flat(),
    refreshes,
    services,
    servicesReadAt,
    tasks,
    instanceOf: new Map(containerInstances.map((i) => [i.containerInstanceArn, i.ec2InstanceId])),
    hooks: new Map(hooks),
    stackTopicArn,
    memory,
  }
}

function chooseWindow(options: ReportOptions, refreshes: InstanceRefresh[]): {start: number; end: number} {
  if (options.refreshId) {
    const r = refreshes.find((x) => x.instanceRefreshId === options.refreshId)
    if (!r?.startTime)
      throw new UsageError(`No instance refresh ${options.refreshId} in the cluster's Auto Scaling groups.`, {
        suggestion:
          'List them with `aws autoscaling describe-instance-refreshes --auto-scaling-group-name G`, or use --since 2h.',
      })
    const end = r.endTime?.getTime() ?? options.now
    return {start: r.startTime.getTime() - 60_000, end: end + 2 * 60_000}
  }
  return {start: options.now - (options.sinceMs ?? 2 * 3_600_000), end: options.now}
}

/** A refresh that was under way at some point of the window (a fast sim clock may be ahead of ours: no upper bound). */
function overlaps(r: InstanceRefresh, w: {start: number; end: number}): boolean {
  return (r.endTime?.getTime() ?? Number.POSITIVE_INFINITY) >= w.start
}

/** The task ids that "(service S) has started N tasks: (task ...)" events in the window name. */
function startedInWindow(services: ServiceInfo[], start: number): string[] {
  return services.flatMap((s) =>
    s.events
      .filter((e) => e.createdAt.getTime() >= start)
      .flatMap((e) => {
        const m = STARTED.exec(e.message)
        return m ? [...m[2]!.matchAll(/\(task ([^)\s]+)\)/g)].map((x) => x[1]!) : []
      }),
  )
}

async function stackTopic(cfn: ReportPorts['cloudFormation'], stackName: string): Promise<string | null> {
  if (!cfn) return null
  try {
    return (await cfn.describeStack(stackName))?.outputs.TopicArn ?? null
  } catch {
    return null
  }
}
