import {SimError} from '../../types.js'
import type {State} from '../state.js'
import {beginTermination, inCapacity, iso, reconcileCapacity} from './groups.js'
import {activeRefresh} from './launch-templates.js'
import type {AsgInstance, Group, InstanceRefresh, LaunchTemplateSpec, RefreshPreferences} from './model.js'
import {
  PROTECTION_WAIT_MS,
  arm,
  end,
  ready,
  refreshProgress,
  reversible,
  selectWork,
  warmAt,
  type Refresh,
} from './refresh-state.js'

/**
 * Instance refresh (StartInstanceRefresh), batch by batch, as "Use an instance refresh to update instances in
 * an Auto Scaling group" describes (https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html):
 * - MaxHealthyPercentage > 100: launch replacements first (up to max % of desired), wait until they are
 *   InService, registered with ECS and warmed up, then terminate as many old instances; as the seed's rolling
 *   update.
 * - MaxHealthyPercentage = 100 (or unset): terminate first, keeping MinHealthyPercentage in service (at least
 *   one at a time, as AWS does), and launch replacements as the old ones leave.
 * A batch ends when its old instances are gone, so lifecycle hooks hold the refresh as they do in AWS.
 * Checkpoints pause it once a percentage of the group is new ("Add checkpoints to an instance refresh",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html); skip
 * matching leaves instances already on the target configuration alone; cancel stops new replacements; a
 * rollback replaces what the refresh replaced ("Undo changes with a manual or auto rollback",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html).
 */

export function installRefresh(state: State): void {
  // Many instances change at the same instant (a batch going InService): one step looks at them all.
  const pending = new Set<Group>()
  state.onGroupChange = (g) => {
    const r = activeRefresh(g)
    if (pending.has(g) || !r || r.status === 'Baking') return
    pending.add(g)
    state.after(0, () => {
      pending.delete(g)
      stepRefresh(state, g)
    })
  }
}

/** The next step at sim time `at`. */
function armStep(state: State, g: Group, r: InstanceRefresh, at: number): void {
  arm(state, r, at, () => stepRefresh(state, g))
}

export function startRefresh(
  state: State,
  g: Group,
  request: {preferences: RefreshPreferences; desired?: LaunchTemplateSpec},
): InstanceRefresh {
  if (activeRefresh(g))
    throw new SimError(
      'InstanceRefreshInProgress',
      'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
    )
  const r: Refresh = {
    id: state.ids.uuid(),
    groupName: g.name,
    status: 'InProgress',
    startTime: state.now(),
    preferences: request.preferences,
    desired: request.desired,
    previous: {...g.launchTemplate},
    toReplace: new Set(),
    terminating: new Set(),
    total: 0,
    nextCheckpoint: 0,
    original: new Set(),
    ignored: new Set(),
  }
  selectWork(g, r)
  g.refreshes.unshift(r)
  if (g.refreshes.length > 50) g.refreshes.length = 50
  stepRefresh(state, g)
  return r
}

/** PercentageComplete and InstancesToUpdate: new instances count once healthy and warmed up (InstanceRefresh). */
function succeed(state: State, g: Group, r: InstanceRefresh): void {
  if (r.status === 'RollbackInProgress') return end(state, g, r, 'RollbackSuccessful')
  const bake = r.preferences.bakeTimeSeconds * 1000
  if (bake > 0) {
    r.status = 'Baking'
    r.statusReason = `Waiting the bake time of ${r.preferences.bakeTimeSeconds} seconds before the instance refresh is complete.`
    r.pausedUntil = state.now() + bake
    return arm(state, r, r.pausedUntil, () => end(state, g, r, 'Successful'))
  }
  end(state, g, r, 'Successful')
}

function fail(state: State, g: Group, r: Refresh, reason: string): void {
  if (r.status === 'InProgress' && r.preferences.autoRollback && reversible(g, r)) {
    return beginRollback(state, g, r, reason)
  }
  end(state, g, r, r.status === 'RollbackInProgress' ? 'RollbackFailed' : 'Failed', reason)
}

/** The refresh's next step: wait for the batch, pause at a checkpoint, or start the next batch. */
export function stepRefresh(state: State, g: Group): void {
  const r = g.refreshes[0] as Refresh | undefined
  if (!r || !['InProgress', 'RollbackInProgress', 'Cancelling'].includes(r.status)) return
  for (const id of r.toReplace) {
    const inst = g.instances.get(id)
    if (!inst || !inCapacity(inst)) r.toReplace.delete(id)
  }
  for (const id of r.terminating) if (!g.instances.has(id)) r.terminating.delete(id)
  const live = [...g.instances.values()].filter(inCapacity)
  // A batch is over when its old instances are gone and its replacements are ready and warmed up.
  if (waitForBatch(g, r, live)) return
  if (r.status === 'Cancelling') return end(state, g, r, 'Cancelled')
  const warming = live
    .filter((i) => !r.toReplace.has(i.id))
    .filter((i) => warmAt(r, i) > state.now())
    .sort((a, b) => warmAt(r, b) - warmAt(r, a))[0]
  if (warming) {
    r.statusReason = `Waiting for instances to warm up before continuing. For example: ${warming.id} is warming up.`
    return armStep(state, g, r, warmAt(r, warming))
  }
  if (r.pausedUntil !== undefined && r.pausedUntil > state.now()) return
  r.pausedUntil = undefined
  if (atCheckpoint(state, g, r)) return
  if (r.toReplace.size === 0) return succeed(state, g, r)
  startBatch(state, g, r, live)
}

/** True (with the StatusReason) while the batch's old instances terminate or its replacements launch. */
function waitForBatch(g: Group, r: Refresh, live: AsgInstance[]): boolean {
  const leaving = [...r.terminating].map((id) => g.instances.get(id)!)
  if (leaving.length > 0) {
    r.statusReason = `Waiting for instances to terminate before continuing. For example: ${leaving[0]!.id} is ${leaving[0]!.lifecycleState}.`
    return true
  }
  const unready = live.find((i) => !r.toReplace.has(i.id) && !ready(g, i))
  if (unready) {
    r.statusReason = `Waiting for instances to become healthy before continuing. For example: ${unready.id} is ${unready.lifecycleState}.`
    return true
  }
  return false
}

/** Pauses at a checkpoint once that share of the group is new; the last one (if under 100) ends the refresh. */
function atCheckpoint(state: State, g: Group, r: Refresh): boolean {
  const checkpoints = r.status === 'InProgress' ? r.preferences.checkpointPercentages : undefined
  if (!checkpoints) return false
  const {percentageComplete} = refreshProgress(state, g, r)
  let reached: number | undefined
  while (r.nextCheckpoint < checkpoints.length && percentageComplete >= checkpoints[r.nextCheckpoint]!)
    reached = checkpoints[r.nextCheckpoint++]
  if (reached === undefined || reached === 100) return false
  if (r.nextCheckpoint === checkpoints.length) {
    succeed(state, g, r)
    return true
  }
  const delay = r.preferences.checkpointDelaySeconds ?? 3600
  r.statusReason = `Checkpoint ${r.nextCheckpoint} of ${checkpoints.length} (${reached}%) reached: waiting ${delay} seconds before continuing.`
  r.pausedUntil = state.now() + delay * 1000
  armStep(state, g, r, r.pausedUntil)
  return true
}

function startBatch(state: State, g: Group, r: Refresh, live: AsgInstance[]): void {
  const old = [...r.toReplace].map((id) => g.instances.get(id)!).sort((a, b) => a.seq - b.seq)
  const policy = r.preferences.scaleInProtectedInstances
  const candidates = policy === 'Refresh' ? old : old.filter((i) => !i.protectedFromScaleIn)
  if (policy === 'Ignore')
    for (const i of old)
      if (i.protectedFromScaleIn) {
        r.toReplace.delete(i.id)
        r.ignored.add(i.id)
        r.total--
      }
  if (candidates.length === 0) {
    if (policy === 'Ignore') return stepRefresh(state, g)
    r.blockedSince ??= state.now()
    if (state.now() - r.blockedSince >= PROTECTION_WAIT_MS)
      return fail(
        state,
        g,
        r,
        `Instances ${old.map((i) => i.id).join(', ')} stayed protected from scale in for an hour (ScaleInProtectedInstances is Wait).`,
      )
    r.statusReason = `Waiting for scale-in protection to be removed before continuing. For example: ${old[0]!.id} is protected from scale in.`
    return armStep(state, g, r, r.blockedSince + PROTECTION_WAIT_MS)
  }
  r.blockedSince = undefined
  r.statusReason = undefined
  const desired = g.desiredCapacity
  const cap = checkpointRoom(state, g, r)
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
  const max = r.preferences.maxHealthyPercentage ?? 100
  if (max > 100) {
    if (g.surge > 0) {
      // The surge instances are ready: the same number of old ones may go.
      const n = Math.min(g.surge, candidates.length)
      g.surge -= n
      return terminate(candidates.slice(0, n))
    }
    const room = Math.max(1, Math.floor((desired * max) / 100) - desired)
    g.surge = Math.min(room, candidates.length, cap)
    reconcileCapacity(state, g, launchCause)
    return void waitForBatch(g, r, [...g.instances.values()].filter(inCapacity))
  }
  const minHealthy = Math.ceil((desired * r.preferences.minHealthyPercentage) / 100)
  const healthy = live.filter((i) => ready(g, i)).length
  const n = Math.max(1, Math.min(candidates.length, healthy - minHealthy, cap))
  terminate(candidates.slice(0, n))
  reconcileCapacity(state, g, launchCause)
  waitForBatch(g, r, [...g.instances.values()].filter(inCapacity))
}

/** How many more replacements the next checkpoint allows ("will sometimes replace fewer but never more"). */
function checkpointRoom(state: State, g: Group, r: Refresh): number {
  const next = r.status === 'InProgress' ? r.preferences.checkpointPercentages?.[r.nextCheckpoint] : undefined
  if (next === undefined) return Number.MAX_SAFE_INTEGER
  const {instancesToUpdate} = refreshProgress(state, g, r)
  const needed = Math.ceil((next * r.total) / 100) - (r.total - instancesToUpdate)
  return Math.max(1, needed)
}

export function beginRollback(state: State, g: Group, r: Refresh, reason: string): void {
  const progress = refreshProgress(state, g, r)
  state.cancel(r.timer)
  r.rollback = {
    reason,
    startTime: state.now(),
    percentageCompleteOnRollback: progress.percentageComplete,
    instancesToUpdateOnRollback: progress.instancesToUpdate,
  }
  r.status = 'RollbackInProgress'
  r.statusReason = undefined
  r.pausedUntil = undefined
  r.blockedSince = undefined
  selectWork(g, r)
  // Surge instances not yet traded for old ones go first: the capacity returns to desired.
  if (g.surge > 0) {
    g.surge = 0
    reconcileCapacity(
      state,
      g,
      () =>
        `At ${iso(state.now())} an instance was taken out of service in response to an instance refresh rollback.`,
    )
  }
  stepRefresh(state, g)
}

/**
 * `--rollout-every`: start a refresh to the next launch template version again and again, launching before
 * terminating as the seed's rolling update does: one instance at a time for a small group, a tenth of the
 * group per batch for a large one.
 */
export function startRollouts(state: State, g: Group, everyMs: number): void {
  state.after(everyMs, () => {
    if (!activeRefresh(g)) {
      const version = String((Number(g.launchTemplate.Version) || 0) + 1)
      startRefresh(state, g, {
        desired: {...g.launchTemplate, Version: version},
        preferences: {
          minHealthyPercentage: 100,
          maxHealthyPercentage: g.desiredCapacity >= 10 ? 110 : 200,
          instanceWarmupSeconds: g.defaultInstanceWarmup ?? g.healthCheckGracePeriod,
          skipMatching: false,
          autoRollback: false,
          scaleInProtectedInstances: 'Wait',
          standbyInstances: 'Wait',
          bakeTimeSeconds: 0,
        },
      })
    }
    startRollouts(state, g, everyMs)
  })
}
