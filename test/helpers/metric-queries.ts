/**
 * The seed's outage signal as a GetMetricData input: AWS/ECS MemoryReservation for the cluster, statistic
 * Minimum, period 60 s. Plain data, so the world-model tests (handlers called directly) and the wire tests
 * (the SDK over HTTP) ask the same question.
 */
export function memoryMinimumQuery(cluster: string, startMs: number, endMs: number) {
  return {
    StartTime: new Date(startMs),
    EndTime: new Date(endMs),
    MetricDataQueries: [
      {
        Id: 'mem',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ECS',
            MetricName: 'MemoryReservation',
            Dimensions: [{Name: 'ClusterName', Value: cluster}],
          },
          Period: 60,
          Stat: 'Minimum',
        },
      },
    ],
  }
}
