/**
 * Injected faults, in each protocol's real error format as the SDK sees them, and counted in /_sim/stats.
 */
import {DescribeAutoScalingGroupsCommand} from '@aws-sdk/client-auto-scaling'
import {ListMetricsCommand} from '@aws-sdk/client-cloudwatch'
import {ECSClient, ListClustersCommand} from '@aws-sdk/client-ecs'
import {ConfiguredRetryStrategy} from '@smithy/util-retry'
import {afterEach, describe, expect, it} from 'vitest'

import {FaultInjector, parseFaultSpec} from '../../../src/sim/faults.js'
import {
  TEST_CREDENTIALS,
  cloudWatchOverProtocols,
  simClients,
  startTestSim,
  type TestSim,
} from '../../helpers/sim.js'

const started: TestSim[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()))
})
async function simWith(faults: string, faultSeed = 7) {
  const sim = await startTestSim({scenario: 'todobackend', faults, faultSeed})
  started.push(sim)
  return sim
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as {name: string; $metadata: {httpStatusCode: number}},
  )

describe('parseFaultSpec', () => {
  it('reads rates, percentages and durations', () => {
    expect(parseFaultSpec('throttle=0.2,error=5%,latency=20ms')).toEqual({
      throttle: 0.2,
      error: 0.05,
      latencyMs: 20,
      operations: {},
    })
    expect(parseFaultSpec('latency=1s')).toEqual({throttle: 0, error: 0, latencyMs: 1000, operations: {}})
    expect(parseFaultSpec(undefined)).toEqual({throttle: 0, error: 0, latencyMs: 0, operations: {}})
  })
  it('reads rules for one operation, by name or service:name', () => {
    expect(parseFaultSpec('throttle=0.5@ListTasks,error=0.1,latency=5ms@ecs:DescribeTasks')).toEqual({
      throttle: 0,
      error: 0.1,
      latencyMs: 0,
      operations: {ListTasks: {throttle: 0.5}, 'ecs:DescribeTasks': {latencyMs: 5}},
    })
  })
  it.each([
    'throttle=2',
    'error=-0.1',
    'latency=soon',
    'boom=1',
    'throttle',
    'throttle=0.1=2',
    'throttle=0.1@',
    'throttle=0.1@listTasks',
    'throttle=0.1@ListTasks@DescribeTasks',
  ])('rejects %s', (text) => {
    expect(() => parseFaultSpec(text)).toThrow()
  })
})

describe('FaultInjector', () => {
  it("applies an operation's own rule over the general one, and only to that operation", () => {
    const injector = new FaultInjector(
      parseFaultSpec('throttle=1@ListTasks,error=1@ecs:StopTask,latency=9ms'),
    )
    expect(injector.ratesFor('ecs', 'ListTasks')).toEqual({throttle: 1, error: 0, latencyMs: 9})
    expect(injector.ratesFor('ecs', 'StopTask')).toEqual({throttle: 0, error: 1, latencyMs: 9})
    expect(injector.ratesFor('autoscaling', 'StopTask')).toEqual({throttle: 0, error: 0, latencyMs: 9})
    expect(injector.decide('ecs', 'ListTasks')).toBe('throttle')
    expect(injector.decide('ecs', 'DescribeTasks')).toBe('none')
  })

  it('with a seed, gives each operation the same sequence however the calls interleave', () => {
    const spec = parseFaultSpec('throttle=0.3')
    const a = new FaultInjector(spec, 9)
    const b = new FaultInjector(spec, 9)
    const listA = Array.from({length: 50}, () => [
      a.decide('ecs', 'ListTasks'),
      a.decide('ecs', 'DescribeTasks'),
    ])
    // b asks in another order: all ListTasks first, then all DescribeTasks.
    const listB = Array.from({length: 50}, () => b.decide('ecs', 'ListTasks'))
    const describeB = Array.from({length: 50}, () => b.decide('ecs', 'DescribeTasks'))
    expect(listA.map(([l]) => l)).toEqual(listB)
    expect(listA.map(([, d]) => d)).toEqual(describeB)
    expect(new Set(listB)).toEqual(new Set(['throttle', 'none']))
    // Another seed gives another sequence.
    const c = new FaultInjector(spec, 10)
    expect(Array.from({length: 50}, () => c.decide('ecs', 'ListTasks'))).not.toEqual(listB)
  })

  it('is reproducible with a seed and close to its rates', () => {
    const spec = parseFaultSpec('throttle=0.2,error=0.1')
    const run = () => {
      const injector = new FaultInjector(spec, 42)
      return Array.from({length: 5000}, () => injector.decide('ecs', 'ListClusters'))
    }
    const a = run()
    const b = run()
    expect(a).toEqual(b)
    const throttled = a.filter((d) => d === 'throttle').length / a.length
    const errors = a.filter((d) => d === 'error').length / a.length
    expect(throttled).toBeGreaterThan(0.17)
    expect(throttled).toBeLessThan(0.23)
    // error applies to the calls that were not throttled: 0.8 x 0.1.
    expect(errors).toBeGreaterThan(0.06)
    expect(errors).toBeLessThan(0.1)
  })
})

describe('faults over the wire', () => {
  it('throttling: ThrottlingException for ECS, Throttling for Query and CloudWatch, counted as throttled', async () => {
    const sim = await simWith('throttle=1')
    const {ecs, autoScaling} = simClients(sim.endpoint, {maxAttempts: 1})
    const cw = cloudWatchOverProtocols(sim.endpoint, {maxAttempts: 1})
    expect(await failure(ecs.send(new ListClustersCommand({})))).toMatchObject({
      name: 'ThrottlingException',
      $metadata: {httpStatusCode: 400},
    })
    expect(await failure(autoScaling.send(new DescribeAutoScalingGroupsCommand({})))).toMatchObject({
      name: 'Throttling',
      $metadata: {httpStatusCode: 400},
    })
    for (const client of [cw.json, cw.cbor, cw.query]) {
      expect(await failure(client.send(new ListMetricsCommand({})))).toMatchObject({
        name: 'Throttling',
        $metadata: {httpStatusCode: 400},
      })
    }
    const stats = await sim.fetchStats()
    expect(stats.operations['ecs:ListClusters']).toEqual({calls: 1, throttled: 1, errors: 0})
    expect(stats.operations['autoscaling:DescribeAutoScalingGroups']).toEqual({
      calls: 1,
      throttled: 1,
      errors: 0,
    })
    expect(stats.operations['cloudwatch:ListMetrics']).toEqual({calls: 3, throttled: 3, errors: 0})
    expect(stats.totals).toEqual({calls: 5, throttled: 5, errors: 0})
  })

  it('the SDK retries a throttled call, and the stats count every attempt', async () => {
    const sim = await simWith('throttle=0.5', 3)
    // The SDK's own retry loop, with short delays so that the test stays quick.
    const ecs = new ECSClient({
      endpoint: sim.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      retryStrategy: new ConfiguredRetryStrategy(10, () => 5),
    })
    for (let i = 0; i < 5; i++) await ecs.send(new ListClustersCommand({}))
    const counts = (await sim.fetchStats()).operations['ecs:ListClusters']!
    expect(counts.calls - counts.throttled).toBe(5)
    expect(counts.throttled).toBeGreaterThan(0)
  })

  it('server errors: HTTP 500 ServerException, InternalFailure and InternalServiceFault', async () => {
    const sim = await simWith('error=1')
    const {ecs, autoScaling, cloudWatch} = simClients(sim.endpoint, {maxAttempts: 1})
    expect(await failure(ecs.send(new ListClustersCommand({})))).toMatchObject({
      name: 'ServerException',
      $metadata: {httpStatusCode: 500},
    })
    expect(await failure(autoScaling.send(new DescribeAutoScalingGroupsCommand({})))).toMatchObject({
      name: 'InternalFailure',
      $metadata: {httpStatusCode: 500},
    })
    expect(await failure(cloudWatch.send(new ListMetricsCommand({})))).toMatchObject({
      name: 'InternalServiceFault',
      $metadata: {httpStatusCode: 500},
    })
    expect((await sim.fetchStats()).totals).toEqual({calls: 3, throttled: 0, errors: 3})
  })

  it('the injected error rate shows up in the stats', async () => {
    const sim = await simWith('throttle=0.2,error=0.1', 11)
    const {ecs} = simClients(sim.endpoint, {maxAttempts: 1})
    const calls = 300
    const outcomes = await Promise.all(
      Array.from({length: calls}, () => failure(ecs.send(new ListClustersCommand({})))),
    )
    const seen = {
      throttled: outcomes.filter((e) => e?.name === 'ThrottlingException').length,
      errors: outcomes.filter((e) => e?.name === 'ServerException').length,
    }
    const stats = await sim.fetchStats()
    expect(stats.operations['ecs:ListClusters']).toEqual({calls, ...seen})
    expect(seen.throttled / calls).toBeGreaterThan(0.12)
    expect(seen.throttled / calls).toBeLessThan(0.28)
    expect(seen.errors / calls).toBeGreaterThan(0.03)
    expect(seen.errors / calls).toBeLessThan(0.14)
    await sim.resetStats()
    expect((await sim.fetchStats()).totals).toEqual({calls: 0, throttled: 0, errors: 0})
  })

  it('a rule for one operation throttles that operation only', async () => {
    const sim = await simWith('throttle=1@ListClusters')
    const {ecs, autoScaling} = simClients(sim.endpoint, {maxAttempts: 1})
    expect(await failure(ecs.send(new ListClustersCommand({})))).toMatchObject({name: 'ThrottlingException'})
    const {DescribeClustersCommand} = await import('@aws-sdk/client-ecs')
    await ecs.send(new DescribeClustersCommand({clusters: ['todobackend-cluster']}))
    await autoScaling.send(new DescribeAutoScalingGroupsCommand({}))
    const stats = await sim.fetchStats()
    expect(stats.operations['ecs:ListClusters']).toEqual({calls: 1, throttled: 1, errors: 0})
    expect(stats.totals).toEqual({calls: 3, throttled: 1, errors: 0})
  })

  it('the same seed throttles the same calls over the wire, run after run', async () => {
    const outcomes = async (seed: number) => {
      const sim = await simWith('throttle=0.4', seed)
      const {ecs} = simClients(sim.endpoint, {maxAttempts: 1})
      const out: string[] = []
      for (let i = 0; i < 20; i++)
        out.push((await failure(ecs.send(new ListClustersCommand({}))))?.name ?? 'ok')
      return out
    }
    const first = await outcomes(5)
    expect(await outcomes(5)).toEqual(first)
    expect(first).toContain('ThrottlingException')
    expect(first).toContain('ok')
  })

  it('latency delays every call', async () => {
    const sim = await simWith('latency=120ms')
    const {ecs} = simClients(sim.endpoint, {maxAttempts: 1})
    await ecs.send(new ListClustersCommand({}))
    const began = performance.now()
    await ecs.send(new ListClustersCommand({}))
    expect(performance.now() - began).toBeGreaterThanOrEqual(115)
  })

  it('counts world errors (not injected) as errors', async () => {
    const sim = await simWith('')
    const {ecs} = simClients(sim.endpoint, {maxAttempts: 1})
    const {DescribeServicesCommand} = await import('@aws-sdk/client-ecs')
    expect(
      await failure(ecs.send(new DescribeServicesCommand({cluster: 'ghost', services: ['x']}))),
    ).toMatchObject({name: 'ClusterNotFoundException'})
    expect((await sim.fetchStats()).operations['ecs:DescribeServices']).toEqual({
      calls: 1,
      throttled: 0,
      errors: 1,
    })
  })
})
