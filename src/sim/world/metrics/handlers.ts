import {SimError} from '../../types.js'
import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {list, num, obj, page, str, time} from '../input.js'
import type {State} from '../state.js'
import type {Dimension, Series} from './store.js'
import {MINUTE, statValue} from './store.js'

/** CloudWatch: GetMetricData, GetMetricStatistics, ListMetrics, PutMetricData over the minute store. */

const STATS = ['Minimum', 'Maximum', 'Average', 'Sum', 'SampleCount']
const RETENTION_MS = 15 * 24 * 60 * MINUTE

function invalidValue(message: string): SimError {
  return new SimError('InvalidParameterValue', message)
}

function missing(name: string): SimError {
  return new SimError('MissingParameter', `The parameter ${name} is required.`)
}

function dimensions(input: Input, name = 'Dimensions'): Dimension[] {
  return (list<Input>(input, name) ?? []).map((d) => ({
    Name: str(d, 'Name') ?? '',
    Value: str(d, 'Value') ?? '',
  }))
}

/** Periods of standard-resolution data: 60 s multiples (1, 5, 10 and 30 s read as one minute). */
function period(input: Input, field: string): number {
  const p = num(input, 'Period', 'InvalidParameterValue')
  if (p === undefined) throw missing(field)
  if (p <= 0 || (p % 60 !== 0 && ![1, 5, 10, 30].includes(p)))
    throw invalidValue(`The parameter ${field} must be a multiple of 60.`)
  return Math.max(60, p) * 1000
}

function range(state: State, input: Input): {start: number; end: number} {
  const start = time(input, 'StartTime', 'InvalidParameterValue')
  const end = time(input, 'EndTime', 'InvalidParameterValue')
  if (start === undefined) throw missing('StartTime')
  if (end === undefined) throw missing('EndTime')
  if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.')
  // Nothing older than the retention exists; clamping also bounds the work of a huge range.
  return {start: Math.max(start, state.now() - RETENTION_MS), end: Math.min(end, state.now() + MINUTE)}
}

export function metricHandlers(state: State): Record<string, OperationHandler> {
  const find = (namespace: string, name: string, dims: Dimension[]): Series | undefined =>
    state.metrics.get(namespace, name, dims)
  return {
    GetMetricData: (input: Input) => {
      const queries = list<Input>(input, 'MetricDataQueries')
      if (!queries || queries.length === 0) throw missing('MetricDataQueries')
      if (queries.length > 500)
        throw invalidValue('The collection MetricDataQueries must not have a size greater than 500.')
      const {start, end} = range(state, input)
      const scanBy = str(input, 'ScanBy') ?? 'TimestampDescending'
      if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
        throw invalidValue(`The value ${scanBy} for parameter ScanBy is invalid.`)
      const results = queries.map((q, n) => {
        const id = str(q, 'Id')
        if (!id || !/^[a-z][a-zA-Z0-9_]*$/.test(id))
          throw invalidValue(
            `The value ${id ?? ''} for parameter MetricDataQueries.member.${n + 1}.Id is invalid.`,
          )
        const ms = obj(q, 'MetricStat')
        if (!ms) {
          if (str(q, 'Expression'))
            throw invalidValue(
              `MetricDataQueries.member.${n + 1}.Expression: metric math is not supported by the sim.`,
            )
          throw new SimError(
            'InvalidParameterCombination',
            'Exactly one element of MetricStat and Expression must be specified.',
          )
        }
        const metric = obj(ms, 'Metric') ?? {}
        const stat = str(ms, 'Stat') ?? ''
        if (!STATS.includes(stat))
          throw invalidValue(
            `The value ${stat} for parameter MetricDataQueries.member.${n + 1}.MetricStat.Stat is invalid.`,
          )
        const p = period(ms, `MetricDataQueries.member.${n + 1}.MetricStat.Period`)
        const name = str(metric, 'MetricName') ?? ''
        const series = find(str(metric, 'Namespace') ?? '', name, dimensions(metric))
        const points = series ? state.metrics.query(series, start, end, p, state.now()) : []
        if (scanBy === 'TimestampDescending') points.reverse()
        return {
          Id: id,
          Label: str(q, 'Label') ?? name,
          Timestamps: points.map((x) => new Date(x.timestamp)),
          Values: points.map((x) => statValue(x.agg, stat)!),
          StatusCode: 'Complete',
          Messages: [],
          returnData: q.ReturnData === undefined || String(q.ReturnData) !== 'false',
        }
      })
      return {
        MetricDataResults: results.filter((r) => r.returnData).map(({returnData: _r, ...r}) => r),
        Messages: [],
      }
    },
    GetMetricStatistics: (input: Input) => {
      const namespace = str(input, 'Namespace')
      if (!namespace) throw missing('Namespace')
      const name = str(input, 'MetricName')
      if (!name) throw missing('MetricName')
      const stats = list<string>(input, 'Statistics')?.map(String) ?? []
      const extended = list<string>(input, 'ExtendedStatistics') ?? []
      if (stats.length === 0 && extended.length === 0)
        throw new SimError(
          'InvalidParameterCombination',
          'Must specify either Statistics or ExtendedStatistics.',
        )
      for (const s of stats)
        if (!STATS.includes(s)) throw invalidValue(`The value ${s} for parameter Statistics is invalid.`)
      const {start, end} = range(state, input)
      const p = period(input, 'Period')
      const requested = Math.ceil((end - start) / p)
      if (requested > 1440)
        throw new SimError(
          'InvalidParameterCombination',
          `You have requested up to ${requested} datapoints, which exceeds the limit of 1440. You may reduce the ` +
            'datapoints requested by increasing Period, or decreasing the time range.',
        )
      const series = find(namespace, name, dimensions(input))
      const points = series ? state.metrics.query(series, start, end, p, state.now()) : []
      return {
        Label: name,
        Datapoints: points.map((x) => {
          const dp: Record<string, unknown> = {Timestamp: new Date(x.timestamp), Unit: series!.unit}
          for (const s of stats) dp[s] = statValue(x.agg, s)
          return dp
        }),
      }
    },
    ListMetrics: (input: Input) => {
      const namespace = str(input, 'Namespace')
      const name = str(input, 'MetricName')
      const filters = dimensions(input)
      const matching = [...state.metrics.series.values()].filter(
        (s) =>
          (!namespace || s.namespace === namespace) &&
          (!name || s.name === name) &&
          filters.every((f) =>
            s.dimensions.some((d) => d.Name === f.Name && (!f.Value || d.Value === f.Value)),
          ),
      )
      const {items, nextToken} = page(matching, str(input, 'NextToken'), 500, 'InvalidParameterValue')
      return {
        Metrics: items.map((s) => ({Namespace: s.namespace, MetricName: s.name, Dimensions: s.dimensions})),
        NextToken: nextToken,
      }
    },
    PutMetricData: (input: Input) => {
      const namespace = str(input, 'Namespace')
      if (!namespace) throw missing('Namespace')
      if (namespace.startsWith('AWS/'))
        throw invalidValue(`The value ${namespace} for parameter Namespace is invalid.`)
      const data = list<Input>(input, 'MetricData') ?? []
      if (data.length === 0) throw missing('MetricData')
      if (data.length > 1000)
        throw invalidValue('The collection MetricData must not have a size greater than 1000.')
      data.forEach((d, n) => {
        const name = str(d, 'MetricName')
        if (!name) throw missing(`MetricData.member.${n + 1}.MetricName`)
        const t = time(d, 'Timestamp', 'InvalidParameterValue') ?? state.now()
        const unit = str(d, 'Unit')
        const dims = dimensions(d)
        const sv = obj(d, 'StatisticValues')
        const value = num(d, 'Value', 'InvalidParameterValue')
        const values = list<unknown>(d, 'Values')?.map(Number)
        if (sv) {
          const get = (k: string) => num(sv, k, 'InvalidParameterValue') ?? 0
          state.metrics.recordAggregate(
            namespace,
            name,
            dims,
            {min: get('Minimum'), max: get('Maximum'), sum: get('Sum'), count: get('SampleCount')},
            t,
            unit,
          )
        } else if (values && values.length > 0) {
          const counts = list<unknown>(d, 'Counts')?.map(Number) ?? []
          values.forEach((v, k) => {
            const c = counts[k] ?? 1
            state.metrics.recordAggregate(
              namespace,
              name,
              dims,
              {min: v, max: v, sum: v * c, count: c},
              t,
              unit,
            )
          })
        } else if (value !== undefined) {
          state.metrics.record(namespace, name, dims, value, t, {unit})
        } else throw missing(`MetricData.member.${n + 1}.Value`)
      })
      return {}
    },
  }
}

/**
 * One statistic of a metric over [start, end), for alarms (src/sim/stack/alarms.ts): the minutes' aggregates
 * combined, undefined when the window holds no datapoint.
 */
export function readMetric(
  state: State,
  namespace: string,
  name: string,
  dims: Dimension[],
  stat: string,
  start: number,
  end: number,
): number | undefined {
  const series = state.metrics.get(namespace, name, dims)
  if (!series) return undefined
  const [first, ...rest] = state.metrics.query(series, start, end, MINUTE, state.now())
  if (!first) return undefined
  const agg = rest.reduce(
    (a, p) => ({
      min: Math.min(a.min, p.agg.min),
      max: Math.max(a.max, p.agg.max),
      sum: a.sum + p.agg.sum,
      count: a.count + p.agg.count,
    }),
    first.agg,
  )
  return statValue(agg, stat)
}
