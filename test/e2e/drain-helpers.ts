/**
 * Shared set-up of the drain e2e tests: an in-process sim on a real clock that runs SPEED times faster than
 * the wall clock (AWS's own durations: a todobackend drain is about 6 minutes of sim time, the 300 s
 * deregistration delay and the 30 s stop timeout among them, so about 20 s here), SDK clients to drive rollouts
 * as an operator's tooling would, and the built CLI pointed at it.
 */
import {
  DescribeAutoScalingInstancesCommand,
  StartInstanceRefreshCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling'
import {
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs'

import {afterEach} from 'vitest'

import {RealClock} from '../../src/sim/clock.js'
import type {SimOptions} from '../../src/sim/index.js'
import {awsTestEnv, runCli, type CliResult} from '../helpers/run-cli.js'
import {simClients, startTestSim, type TestSim} from '../helpers/sim.js'

export const CLUSTER = 'todobackend-cluster'
export const GROUP = 'todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P'
export const HOOK = 'todobackend-drain-hook'

export const SPEED = 20

/**
 * The CLI heartbeats every HeartbeatTimeout/3 of *real* time, while the sim's hook counts HeartbeatTimeout of
 * *sim* time: above speed 3 a drain would outlive the hook for want of heartbeats. So the drain tests give the
 * scenario's hook the longest HeartbeatTimeout Auto Scaling allows (7,200 s: 6 minutes of real time at SPEED),
 * as an operator can; the test that is about heartbeats sets its own hook and a slow clock.
 */
export const HOOK_HEARTBEAT_TIMEOUT = 7200

export interface DrainSim {
  sim: TestSim
  ecs: ECSClient
  autoScaling: AutoScalingClient
  cli(args: string[], timeoutMs?: number): Promise<CliResult>
  calls(operation: string): Promise<number>
  close(): Promise<void>
}

export async function startDrainSim(
  options: SimOptions & {speed?: number} = {},
  clientOptions: {maxAttempts?: number} = {},
): Promise<DrainSim> {
  const {speed = SPEED, knobs, ...rest} = options
  const sim = await startTestSim({
    scenario: 'todobackend',
    hook: 'manual',
    ...rest,
    knobs: {hookHeartbeatTimeoutSeconds: HOOK_HEARTBEAT_TIMEOUT, ...knobs},
    clock: new RealClock(speed),
  })
  const clients = simClients(sim.endpoint, clientOptions)
  return {
    sim,
    ecs: clients.ecs,
    autoScaling: clients.autoScaling,
    cli: (args, timeoutMs = 60_000) =>
      runCli([...args, '--endpoint-url', sim.endpoint], {env: awsTestEnv(), timeoutMs}),
    calls: async (operation) => (await sim.fetchStats()).operations[operation]?.calls ?? 0,
    close: () => sim.close(),
  }
}

/**
 * For a test file whose tests each start their own sim: registers an afterEach that closes the sim the
 * test started (also when it failed), and returns the function that starts it (as startDrainSim).
 */
export function drainSimPerTest(): typeof startDrainSim {
  let current: DrainSim | undefined
  afterEach(async () => {
    await current?.close()
    current = undefined
  })
  return async (...args) => (current = await startDrainSim(...args))
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    try {
      const value = await fn()
      if (value !== undefined) return value
    } catch {
      // The sim may answer a fault; try again.
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function lifecycleState(s: DrainSim, instanceId: string): Promise<string | null> {
  const out = await s.autoScaling.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [instanceId]}))
  return out.AutoScalingInstances?.[0]?.LifecycleState ?? null
}

export async function ecsStatus(s: DrainSim, ec2InstanceId: string): Promise<string | undefined> {
  const list = await s.ecs.send(
    new ListContainerInstancesCommand({cluster: CLUSTER, filter: `ec2InstanceId == ${ec2InstanceId}`}),
  )
  if (!list.containerInstanceArns?.length) return undefined
  const out = await s.ecs.send(
    new DescribeContainerInstancesCommand({cluster: CLUSTER, containerInstances: list.containerInstanceArns}),
  )
  return out.containerInstances?.find((c) => c.ec2InstanceId === ec2InstanceId)?.status
}

/** Starts an instance refresh and resolves with the old instance once it waits in Terminating:Wait. */
export async function refreshUntilWaiting(s: DrainSim): Promise<string> {
  const before = await s.autoScaling.send(new DescribeAutoScalingInstancesCommand({}))
  const old = before.AutoScalingInstances!.map((i) => i.InstanceId!)
  await s.autoScaling.send(new StartInstanceRefreshCommand({AutoScalingGroupName: GROUP}))
  return until('an instance in Terminating:Wait', async () => {
    const now = await s.autoScaling.send(new DescribeAutoScalingInstancesCommand({}))
    return now.AutoScalingInstances!.find(
      (i) => old.includes(i.InstanceId!) && i.LifecycleState === 'Terminating:Wait',
    )?.InstanceId
  })
}

export function parseResults(stdout: string): Array<Record<string, unknown>> {
  return JSON.parse(stdout) as Array<Record<string, unknown>>
}
