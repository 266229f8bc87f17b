/**
 * From what AWS still holds about a window to the report: each replaced instance's timeline, the tasks it
 * moved, each service's lowest running count, the outage minutes and the verdict. Pure.
 *
 * What AWS records, and what is inferred here:
 * - terminating and terminated: the Auto Scaling activity "Terminating EC2 instance: i-..." (StartTime,
 *   EndTime) - a record ("DescribeScalingActivities", https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingActivities.html);
 * - DRAINING: ECS keeps no time for it; the first of the instance's tasks told to stop (stoppingAt) stands for it;
 * - last task STOPPED: the tasks' stoppedAt, while ECS still describes them (a STOPPED task for about an hour,
 *   "Amazon ECS task lifecycle", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html);
 * - lifecycle action completed: Auto Scaling records neither when nor by whom nor with what result; the hooks
 *   of the group say who acts on them, and a wait as long as the HeartbeatTimeout means it timed out;
 * - running counts: ECS keeps no history of runningCount; it is counted from the tasks that started and
 *   stopped in the window (service events name the started ones; ListTasks STOPPED the stopped ones).
 */
import type {
  InstanceRefresh,
  LifecycleHookInfo,
  MetricPoint,
  ScalingActivity,
  ServiceInfo,
  TaskInfo,
} from '../types.js'
import type {
  ClusterReport,
  MovedTask,
  ReplacedInstance,
  ReportVerdict,
  ServiceWindow,
  TimelineStep,
} from './types.js'

export interface ReportEvidence {
  cluster: string
  window: {start: number; end: number}
  now: number
  activities: ScalingActivity[]
  refreshes: InstanceRefresh[]
  services: ServiceInfo[]
  /**
   * When the services (and so their runningCount) were read, in the region's time; `now` when absent. The
   * tasks are read after them: one that started or stopped in between must not be counted against it.
   */
  servicesReadAt?: number
  /** The tasks ECS still describes among those that started or stopped in the window. */
  tasks: TaskInfo[]
  /** Container instance ARN -> EC2 id, for those ECS still describes. */
  instanceOf: ReadonlyMap<string, string>
  hooks: ReadonlyMap<string, LifecycleHookInfo[]>
  stackTopicArn: string | null
  memory: MetricPoint[]
}

const TERMINATING = /^Terminating EC2 instance: (i-[0-9a-f]+)/
const LAUNCHING = /^Launching a new EC2 instance: (i-[0-9a-f]+)/
const MANAGED_HOOK = 'ecs-managed-draining-termination-hook'
/** A STOPPED task ECS has forgotten: about an hour (the task lifecycle page). */
const STOPPED_TASK_RETENTION_MS = 3_600_000

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString()
const ms = (d: Date | null | undefined) => (d ? d.getTime() : null)
const serviceOf = (t: TaskInfo) => (t.group.startsWith('service:') ? t.group.slice(8) : null)

export function buildReport(e: ReportEvidence): ClusterReport {
  const inWindow = (a: ScalingActivity) =>
    a.startTime.getTime() >= e.window.start && a.startTime.getTime() <= e.window.end
  const activities = e.activities
    .filter(inWindow)
    .sort((a, b) => a.startTime.getTime() - b.startTime.getTime())
  const instances = activities
    .filter((a) => TERMINATING.test(a.description))
    .map((a) => replacedInstance(e, a))
  const launched = activities.flatMap((a) => {
    const id = LAUNCHING.exec(a.description)?.[1]
    return id
      ? [{ec2InstanceId: id, autoScalingGroupName: a.autoScalingGroupName, at: a.startTime.toISOString()}]
      : []
  })
  const minutes = e.memory
    .filter((p) => p.timestamp.getTime() >= e.window.start - 60_000 && p.timestamp.getTime() <= e.window.end)
    .map((p) => ({at: p.timestamp.toISOString(), minimum: p.value}))
  const outageMinutes = minutes.filter((m) => m.minimum <= 0).map((m) => m.at)
  const services = e.services.filter((s) => s.schedulingStrategy !== 'DAEMON').map((s) => serviceWindow(e, s))
  return {
    cluster: e.cluster,
    window: {start: new Date(e.window.start).toISOString(), end: new Date(e.window.end).toISOString()},
    refreshes: e.refreshes.map((r) => ({
      instanceRefreshId: r.instanceRefreshId,
      autoScalingGroupName: r.autoScalingGroupName,
      status: r.status,
      percentageComplete: r.percentageComplete,
      startTime: iso(ms(r.startTime)),
      endTime: iso(ms(r.endTime)),
      statusReason: r.statusReason ?? null,
    })),
    instances,
    launched,
    services,
    memoryReservation: {minutes, outageMinutes},
    verdict: verdict(e, outageMinutes, services),
    limits: limits(e, minutes.length),
  }
}

function step(at: number | null, evidence: TimelineStep['evidence'], note: string): TimelineStep {
  return {at: iso(at), evidence: at === null && evidence !== 'inferred' ? 'unknown' : evidence, note}
}

function replacedInstance(e: ReportEvidence, a: ScalingActivity): ReplacedInstance {
  const id = TERMINATING.exec(a.description)![1]!
  const group = a.autoScalingGroupName
  const tasks = e.tasks.filter(
    (t) => t.containerInstanceArn && e.instanceOf.get(t.containerInstanceArn) === id,
  )
  const stopping = tasks
    .map((t) => ms(t.stoppingAt))
    .filter((x): x is number => x !== null && x >= a.startTime.getTime() - 60_000)
  const stoppedAts = tasks.map((t) => ms(t.stoppedAt)).filter((x): x is number => x !== null)
  const killed = tasks.filter(
    (t) => t.stopCode === 'TerminationNotice' || /terminated\.?$/i.test(t.stoppedReason ?? ''),
  )
  const drained = tasks.filter((t) => !killed.includes(t))
  const start = a.startTime.getTime()
  const end = ms(a.endTime)
  const lastStopped = stoppedAts.length ? Math.max(...stoppedAts) : null
  const tasksMoved: MovedTask[] = tasks.map((t) => ({
    taskArn: t.taskArn,
    service: serviceOf(t),
    stoppedAt: iso(ms(t.stoppedAt)),
    stopCode: t.stopCode ?? null,
    stoppedReason: t.stoppedReason,
  }))
  const draining =
    drained.length > 0 && stopping.length > 0
      ? step(
          Math.min(...stopping),
          'inferred',
          'ECS records no time for DRAINING: this is when the first of its tasks was told to stop',
        )
      : killed.length > 0
        ? step(null, 'inferred', 'never DRAINING: its tasks were still running when EC2 terminated it')
        : step(
            null,
            'unknown',
            tasks.length === 0
              ? 'ECS no longer describes its tasks (STOPPED tasks are kept about an hour), or it ran none'
              : 'no task of it was told to stop before the termination',
          )
  return {
    ec2InstanceId: id,
    autoScalingGroupName: group,
    timeline: {
      terminating: step(
        start,
        'auto-scaling',
        `scaling activity: ${a.cause.split('  ')[0] || a.description}`,
      ),
      draining,
      lastTaskStopped:
        lastStopped === null
          ? step(null, 'unknown', 'ECS no longer describes its tasks, or it ran none')
          : step(lastStopped, 'ecs', `${tasks.length} task(s): the last stoppedAt (DescribeTasks)`),
      lifecycleActionCompleted: lifecycle(
        e.hooks.get(group) ?? [],
        e.stackTopicArn,
        start,
        end,
        killed.length > 0,
      ),
      terminated:
        end === null
          ? step(null, 'unknown', `not yet: the activity is ${a.statusCode}`)
          : step(end, 'auto-scaling', `scaling activity ${a.statusCode}`),
    },
    tasksMoved,
    terminatedWithTasks: killed.length > 0,
  }
}

function lifecycle(
  hooks: LifecycleHookInfo[],
  stackTopic: string | null,
  start: number,
  end: number | null,
  killed: boolean,
): TimelineStep & {by: string; result: string} {
  const terminating = hooks.filter((h) => h.transition === 'autoscaling:EC2_INSTANCE_TERMINATING')
  const result = 'not recorded by AWS (CONTINUE and ABANDON both terminate)'
  if (terminating.length === 0)
    return {
      ...step(null, 'inferred', 'the group has no terminating lifecycle hook now: nothing held the instance'),
      by: 'nobody',
      result: 'none',
    }
  const waited = end === null ? null : (end - start) / 1000
  const shortest = Math.min(...terminating.map((h) => h.heartbeatTimeout))
  const timedOut = waited !== null && waited >= shortest
  const h = terminating[0]!
  const by = timedOut
    ? `nobody: the wait (${Math.round(waited!)} s) reached HeartbeatTimeout ${shortest} s, so the hook's default result applied`
    : h.hookName === MANAGED_HOOK
      ? 'ECS capacity-provider managed draining'
      : h.notificationTargetArn && h.notificationTargetArn === stackTopic
        ? `the ecsdrain stack's Lambda (hook ${h.hookName} notifies its topic)`
        : h.notificationTargetArn
          ? `the drain function behind ${h.notificationTargetArn}`
          : `CompleteLifecycleAction on hook ${h.hookName}: ecsdrain or an operator (AWS does not record who)`
  return {
    ...step(
      end,
      'inferred',
      `Auto Scaling terminates once the action completes and records no completion time: taken as the termination${killed ? '; tasks were still running, so it completed early' : ''}`,
    ),
    by,
    result: timedOut ? `${h.defaultResult} (the hook's DefaultResult)` : result,
  }
}

/**
 * Where the counting can be trusted from: not before the window, nor before the hour for which ECS still
 * describes STOPPED tasks (a task that ran then and stopped since would be missed, so the count would read
 * too low: a false outage).
 */
const countedFrom = (e: ReportEvidence) => Math.max(e.window.start, e.now - STOPPED_TASK_RETENTION_MS)
/** The moment the services were read: each runningCount is the count then, and counting ends there. */
const servicesReadAt = (e: ReportEvidence) => e.servicesReadAt ?? e.now

interface Interval {
  start: number
  end: number | null
}

/**
 * The fewest RUNNING at any moment of the window that the evidence covers: the count at the moment A the
 * services were read (runningCount), adjusted by the tasks that started and stopped between that moment and
 * the other. That is exact only up to A: a task started after A and still running when the tasks were read
 * appears in no record read (it is not STOPPED, and its "has started" event came after the events were
 * read), so past A its replacement would be missed and a drain read as a dip, even to a false 0 (a read
 * that takes long, as on a sim whose clock runs fast, ends well after A). So nothing after A is counted.
 */
function serviceWindow(e: ReportEvidence, s: ServiceInfo): ServiceWindow {
  const minimumHealthy = Math.ceil((s.desiredCount * s.minimumHealthyPercent) / 100)
  const intervals: Interval[] = e.tasks
    .filter((t) => serviceOf(t) === s.serviceName && t.startedAt)
    .map((t) => ({
      start: t.startedAt!.getTime(),
      end: ms(t.stoppingAt) ?? ms(t.stoppedAt) ?? (t.desiredStatus === 'STOPPED' ? e.now : null),
    }))
  // runningCount is the count at the moment the services were read (A); any other moment's count is that,
  // less the tasks running at A but not then, plus those running then but not at A.
  const anchor = servicesReadAt(e)
  const runs = (i: Interval, p: number) => i.start <= p && (i.end === null || p < i.end)
  const runningAt = (p: number) => {
    let n = s.runningCount
    let known = 0
    for (const i of intervals) {
      const atAnchor = runs(i, anchor)
      const atP = runs(i, p)
      if (atP) known++
      if (atAnchor && !atP) n--
      else if (!atAnchor && atP) n++
    }
    // The tasks ECS describes as RUNNING then did run then: never count fewer (an anchor read a little
    // late, or a task ECS has forgotten, would otherwise lower the count below what the records prove).
    return Math.max(0, n, known)
  }
  const from = countedFrom(e)
  const until = Math.min(anchor, e.window.end)
  // The moment of the read itself is evidence (runningCount then), even before the hour counted.
  const atRead = anchor >= e.window.start && anchor <= e.window.end ? [anchor] : []
  const points = [from, ...intervals.flatMap((i) => [i.start, i.end ?? from]), until]
    .filter((p) => p >= from && p <= until)
    .concat(from > until ? atRead : [])
    .sort((a, b) => a - b)
  // A service still starting up (created in the window, or before ECS's evidence begins) is not an outage:
  // count from the first moment it ran its desired count, or from the start if it never did.
  const counts = points.map((p) => ({p, n: runningAt(p)}))
  const steady = counts.findIndex((c) => c.n >= s.desiredCount)
  let lowest = Number.POSITIVE_INFINITY
  let lowestAt: number | null = null
  for (const {p, n} of steady < 0 ? counts : counts.slice(steady)) {
    if (n < lowest) {
      lowest = n
      lowestAt = p
    }
  }
  if (!Number.isFinite(lowest)) lowest = s.runningCount
  return {
    service: s.serviceName,
    desiredCount: s.desiredCount,
    minimumHealthy,
    lowestRunning: lowest,
    lowestAt: iso(lowestAt),
    belowMinimum: lowest < minimumHealthy,
    countedFrom: new Date(from > until ? anchor : from).toISOString(),
    countedUntil: new Date(from > until ? anchor : until).toISOString(),
  }
}

function verdict(e: ReportEvidence, outage: string[], services: ServiceWindow[]): ReportVerdict {
  // A service at 0 is an outage only at a moment the count covers (lowestAt): not a count from outside it.
  const zero = services.filter((s) => s.desiredCount > 0 && s.lowestRunning === 0 && s.lowestAt !== null)
  if (outage.length > 0) {
    const first = outage[0]!
    const t = Date.parse(first)
    const at = zero.find((s) => s.lowestAt && Math.abs(Date.parse(s.lowestAt) - t) <= 120_000) ?? zero[0]
    return {
      outage: true,
      outageMinutes: outage.length,
      firstAt: first,
      service: at?.service ?? null,
      text: `outage: ${outage.length} minute(s), first at ${first}${at ? `, service ${at.service} at 0 running` : ''}`,
    }
  }
  if (zero.length > 0)
    return {
      outage: true,
      outageMinutes: 0,
      firstAt: zero[0]!.lowestAt,
      service: zero[0]!.service,
      text: `outage: service ${zero[0]!.service} at 0 running at ${zero[0]!.lowestAt} (the cluster's MemoryReservation never reached 0 %)`,
    }
  const short = services.filter((s) => s.belowMinimum).map((s) => s.service)
  return {
    outage: false,
    outageMinutes: 0,
    firstAt: null,
    service: null,
    text: short.length ? `no outage (below the minimum healthy count: ${short.join(', ')})` : 'no outage',
  }
}

function limits(e: ReportEvidence, metricMinutes: number): string[] {
  const out = [
    'Auto Scaling records no lifecycle-action completion (time, caller, result): that step is inferred from the hooks and the termination time.',
    'ECS records no time for DRAINING: it is taken from the first task told to stop.',
    "ECS keeps no history of a service's runningCount: it is counted from the tasks started (service events, newest 100 kept) and stopped (ListTasks STOPPED) in the window, from the first moment the service ran its desired count.",
  ]
  const readAt = servicesReadAt(e)
  if (readAt < e.window.end)
    out.push(
      `Running counts end at ${new Date(readAt).toISOString()}, when the services were read: a task started after that is in no record read, so later moments are not counted.`,
    )
  if (e.window.start < e.now - STOPPED_TASK_RETENTION_MS)
    out.push(
      `ECS describes STOPPED tasks for about an hour: before ${new Date(e.now - STOPPED_TASK_RETENTION_MS).toISOString()} tasks stopped may be missing, so timelines there can be incomplete and running counts start there.`,
    )
  if (metricMinutes === 0)
    out.push('CloudWatch returned no MemoryReservation data for the window: outage minutes cannot be told.')
  return out
}
