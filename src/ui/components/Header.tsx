import {Box, Text} from 'ink'
import React from 'react'

import type {PollerError} from '../../core/poller.js'
import type {AsgGroup, InstanceRefresh, ScalingActivity} from '../../core/types.js'
import {cell, clock} from '../format.js'

export interface HeaderProps {
  cluster: string
  location: string
  autoDrain: boolean
  groups: AsgGroup[]
  activities: ScalingActivity[]
  refreshes: InstanceRefresh[]
  lastRefreshAt: Date | null
  refreshMs: number | null
  calls: {total: number; throttles: number}
  error: (PollerError & {at: Date}) | null
  width: number
}

const FINISHED_ACTIVITY = new Set(['Successful', 'Failed', 'Cancelled'])
const RUNNING_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'])

/** What Auto Scaling is doing right now: an instance refresh first, else the newest unfinished activity. */
export function scalingInProgress(
  activities: ScalingActivity[],
  refreshes: InstanceRefresh[],
): string | null {
  const refresh = refreshes.find((r) => RUNNING_REFRESH.has(r.status))
  if (refresh) {
    return `instance refresh ${refresh.status} ${refresh.percentageComplete}%`
  }
  const activity = activities.find((a) => !FINISHED_ACTIVITY.has(a.statusCode))
  return activity ? `${activity.description} (${activity.statusCode})` : null
}

export const Header = React.memo(function Header(p: HeaderProps) {
  // Group names from CloudFormation are long: on a narrow screen cut them, so desired/min/max still show.
  const nameWidth = p.width >= 120 ? 64 : 24
  const groups = p.groups.length
    ? p.groups
        .map(
          (g) =>
            `${cell(g.autoScalingGroupName, nameWidth).trimEnd()} ${g.desiredCapacity}/${g.minSize}/${g.maxSize}`,
        )
        .join(', ')
    : 'no Auto Scaling group'
  const scaling = scalingInProgress(p.activities, p.refreshes)
  const took = p.refreshMs === null ? '' : ` (${p.refreshMs} ms)`
  // desired/min/max, as the AWS console shows them.
  return (
    <Box flexDirection="column" width={p.width}>
      <Text wrap="truncate">
        <Text bold>ecsdrain</Text> <Text color="cyan">{p.cluster}</Text> @ {p.location} · refreshed{' '}
        {clock(p.lastRefreshAt)}
        {took}
      </Text>
      <Text wrap="truncate">
        {p.autoDrain ? <Text color="magenta">AUTO-DRAIN · </Text> : null}
        calls {p.calls.total} · throttles{' '}
        <Text color={p.calls.throttles > 0 ? 'yellow' : undefined}>{p.calls.throttles}</Text> · ASG {groups}
        {scaling ? <Text color="yellow"> · {scaling}</Text> : null}
      </Text>
      {p.error ? (
        <Text color="red" wrap="truncate">
          ⚠ {p.error.message} · retry in {Math.round(p.error.retryInMs / 1000)}s ({p.error.failures} failed)
          {p.error.suggestion ? ` · ${p.error.suggestion}` : ''}
        </Text>
      ) : null}
    </Box>
  )
})
