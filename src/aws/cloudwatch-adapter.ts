import type {CloudWatchClient} from '@aws-sdk/client-cloudwatch'

import type {CloudWatchPort} from '../core/ports.js'
import type {MetricPoint} from '../core/types.js'
import {collectPages} from './batch.js'
import {endpointFor, type ClientFactory} from './client-factory.js'
import {sdk, type CloudWatchSdk} from './sdk.js'

/**
 * Only `watch` reads metrics, so the CloudWatch client is loaded on first use: `instances` and `drain` don't
 * pay for loading it at startup.
 */
export function createCloudWatchPort(
  factory: ClientFactory,
): CloudWatchPort & {client(): Promise<CloudWatchClient>} {
  let loaded: {sdk: CloudWatchSdk; client: CloudWatchClient} | undefined
  const load = async () => {
    if (!loaded) {
      const cw = sdk.cloudWatch()
      loaded = {sdk: cw, client: factory.make(cw.CloudWatchClient, 'CloudWatch')}
    }
    return loaded
  }

  return {
    client: async () => (await load()).client,

    async memoryReservationMinimum(cluster: string, start: Date, end: Date): Promise<MetricPoint[]> {
      const {sdk: cw, client} = await load()
      const results = await collectPages(
        {operation: 'CloudWatch.GetMetricData', endpoint: endpointFor(factory.options, 'CLOUDWATCH')},
        (NextToken) =>
          client.send(
            new cw.GetMetricDataCommand({
              StartTime: start,
              EndTime: end,
              ScanBy: 'TimestampAscending',
              NextToken,
              MetricDataQueries: [
                {
                  Id: 'memmin',
                  ReturnData: true,
                  // Minimum at 60 s: a minute whose minimum is 0 had a moment with nothing reserved (the outage).
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
            }),
          ),
        (p) => ({items: p.MetricDataResults, nextToken: p.NextToken}),
      )
      const points: MetricPoint[] = []
      for (const r of results) {
        const ts = r.Timestamps ?? []
        const vs = r.Values ?? []
        for (let i = 0; i < Math.min(ts.length, vs.length); i++)
          points.push({timestamp: ts[i]!, value: vs[i]!})
      }
      // Pages may split the series; sort so callers always get oldest first whatever the server did.
      return points.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())
    },
  }
}
