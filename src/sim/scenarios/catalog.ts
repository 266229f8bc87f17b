/**
 * The scenarios' names and one-line summaries, without their builders (which load the whole world model):
 * the CLI's `--scenario` flags and help read this, so that commands other than `sim` do not load the sim.
 */
import type {ScenarioName} from '../types.js'

export const SCENARIO_SUMMARIES: Record<ScenarioName, string> = {
  todobackend:
    "the seed's todobackend-cluster: 1 t2.micro, service todobackend (1 task) behind target group todobackend-tg",
  large: 'large-cluster for benchmarks: --instances, --services, --tasks-per-instance (1,000 / 100 / 10)',
  'multi-az':
    'multi-az-cluster: 3 m5.large over 2 AZs + 1 c5.xlarge; web (3, behind web-tg, distinctInstance), worker (binpack), reports (memberOf c5.*)',
  misconfigured:
    'misconfigured-cluster: 4 groups with the set-up mistakes `ecsdrain doctor` finds (no hook, two drainers, short timeouts, a deadlock, ...)',
}

export const SCENARIO_NAMES = Object.keys(SCENARIO_SUMMARIES) as ScenarioName[]
