/**
 * A new user's first hour, on the built CLI in a fresh shell (no AWS configuration at all) against a spawned
 * `ecsdrain sim`: what they type must work, or say the one exact step, and no raw SDK text may reach them.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {
  AutoScalingClient,
  DescribeAutoScalingInstancesCommand,
  PutLifecycleHookCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {InstanceJson} from '../../src/render/instances.js'
import {RealClock} from '../../src/sim/clock.js'
import {freshShellEnv, rawSdkOutput} from '../helpers/fresh-shell.js'
import {runCli} from '../helpers/run-cli.js'
import {fetchStats, spawnSim, startTestSim, TEST_CREDENTIALS, type SpawnedSim} from '../helpers/sim.js'

const INSTANCE = 'i-0e1210ebdde2f1606'
const GROUP = 'todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P'

let sim: SpawnedSim
beforeAll(async () => {
  sim = await spawnSim(['--hook', 'manual'])
})
afterAll(async () => {
  await sim?.stop()
})

const endpoint = () => sim.ready.endpoint

describe('the sim in a fresh shell', () => {
  it('`instances --endpoint-url <sim>` works with no region and no credentials, and says why under --verbose', async () => {
    const r = await runCli(['instances', '--endpoint-url', endpoint(), '--verbose'], {env: freshShellEnv()})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(INSTANCE)
    expect(r.stderr).toContain(
      `AWS: ${endpoint()} is an ecsdrain sim: using its region us-east-1 and placeholder credentials`,
    )
    expect(rawSdkOutput(r.stderr)).toEqual([])
  })

  it('AWS_ENDPOINT_URL, as `ecsdrain sim` suggests exporting, works the same', async () => {
    const r = await runCli(['instances', '--json'], {env: freshShellEnv({AWS_ENDPOINT_URL: endpoint()})})
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).cluster).toBe('todobackend-cluster')
  })

  it('a sim that is not running is named, with the step to take (not "no region")', async () => {
    const r = await runCli(['instances', '--endpoint-url', 'http://127.0.0.1:1'], {env: freshShellEnv()})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Cannot reach http://127.0.0.1:1 (ECONNREFUSED)')
    expect(r.stderr).toContain('ecsdrain sim')
  })
})

describe('profiles', () => {
  it('`--profile nosuch` names the files it read and the profiles in them (exit 2, no call made)', async () => {
    const env = freshShellEnv()
    writeFileSync(
      join(env.HOME!, 'config'),
      '[default]\nregion = eu-west-1\n[profile ops]\nregion = eu-west-2\n',
    )
    env.AWS_CONFIG_FILE = join(env.HOME!, 'config')
    env.AWS_ACCESS_KEY_ID = 'AKIDENV'
    env.AWS_SECRET_ACCESS_KEY = 'env'
    const before = (await fetchStats(endpoint())).totals.calls
    const r = await runCli(['instances', '--endpoint-url', endpoint(), '--profile', 'nosuch'], {env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--profile nosuch: no such profile in ${env.AWS_CONFIG_FILE} or `)
    expect(r.stderr).toContain(join(env.HOME!, '.aws', 'credentials'))
    expect(r.stderr).toContain('Profiles there: default, ops.')
    expect(rawSdkOutput(r.stderr)).toEqual([])
    expect((await fetchStats(endpoint())).totals.calls).toBe(before)
  })

  it("a profile beside environment keys: the SDK's 8-line warning never shows", async () => {
    const env = freshShellEnv()
    writeFileSync(
      join(env.HOME!, 'credentials'),
      '[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = s\n',
    )
    Object.assign(env, {
      AWS_SHARED_CREDENTIALS_FILE: join(env.HOME!, 'credentials'),
      AWS_PROFILE: 'ops',
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env',
    })
    const r = await runCli(['instances', '--endpoint-url', endpoint()], {env})
    expect(r.code, r.stderr).toBe(0)
    expect(rawSdkOutput(r.stderr)).toEqual([])
    expect(r.stderr).toBe('')
  })

  it("the SDK's Node-version notice never shows in a user's run", async () => {
    const r = await runCli(['instances', '--endpoint-url', endpoint()], {env: freshShellEnv()})
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
  })
})

// An --endpoint-url with a password, a query string or a fragment: test/commands/contract.test.ts.

describe('exit codes a pipeline can gate on', () => {
  it('drain --dry-run exits 4 where the drain would be refused, and 0 where it would proceed', async () => {
    // In-process, on a clock that only the test moves: the completed instance stays Terminating:Proceed
    // (instead of terminating 2 s later), so that the second `complete` finds just that.
    const own = await startTestSim({scenario: 'todobackend', hook: 'manual'})
    try {
      const dryRun = (json: boolean) =>
        runCli(
          ['drain', INSTANCE, '--dry-run', '--endpoint-url', own.endpoint, ...(json ? ['--json'] : [])],
          {
            env: freshShellEnv(),
          },
        )
      // The only ACTIVE instance, in steady state: the drain would refuse it.
      const refused = await dryRun(false)
      expect(refused.code, refused.stderr).toBe(4)
      expect(refused.stdout).toContain('verdict: REFUSED, exit 4')
      const json = await dryRun(true)
      expect(json.code).toBe(4)
      expect(JSON.parse(json.stdout)[0]).toMatchObject({outcome: 'dry-run', preflight: {refused: true}})

      // Once Auto Scaling is terminating it, it dies anyway: the drain would proceed.
      await terminate(own.endpoint)
      const proceeds = await dryRun(false)
      expect(proceeds.code, proceeds.stdout).toBe(0)
      expect(proceeds.stdout).toContain('verdict: drains')

      // complete, run twice: the second finds the action over, and that is success too.
      const complete = () =>
        runCli(['complete', INSTANCE, '--force', '--json', '--endpoint-url', own.endpoint], {
          env: freshShellEnv(),
        })
      const first = await complete()
      expect(first.code, first.stdout).toBe(0)
      expect(JSON.parse(first.stdout)).toMatchObject({outcome: 'completed', result: 'CONTINUE'})
      const second = await complete()
      expect(second.code, second.stdout).toBe(0)
      expect(JSON.parse(second.stdout)).toMatchObject({
        ec2InstanceId: INSTANCE,
        outcome: 'already-complete',
        result: null,
        note: expect.stringContaining('already completed or expired'),
      })
      const human = await runCli(['complete', INSTANCE, '--endpoint-url', own.endpoint], {
        env: freshShellEnv(),
      })
      expect(human.code).toBe(0)
      expect(human.stdout).toContain('Nothing to do.')
    } finally {
      await own.close()
    }
  })
})

describe('instances: every pending hook, and the deadlines ecsdrain pushed', () => {
  it('names both hooks, and shows the heartbeat deadline that `ecsdrain heartbeat` moved', async () => {
    // A real clock: the heartbeat must happen measurably later than the termination it extends.
    const own = await startTestSim({scenario: 'todobackend', hook: 'manual', clock: new RealClock(1)})
    try {
      const asg = new AutoScalingClient({
        endpoint: own.endpoint,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
      })
      await asg.send(
        new PutLifecycleHookCommand({
          AutoScalingGroupName: GROUP,
          LifecycleHookName: 'audit-hook',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          // Longer than the scenario hook's 900 s (the seed's), so that the drain hook's deadline comes first.
          HeartbeatTimeout: 1200,
          DefaultResult: 'CONTINUE',
        }),
      )
      await terminate(own.endpoint)
      const env = freshShellEnv() // one HOME for both runs: the heartbeat record lives in its cache
      const listing = async () =>
        JSON.parse((await runCli(['instances', '--json', '--endpoint-url', own.endpoint], {env})).stdout)
          .instances[0] as InstanceJson
      const before = await listing()
      expect(before.lifecycleHooks.map((h) => h.name)).toEqual(['todobackend-drain-hook', 'audit-hook'])
      const table = await runCli(['instances', '--endpoint-url', own.endpoint], {env})
      expect(table.stdout).toMatch(/todobackend-drain-hook \S+, audit-hook \S+/)

      await new Promise((r) => setTimeout(r, 1500))
      const beat = await runCli(
        ['heartbeat', INSTANCE, '--hook', 'todobackend-drain-hook', '--json', '--endpoint-url', own.endpoint],
        {env},
      )
      expect(beat.code, beat.stderr).toBe(0)
      const pushed = Date.parse(JSON.parse(beat.stdout).heartbeatDeadline)
      const after = await listing()
      const drainHook = after.lifecycleHooks.find((h) => h.name === 'todobackend-drain-hook')!
      const estimate = Date.parse(before.lifecycleHooks[0]!.heartbeatDeadline!)
      const seen = JSON.stringify({
        before: before.lifecycleHooks,
        beat: beat.stdout,
        after: after.lifecycleHooks,
      })
      expect(pushed - estimate, seen).toBeGreaterThan(1000)
      // The record is taken just after the call returns: within a second of what heartbeat printed.
      expect(Math.abs(Date.parse(drainHook.heartbeatDeadline!) - pushed), seen).toBeLessThan(1000)
    } finally {
      await own.close()
    }
  })
})

/** Puts the instance in Terminating:Wait (the sim's manual hook holds it there), as a scale-in would. */
async function terminate(at: string): Promise<void> {
  const asg = new AutoScalingClient({endpoint: at, region: 'us-east-1', credentials: TEST_CREDENTIALS})
  await asg.send(
    new TerminateInstanceInAutoScalingGroupCommand({
      InstanceId: INSTANCE,
      ShouldDecrementDesiredCapacity: false,
    }),
  )
  const out = await asg.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [INSTANCE]}))
  expect(out.AutoScalingInstances?.[0]?.LifecycleState).toBe('Terminating:Wait')
}
