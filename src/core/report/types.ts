/**
 * The JSON contract of `ecsdrain report --json` (pinned by test/core/report/report-shape.test.ts and
 * documented in the README): what a past window did to a cluster's services, read back from AWS. Times are
 * ISO 8601 strings. Fields are only ever added.
 */

/** Where a fact comes from: an AWS record, or ecsdrain's inference from several (then `note` says how). */
export type Evidence = 'auto-scaling' | 'ecs' | 'cloudwatch' | 'inferred' | 'unknown'

export interface TimelineStep {
  at: string | null
  evidence: Evidence
  note: string
}

export interface MovedTask {
  taskArn: string
  service: string | null
  stoppedAt: string | null
  stopCode: string | null
  stoppedReason: string | null
}

export interface ReplacedInstance {
  ec2InstanceId: string
  autoScalingGroupName: string
  timeline: {
    terminating: TimelineStep
    draining: TimelineStep
    lastTaskStopped: TimelineStep
    lifecycleActionCompleted: TimelineStep & {by: string; result: string}
    terminated: TimelineStep
  }
  /** Its tasks that ECS still describes, stopped as it left. */
  tasksMoved: MovedTask[]
  /** True when a task was still running when EC2 terminated the instance (ECS's TerminationNotice). */
  terminatedWithTasks: boolean
}

export interface ServiceWindow {
  service: string
  desiredCount: number
  /** ceil(desired x minimumHealthyPercent / 100), as now configured. */
  minimumHealthy: number
  /** The fewest tasks RUNNING at any moment of the window, and when that was first true. */
  lowestRunning: number
  lowestAt: string | null
  belowMinimum: boolean
  /**
   * The part of the window the count covers: from the window's start (or the hour for which ECS still
   * describes STOPPED tasks) to the moment the services were read. Nothing outside it is counted.
   */
  countedFrom: string
  countedUntil: string
}

export interface MetricMinute {
  at: string
  /** MemoryReservation, statistic Minimum, period 60 s (percent). */
  minimum: number
}

export interface ReportRefresh {
  instanceRefreshId: string
  autoScalingGroupName: string
  status: string
  percentageComplete: number
  startTime: string | null
  endTime: string | null
  statusReason: string | null
}

export interface ReportVerdict {
  outage: boolean
  /** Minutes whose MemoryReservation Minimum was 0 %. */
  outageMinutes: number
  firstAt: string | null
  /** The service at 0 running then (or, without a 0 % minute, the first service that was), or null. */
  service: string | null
  text: string
}

export interface ClusterReport {
  cluster: string
  window: {start: string; end: string}
  refreshes: ReportRefresh[]
  instances: ReplacedInstance[]
  /** Instances launched in the window (the replacements). */
  launched: Array<{ec2InstanceId: string; autoScalingGroupName: string; at: string}>
  services: ServiceWindow[]
  memoryReservation: {minutes: MetricMinute[]; outageMinutes: string[]}
  verdict: ReportVerdict
  /** What AWS's APIs could not tell about this window (so a reader knows what is inferred or missing). */
  limits: string[]
}
