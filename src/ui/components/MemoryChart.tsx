import {Box, Text} from 'ink'
import React from 'react'

import type {MetricPoint} from '../../core/types.js'
import {renderChart} from '../chart.js'
import {clock} from '../format.js'
import {CHART_LEGEND} from '../layout.js'

export interface MemoryChartProps {
  points: MetricPoint[]
  /** Registered minus remaining memory at the last refresh, in percent (CloudWatch lags; this doesn't). */
  live: number | null
  height: number
  width: number
  /** The legend goes after the time axis on the same line (else on a line of its own). */
  legendInline: boolean
}

export const MemoryChart = React.memo(function MemoryChart(p: MemoryChartProps) {
  const chart = renderChart(p.points, {width: p.width, height: p.height})
  // Nothing reserved at all is the outage itself: said in words, not only in red.
  const live = p.live === null ? '-' : `${p.live.toFixed(1)}%${p.live === 0 ? ' (nothing running)' : ''}`
  const outages = chart?.outageMinutes ?? []
  const lines = 1 + p.height + 1 + 1 + 1 + (p.legendInline ? 0 : 1)
  return (
    <Box flexDirection="column" width={p.width} height={lines}>
      <Text wrap="truncate">
        <Text bold>MemoryReservation</Text>
        {p.width >= 62 ? ' min/60s' : ''} · live{' '}
        <Text bold color={p.live === 0 ? 'red' : 'green'}>
          {live}
        </Text>
        {outages.length ? (
          <Text color="red" bold>
            {' '}
            · OUTAGE {outages.length}m, last {clock(outages.at(-1)!).slice(0, 5)}
          </Text>
        ) : null}
      </Text>
      {chart ? (
        <>
          {chart.plot.map((line, n) => (
            <Text key={n} wrap="truncate">
              {line}
            </Text>
          ))}
          <Text wrap="truncate" color={outages.length ? 'red' : undefined}>
            {chart.marks.trimEnd() || ' '}
          </Text>
          <Text wrap="truncate" dimColor>
            {p.legendInline ? `${chart.ticks.padEnd(chart.plot[0]!.length + 2)}${CHART_LEGEND}` : chart.ticks}
          </Text>
          {p.legendInline ? null : (
            <Text wrap="truncate" dimColor>
              {' '.repeat(chart.axisAt)}
              {CHART_LEGEND}
            </Text>
          )}
        </>
      ) : (
        <Text dimColor>waiting for CloudWatch data…</Text>
      )}
    </Box>
  )
})
