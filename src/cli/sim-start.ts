/**
 * Starting `ecsdrain sim` from its flags, kept out of the command so that it stays a thin
 * parse -> start -> wait: the host check, the fault spec, the sim's options, and a port that cannot be
 * listened on, each a usage error (exit 2) with the next step.
 */
import type * as Interfaces from '@oclif/core/interfaces'

import {UsageError} from '../core/errors.js'
import type {RunningSim} from '../sim/index.js'
import {isLoopbackHost} from '../sim/protocol/guard.js'
import type {simFlags} from './sim-flags.js'

type SimFlags = Interfaces.InferredFlags<typeof simFlags>

/** The sim has no authentication: a host other than loopback needs --allow-remote. */
export function checkSimHost(flags: SimFlags): void {
  if (!isLoopbackHost(flags.host) && !flags['allow-remote']) {
    throw new UsageError(`--host ${flags.host} is not a loopback address; the sim has no authentication.`, {
      suggestion: 'Use --host 127.0.0.1, or add --allow-remote if you really mean to expose it.',
    })
  }
}

export async function startSimFromFlags(flags: SimFlags): Promise<RunningSim> {
  // The sim (world model, protocols, stack) loads only here, so that the other commands don't pay for it.
  const {FaultSpecError, parseFaultSpec, startSim} = await import('../sim/index.js')
  let faults
  try {
    faults = parseFaultSpec(flags.faults)
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`)
    throw error
  }
  try {
    return await startSim({
      host: flags.host,
      port: flags.port,
      scenario: flags.scenario,
      hook: flags.hook,
      speed: flags.speed,
      faults,
      faultSeed: flags['faults-seed'],
      allowRemote: flags['allow-remote'],
      rolloutEveryMs: flags['rollout-every'],
      instances: flags.instances,
      services: flags.services,
      tasksPerInstance: flags['tasks-per-instance'],
      knobs: {
        sigtermExitMs: flags['sigterm-exit'],
        hookHeartbeatTimeoutSeconds: flags['hook-heartbeat-timeout'],
        capacityProviders: flags['capacity-providers'],
        unhealthyNewRevisions: flags['unhealthy-new-revisions'],
      },
    })
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      throw new UsageError(`Cannot listen on ${flags.host}:${flags.port} (${code}).`, {
        suggestion: 'Pick another --port, or --port 0 for any free port.',
      })
    }
    throw error
  }
}
