import {SimError} from '../../types.js'
import type {State} from '../state.js'
import {activeRefresh} from './launch-templates.js'
import type {Group, InstanceRefresh} from './model.js'
import {beginRollback, stepRefresh} from './refresh.js'
import {end, reversible, type Refresh} from './refresh-state.js'

/** CancelInstanceRefresh and RollbackInstanceRefresh, with their errors (API reference). */

function noActive(g: Group): SimError {
  return new SimError(
    'ActiveInstanceRefreshNotFound',
    `No in progress or pending Instance Refresh found for Auto Scaling group ${g.name}`,
  )
}

/** CancelInstanceRefresh: no new replacements; in-flight launches and terminations finish unless told not to wait. */
export function cancelRefresh(state: State, g: Group, waitForTransitioning: boolean): InstanceRefresh {
  const r = activeRefresh(g)
  if (!r || r.status === 'Cancelling') throw noActive(g)
  state.cancel(r.timer)
  r.status = 'Cancelling'
  r.statusReason = undefined
  r.pausedUntil = undefined
  if (waitForTransitioning) stepRefresh(state, g)
  else end(state, g, r, 'Cancelled')
  return r
}

/** RollbackInstanceRefresh: replace what the refresh replaced, back to the group's previous configuration. */
export function rollbackRefresh(state: State, g: Group): InstanceRefresh {
  const r = activeRefresh(g) as Refresh | undefined
  if (!r || r.status === 'Cancelling' || r.status === 'RollbackInProgress') throw noActive(g)
  if (!reversible(g, r))
    throw new SimError(
      'IrreversibleInstanceRefresh',
      r.desired
        ? 'The instance refresh cannot be rolled back: it uses the launch template version $Latest or $Default.'
        : 'The instance refresh cannot be rolled back: it was started without a desired configuration.',
    )
  beginRollback(state, g, r, 'Rollback requested by a user.')
  return r
}
