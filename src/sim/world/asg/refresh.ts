import {SimError, type SimTimer} from '../../types.js'
import type {State} from '../state.js'
import {beginTermination, inCapacity, iso, reconcileCapacity} from './groups.js'
import type {AsgInstance, Group, InstanceRefresh} from './model.js'

/**
 * Instance refresh (StartInstanceRefresh), batch by batch:
 * - MaxHealthyPercentage > 100: launch replacements first (up to max % of desired), wait until they are
 *   InService and registered with ECS, then terminate as many old instances; as the seed's rolling update.
 * - MaxHealthyPercentage = 100: terminate first, keeping MinHealthyPercentage in service (at least one at a
 *   time, as AWS does), and launch replacements as the old ones leave.
 * A batch ends when its old instances are gone, so lifecycle hooks hold the refresh as they do in AWS.
 */

interface RefreshState extends InstanceRefresh {
  terminating: Set<string>
  warmTimer?: SimTimer
}

export function installRefresh(state: State): void {
  // Many instances change at the same instant (a batch going InService): one step looks at them all.
  const pending = new Set<Group>()
  state.onGroupChange = (g) => {
    if (pending.has(g) || g.refreshes[0]?.status !== 'InProgress') return
    pending.add(g)
    state.after(0, () => {
      pending.delete(g)
      stepRefresh(state, g)
    })
  }
}

function ready(g: Group, i: AsgInstance): boolean {
  return i.lifecycleState === 'InService' && (i.registered || !g.clusterName)
}

export interface RefreshPreferences {
  minHealthyPercentage?: number
  maxHealthyPercentage?: number
  instanceWarmupSeconds?: number
}

export function startRefresh(state: State, g: Group, prefs: RefreshPreferences): InstanceRefresh {
  const current = g.refreshes[0]
  if (
    current &&
    (current.status === 'Pending' || current.status === 'InProgress' || current.status === 'Cancelling')
  )
    throw new SimError(
      'InstanceRefreshInProgress',
      'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
    )
  const min = prefs.minHealthyPercentage ?? 90
  const max = prefs.maxHealthyPercentage ?? 100
  if (min < 0 || min > 100)
    throw new SimError('ValidationError', 'MinHealthyPercentage must be between 0 and 100.')
  if (max < 100 || max > 200)
    throw new SimError('ValidationError', 'MaxHealthyPercentage must be between 100 and 200.')
  if (max - min > 100)
    throw new SimError(
      'ValidationError',
      'The difference between MaxHealthyPercentage and MinHealthyPercentage must be at most 100.',
    )
  const toReplace = new Set([...g.instances.values()].filter(inCapacity).map((i) => i.id))
  const r: RefreshState = {
    id: state.ids.uuid(),
    groupName: g.name,
    status: 'InProgress',
    startTime: state.now(),
    minHealthyPercentage: min,
    maxHealthyPercentage: max,
    instanceWarmupSeconds: prefs.instanceWarmupSeconds ?? 0,
    toReplace,
    total: toReplace.size,
    preferences: {},
    terminating: new Set(),
  }
  g.refreshes.unshift(r)
  if (g.refreshes.length > 50) g.refreshes.length = 50
  // New instances come from the next launch template version, so they are never taken for old ones.
  g.launchTemplate.Version = String(Number(g.launchTemplate.Version) + 1)
  stepRefresh(state, g)
  return r
}

export function percentComplete(r: InstanceRefresh): number {
  if (r.status === 'Successful') return 100
  const pending = r.toReplace.size + (r as RefreshState).terminating.size
  return r.total === 0 ? 100 : Math.floor((100 * (r.total - pending)) / Math.max(r.total, pending))
}

export function stepRefresh(state: State, g: Group): void {
  const r = g.refreshes[0] as RefreshState | undefined
  if (!r || r.status !== 'InProgress') return
  for (const id of r.toReplace) {
    const inst = g.instances.get(id)
    if (!inst || !inCapacity(inst)) r.toReplace.delete(id)
  }
  for (const id of r.terminating) if (!g.instances.has(id)) r.terminating.delete(id)
  const live = [...g.instances.values()].filter(inCapacity)
  const fresh = live.filter((i) => !r.toReplace.has(i.id))
  const unready = fresh.filter((i) => !ready(g, i))
  // A batch is over when its replacements are ready and its old instances are gone.
  if (unready.length > 0 || r.terminating.size > 0) return
  // ... and once the newest replacement has warmed up (InstanceWarmup after it entered InService).
  const warmAt = Math.max(0, ...fresh.map((i) => (i.inServiceAt ?? 0) + r.instanceWarmupSeconds * 1000))
  if (warmAt > state.now()) {
    r.warmTimer ??= state.after(warmAt - state.now(), () => {
      r.warmTimer = undefined
      stepRefresh(state, g)
    })
    return
  }
  if (r.toReplace.size === 0) {
    r.status = 'Successful'
    r.endTime = state.now()
    g.surge = 0
    return
  }
  const desired = g.desiredCapacity
  const old = [...r.toReplace].map((id) => g.instances.get(id)!).sort((a, b) => a.seq - b.seq)
  const terminate = (victims: AsgInstance[]) => {
    for (const v of victims) {
      r.terminating.add(v.id)
      r.toReplace.delete(v.id)
      const now = iso(state.now())
      beginTermination(
        state,
        g,
        v,
        `At ${now} an instance was taken out of service in response to an instance refresh.  ` +
          `At ${now} instance ${v.id} was selected for termination.`,
      )
    }
  }
  const launchCause = () =>
    `At ${iso(state.now())} an instance was launched in response to an instance refresh.`
  if (r.maxHealthyPercentage > 100) {
    if (g.surge > 0) {
      // The surge instances are ready: the same number of old ones may go.
      const n = Math.min(g.surge, old.length)
      g.surge -= n
      terminate(old.slice(0, n))
      return
    }
    const room = Math.max(1, Math.floor((desired * r.maxHealthyPercentage) / 100) - desired)
    g.surge = Math.min(room, old.length)
    reconcileCapacity(state, g, launchCause)
    return
  }
  const minHealthy = Math.ceil((desired * r.minHealthyPercentage) / 100)
  const healthy = live.filter((i) => ready(g, i)).length
  terminate(old.slice(0, Math.max(1, Math.min(old.length, healthy - minHealthy))))
  reconcileCapacity(state, g, launchCause)
}

/**
 * `--rollout-every`: start a refresh again and again, launching before terminating as the seed's rolling
 * update does: one instance at a time for a small group, a tenth of the group per batch for a large one.
 */
export function startRollouts(state: State, g: Group, everyMs: number): void {
  state.after(everyMs, () => {
    const current = g.refreshes[0]
    if (!current || current.status !== 'InProgress')
      startRefresh(state, g, {
        minHealthyPercentage: 100,
        maxHealthyPercentage: g.desiredCapacity >= 10 ? 110 : 200,
      })
    startRollouts(state, g, everyMs)
  })
}
