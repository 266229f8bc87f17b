/**
 * CloudWatch's store at 1-minute resolution. Each series keeps one aggregate (min, max, sum, count) per
 * minute, updated on every sample: a dip that lasts a second still shows in that minute's Minimum, and memory
 * stays bounded (at most 15 days of minutes per series, as CloudWatch keeps 60 s data for 15 days).
 *
 * "Carry" series (the ECS reservation metrics) hold their value between changes, like a gauge: each new
 * minute starts with the value carried over, so a steady cluster still has a datapoint every minute.
 */

export interface Dimension {
  Name: string
  Value: string
}

export interface Agg {
  min: number
  max: number
  sum: number
  count: number
}

export interface Series {
  seq: number
  key: string
  namespace: string
  name: string
  dimensions: Dimension[]
  unit: string
  carry: boolean
  minutes: Map<number, Agg>
  lastMinute: number
  lastValue?: number
}

export const MINUTE = 60_000
const RETENTION_MINUTES = 15 * 24 * 60

export function seriesKey(namespace: string, name: string, dims: Dimension[]): string {
  const d = [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
  return `${namespace}\u0000${name}\u0000${d.map((x) => `${x.Name}=${x.Value}`).join('\u0000')}`
}

function add(
  agg: Agg | undefined,
  value: number,
  count = 1,
  min = value,
  max = value,
  sum = value * count,
): Agg {
  if (!agg) return {min, max, sum, count}
  agg.min = Math.min(agg.min, min)
  agg.max = Math.max(agg.max, max)
  agg.sum += sum
  agg.count += count
  return agg
}

export class MetricStore {
  readonly series = new Map<string, Series>()
  private seq = 0

  get(namespace: string, name: string, dims: Dimension[]): Series | undefined {
    return this.series.get(seriesKey(namespace, name, dims))
  }

  private ensure(namespace: string, name: string, dims: Dimension[], unit: string, carry: boolean): Series {
    const key = seriesKey(namespace, name, dims)
    let s = this.series.get(key)
    if (!s) {
      s = {
        seq: ++this.seq,
        key,
        namespace,
        name,
        dimensions: dims,
        unit,
        carry,
        minutes: new Map(),
        lastMinute: -1,
      }
      this.series.set(key, s)
    }
    return s
  }

  /** One sample at time t (ms). */
  record(
    namespace: string,
    name: string,
    dims: Dimension[],
    value: number,
    t: number,
    opts: {carry?: boolean; unit?: string} = {},
  ): void {
    const s = this.ensure(namespace, name, dims, opts.unit ?? 'None', opts.carry ?? false)
    const minute = Math.floor(t / MINUTE) * MINUTE
    if (s.carry && s.lastValue !== undefined && minute > s.lastMinute) {
      // The value held since the last change is the first sample of every minute that began since.
      const from = Math.max(s.lastMinute + MINUTE, minute - RETENTION_MINUTES * MINUTE)
      for (let m = from; m <= minute; m += MINUTE) s.minutes.set(m, add(s.minutes.get(m), s.lastValue))
    }
    s.minutes.set(minute, add(s.minutes.get(minute), value))
    this.touch(s, minute)
    if (s.carry) s.lastValue = value
  }

  /** A pre-aggregated sample set (PutMetricData's StatisticValues, or Values with Counts). */
  recordAggregate(
    namespace: string,
    name: string,
    dims: Dimension[],
    agg: Agg,
    t: number,
    unit?: string,
  ): void {
    const s = this.ensure(namespace, name, dims, unit ?? 'None', false)
    const minute = Math.floor(t / MINUTE) * MINUTE
    s.minutes.set(minute, add(s.minutes.get(minute), 0, agg.count, agg.min, agg.max, agg.sum))
    this.touch(s, minute)
  }

  private touch(s: Series, minute: number): void {
    if (minute > s.lastMinute) s.lastMinute = minute
    if (s.minutes.size > RETENTION_MINUTES + 60) {
      const cutoff = s.lastMinute - RETENTION_MINUTES * MINUTE
      for (const m of s.minutes.keys()) if (m < cutoff) s.minutes.delete(m)
    }
  }

  /**
   * The aggregates of [start, end) in periods of `period` ms, aligned to the period, oldest first. Minutes
   * after a carry series' last change, up to now, hold the carried value.
   */
  query(s: Series, start: number, end: number, period: number, now: number): {timestamp: number; agg: Agg}[] {
    const out: {timestamp: number; agg: Agg}[] = []
    const first = Math.floor(start / period) * period
    for (let p = first; p < end; p += period) {
      let agg: Agg | undefined
      for (let m = Math.max(p, Math.ceil(start / MINUTE) * MINUTE); m < p + period && m < end; m += MINUTE) {
        let a = s.minutes.get(m)
        if (!a && s.carry && s.lastValue !== undefined && m > s.lastMinute && m <= now) {
          a = {min: s.lastValue, max: s.lastValue, sum: s.lastValue, count: 1}
        }
        if (a) agg = add(agg, 0, a.count, a.min, a.max, a.sum)
      }
      if (agg) out.push({timestamp: p, agg})
    }
    return out
  }
}

export function statValue(agg: Agg, stat: string): number | undefined {
  switch (stat) {
    case 'Minimum':
      return agg.min
    case 'Maximum':
      return agg.max
    case 'Sum':
      return agg.sum
    case 'SampleCount':
      return agg.count
    case 'Average':
      return agg.count > 0 ? agg.sum / agg.count : 0
    default:
      return undefined
  }
}
