/**
 * The embedded AWS region in one call: builds the world for a scenario on a clock, and serves it on a loopback
 * HTTP endpoint. `ecsdrain sim` runs this until interrupted; `watch --sim` and the tests run it in-process.
 */
import {RealClock} from './clock.js'
import type {FaultSpec} from './faults.js'
import {DEFAULT_REGION, serveWorld} from './serve.js'
import type {SimStats} from './stats.js'
import type {HookMode, ScenarioKnobs, ScenarioName, SimClock, SimTimings, World} from './types.js'
import {createWorld} from './world/index.js'

export {parseFaultSpec, FaultSpecError, FAULT_SYNTAX, type FaultSpec} from './faults.js'
export {isLoopbackHost} from './protocol/guard.js'
export type {StatsSnapshot, OperationCounts, WorldAuditSnapshot} from './stats.js'
export type {ScenarioKnobs} from './types.js'

export const DEFAULT_ACCOUNT_ID = '123456789012'

export interface SimOptions {
  host?: string
  /** 0 (the default here) picks a free port; the command defaults to 4599. */
  port?: number
  region?: string
  scenario?: ScenarioName
  hook?: HookMode
  /** Durations (boot delay, stop timeout, hook timeouts) run this many times faster. Ignored with `clock`. */
  speed?: number
  /** `throttle=0.2,error=0.05,latency=20ms,throttle=0.5@ListTasks`, or the parsed spec (see faults.ts). */
  faults?: string | FaultSpec
  /** Makes the injected faults reproducible (`--faults-seed`): each operation gets the same sequence. */
  faultSeed?: number
  /** Answer requests whatever their Host header (`--allow-remote`); loopback names only by default. */
  allowRemote?: boolean
  rolloutEveryMs?: number
  instances?: number
  services?: number
  tasksPerInstance?: number
  /** Overrides of the world's durations (sim ms), e.g. a short boot delay in tests. */
  timings?: Partial<SimTimings>
  /** Seed of the world's ids, for reproducible ARNs. */
  seed?: number
  /** The scenario's knobs (how fast apps exit on SIGTERM, capacity providers, failing new revisions, ...). */
  knobs?: ScenarioKnobs
  /** A clock of the caller's (e.g. a ManualClock in tests); a real clock at `speed` by default. */
  clock?: SimClock
}

export interface RunningSim {
  endpoint: string
  host: string
  port: number
  region: string
  world: World
  clock: SimClock
  stats: SimStats
  /** Stops the server and the world's timers. */
  close(): Promise<void>
}

export async function startSim(options: SimOptions = {}): Promise<RunningSim> {
  const region = options.region ?? DEFAULT_REGION
  const clock = options.clock ?? new RealClock(options.speed ?? 1)
  const world = createWorld({
    clock,
    region,
    accountId: DEFAULT_ACCOUNT_ID,
    scenario: options.scenario ?? 'todobackend',
    hook: options.hook ?? 'none',
    instances: options.instances,
    services: options.services,
    tasksPerInstance: options.tasksPerInstance,
    rolloutEveryMs: options.rolloutEveryMs,
    timings: options.timings,
    seed: options.seed,
    knobs: options.knobs,
    speed: options.clock ? 1 : (options.speed ?? 1),
  })
  let served
  try {
    served = await serveWorld(world, {...options, region})
  } catch (error) {
    world.stop()
    throw error
  }
  return {
    endpoint: served.endpoint,
    host: served.host,
    port: served.port,
    region,
    world,
    clock,
    stats: served.stats,
    close: async () => {
      world.stop()
      await served.close()
    },
  }
}
