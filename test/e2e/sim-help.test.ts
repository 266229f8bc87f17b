/**
 * `ecsdrain sim --help` says which AWS defaults the world uses and which values are the sim's own (issue 10,
 * item 7), and the scenario knobs reach the world: the built CLI, then the world it starts.
 */
import {DescribeLifecycleHooksCommand} from '@aws-sdk/client-auto-scaling'
import {DescribeCapacityProvidersCommand} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/run-cli.js'
import {simClients, spawnSim, type SpawnedSim} from '../helpers/sim.js'

let sim: SpawnedSim | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

describe('ecsdrain sim', () => {
  it('--help names the AWS defaults and the values that are not AWS defaults', async () => {
    const r = await runCli(['sim', '--help'])
    expect(r.code, r.stderr).toBe(0)
    const text = r.stdout.replace(/\s+/g, ' ')
    for (const fact of [
      'stopTimeout 30 s per container (the agent default)',
      'Target group deregistration delay 300 s',
      'Task scale-in protection 2 h by default (1 min to 48 h)',
      'at least 3, at most 200',
      "The scenario hook's HeartbeatTimeout is 900 s, the seed's stack",
      '--scenario=<option>',
      'multi-az',
    ])
      expect(text).toContain(fact)
  })

  it('--capacity-providers and --hook-heartbeat-timeout reach the world', async () => {
    sim = await spawnSim(['--capacity-providers', '--hook', 'manual', '--hook-heartbeat-timeout', '1200'])
    const {ecs, autoScaling} = simClients(sim.ready.endpoint, {region: sim.ready.region})
    const cps = await ecs.send(
      new DescribeCapacityProvidersCommand({capacityProviders: ['todobackend-capacity-provider']}),
    )
    expect(cps.capacityProviders![0]!.autoScalingGroupProvider).toMatchObject({
      managedScaling: {status: 'ENABLED'},
      managedTerminationProtection: 'ENABLED',
      managedDraining: 'ENABLED',
    })
    const hooks = await autoScaling.send(
      new DescribeLifecycleHooksCommand({AutoScalingGroupName: sim.ready.autoScalingGroups[0]}),
    )
    expect(hooks.LifecycleHooks!.map((h) => [h.LifecycleHookName, h.HeartbeatTimeout]).sort()).toEqual([
      ['ecs-managed-draining-termination-hook', 3600],
      ['todobackend-drain-hook', 1200],
    ])
  })
})
