/** CloudWatch beyond MemoryReservation (MonitoringPort): the hook stack's alarms and its function's metrics. */
import type {CloudWatchClient} from '@aws-sdk/client-cloudwatch'

import type {AlarmInfo, MonitoringPort} from '../core/ports.js'
import {chunk, collectPages} from './batch.js'
import {endpointFor, type ClientFactory} from './client-factory.js'
import {sdk} from './sdk.js'

/** DescribeAlarms takes "the names of the alarms to retrieve", up to 100. */
const ALARM_NAMES_BATCH = 100

export function createMonitoringPort(factory: ClientFactory): MonitoringPort {
  let client: CloudWatchClient | undefined
  const cw = () => sdk.cloudWatch()
  const get = () => (client ??= factory.make(cw().CloudWatchClient, 'CloudWatch'))
  const site = (op: string) => ({
    operation: `CloudWatch.${op}`,
    endpoint: endpointFor(factory.options, 'CLOUDWATCH'),
  })

  return {
    async describeAlarms(names) {
      const out: AlarmInfo[] = []
      for (const AlarmNames of chunk(names, ALARM_NAMES_BATCH)) {
        const alarms = await collectPages(
          site('DescribeAlarms'),
          (NextToken) =>
            get().send(
              new (cw().DescribeAlarmsCommand)({AlarmNames, AlarmTypes: ['MetricAlarm'], NextToken}),
            ),
          (p) => ({items: p.MetricAlarms, nextToken: p.NextToken}),
        )
        for (const a of alarms)
          out.push({
            name: a.AlarmName ?? '',
            state: a.StateValue ?? 'INSUFFICIENT_DATA',
            stateReason: a.StateReason ?? null,
            stateUpdatedAt: a.StateUpdatedTimestamp ?? null,
            actionsEnabled: a.ActionsEnabled ?? true,
            alarmActions: a.AlarmActions ?? [],
            namespace: a.Namespace ?? null,
            metricName: a.MetricName ?? null,
          })
      }
      return out
    },

    async metricSums(queries, start, end) {
      if (queries.length === 0) return {}
      // One period covering the whole window: one datapoint per metric, its Sum.
      const period = Math.max(60, Math.ceil((end.getTime() - start.getTime()) / 60_000) * 60)
      const results = await collectPages(
        site('GetMetricData'),
        (NextToken) =>
          get().send(
            new (cw().GetMetricDataCommand)({
              StartTime: start,
              EndTime: end,
              NextToken,
              MetricDataQueries: queries.map((q) => ({
                Id: q.id,
                ReturnData: true,
                MetricStat: {
                  Metric: {
                    Namespace: q.namespace,
                    MetricName: q.metricName,
                    Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({Name, Value})),
                  },
                  Period: period,
                  Stat: 'Sum',
                },
              })),
            }),
          ),
        (p) => ({items: p.MetricDataResults, nextToken: p.NextToken}),
      )
      const sums: Record<string, number | null> = Object.fromEntries(queries.map((q) => [q.id, null]))
      for (const r of results) {
        const values = r.Values ?? []
        if (r.Id && values.length > 0) sums[r.Id] = (sums[r.Id] ?? 0) + values.reduce((a, b) => a + b, 0)
      }
      return sums
    },
  }
}
