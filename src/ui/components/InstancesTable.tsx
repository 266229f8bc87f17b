import {Box, Text} from 'ink'
import React from 'react'

import type {InstanceView} from '../../core/types.js'
import {cell, lifecycleCountdown, percent} from '../format.js'
import type {ActionStatus} from '../../core/watch/store.js'

export interface InstancesTableProps {
  instances: InstanceView[]
  selectedIndex: number
  actions: Record<string, ActionStatus>
  deadlines: Record<string, Date>
  /** False until the first snapshot has arrived. */
  loaded: boolean
  rows: number
  width: number
  now: number
}

interface Column {
  title: string
  width: number
  align?: 'right'
  value: (i: InstanceView) => string
  color?: (i: InstanceView) => string | undefined
}

const SHORT_LIFECYCLE: Record<string, string> = {
  'Terminating:Wait': 'Term:Wait',
  'Terminating:Proceed': 'Term:Proceed',
  'Pending:Wait': 'Pend:Wait',
  'Pending:Proceed': 'Pend:Proceed',
}

function statusColor(i: InstanceView): string | undefined {
  if (i.status === 'DRAINING') return 'yellow'
  if (i.status !== 'ACTIVE') return 'red'
  return undefined
}

function lifecycleColor(i: InstanceView): string | undefined {
  return i.lifecycleState?.startsWith('Terminating') ? 'red' : undefined
}

/** The columns that fit: the essentials always, then CPU, AZ and type as the terminal widens. */
export function columnsFor(width: number): Column[] {
  const wide = width >= 110
  const cols: Column[] = [
    {title: 'INSTANCE', width: 19, value: (i) => i.ec2InstanceId},
    {title: 'STATUS', width: 8, value: (i) => i.status, color: statusColor},
    {
      title: 'AG',
      width: 2,
      value: (i) => (i.agentConnected ? 'ok' : 'NO'),
      color: (i) => (i.agentConnected ? undefined : 'red'),
    },
    {title: 'RUN', width: 3, align: 'right', value: (i) => String(i.runningTasksCount)},
    {title: 'PND', width: 3, align: 'right', value: (i) => String(i.pendingTasksCount)},
  ]
  if (width >= 90) {
    cols.push({
      title: 'CPU',
      width: 4,
      align: 'right',
      value: (i) => percent(i.cpu.registered - i.cpu.remaining, i.cpu.registered),
    })
  }
  cols.push({
    title: 'MEM',
    width: 4,
    align: 'right',
    value: (i) => percent(i.memory.registered - i.memory.remaining, i.memory.registered),
  })
  if (wide) {
    cols.push({title: 'AZ', width: 11, value: (i) => i.availabilityZone ?? '-'})
    cols.push({title: 'TYPE', width: 10, value: (i) => i.instanceType ?? '-'})
  }
  const lifeWidth = width >= 90 ? 19 : 12
  cols.push({
    title: 'LIFECYCLE',
    width: lifeWidth,
    value: (i) =>
      (lifeWidth < 16 ? SHORT_LIFECYCLE[i.lifecycleState ?? ''] : undefined) ?? i.lifecycleState ?? '-',
    color: lifecycleColor,
  })
  return cols
}

function actionText(i: InstanceView, action: ActionStatus | undefined, now: number, hb?: Date): string {
  const parts = [lifecycleCountdown(i, now, hb), action ? `${action.kind}: ${action.text}` : null]
  return parts.filter(Boolean).join(' · ')
}

function actionColor(action: ActionStatus | undefined): string | undefined {
  if (!action) return undefined
  return action.state === 'failed' ? 'red' : action.state === 'done' ? 'green' : 'cyan'
}

/** The first row to show so that the selected one is visible (kept near the middle while scrolling). */
export function scrollOffset(selected: number, total: number, rows: number): number {
  if (total <= rows) return 0
  return Math.max(0, Math.min(selected - Math.floor(rows / 2), total - rows))
}

interface Segment {
  text: string
  color: string | undefined
}

/**
 * A row as a few runs of text: neighbouring cells of the same colour are joined, so that ink styles and
 * measures three or four strings per row instead of one per cell (with 1,000 instances, frames stay cheap).
 */
export function rowSegments(
  i: InstanceView,
  columns: Column[],
  action: ActionStatus | undefined,
  heartbeat: Date | undefined,
  restWidth: number,
  now: number,
): Segment[] {
  const segments: Segment[] = []
  const push = (text: string, color: string | undefined) => {
    const last = segments.at(-1)
    if (last && last.color === color) last.text += text
    else segments.push({text, color})
  }
  for (const c of columns) push(`${cell(c.value(i), c.width, c.align)} `, c.color?.(i))
  push(cell(actionText(i, action, now, heartbeat), restWidth), actionColor(action))
  // Trailing blanks cost ink as much as text does; the row's end is the screen's edge anyway.
  const last = segments.at(-1)!
  last.text = last.text.trimEnd()
  return segments
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
  const segments = rowSegments(p.instance, p.columns, p.action, p.heartbeat, p.restWidth, p.now)
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

export const InstancesTable = React.memo(function InstancesTable(p: InstancesTableProps) {
  const columns = React.useMemo(() => columnsFor(p.width), [p.width])
  const used = 2 + columns.reduce((n, c) => n + c.width + 1, 0)
  const restWidth = Math.max(0, p.width - used)
  const offset = scrollOffset(p.selectedIndex, p.instances.length, p.rows)
  const visible = p.instances.slice(offset, offset + p.rows)
  const title =
    p.instances.length > p.rows ? `INSTANCE ${p.selectedIndex + 1}/${p.instances.length}` : 'INSTANCE'
  return (
    <Box flexDirection="column" width={p.width} height={p.rows + 1}>
      <Text bold wrap="truncate">
        {'  '}
        {columns.map((c) => cell(c.title === 'INSTANCE' ? title : c.title, c.width, c.align) + ' ').join('')}
        {cell('DEADLINE · ACTION', restWidth)}
      </Text>
      {visible.length === 0 ? (
        <Text dimColor>
          {p.loaded ? '  no container instances in this cluster' : '  loading the first snapshot…'}
        </Text>
      ) : null}
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
