import {Box, Text} from 'ink'
import React from 'react'

import type {PollerError} from '../../core/poller.js'
import type {AsgGroupSummary, InstanceRefresh, ScalingActivity} from '../../core/types.js'
import {cell, clock} from '../format.js'

export interface HeaderProps {
  cluster: string
  location: string
  autoDrain: boolean
  readonly: boolean
  groups: AsgGroupSummary[]
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

/** The instance refresh under way, if any (a group has at most one). */
export const runningRefresh = (refreshes: InstanceRefresh[]) =>
  refreshes.find((r) => RUNNING_REFRESH.has(r.status)) ?? null

/**
 * The refresh panel's line, while an instance refresh is under way: its id, status and percentage, the
 * instances still to update, and Auto Scaling's StatusReason (which names the instance being replaced).
 */
export function refreshLine(r: InstanceRefresh): string {
  const toUpdate =
    r.instancesToUpdate === null || r.instancesToUpdate === undefined
      ? ''
      : ` · ${r.instancesToUpdate} to update`
  const reason = r.statusReason ? ` · ${r.statusReason}` : ''
  return `⟳ instance refresh ${r.instanceRefreshId.slice(0, 8)} ${r.autoScalingGroupName}: ${r.status} ${r.percentageComplete}%${toUpdate}${reason}`
}

/** What Auto Scaling is doing right now: an instance refresh first, else the newest unfinished activity. */
export function scalingInProgress(
  activities: ScalingActivity[],
  refreshes: InstanceRefresh[],
  /** A narrow screen's form: `refresh 40%`. */
  compact = false,
): string | null {
  const refresh = runningRefresh(refreshes)
  if (refresh) {
    return compact
      ? `refresh ${refresh.percentageComplete}%`
      : `instance refresh ${refresh.status} ${refresh.percentageComplete}%`
  }
  const activity = activities.find((a) => !FINISHED_ACTIVITY.has(a.statusCode))
  return activity ? `${activity.description} (${activity.statusCode})` : null
}

/**
 * The second line's text: the group(s) with desired/min/max (as the AWS console shows them), what Auto
 * Scaling is doing, and the API calls. Group names from CloudFormation are long: they are cut to what is
 * left, so that desired/min/max, the activity and the counts still show at 80 columns.
 */
export function groupsLine(
  p: Pick<HeaderProps, 'groups' | 'activities' | 'refreshes' | 'calls' | 'width'>,
  prefix: number,
) {
  const calls = ` · calls ${p.calls.total} · throttles ${p.calls.throttles}`
  const sizes = p.groups.map((g) => ` ${g.desiredCapacity}/${g.minSize}/${g.maxSize}`)
  const fixedWith = (scaling: string | null) =>
    prefix + 'ASG '.length + sizes.join(', ').length + (scaling ? 3 + scaling.length : 0) + calls.length
  // The refresh's words go before the call counts do: `refresh 100%` where `instance refresh ...` won't fit.
  const full = scalingInProgress(p.activities, p.refreshes)
  const fits = fixedWith(full) + 12 * Math.max(1, p.groups.length) <= p.width
  const scaling = fits ? full : scalingInProgress(p.activities, p.refreshes, true)
  const fixed = fixedWith(scaling)
  const nameWidth = Math.max(12, Math.min(64, Math.floor((p.width - fixed) / Math.max(1, p.groups.length))))
  const groups = p.groups.length
    ? p.groups.map((g, n) => `${cell(g.autoScalingGroupName, nameWidth).trimEnd()}${sizes[n]}`).join(', ')
    : 'no Auto Scaling group'
  return {groups: `ASG ${groups}`, scaling}
}

export const Header = React.memo(function Header(p: HeaderProps) {
  const prefix = (p.readonly ? 'READ-ONLY · '.length : 0) + (p.autoDrain ? 'AUTO-DRAIN · '.length : 0)
  const line = groupsLine(p, prefix)
  const refresh = runningRefresh(p.refreshes)
  const first = `ecsdrain ${p.cluster} @ ${p.location} · refreshed ${clock(p.lastRefreshAt)} UTC`
  // The refresh's duration is the first thing to go on a narrow screen.
  const took = p.refreshMs === null || first.length + 12 > p.width ? '' : ` (${p.refreshMs} ms)`
  return (
    <Box flexDirection="column" width={p.width}>
      <Text wrap="truncate">
        <Text bold>ecsdrain</Text> <Text color="cyan">{p.cluster}</Text> @ {p.location} · refreshed{' '}
        {clock(p.lastRefreshAt)} UTC
        {took}
      </Text>
      <Text wrap="truncate">
        {p.readonly ? <Text color="cyan">READ-ONLY · </Text> : null}
        {p.autoDrain ? <Text color="magenta">AUTO-DRAIN · </Text> : null}
        {line.groups}
        {line.scaling ? <Text color="yellow"> · {line.scaling}</Text> : null} · calls {p.calls.total} ·
        throttles <Text color={p.calls.throttles > 0 ? 'yellow' : undefined}>{p.calls.throttles}</Text>
      </Text>
      {refresh ? (
        <Text color="yellow" wrap="truncate">
          {refreshLine(refresh)}
        </Text>
      ) : null}
      {p.error ? (
        <Text color="red" wrap="truncate">
          ⚠ {p.error.message} · retry in {Math.round(p.error.retryInMs / 1000)}s ({p.error.failures} failed)
          {p.error.suggestion ? ` · ${p.error.suggestion}` : ''}
        </Text>
      ) : null}
    </Box>
  )
})
