import type {State} from '../state.js'
import {inCapacity, iso, reconcileCapacity} from './groups.js'
import {refreshTarget, sameTemplate} from './launch-templates.js'
import type {AsgInstance, Group, InstanceRefresh} from './model.js'

/**
 * An instance refresh's bookkeeping: which instances it set out to replace, how far it is (PercentageComplete
 * and InstancesToUpdate, as the API reference defines them), its timer, and how it ends. The steps that move
 * it on are in refresh.ts.
 */

export interface Tracking {
  /** The instances this run of the refresh (or of its rollback) set out to replace. */
  original: Set<string>
  /** Protected instances left alone (ScaleInProtectedInstances Ignore). */
  ignored: Set<string>
}
export type Refresh = InstanceRefresh & Tracking

/** ScaleInProtectedInstances Wait: "waits one hour for you to remove scale-in protection" (RefreshPreferences). */
export const PROTECTION_WAIT_MS = 3_600_000

export function ready(g: Group, i: AsgInstance): boolean {
  return i.lifecycleState === 'InService' && (i.registered || !g.clusterName)
}

export const warmAt = (r: InstanceRefresh, i: AsgInstance) =>
  (i.inServiceAt ?? 0) + r.preferences.instanceWarmupSeconds * 1000

export function selectWork(g: Group, r: Refresh): void {
  const target = refreshTarget(r)
  r.toReplace.clear()
  r.original.clear()
  r.ignored.clear()
  let live = 0
  for (const i of g.instances.values()) {
    if (!inCapacity(i)) continue
    live++
    if (i.protectedFromScaleIn && r.preferences.scaleInProtectedInstances === 'Ignore') r.ignored.add(i.id)
    else if (r.status === 'RollbackInProgress' || r.preferences.skipMatching) {
      if (!sameTemplate(i.launchTemplate, target)) r.toReplace.add(i.id)
    } else r.toReplace.add(i.id)
  }
  for (const id of r.toReplace) r.original.add(id)
  r.total = live - r.ignored.size
}

export function refreshProgress(
  state: State,
  g: Group,
  r: InstanceRefresh,
): {percentageComplete: number; instancesToUpdate: number} {
  const t = r as Refresh
  let updated = 0
  for (const i of g.instances.values()) {
    if (!inCapacity(i) || t.original.has(i.id) || t.ignored.has(i.id)) continue
    if (ready(g, i) && warmAt(r, i) <= state.now()) updated++
  }
  updated = Math.min(updated, r.total)
  const done = r.status === 'Successful' || r.status === 'RollbackSuccessful' || r.status === 'Baking'
  if (r.total === 0 || (done && r.toReplace.size === 0))
    return {percentageComplete: 100, instancesToUpdate: 0}
  return {percentageComplete: Math.floor((100 * updated) / r.total), instancesToUpdate: r.total - updated}
}

/** (Re)arms the refresh's one timer: `then` runs at sim time `at`. */
export function arm(state: State, r: InstanceRefresh, at: number, then: () => void): void {
  state.cancel(r.timer)
  r.timer = state.after(Math.max(0, at - state.now()), () => {
    r.timer = undefined
    then()
  })
}

export function end(
  state: State,
  g: Group,
  r: InstanceRefresh,
  status: InstanceRefresh['status'],
  reason?: string,
) {
  state.cancel(r.timer)
  r.status = status
  r.statusReason = reason
  r.endTime = state.now()
  r.pausedUntil = undefined
  if (status === 'Successful' && r.desired) g.launchTemplate = {...r.desired}
  if (g.surge > 0) {
    g.surge = 0
    reconcileCapacity(
      state,
      g,
      (n, m) =>
        `At ${iso(state.now())} the capacity was changed from ${n} to ${m} as the instance refresh ended.`,
    )
  }
}

export function reversible(g: Group, r: InstanceRefresh): boolean {
  const dynamic = (v: string) => v === '$Latest' || v === '$Default'
  return !!r.desired && !dynamic(r.desired.Version) && !dynamic(r.previous.Version)
}
