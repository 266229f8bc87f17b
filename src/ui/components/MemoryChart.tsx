import {Box, Text} from 'ink'
import React from 'react'

import type {MetricPoint} from '../../core/types.js'
import {renderChart} from '../chart.js'
import {clock} from '../format.js'

export interface MemoryChartProps {
  points: MetricPoint[]
  /** Registered minus remaining memory at the last refresh, in percent (CloudWatch lags; this doesn't). */
  live: number | null
  height: number
  width: number
}

export const MemoryChart = React.memo(function MemoryChart(p: MemoryChartProps) {
  const chart = renderChart(p.points, {width: p.width, height: p.height})
  const live = p.live === null ? '-' : `${p.live.toFixed(1)}%`
  const outages = chart?.outageMinutes ?? []
  return (
    <Box flexDirection="column" width={p.width} height={p.height + 3}>
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
        </>
      ) : (
        <Text dimColor>waiting for CloudWatch data…</Text>
      )}
    </Box>
  )
})
