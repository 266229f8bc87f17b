/**
 * The MemoryReservation chart as text lines: asciichart draws the per-minute Minimum on a fixed 0-100 %
 * axis; a marker line under it flags every minute at 0 % (an outage: no task was running) and every minute
 * CloudWatch had no data for, with symbols, not colour alone; and a time axis labels the minutes (HH:MM UTC).
 */
import asciichart from 'asciichart'

import type {MetricPoint} from '../core/types.js'

const MINUTE = 60_000
const AXIS = /[┤┼]/

export interface ChartLines {
  plot: string[]
  /** Same column positions as the plot: '▲' under a 0 % minute, '·' where CloudWatch had no data. */
  marks: string
  /** Same column positions: "HH:MM" (UTC) starting under each minute that is a multiple of `tickEvery`. */
  ticks: string
  outageMinutes: Date[]
  minutes: number
  /** The column of the y-axis, where the first minute is drawn. */
  axisAt: number
}

/**
 * The time axis: a label at every minute that is a multiple of `every` (UTC), its first character under that
 * minute's column; a label that would run into the next one, or past the plot, is left out.
 */
export function timeAxis(firstMinute: number, minutes: number, offset: number, every = 10): string {
  let line = ' '.repeat(offset)
  for (let k = 0; k < minutes; k++) {
    const minute = firstMinute + k
    if (minute % every !== 0) continue
    const label = new Date(minute * MINUTE).toISOString().slice(11, 16)
    const at = offset + k
    if (at < line.length + (line.trim() ? 1 : 0) || k + label.length > minutes + 2) continue
    line = line.padEnd(at) + label
  }
  return line
}

/** One value per minute ending at `end`, null where CloudWatch returned no datapoint. */
export function perMinute(points: readonly MetricPoint[], end: Date, minutes: number): Array<number | null> {
  const byMinute = new Map<number, number>()
  for (const p of points) {
    const m = Math.floor(p.timestamp.getTime() / MINUTE)
    // Two points in one minute cannot happen at period 60, but if they do the lower one is the Minimum.
    byMinute.set(m, Math.min(p.value, byMinute.get(m) ?? Number.POSITIVE_INFINITY))
  }
  const last = Math.floor(end.getTime() / MINUTE)
  return Array.from({length: minutes}, (_, k) => byMinute.get(last - minutes + 1 + k) ?? null)
}

/** The series drawn: gaps carry the previous value (the marker line shows they are gaps). */
function filled(values: Array<number | null>): number[] | null {
  const first = values.find((v) => v !== null)
  if (first === undefined || first === null) return null
  let prev = first
  return values.map((v) => (v === null ? prev : (prev = v)))
}

export function renderChart(
  points: readonly MetricPoint[],
  opts: {width: number; height: number; window?: number},
): ChartLines | null {
  if (points.length === 0) return null
  const label = (x: number) => `${Math.round(x)}%`.padStart(4)
  // asciichart's y-axis labels take 4 columns plus the axis; the rest holds one column per minute.
  const minutes = Math.max(5, Math.min(opts.width - 8, opts.window ?? 35))
  const end = points.reduce((a, p) => (p.timestamp > a ? p.timestamp : a), points[0]!.timestamp)
  const values = perMinute(points, end, minutes)
  const series = filled(values)
  if (!series) return null
  const plot = asciichart
    .plot(series, {height: opts.height, min: 0, max: 100, format: label, offset: 5})
    .split('\n')
  const axisAt = Math.max(0, plot[0]!.search(AXIS))
  const marks = ' '.repeat(axisAt) + values.map((v) => (v === null ? '·' : v === 0 ? '▲' : ' ')).join('')
  const lastMinute = Math.floor(end.getTime() / MINUTE)
  const ticks = timeAxis(lastMinute - minutes + 1, minutes, axisAt, minutes > 20 ? 10 : 5)
  const outageMinutes = values
    .map((v, k) => (v === 0 ? new Date((lastMinute - minutes + 1 + k) * MINUTE) : null))
    .filter((d): d is Date => d !== null)
  return {plot, marks, ticks, outageMinutes, minutes, axisAt}
}
