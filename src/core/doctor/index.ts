/**
 * `ecsdrain doctor`: a read-only lint of clusters' drain set-ups (the spirit of popeye for k9s). It reads
 * (gather.ts), then runs pure checks over what it read, each finding with its evidence and its fix:
 * - drainers (checks-drainers.ts): none, none automatic, two at once, DefaultResult ABANDON;
 * - timing (checks-timing.ts): HeartbeatTimeout, global timeout and stopTimeouts against the stops;
 * - services (checks-services.ts): deadlocks, no room when one instance drains, one-instance constraints,
 *   services on one instance or one AZ;
 * - protection (checks-protection.ts): daemon-only protected instances, task protection near 48 h, refresh
 *   settings that go below a service's minimum;
 * - the hook stack (checks-stack.ts): present, current, healthy, quiet and telling someone.
 * It makes no call that changes anything: the ports it gets offer reads only.
 */
import {ExitCode} from '../errors.js'
import {drainerChecks} from './checks-drainers.js'
import {protectionChecks} from './checks-protection.js'
import {serviceChecks} from './checks-services.js'
import {stackChecks} from './checks-stack.js'
import {timingChecks} from './checks-timing.js'
import {gatherCluster, type ClusterFacts, type DoctorPorts} from './gather.js'
import {SEVERITIES, type CheckId, type DoctorReport, type Finding, type Severity} from './types.js'

export type {DoctorPorts} from './gather.js'
export type * from './types.js'

export const CHECKS: readonly CheckId[] = [
  'no-drainer',
  'hook-without-target',
  'two-drainers',
  'default-result-abandon',
  'heartbeat-too-short',
  'global-timeout-too-short',
  'stop-timeout-over-hook',
  'deadlock',
  'no-room-on-n-1',
  'single-instance-constraint',
  'single-instance-service',
  'single-az-service',
  'daemon-only-protected-instance',
  'task-protection-near-limit',
  'refresh-below-minimum',
  'stack-missing',
  'stack-unhealthy',
  'stack-version',
  'dead-letters',
  'alarm-firing',
  'alarm-notifies-nobody',
  'function-errors',
  'function-throttles',
  'unreadable',
]

const WEIGHT: Record<Severity, number> = {error: 20, warn: 5, info: 1}

export interface DoctorOptions {
  clusters: string[]
  /** The CLI's version, which the stack's Version output should equal. */
  version: string
  /** The stack `ecsdrain install` would make for a cluster (`ecsdrain-<cluster>`). */
  defaultStackName(cluster: string): string
  /** Told when a cluster's reads begin (for progress on stderr). */
  onCluster?(cluster: string): void
}

export function checkCluster(facts: ClusterFacts, version: string): Finding[] {
  const unreadable: Finding[] = facts.unreadable.map((u) => ({
    check: 'unreadable',
    severity: 'info',
    cluster: facts.cluster,
    resource: `cluster/${facts.cluster}`,
    message: `could not read ${u.what}: ${u.error}. The checks that need it were skipped.`,
    evidence: {read: u.what, error: u.error},
    fix: 'grant the read (doctor needs only Describe*, List* and Get* calls), or run with a role that has it',
  }))
  return [
    ...drainerChecks(facts),
    ...timingChecks(facts),
    ...serviceChecks(facts),
    ...protectionChecks(facts),
    ...stackChecks(facts, version),
    ...unreadable,
  ]
}

export function summarize(findings: Finding[], clusters: string[], version: string, at: Date): DoctorReport {
  const order = (f: Finding) => SEVERITIES.indexOf(f.severity)
  const sorted = [...findings].sort(
    (a, b) =>
      order(a) - order(b) ||
      a.cluster.localeCompare(b.cluster) ||
      a.resource.localeCompare(b.resource) ||
      a.check.localeCompare(b.check),
  )
  const counts = {error: 0, warn: 0, info: 0}
  for (const f of findings) counts[f.severity]++
  const penalty = SEVERITIES.reduce((sum, s) => sum + WEIGHT[s] * counts[s], 0)
  return {
    version,
    checkedAt: at.toISOString(),
    clusters,
    score: Math.max(0, 100 - penalty),
    counts,
    findings: sorted,
    checks: [...CHECKS],
  }
}

export async function runDoctor(ports: DoctorPorts, options: DoctorOptions): Promise<DoctorReport> {
  const findings: Finding[] = []
  for (const cluster of options.clusters) {
    options.onCluster?.(cluster)
    const facts = await gatherCluster(ports, cluster, options.defaultStackName(cluster))
    findings.push(...checkCluster(facts, options.version))
  }
  return summarize(findings, options.clusters, options.version, new Date(ports.clock.now()))
}

/** What `--fail-on` makes of a report: 5 when a finding at or above the level exists, else 0. */
export type FailOn = Severity | 'never'

export function doctorExitCode(report: DoctorReport, failOn: FailOn): number {
  if (failOn === 'never') return ExitCode.ok
  const levels = SEVERITIES.slice(0, SEVERITIES.indexOf(failOn) + 1)
  return report.findings.some((f) => levels.includes(f.severity)) ? ExitCode.findings : ExitCode.ok
}
