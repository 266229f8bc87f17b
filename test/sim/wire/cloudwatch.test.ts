/**
 * CloudWatch's four operations over the three protocols AWS accepts for it (awsJson1_0 query-compatible,
 * smithy-rpc-v2-cbor and awsQuery), each through the SDK's own serializer for that protocol, against the
 * todobackend world's 30 minutes of MemoryReservation history.
 */
import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {cloudWatchOverProtocols, startTestSim, type TestSim} from '../../helpers/sim.js'

let sim: TestSim
beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend'})
})
afterAll(() => sim.close())

const dimensions = [{Name: 'ClusterName', Value: 'todobackend-cluster'}]

describe.each(['json', 'cbor', 'query'] as const)('CloudWatch over %s', (protocol) => {
  const client = () => cloudWatchOverProtocols(sim.endpoint, {maxAttempts: 1})[protocol]
  const now = () => new Date(sim.clock.now())

  it('GetMetricStatistics serves a full half hour at 60 s with every statistic', async () => {
    const out = await client().send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ECS',
        MetricName: 'MemoryReservation',
        Dimensions: dimensions,
        StartTime: new Date(now().getTime() - 30 * 60_000),
        EndTime: now(),
        Period: 60,
        Statistics: ['Minimum', 'Maximum', 'Average', 'SampleCount'],
      }),
    )
    expect(out.Datapoints!.length).toBeGreaterThanOrEqual(29)
    const point = out.Datapoints![0]!
    expect(point.Timestamp).toBeInstanceOf(Date)
    expect(point.Timestamp!.getTime() % 60_000).toBe(0)
    // One 480 MiB task on a 993 MiB instance, steady.
    expect(point.Minimum).toBeCloseTo((480 / 993) * 100, 5)
    expect(point.Maximum).toBeCloseTo(point.Minimum!, 5)
    expect(point.SampleCount).toBeGreaterThan(0)
    expect(point.Unit).toBe('Percent')
  })

  it('GetMetricData returns Timestamps and Values newest first', async () => {
    const out = await client().send(
      new GetMetricDataCommand({
        StartTime: new Date(now().getTime() - 10 * 60_000),
        EndTime: now(),
        MetricDataQueries: [
          {
            Id: 'mem',
            MetricStat: {
              Metric: {Namespace: 'AWS/ECS', MetricName: 'MemoryReservation', Dimensions: dimensions},
              Period: 60,
              Stat: 'Minimum',
            },
          },
        ],
      }),
    )
    const result = out.MetricDataResults![0]!
    expect(result).toMatchObject({Id: 'mem', StatusCode: 'Complete'})
    expect(result.Timestamps!.length).toBeGreaterThanOrEqual(9)
    expect(result.Timestamps!.length).toBe(result.Values!.length)
    const times = result.Timestamps!.map((t) => t.getTime())
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(result.Values![0]).toBeCloseTo((480 / 993) * 100, 5)
  })

  it('ListMetrics lists the ECS reservation metrics', async () => {
    const out = await client().send(new ListMetricsCommand({Namespace: 'AWS/ECS'}))
    const names = out.Metrics!.map((m) => m.MetricName)
    expect(names).toEqual(expect.arrayContaining(['MemoryReservation', 'CPUReservation']))
    expect(out.Metrics![0]!.Dimensions).toEqual(
      expect.arrayContaining([expect.objectContaining({Name: 'ClusterName'})]),
    )
  })

  it('PutMetricData stores a point that GetMetricStatistics then returns', async () => {
    const at = new Date(Math.floor(now().getTime() / 60_000) * 60_000 - 60_000)
    await client().send(
      new PutMetricDataCommand({
        Namespace: `Test/${protocol}`,
        MetricData: [{MetricName: 'Depth', Value: 7.5, Timestamp: at, Unit: 'Count'}],
      }),
    )
    const out = await client().send(
      new GetMetricStatisticsCommand({
        Namespace: `Test/${protocol}`,
        MetricName: 'Depth',
        StartTime: new Date(at.getTime() - 60_000),
        EndTime: now(),
        Period: 60,
        Statistics: ['Maximum'],
      }),
    )
    expect(out.Datapoints).toEqual([expect.objectContaining({Timestamp: at, Maximum: 7.5})])
  })

  it('a bad parameter surfaces as the modeled InvalidParameterValueException', async () => {
    const call = client().send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ECS',
        MetricName: 'MemoryReservation',
        StartTime: now(),
        EndTime: now(),
        Period: 7,
        Statistics: ['Minimum'],
      }),
    )
    const error = await call.catch((e: unknown) => e as {name: string; $metadata: {httpStatusCode: number}})
    expect(error).toMatchObject({name: 'InvalidParameterValueException', $metadata: {httpStatusCode: 400}})
  })
})
