/**
 * `ecsdrain doctor`'s vocabulary. A finding is one thing a read-only look found wrong (or worth knowing)
 * with a cluster's drain set-up: how bad it is, which resource, the values read that show it, and the fix.
 * `DoctorReport` is the JSON contract of `doctor --json` (README "ecsdrain doctor"; pinned by
 * test/e2e/doctor.test.ts): fields are only ever added.
 */

/**
 * - error: instances die undrained, or a drain cannot finish (CI fails on these by default);
 * - warn: a drain will stall, outrun a timeout or hold something back, under conditions that happen;
 * - info: worth knowing, nothing is wrong yet.
 */
export type Severity = 'error' | 'warn' | 'info'

export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info']

/** Stable ids of the checks (the `check` of a finding); README lists each with what it reads. */
export type CheckId =
  | 'no-drainer'
  | 'hook-without-target'
  | 'two-drainers'
  | 'heartbeat-too-short'
  | 'global-timeout-too-short'
  | 'default-result-abandon'
  | 'stop-timeout-over-hook'
  | 'deadlock'
  | 'no-room-on-n-1'
  | 'single-instance-constraint'
  | 'single-instance-service'
  | 'single-az-service'
  | 'daemon-only-protected-instance'
  | 'task-protection-near-limit'
  | 'refresh-below-minimum'
  | 'stack-missing'
  | 'stack-unhealthy'
  | 'stack-version'
  | 'dead-letters'
  | 'alarm-firing'
  | 'alarm-notifies-nobody'
  | 'function-errors'
  | 'function-throttles'
  | 'unreadable'

export type Evidence = Record<string, string | number | boolean | null | string[] | number[]>

export interface Finding {
  check: CheckId
  severity: Severity
  /** The cluster the finding belongs to. */
  cluster: string
  /** What it is about, in AWS's terms: `group/NAME`, `hook/GROUP/NAME`, `service/NAME`, `stack/NAME`, ... */
  resource: string
  /** One sentence for an operator. */
  message: string
  /** The values read that show it (seconds, counts, names), so that the finding can be checked by hand. */
  evidence: Evidence
  /** A command to run or a template change. */
  fix: string
}

export interface DoctorReport {
  /** The ecsdrain version that looked. */
  version: string
  checkedAt: string
  clusters: string[]
  /** 0-100: 100 minus 20 per error, 5 per warning and 1 per info finding, never below 0. */
  score: number
  counts: Record<Severity, number>
  /** Errors first, then warnings, then info; in each, by cluster and resource. */
  findings: Finding[]
  /** The checks that ran (so that a missing finding means "checked and fine"). */
  checks: CheckId[]
}
