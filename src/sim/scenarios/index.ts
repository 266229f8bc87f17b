import type {ScenarioName, WorldOptions} from '../types.js'
import type {State} from '../world/state.js'
import {SCENARIO_NAMES, SCENARIO_SUMMARIES} from './catalog.js'
import {buildLarge} from './large.js'
import {buildMisconfigured} from './misconfigured.js'
import {buildMultiAz} from './multi-az.js'
import {buildTodobackend} from './todobackend.js'

/**
 * Every scenario the sim can start with. One more (e.g. a `misconfigured` cluster for a doctor command) is one
 * entry here, its summary in catalog.ts (which the CLI's flags read without loading the world) and a builder
 * module.
 */
export interface Scenario {
  /** One line for `sim --help`. */
  summary: string
  build(state: State, options: WorldOptions): void
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  todobackend: {
    summary: SCENARIO_SUMMARIES.todobackend,
    build: (state, options) => buildTodobackend(state, options.hook),
  },
  large: {
    summary: SCENARIO_SUMMARIES.large,
    build: (state, options) => buildLarge(state, options),
  },
  'multi-az': {
    summary: SCENARIO_SUMMARIES['multi-az'],
    build: (state, options) => buildMultiAz(state, options.hook),
  },
  misconfigured: {
    summary: SCENARIO_SUMMARIES.misconfigured,
    build: (state) => buildMisconfigured(state),
  },
}

export {SCENARIO_NAMES}
