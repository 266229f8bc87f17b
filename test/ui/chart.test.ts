import {describe, expect, it} from 'vitest'

import {perMinute, renderChart, timeAxis} from '../../src/ui/chart.js'
import {metricSeries, T0} from './fixtures.js'

describe('perMinute', () => {
  it('puts each datapoint in its minute, null where CloudWatch had none', () => {
    const points = metricSeries([40, 50, 60]).filter((_, k) => k !== 1)
    expect(perMinute(points, new Date(T0), 4)).toEqual([null, 40, null, 60])
  })
})

describe('renderChart', () => {
  it('marks every 0 % minute under its own column of the plot, and lists those minutes', () => {
    const values = Array(35).fill(48)
    values[10] = 0
    values[11] = 0
    const chart = renderChart(metricSeries(values), {width: 46, height: 4})!
    expect(chart.minutes).toBe(35)
    expect(chart.outageMinutes.map((d) => d.toISOString())).toEqual([
      new Date(T0 - 24 * 60_000).toISOString(),
      new Date(T0 - 23 * 60_000).toISOString(),
    ])
    const zeroRow = chart.plot.at(-1)!
    expect(zeroRow).toMatch(/^\s+0%/)
    // The line comes down to 0 % (╰) and runs along it (─) exactly at the marked columns; the rise back (╯)
    // is drawn in the next minute's column, as asciichart draws every step.
    const marked = [...chart.marks].flatMap((c, i) => (c === '▲' ? [i] : []))
    expect(marked).toHaveLength(2)
    const atZero = [...zeroRow].flatMap((c, i) => (c === '─' || c === '╰' ? [i] : []))
    expect(atZero).toEqual(marked)
    expect(zeroRow[marked[1]! + 1]).toBe('╯')
  })

  it('draws gaps with the previous value and marks them as missing data', () => {
    const points = metricSeries(Array(35).fill(50)).filter((_, k) => k !== 20)
    const chart = renderChart(points, {width: 46, height: 4})!
    expect(chart.marks.match(/·/g)).toHaveLength(1)
    expect(chart.outageMinutes).toEqual([])
  })

  it('has nothing to draw without data', () => {
    expect(renderChart([], {width: 46, height: 4})).toBeNull()
  })
})

describe('timeAxis', () => {
  it('puts HH:MM (UTC) under every tenth minute, starting at that minute’s column', () => {
    // 35 minutes ending 03:00: 02:26 ... 03:00; labels at 02:30, 02:40, 02:50 (03:00 would run past the end).
    const chart = renderChart(metricSeries(Array(35).fill(50)), {width: 46, height: 4})!
    const axis = chart.plot[0]!.search(/[┤┼]/)
    expect(chart.axisAt).toBe(axis)
    expect(chart.ticks.indexOf('02:30')).toBe(axis + 4)
    expect(chart.ticks.indexOf('02:40')).toBe(axis + 14)
    expect(chart.ticks.indexOf('02:50')).toBe(axis + 24)
    expect(chart.ticks).not.toContain('03:00')
  })

  it('never lets two labels touch', () => {
    const first = Date.UTC(2026, 0, 1, 10, 0) / 60_000
    const line = timeAxis(first, 12, 0, 2)
    // Every other minute wants a label, but a label is five columns wide: 10:02 and 10:04 would touch
    // 10:00, and 10:10 would run past the twelve minutes.
    expect(line).toBe('10:00 10:06')
  })
})
