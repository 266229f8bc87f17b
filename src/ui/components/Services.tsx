import {Box, Text} from 'ink'
import React from 'react'

import type {ServiceInfo} from '../../core/types.js'
import {cell} from '../format.js'

export interface ServicesProps {
  services: ServiceInfo[]
  rows: number
  width: number
}

/**
 * The running count that the service's minimumHealthyPercent guarantees (ECS rounds it up). Below it, the
 * service is degraded: that is the outage ecsdrain exists to prevent.
 */
export function minimumHealthy(service: ServiceInfo): number {
  return Math.ceil((service.desiredCount * service.minimumHealthyPercent) / 100)
}

export function belowMinimum(service: ServiceInfo): boolean {
  return service.runningCount < minimumHealthy(service)
}

export const Services = React.memo(function Services(p: ServicesProps) {
  // Degraded services first: with many services, they must not scroll out of sight.
  const sorted = [...p.services].sort((a, b) => Number(belowMinimum(b)) - Number(belowMinimum(a)))
  // When they don't all fit, the last row says how many are left out.
  const degraded = p.services.filter(belowMinimum).length
  // The "!" is explained on a line of its own, so that red is never the only sign.
  const room = degraded > 0 ? p.rows - 1 : p.rows
  const shown = sorted.slice(0, p.services.length > room ? room - 1 : room)
  const hidden = p.services.length - shown.length
  // Wide panes keep the counts next to the names, not at the far edge.
  const nameWidth = Math.max(6, Math.min(40, p.width - 17))
  return (
    <Box flexDirection="column" width={p.width}>
      <Text bold wrap="truncate">
        {cell(`SERVICES (${p.services.length})`, nameWidth)} RUN/DES PND
      </Text>
      {shown.map((s) => (
        <Text key={s.serviceArn} color={belowMinimum(s) ? 'red' : undefined} wrap="truncate">
          {cell(s.serviceName, nameWidth)} {cell(`${s.runningCount}/${s.desiredCount}`, 7, 'right')}{' '}
          {cell(String(s.pendingCount), 3, 'right')}
          {belowMinimum(s) ? '!' : ''}
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor>… {hidden} more</Text> : null}
      {degraded > 0 ? (
        <Text color="red" wrap="truncate">
          ! {degraded} below its minimum healthy count
        </Text>
      ) : null}
    </Box>
  )
})
