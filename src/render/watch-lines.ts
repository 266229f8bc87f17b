/**
 * `watch` without a TTY: one plain line per refresh (for a pipe or CI log), or with --json one NDJSON
 * snapshot per refresh. Errors and ecsdrain's own actions are logs: they go to stderr, so stdout stays one
 * record per refresh.
 */
import type {PollerError, PollerUpdate} from '../core/poller.js'
import type {ClusterSnapshot, MetricPoint} from '../core/types.js'
import {liveMemoryReservation, type Store} from '../core/watch/store.js'
import {instancesJson, type InstanceJson} from './instances.js'

export interface WatchSnapshotJson {
  type: 'snapshot'
  at: string
  cluster: string
  instances: InstanceJson[]
  services: Array<{
    serviceName: string
    desiredCount: number
    runningCount: number
    pendingCount: number
    minimumHealthyPercent: number
    maximumPercent: number
    belowMinimumHealthy: boolean
  }>
  autoScalingGroups: Array<{name: string; desired: number; min: number; max: number}>
  instanceRefreshes: Array<{id: string; group: string; status: string; percentageComplete: number}>
  memoryReservation: {
    /** Registered minus remaining memory over registered, ACTIVE and DRAINING instances, percent. */
    live: number | null
    /** The newest CloudWatch Minimum at 60 s, percent, and its minute. */
    cloudWatchMinimum: {timestamp: string; value: number} | null
    /** Minutes of the last 35 at 0 %: outages. */
    outageMinutes: string[]
  }
  apiCalls: {calls: number; throttles: number}
}

export interface WatchFrame {
  snapshot: ClusterSnapshot
  at: Date
  metric: MetricPoint[]
  live: number | null
  calls: {calls: number; throttles: number}
}

function belowMinimum(s: ClusterSnapshot['services'][number]): boolean {
  return s.runningCount < Math.ceil((s.desiredCount * s.minimumHealthyPercent) / 100)
}

export function watchSnapshotJson(f: WatchFrame): WatchSnapshotJson {
  const latest = f.metric.at(-1)
  return {
    type: 'snapshot',
    at: f.at.toISOString(),
    cluster: f.snapshot.cluster,
    instances: instancesJson(f.snapshot).instances,
    services: f.snapshot.services.map((s) => ({
      serviceName: s.serviceName,
      desiredCount: s.desiredCount,
      runningCount: s.runningCount,
      pendingCount: s.pendingCount,
      minimumHealthyPercent: s.minimumHealthyPercent,
      maximumPercent: s.maximumPercent,
      belowMinimumHealthy: belowMinimum(s),
    })),
    autoScalingGroups: f.snapshot.groups.map((g) => ({
      name: g.autoScalingGroupName,
      desired: g.desiredCapacity,
      min: g.minSize,
      max: g.maxSize,
    })),
    instanceRefreshes: f.snapshot.refreshes.map((r) => ({
      id: r.instanceRefreshId,
      group: r.autoScalingGroupName,
      status: r.status,
      percentageComplete: r.percentageComplete,
    })),
    memoryReservation: {
      live: f.live === null ? null : Math.round(f.live * 10) / 10,
      cloudWatchMinimum: latest ? {timestamp: latest.timestamp.toISOString(), value: latest.value} : null,
      outageMinutes: f.metric.filter((p) => p.value === 0).map((p) => p.timestamp.toISOString()),
    },
    apiCalls: f.calls,
  }
}

/** e.g. `03:20:01 todobackend-cluster instances 2 (ACTIVE 1, DRAINING 1; Terminating:Wait 1) tasks 1+0 ...` */
export function watchLine(f: WatchFrame): string {
  const byStatus = new Map<string, number>()
  let waiting = 0
  let running = 0
  let pending = 0
  for (const i of f.snapshot.instances) {
    byStatus.set(i.status, (byStatus.get(i.status) ?? 0) + 1)
    if (i.lifecycleState === 'Terminating:Wait') waiting += 1
    running += i.runningTasksCount
    pending += i.pendingTasksCount
  }
  const statuses = [...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')
  const degraded = f.snapshot.services.filter(belowMinimum).map((s) => s.serviceName)
  const latest = f.metric.at(-1)
  const outages = f.metric.filter((p) => p.value === 0).length
  return [
    f.at.toISOString().slice(11, 19),
    f.snapshot.cluster,
    `instances ${f.snapshot.instances.length} (${statuses || 'none'}${waiting ? `; Terminating:Wait ${waiting}` : ''})`,
    `tasks running ${running} pending ${pending}`,
    `services ${f.snapshot.services.length}${degraded.length ? ` (below minimum: ${degraded.join(', ')})` : ''}`,
    `mem live ${f.live === null ? '-' : `${f.live.toFixed(1)}%`}`,
    `cw-min ${latest ? `${latest.value.toFixed(1)}%` : '-'}${outages ? ` OUTAGE ${outages}m` : ''}`,
    `calls ${f.calls.calls} throttles ${f.calls.throttles}`,
  ].join(' | ')
}

export function watchErrorLine(at: Date, e: PollerError): string {
  return `${at.toISOString().slice(11, 19)} error: ${e.message}${e.suggestion ? ` (${e.suggestion})` : ''}; retrying in ${Math.round(e.retryInMs / 1000)}s`
}

/**
 * The non-TTY printer of `watch`: after each refresh one record on stdout (a line, or NDJSON with json);
 * polling errors, and ecsdrain's own actions as they happen, on stderr. Written to the streams directly,
 * because under --json oclif silences its log helpers and these records are the output.
 */
export function createLinePrinter(opts: {
  json: boolean
  callStats: () => {calls: number; throttles: number}
  out?: NodeJS.WritableStream
  err?: NodeJS.WritableStream
}) {
  const out = opts.out ?? process.stdout
  const err = opts.err ?? process.stderr
  const printed = new Set<string>()
  return {
    onUpdate(update: PollerUpdate, store: Store): void {
      if (update.kind === 'error') err.write(`${watchErrorLine(update.at, update.error)}\n`)
      if (update.kind !== 'refreshed') return
      const s = store.getState()
      if (!s.snapshot || !s.lastRefreshAt) return
      const {calls, throttles} = opts.callStats()
      const frame = {
        snapshot: s.snapshot,
        at: s.lastRefreshAt,
        metric: s.metric,
        live: liveMemoryReservation(s.instances),
        calls: {calls, throttles},
      }
      out.write(`${opts.json ? JSON.stringify(watchSnapshotJson(frame)) : watchLine(frame)}\n`)
    },
    /** Subscribe to the store: logs each of ecsdrain's own events (e.g. --auto-drain) once. */
    onStoreChange(store: Store): void {
      for (const e of store.getState().events) {
        if (e.source !== 'ecsdrain' || printed.has(e.id)) continue
        printed.add(e.id)
        err.write(`${e.at.toISOString().slice(11, 19)} ${e.message}\n`)
      }
    },
  }
}
