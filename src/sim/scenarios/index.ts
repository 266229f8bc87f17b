import type {ScenarioName, WorldOptions} from '../types.js'
import type {State} from '../world/state.js'
import {buildLarge} from './large.js'
import {buildMultiAz} from './multi-az.js'
import {buildTodobackend} from './todobackend.js'

/**
 * Every scenario the sim can start with. One more (e.g. a `misconfigured` cluster for a doctor command) is one
 * entry here and a builder module: the world, the `sim --scenario` flag and its help text read this table.
 */
export interface Scenario {
  /** One line for `sim --help`. */
  summary: string
  build(state: State, options: WorldOptions): void
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  todobackend: {
    summary:
      "the seed's todobackend-cluster: 1 t2.micro, service todobackend (1 task) behind target group todobackend-tg",
    build: (state, options) => buildTodobackend(state, options.hook),
  },
  large: {
    summary: 'large-cluster for benchmarks: --instances, --services, --tasks-per-instance (1,000 / 100 / 10)',
    build: (state, options) => buildLarge(state, options),
  },
  'multi-az': {
    summary:
      'multi-az-cluster: 3 m5.large over 2 AZs + 1 c5.xlarge; web (3, behind web-tg, distinctInstance), worker (binpack), reports (memberOf c5.*)',
    build: (state, options) => buildMultiAz(state, options.hook),
  },
}

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[]
