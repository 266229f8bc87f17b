/**
 * `watch --sim`: an AWS region this process runs for itself, the embedded sim on a loopback port. The command
 * gets what any other region gives it (an endpoint, a region name, credentials) plus the region's clock; the
 * sim itself is loaded here, on demand, so that no other run pays for it.
 */
import {systemClock} from '../core/clock.js'
import type {Clock} from '../core/ports.js'

export interface EmbeddedRegion {
  endpoint: string
  region: string
  /** The sim accepts any credentials: these keep the SDK from looking for real ones. */
  credentials: {accessKeyId: string; secretAccessKey: string}
  /** The region's time, which may run faster than the wall clock: countdowns and metric windows follow it. */
  clock: Clock
  close(): Promise<void>
}

export interface EmbeddedRegionOptions {
  scenario: 'todobackend' | 'large'
  /** The sim's clock runs this many times faster than the wall clock. */
  speed: number
  /** A rolling update (instance refresh) of the scenario's group this often, in sim time. */
  rolloutEveryMs: number
}

export async function startEmbeddedRegion(opts: EmbeddedRegionOptions): Promise<EmbeddedRegion> {
  const {startSim} = await import('../sim/index.js')
  const sim = await startSim({
    scenario: opts.scenario,
    // Instances wait in Terminating:Wait for the operator: the demo is draining them from the TUI.
    hook: 'manual',
    port: 0,
    speed: opts.speed,
    rolloutEveryMs: opts.rolloutEveryMs,
    ...(opts.scenario === 'large' ? {instances: 1000, tasksPerInstance: 10} : {}),
  })
  return {
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: {accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated'},
    clock: {...systemClock, now: () => sim.clock.now()},
    close: () => sim.close(),
  }
}
