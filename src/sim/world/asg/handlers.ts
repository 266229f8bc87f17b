import type {OperationHandler} from '../../types.js'
import type {State} from '../state.js'
import {groupHandlers} from './group-handlers.js'
import {lifecycleHandlers} from './lifecycle-handlers.js'
import {refreshHandlers} from './refresh-handlers.js'

/**
 * Auto Scaling's operations (awsQuery: every scalar arrives as a string, and is coerced by the handlers):
 * groups and instances, lifecycle hooks and actions, and instance refreshes.
 */
export function asgHandlers(state: State): Record<string, OperationHandler> {
  return {...groupHandlers(state), ...lifecycleHandlers(state), ...refreshHandlers(state)}
}
