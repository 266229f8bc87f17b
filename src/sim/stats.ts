/**
 * Per-operation call counts, served at `GET /_sim/stats` so that tests and benchmarks can count the API calls
 * a command made. The JSON shape (a stable contract for tests):
 *
 *   {
 *     "operations": {"ecs:ListTasks": {"calls": 3, "throttled": 1, "errors": 0}, ...},
 *     "totals": {"calls": 3, "throttled": 1, "errors": 0}
 *   }
 *
 * `calls` counts every request that named an operation, whatever its outcome; `throttled` those answered
 * with an injected throttling error; `errors` those answered with any other error (injected server faults
 * and the world's own errors alike). Keys are `service:Operation`.
 */

export interface OperationCounts {
  calls: number
  throttled: number
  errors: number
}

export interface StatsSnapshot {
  operations: Record<string, OperationCounts>
  totals: OperationCounts
}

export type CallOutcome = 'ok' | 'throttled' | 'error'

export class SimStats {
  private readonly counts = new Map<string, OperationCounts>()

  record(service: string, operation: string, outcome: CallOutcome): void {
    const key = `${service}:${operation || '(unknown)'}`
    let counts = this.counts.get(key)
    if (!counts) {
      counts = {calls: 0, throttled: 0, errors: 0}
      this.counts.set(key, counts)
    }
    counts.calls++
    if (outcome === 'throttled') counts.throttled++
    if (outcome === 'error') counts.errors++
  }

  snapshot(): StatsSnapshot {
    const operations: Record<string, OperationCounts> = {}
    const totals: OperationCounts = {calls: 0, throttled: 0, errors: 0}
    for (const key of [...this.counts.keys()].sort()) {
      const counts = {...this.counts.get(key)!}
      operations[key] = counts
      totals.calls += counts.calls
      totals.throttled += counts.throttled
      totals.errors += counts.errors
    }
    return {operations, totals}
  }

  reset(): void {
    this.counts.clear()
  }
}
