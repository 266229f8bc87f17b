/**
 * `ecsdrain install` / `uninstall`, the built CLI against the built `ecsdrain sim` (build first): the hook
 * stack goes through the sim's CloudFormation, and during an instance refresh its Lambda (ecsdrain's own
 * engine, run by the sim as Lambda would) drains the old instance before it terminates. The same rollout
 * without the stack is the seed's outage. Also `--print`, offline, through cfn-lint.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  AutoScalingClient,
  DescribeInstanceRefreshesCommand,
  DescribeLifecycleHooksCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling'
import {CloudFormationClient, DescribeStacksCommand} from '@aws-sdk/client-cloudformation'
import {CloudWatchClient, GetMetricStatisticsCommand} from '@aws-sdk/client-cloudwatch'
import {DescribeServicesCommand, ECSClient} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {startSim as startInProcessSim} from '../../src/sim/index.js'
import {SimError} from '../../src/sim/types.js'
import {awsTestEnv, runCli} from '../helpers/run-cli.js'
import {TEST_CREDENTIALS} from '../helpers/sdk.js'
import {fetchStats, spawnSim, type SpawnedSim} from '../helpers/sim.js'

const CLUSTER = 'todobackend-cluster'
const SPEED = 20
let sim: SpawnedSim | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

async function startSim(hook = 'none') {
  sim = await spawnSim(['--scenario', 'todobackend', '--hook', hook, '--speed', String(SPEED)], 60_000)
  const endpoint = sim.ready.endpoint
  const config = {endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS}
  return {
    endpoint,
    group: sim.ready.autoScalingGroups[0]!,
    asg: new AutoScalingClient(config),
    ecs: new ECSClient(config),
    cw: new CloudWatchClient(config),
    cli: (args: string[]) => runCli([...args, '--endpoint-url', endpoint], {timeoutMs: 90_000}),
  }
}
type Env = Awaited<ReturnType<typeof startSim>>

/** Runs an instance refresh to its end, sampling the service's running count all along. */
async function rollout(env: Env): Promise<{running: number[]; start: Date; end: Date}> {
  const start = new Date()
  const running: number[] = []
  await env.asg.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: env.group,
      Preferences: {MinHealthyPercentage: 100, MaxHealthyPercentage: 200},
    }),
  )
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const s = await env.ecs.send(new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']}))
    running.push(s.services![0]!.runningCount!)
    const r = await env.asg.send(new DescribeInstanceRefreshesCommand({AutoScalingGroupName: env.group}))
    if (r.InstanceRefreshes![0]!.Status === 'Successful') break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  // Let the metric minute that holds the termination close.
  await new Promise((resolve) => setTimeout(resolve, (60_000 / SPEED) * 1.5))
  return {running, start, end: new Date()}
}

/** MemoryReservation Minimum per minute, as the seed reads it. The sim's clock runs SPEED times faster. */
async function minuteMinimums(env: Env, since: Date): Promise<number[]> {
  const out = await env.cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/ECS',
      MetricName: 'MemoryReservation',
      Dimensions: [{Name: 'ClusterName', Value: CLUSTER}],
      StartTime: since,
      EndTime: new Date(Date.now() + 3_600_000),
      Period: 60,
      Statistics: ['Minimum'],
    }),
  )
  return (out.Datapoints ?? []).map((d) => d.Minimum!)
}

describe('ecsdrain install (e2e against the sim)', () => {
  it(
    '--print with --cluster and --asg makes no AWS call and passes cfn-lint',
    {timeout: 90_000},
    async () => {
      const r = await runCli(
        [
          'install',
          '--print',
          '--cluster',
          CLUSTER,
          '--asg',
          'my-asg',
          '--endpoint-url',
          'http://127.0.0.1:9',
        ],
        {env: awsTestEnv({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined})},
      )
      expect(r.code, r.stderr).toBe(0)
      const template = JSON.parse(r.stdout) as {Resources: Record<string, {Type: string}>}
      expect(Object.keys(template.Resources)).toContain('LifecycleHook')
      const file = join(mkdtempSync(join(tmpdir(), 'ecsdrain-print-')), 'hook.json')
      writeFileSync(file, r.stdout)
      expect(execFileSync('cfn-lint', ['--', file], {encoding: 'utf8'})).toBe('')
    },
  )

  it('without the stack, the rollout is the seed outage', {timeout: 120_000}, async () => {
    const env = await startSim()
    const simStart = new Date(Date.now() - 60_000)
    await rollout(env)
    // The seed's proof: the minute's MemoryReservation Minimum is 0. The sim records the metric at every
    // change, so this catches a dip shorter than our sampling of runningCount could on a loaded machine.
    const minimums = await minuteMinimums(env, simStart)
    expect(Math.min(...minimums)).toBe(0)
  })

  it(
    'installs the hook stack; the Lambda drains the old instance; uninstall removes it',
    {timeout: 180_000},
    async () => {
      const env = await startSim()
      const first = await env.cli(['install', '--cluster', CLUSTER, '--asg', env.group, '--yes'])
      expect(first.code, first.stderr).toBe(0)
      expect(first.stderr).toMatch(/\+ Add\s+LifecycleHook \(AWS::AutoScaling::LifecycleHook\)/)
      expect(first.stderr).toMatch(/LifecycleHook \(AWS::AutoScaling::LifecycleHook\): CREATE_COMPLETE/)
      expect(first.stderr).toMatch(/created/)
      const hooks = await env.asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: env.group}))
      expect(hooks.LifecycleHooks!.map((h) => h.LifecycleHookName)).toEqual([`ecsdrain-${CLUSTER}`])

      // Idempotent: the same install again changes nothing and says so.
      const again = await env.cli(['install', '--cluster', CLUSTER, '--asg', env.group, '--yes', '--json'])
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout)).toMatchObject({outcome: 'unchanged'})

      const simStart = new Date()
      const {running} = await rollout(env)
      expect(running.length).toBeGreaterThan(10)
      expect(Math.min(...running)).toBeGreaterThanOrEqual(1)
      const minimums = await minuteMinimums(env, simStart)
      expect(minimums.length).toBeGreaterThan(0)
      expect(Math.min(...minimums)).toBeGreaterThan(0)
      // It was the Lambda that drained and completed: nothing else here calls these.
      const ops = (await fetchStats(env.endpoint)).operations
      expect(ops['ecs:UpdateContainerInstancesState']?.calls).toBeGreaterThanOrEqual(1)
      expect(ops['autoscaling:CompleteLifecycleAction']?.calls).toBeGreaterThanOrEqual(1)
      expect(ops['autoscaling:RecordLifecycleActionHeartbeat']?.calls).toBeGreaterThanOrEqual(1)

      const gone = await env.cli(['uninstall', '--cluster', CLUSTER, '--yes'])
      expect(gone.code, gone.stderr).toBe(0)
      expect(gone.stderr).toMatch(/LifecycleHook \(AWS::AutoScaling::LifecycleHook\): DELETE_COMPLETE/)
      const after = await env.asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: env.group}))
      expect(after.LifecycleHooks).toEqual([])
    },
  )

  it(
    'sim --hook lambda installs the stack through the sim and the rollout has no outage',
    {timeout: 120_000},
    async () => {
      const env = await startSim('lambda')
      const hooks = await env.asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: env.group}))
      expect(hooks.LifecycleHooks!.map((h) => h.LifecycleHookName)).toEqual([`ecsdrain-${CLUSTER}`])
      const {running} = await rollout(env)
      expect(Math.min(...running)).toBeGreaterThanOrEqual(1)
    },
  )

  it('bare install finds the cluster and group, and deploys', {timeout: 150_000}, async () => {
    const env = await startSim('manual')
    const cfn = new CloudFormationClient({
      endpoint: env.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    })
    // Its refusals (no terminal, unknown group or cluster, no stack to delete): test/commands/contract.test.ts.
    const bare = await env.cli(['install', '--yes'])
    expect(bare.code, bare.stderr).toBe(0)
    expect(bare.stderr).toMatch(new RegExp(`hook on ${env.group} for cluster ${CLUSTER}`))
    const stack = await cfn.send(new DescribeStacksCommand({StackName: `ecsdrain-${CLUSTER}`}))
    expect(stack.Stacks![0]!.StackStatus).toBe('CREATE_COMPLETE')
  })

  it(
    'a resource that fails: its reason is shown, the stack rolls back, exit 1',
    {timeout: 120_000},
    async () => {
      // In-process sim, so the test can make Auto Scaling refuse the hook as a real account could (quota, SCP).
      const inproc = await startInProcessSim({port: 0, speed: SPEED, scenario: 'todobackend', hook: 'none'})
      try {
        inproc.world.handlers.autoscaling!.PutLifecycleHook = () => {
          throw new SimError(
            'LimitExceeded',
            'Maximum number of lifecycle hooks reached for the group (injected)',
          )
        }
        const group = inproc.world.summary().autoScalingGroups[0]!
        const r = await runCli(
          ['install', '--cluster', CLUSTER, '--asg', group, '--yes', '--endpoint-url', inproc.endpoint],
          {
            timeoutMs: 90_000,
          },
        )
        expect(r.code, r.stderr).toBe(1)
        expect(r.stderr).toMatch(/ROLLBACK_COMPLETE/)
        expect(r.stderr).toMatch(
          /LifecycleHook \(AWS::AutoScaling::LifecycleHook\): Maximum number of lifecycle hooks reached/,
        )
        expect(r.stderr).toMatch(/Next step: /)
      } finally {
        await inproc.close()
      }
    },
  )
})
