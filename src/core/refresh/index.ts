/**
 * `ecsdrain refresh`: a rolling replacement of a group's instances, planned, followed and guarded.
 *   const plan = await planRefresh(ports, options)        // read-only: what --dry-run prints
 *   const result = await followRefresh(ports, plan.groups[0], followOptions)
 * See plan.ts (preflight), batch.ts (the largest safe batch), drainer.ts (who drains), follow.ts (the run)
 * and guards.ts. Types in types.ts are the JSON contract of `refresh --json`.
 */
import type {RefreshOutcome} from './types.js'

export {planRefresh, templateLabel, type RefreshPorts, type RefreshPlanOptions} from './plan.js'
export {followRefresh, followRefreshes, type FollowOptions} from './follow.js'
export {largestSafeBatch, percentagesFor, batchProblem} from './batch.js'
export {whoDrains} from './drainer.js'
export {guardServices, minimumOf} from './guards.js'
export type * from './types.js'

/** The most serious outcome decides: interrupted, failed or stopped, timeout, refused, then success. */
export function refreshExitCode(outcomes: RefreshOutcome[]): number {
  if (outcomes.includes('interrupted')) return 130
  if (outcomes.includes('failed') || outcomes.includes('stopped')) return 1
  if (outcomes.includes('timeout')) return 3
  if (outcomes.includes('refused')) return 4
  return 0
}
