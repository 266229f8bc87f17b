/**
 * The built CLI against the built `ecsdrain sim --scenario large --instances 250`: the JSON must match what
 * the raw API says, and the calls counted by the sim must be no more than the minimum the formula allows.
 */
import {DescribeContainerInstancesCommand, ListContainerInstancesCommand} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {InstancesJson} from '../../src/render/instances.js'
import {awsTestEnv, runCli} from '../helpers/run-cli.js'
import {fetchStats, resetStats, simClients, spawnSim, type SpawnedSim} from '../helpers/sim.js'

const N = 250
/** The machine running the suite may be busy: give a starting sim time. */
const SIM_START_MS = 50_000
const KEYS = [
  'agentConnected',
  'autoScalingGroupName',
  'availabilityZone',
  'containerInstanceArn',
  'cpu',
  'ec2InstanceId',
  'instanceType',
  'lifecycleHook',
  'lifecycleHooks',
  'lifecycleState',
  'memory',
  'pendingTasksCount',
  'runningTasksCount',
  'status',
]

let sim: SpawnedSim
let endpoint: string
const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli([...args, '--endpoint-url', endpoint], {env: awsTestEnv(env)})

beforeAll(async () => {
  sim = await spawnSim(['--scenario', 'large', '--instances', String(N)], SIM_START_MS)
  endpoint = sim.ready.endpoint
}, 90_000)
afterAll(async () => {
  await sim?.stop()
})

/** What the API itself says, fetched by the test with plain SDK calls (not through ecsdrain's adapters). */
async function rawInstances(cluster: string) {
  const {ecs} = simClients(endpoint)
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const page = await ecs.send(new ListContainerInstancesCommand({cluster, nextToken}))
    arns.push(...(page.containerInstanceArns ?? []))
    nextToken = page.nextToken
  } while (nextToken)
  const out = []
  for (let i = 0; i < arns.length; i += 100) {
    const r = await ecs.send(
      new DescribeContainerInstancesCommand({cluster, containerInstances: arns.slice(i, i + 100)}),
    )
    out.push(...(r.containerInstances ?? []))
  }
  return out
}

describe('ecsdrain instances (built CLI) against ecsdrain sim', () => {
  it('--json reports every instance, joined with Auto Scaling, in the documented shape', async () => {
    const r = await cli(['instances', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as InstancesJson
    expect(Object.keys(out).sort()).toEqual(['cluster', 'instances'])
    expect(out.cluster).toBe(sim.ready.clusters[0])
    expect(out.instances).toHaveLength(N)

    const raw = new Map((await rawInstances(out.cluster)).map((ci) => [ci.ec2InstanceId, ci]))
    for (const i of out.instances) {
      expect(Object.keys(i).sort()).toEqual(KEYS)
      expect(i.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/)
      const api = raw.get(i.ec2InstanceId)!
      expect(i.containerInstanceArn).toBe(api.containerInstanceArn)
      expect(i.runningTasksCount).toBe(api.runningTasksCount)
      expect(i.cpu.registered - i.cpu.remaining).toBeGreaterThanOrEqual(0)
      expect(i.autoScalingGroupName).toBe(sim.ready.autoScalingGroups[0])
      expect(i.lifecycleState).toBe('InService')
      expect(i.lifecycleHook).toBeNull()
    }
    expect(new Set(out.instances.map((i) => i.ec2InstanceId)).size).toBe(N)
  })

  it('makes no more calls than ceil(N/100) list + ceil(N/100) describe + ceil(N/50) Auto Scaling + a constant', async () => {
    await resetStats(endpoint)
    const r = await cli(['instances', '--json', '--verbose'])
    expect(r.code).toBe(0)
    const stats = await fetchStats(endpoint)
    const calls = (op: string) => stats.operations[op]?.calls ?? 0
    expect(calls('ecs:ListContainerInstances')).toBe(Math.ceil(N / 100))
    expect(calls('ecs:DescribeContainerInstances')).toBe(Math.ceil(N / 100))
    expect(calls('autoscaling:DescribeAutoScalingInstances')).toBe(Math.ceil(N / 50))
    const perInstance = Math.ceil(N / 100) * 2 + Math.ceil(N / 50)
    // The constant: ListClusters + DescribeClusters to resolve the cluster.
    expect(stats.totals.calls - perInstance).toBeLessThanOrEqual(2)
    // --verbose: one summary line on stderr that agrees with the sim's count.
    expect(r.stderr.trim()).toMatch(
      new RegExp(`^AWS: ${stats.totals.calls} calls \\(.*\\), 0 retries, 0 throttles, 0 errors$`),
    )
  })

  it('prints aligned plain lines in a pipe: a header and one line per instance', async () => {
    const r = await cli(['instances'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(N + 1)
    expect(lines[0]).toMatch(
      /^EC2 ID\s+AZ\s+TYPE\s+STATUS\s+AGENT\s+RUN\s+PEND\s+CPU RSV\s+MEM RSV\s+ASG\s+LIFECYCLE\s+HOOK$/,
    )
    // Aligned: every line has its STATUS column at the same offset as the header's.
    const at = lines[0]!.indexOf('STATUS')
    expect(lines.slice(1).every((l) => /^(ACTIVE|DRAINING)/.test(l.slice(at)))).toBe(true)
    expect(r.stdout).not.toContain('\u001b[')
  })

  it('an unknown cluster exits 2 and lists the known clusters', async () => {
    const r = await cli(['instances', '--cluster', 'no-such-cluster'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      `Cluster "no-such-cluster" was not found. Known clusters: ${sim.ready.clusters.join(', ')}.`,
    )
    expect(r.stdout).toBe('')
  })

  it('reads the cluster from ECSDRAIN_CLUSTER, and reports its errors as JSON under --json', async () => {
    const r = await cli(['instances', '--json'], {ECSDRAIN_CLUSTER: 'nope'})
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      error: expect.objectContaining({code: 'UNKNOWN_CLUSTER', message: expect.stringContaining('"nope"')}),
    })
  })

  it('a stopped endpoint exits 1 with its own message and next step', async () => {
    const r = await runCli(['instances', '--endpoint-url', 'http://127.0.0.1:9'], {
      env: awsTestEnv({AWS_MAX_ATTEMPTS: '2'}),
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Cannot reach http://127.0.0.1:9')
    expect(r.stderr).toMatch(/Next step: .*ecsdrain sim/)
  })

  it('a malformed --endpoint-url exits 2 before any call', async () => {
    const r = await runCli(['instances', '--endpoint-url', 'localhost:4599'], {env: awsTestEnv()})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--endpoint-url "localhost:4599" is not an http(s) URL.')
  })

  it('missing credentials exit 1 with their own message and next step (for AWS; the sim needs none)', async () => {
    const noKeys = {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined}
    // No endpoint: AWS itself, which fails at the credentials, before any request is sent.
    const r = await runCli(['instances'], {env: awsTestEnv(noKeys)})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('No AWS credentials found')
    expect(r.stderr).toMatch(/Next step: Pass --profile or set AWS_PROFILE/)
    // The sim is recognised: placeholder credentials, and it works.
    expect((await cli(['instances', '--json'], noKeys)).code).toBe(0)
  })
})

describe('ecsdrain instances under throttling (sim --faults)', () => {
  let faulty: SpawnedSim
  let always: SpawnedSim
  beforeAll(async () => {
    ;[faulty, always] = await Promise.all([
      // Seeded: an unseeded throttle=0.3 over ~9 calls sometimes throttled none (issue 15).
      spawnSim(
        ['--scenario', 'large', '--instances', '120', '--faults', 'throttle=0.3', '--faults-seed', '7'],
        SIM_START_MS,
      ),
      spawnSim(['--scenario', 'large', '--instances', '5', '--faults', 'throttle=1'], SIM_START_MS),
    ])
  }, 90_000)
  afterAll(async () => {
    await Promise.all([faulty?.stop(), always?.stop()])
  })

  it('rides out throttling with retries and still reports every instance', async () => {
    const r = await runCli(['instances', '--json', '--verbose', '--endpoint-url', faulty.ready.endpoint], {
      env: awsTestEnv({AWS_MAX_ATTEMPTS: '10'}),
    })
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as InstancesJson).instances).toHaveLength(120)
    const throttled = (await fetchStats(faulty.ready.endpoint)).totals.throttled
    expect(throttled).toBeGreaterThan(0)
    expect(r.stderr).toMatch(new RegExp(`, ${throttled} throttles?, 0 errors$`, 'm'))
  })

  it('throttling that outlasts the retries exits 1 with its own message', async () => {
    const r = await runCli(['instances', '--endpoint-url', always.ready.endpoint], {
      env: awsTestEnv({AWS_MAX_ATTEMPTS: '2'}),
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/AWS kept throttling ECS\.\w+ after 2 attempts/)
    expect(r.stderr).toMatch(/Next step: .*retry in a minute/)
  })
})
