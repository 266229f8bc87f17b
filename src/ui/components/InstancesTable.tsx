import {Box, Text} from 'ink'
import React from 'react'

import type {InstanceView} from '../../core/types.js'
import type {ActionStatus} from '../../core/watch/store.js'
import {actionWidth, columnsFor, headerLine, rowSegments, type Column} from '../columns.js'
import {SORT_COLUMN} from '../instances-view.js'
import type {ViewState} from '../view.js'

export interface InstancesTableProps {
  /** The instances shown: filtered and sorted. */
  instances: InstanceView[]
  /** Every instance of the cluster, for "3 of 1000". */
  total: number
  selectedIndex: number
  actions: Record<string, ActionStatus>
  deadlines: Record<string, Date>
  /** False until the first snapshot has arrived. */
  loaded: boolean
  filter: string
  /** The filter is being typed (the caption shows a cursor). */
  editingFilter: boolean
  sort: ViewState['sort']
  rows: number
  width: number
  now: number
}

/** The first row to show so that the selected one is visible (kept near the middle while scrolling). */
export function scrollOffset(selected: number, total: number, rows: number): number {
  if (total <= rows) return 0
  return Math.max(0, Math.min(selected - Math.floor(rows / 2), total - rows))
}

const Row = React.memo(function Row(p: {
  instance: InstanceView
  columns: Column[]
  selected: boolean
  action: ActionStatus | undefined
  heartbeat: Date | undefined
  restWidth: number
  now: number
}) {
  const segments = rowSegments(
    p.instance,
    p.columns,
    p.action,
    {now: p.now, heartbeat: p.heartbeat},
    p.restWidth,
  )
  return (
    <Text inverse={p.selected} wrap="truncate">
      {p.selected ? '> ' : '  '}
      {segments.map((seg, n) =>
        seg.color ? (
          <Text key={n} color={seg.color}>
            {seg.text}
          </Text>
        ) : (
          seg.text
        ),
      )}
    </Text>
  )
})

function caption(p: InstancesTableProps): string {
  const count = p.filter ? `${p.instances.length} of ${p.total}` : String(p.total)
  const parts = [`INSTANCES (${count})`]
  if (p.filter || p.editingFilter) parts.push(`filter /${p.filter}${p.editingFilter ? '▏' : ''}`)
  const order = p.sort.key === 'age' ? 'registration' : SORT_COLUMN[p.sort.key]
  parts.push(`sorted by ${order} ${p.sort.descending ? '▼' : '▲'} (o/O)`)
  if (p.instances.length > p.rows) parts.push(`row ${p.selectedIndex + 1}/${p.instances.length}`)
  return parts.join(' · ')
}

export const InstancesTable = React.memo(function InstancesTable(p: InstancesTableProps) {
  const groupWidth = React.useMemo(
    () => p.instances.reduce((n, i) => Math.max(n, i.autoScalingGroupName?.length ?? 0), 0),
    [p.instances],
  )
  const columns = React.useMemo(() => columnsFor(p.width, groupWidth), [p.width, groupWidth])
  const restWidth = actionWidth(columns, p.width)
  const offset = scrollOffset(p.selectedIndex, p.instances.length, p.rows)
  const visible = p.instances.slice(offset, offset + p.rows)
  const empty = !p.loaded
    ? '  loading the first snapshot…'
    : p.total === 0
      ? '  no container instances in this cluster'
      : `  no instance matches /${p.filter} (Esc clears the filter)`
  return (
    <Box flexDirection="column" width={p.width} height={p.rows + 2}>
      <Text bold wrap="truncate">
        {caption(p)}
      </Text>
      <Text bold wrap="truncate">
        {headerLine(columns, p.width, p.sort)}
      </Text>
      {visible.length === 0 ? <Text dimColor>{empty}</Text> : null}
      {visible.map((instance, n) => (
        <Row
          key={instance.ec2InstanceId}
          instance={instance}
          columns={columns}
          selected={offset + n === p.selectedIndex}
          action={p.actions[instance.ec2InstanceId]}
          heartbeat={p.deadlines[instance.ec2InstanceId]}
          restWidth={restWidth}
          now={p.now}
        />
      ))}
    </Box>
  )
})
