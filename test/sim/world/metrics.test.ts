import {afterEach, describe, expect, it} from 'vitest'
import {MetricStore} from '../../../src/sim/world/metrics/store.js'
import {CLUSTER, harness, registerTaskDef, type Harness, type Obj} from './helpers.js'

let h: Harness
afterEach(() => h?.world.stop())

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0)
const dims = [{Name: 'ClusterName', Value: 'c'}]

describe('the minute store', () => {
  it("keeps a dip of one second in that minute's Minimum, and carries the value into later minutes", () => {
    const store = new MetricStore()
    store.record('AWS/ECS', 'MemoryReservation', dims, 50, T0, {carry: true})
    store.record('AWS/ECS', 'MemoryReservation', dims, 0, T0 + 5 * 60_000 + 10_000, {carry: true})
    store.record('AWS/ECS', 'MemoryReservation', dims, 50, T0 + 5 * 60_000 + 11_000, {carry: true})
    const s = store.get('AWS/ECS', 'MemoryReservation', dims)!
    const points = store.query(s, T0, T0 + 10 * 60_000, 60_000, T0 + 10 * 60_000)
    expect(points.map((p) => p.agg.min)).toEqual([50, 50, 50, 50, 50, 0, 50, 50, 50, 50])
    expect(points[5]!.agg).toMatchObject({min: 0, max: 50, count: 3})
    // A 5-minute period aggregates its minutes.
    const five = store.query(s, T0, T0 + 10 * 60_000, 300_000, T0 + 10 * 60_000)
    expect(five.map((p) => [p.agg.min, p.agg.max])).toEqual([
      [50, 50],
      [0, 50],
    ])
  })

  it('does not invent data for minutes that have not happened yet', () => {
    const store = new MetricStore()
    store.record('AWS/ECS', 'CPUReservation', dims, 10, T0, {carry: true})
    const s = store.get('AWS/ECS', 'CPUReservation', dims)!
    expect(store.query(s, T0, T0 + 10 * 60_000, 60_000, T0 + 2 * 60_000)).toHaveLength(3)
  })
})

describe('CloudWatch handlers', () => {
  it('serve 30 minutes of steady history at start, by GetMetricStatistics and GetMetricData', () => {
    h = harness()
    const now = h.clock.now()
    const stats = h.call<Obj>('cloudwatch', 'GetMetricStatistics', {
      Namespace: 'AWS/ECS',
      MetricName: 'MemoryReservation',
      Dimensions: [{Name: 'ClusterName', Value: CLUSTER}],
      StartTime: new Date(now - 30 * 60_000).toISOString(),
      EndTime: new Date(now).toISOString(),
      Period: '60',
      Statistics: ['Minimum', 'Maximum', 'Average', 'SampleCount'],
    })
    expect(stats.Label).toBe('MemoryReservation')
    expect(stats.Datapoints).toHaveLength(30)
    for (const dp of stats.Datapoints) {
      expect(dp.Minimum).toBeCloseTo((480 / 993) * 100, 6)
      expect(dp.Maximum).toBe(dp.Minimum)
      expect(dp.SampleCount).toBeGreaterThanOrEqual(1)
      expect(dp.Unit).toBe('Percent')
    }
    const asc = h.call<Obj>('cloudwatch', 'GetMetricData', {
      StartTime: new Date(now - 10 * 60_000),
      EndTime: new Date(now),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'cpu',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ECS',
              MetricName: 'CPUReservation',
              Dimensions: [{Name: 'ClusterName', Value: CLUSTER}],
            },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
    }).MetricDataResults[0]
    expect(asc.Id).toBe('cpu')
    expect(asc.Values).toHaveLength(10)
    expect(asc.Values[0]).toBeCloseTo((245 / 1024) * 100, 6)
    expect(asc.Timestamps[1].getTime() - asc.Timestamps[0].getTime()).toBe(60_000)
  })

  it('ListMetrics lists the cluster reservation metrics; PutMetricData adds custom ones', () => {
    h = harness()
    const ecs = h.call<Obj>('cloudwatch', 'ListMetrics', {Namespace: 'AWS/ECS'}).Metrics
    expect(ecs.map((m: Obj) => m.MetricName).sort()).toEqual(['CPUReservation', 'MemoryReservation'])
    expect(ecs[0].Dimensions).toEqual([{Name: 'ClusterName', Value: CLUSTER}])
    h.call('cloudwatch', 'PutMetricData', {
      Namespace: 'Custom/App',
      MetricData: [{MetricName: 'Latency', Value: '12.5', Unit: 'Milliseconds'}],
    })
    const custom = h.call<Obj>('cloudwatch', 'ListMetrics', {Namespace: 'Custom/App'}).Metrics
    expect(custom).toEqual([{Namespace: 'Custom/App', MetricName: 'Latency', Dimensions: []}])
    const got = h.call<Obj>('cloudwatch', 'GetMetricStatistics', {
      Namespace: 'Custom/App',
      MetricName: 'Latency',
      StartTime: (h.clock.now() - 60_000) / 1000,
      EndTime: (h.clock.now() + 60_000) / 1000,
      Period: 60,
      Statistics: ['Sum'],
    })
    expect(got.Datapoints.map((d: Obj) => d.Sum)).toEqual([12.5])
  })

  it("records a release of memory on an ACTIVE instance: that minute's Minimum drops", () => {
    h = harness()
    const minutes = () => {
      const now = h.clock.now()
      const r = h.call<Obj>('cloudwatch', 'GetMetricData', {
        StartTime: new Date(now - 10 * 60_000),
        EndTime: new Date(now),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ECS',
                MetricName: 'MemoryReservation',
                Dimensions: [{Name: 'ClusterName', Value: CLUSTER}],
              },
              Period: 60,
              Stat: 'Minimum',
            },
          },
        ],
      }).MetricDataResults[0]
      return new Map<number, number>(
        r.Timestamps.map((t: Date, i: number) => [t.getTime(), r.Values[i] as number]),
      )
    }
    // Given a standalone task of 200 MiB running beside the service's 480 MiB, for whole minutes
    registerTaskDef(h, 'job', 200)
    const task = h.call<Obj>('ecs', 'RunTask', {cluster: CLUSTER, taskDefinition: 'job'}).tasks[0]
    h.clock.advance(3 * 60_000)
    const busy = ((480 + 200) / 993) * 100
    const before = minutes()
    expect([...before.values()].at(-1)).toBeCloseTo(busy, 6)
    // When it stops (30 s stopTimeout) and releases its memory, the instance staying ACTIVE
    h.call('ecs', 'StopTask', {cluster: CLUSTER, task: task.taskArn})
    h.clock.runUntil(
      () =>
        h.call<Obj>('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: [task.taskArn]}).tasks[0].lastStatus ===
        'STOPPED',
    )
    const releasedAt = h.clock.now()
    h.clock.advance(2 * 60_000)
    // Then the minute of the release has the lower Minimum, and the minutes after it stay there
    const after = minutes()
    const minuteOf = releasedAt - (releasedAt % 60_000)
    expect(after.get(minuteOf)).toBeCloseTo((480 / 993) * 100, 6)
    expect(after.get(minuteOf - 60_000)).toBeCloseTo(busy, 6)
  })
})
