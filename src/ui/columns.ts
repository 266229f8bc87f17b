/**
 * The instance table's columns for a terminal width, and each row as a few runs of text. The essentials
 * (id, status, tasks, lifecycle, deadline, and the ACTION column with a drain's progress) fit at 80 columns
 * without being cut; agent, pending, memory, CPU, AZ, type and the group join as the terminal widens.
 */
import type {InstanceView} from '../core/types.js'
import type {ActionStatus} from '../core/watch/store.js'
import {cell, lifecycleCountdown, percent} from './format.js'
import {SORT_COLUMN} from './instances-view.js'
import type {ViewState} from './view.js'

export interface Column {
  title: string
  width: number
  align?: 'right'
  value: (i: InstanceView, ctx: RowContext) => string
  color?: (i: InstanceView) => string | undefined
}

export interface RowContext {
  now: number
  heartbeat: Date | undefined
}

/** ACTION never gets fewer columns than this: "drained, CONTINUE sent" and "1 left, 1 stopping" fit. */
export const MIN_ACTION_WIDTH = 22

const SHORT_LIFECYCLE: Record<string, string> = {
  'Terminating:Wait': 'Term:Wait',
  'Terminating:Proceed': 'Term:Proc',
  'Pending:Wait': 'Pend:Wait',
  'Pending:Proceed': 'Pend:Proc',
  EnteringStandby: 'Standby…',
}

function statusColor(i: InstanceView): string | undefined {
  if (i.status === 'DRAINING') return 'yellow'
  if (i.status !== 'ACTIVE') return 'red'
  return undefined
}

const lifecycleColor = (i: InstanceView) => (i.lifecycleState?.startsWith('Terminating') ? 'red' : undefined)
const used = (r: InstanceView['memory']) => percent(r.registered - r.remaining, r.registered)

/**
 * `groupWidth`: the longest Auto Scaling group name shown. The ASG column joins only where its whole names
 * fit and ACTION keeps room to spare; the header names the group(s) at every width anyway.
 */
export function columnsFor(width: number, groupWidth = 0): Column[] {
  const longLifecycle = width >= 120
  const longDeadline = width >= 140
  const cols: Column[] = [
    {title: 'INSTANCE', width: 19, value: (i) => i.ec2InstanceId},
    {title: 'STATUS', width: 8, value: (i) => i.status, color: statusColor},
  ]
  if (width >= 100) {
    cols.push({
      title: 'AG',
      width: 2,
      value: (i) => (i.agentConnected ? 'ok' : 'NO'),
      color: (i) => (i.agentConnected ? undefined : 'red'),
    })
  }
  cols.push({title: 'RUN', width: 4, align: 'right', value: (i) => String(i.runningTasksCount)})
  if (width >= 100)
    cols.push({title: 'PND', width: 4, align: 'right', value: (i) => String(i.pendingTasksCount)})
  if (width >= 120) cols.push({title: 'CPU', width: 4, align: 'right', value: (i) => used(i.cpu)})
  if (width >= 100) cols.push({title: 'MEM', width: 4, align: 'right', value: (i) => used(i.memory)})
  if (width >= 140) cols.push({title: 'AZ', width: 11, value: (i) => i.availabilityZone ?? '-'})
  if (width >= 150) cols.push({title: 'TYPE', width: 10, value: (i) => i.instanceType ?? '-'})
  cols.push({
    title: 'LIFECYCLE',
    width: longLifecycle ? 19 : 10,
    value: (i) =>
      (longLifecycle ? undefined : SHORT_LIFECYCLE[i.lifecycleState ?? '']) ?? i.lifecycleState ?? '-',
    color: lifecycleColor,
  })
  cols.push({
    title: 'DEADLINE',
    width: longDeadline ? 19 : 10,
    value: (i, ctx) => lifecycleCountdown(i, ctx.now, ctx.heartbeat, longDeadline) ?? '',
    color: lifecycleColor,
  })
  const group: Column = {
    title: 'ASG',
    width: Math.max(3, groupWidth),
    value: (i) => i.autoScalingGroupName ?? '-',
  }
  if (groupWidth > 0 && actionWidth([...cols, group], width) >= 40) cols.splice(cols.length - 2, 0, group)
  return cols
}

/** The width left for ACTION after the columns (each followed by a space) and the 2-column cursor. */
export function actionWidth(columns: Column[], width: number): number {
  return Math.max(0, width - 2 - columns.reduce((n, c) => n + c.width + 1, 0))
}

/** Column titles, the sorted one marked ▲ (ascending) or ▼ (descending): the order is never colour alone. */
export function headerLine(columns: Column[], width: number, sort: ViewState['sort']): string {
  const sorted = SORT_COLUMN[sort.key]
  const title = (c: Column) => (c.title === sorted ? `${c.title}${sort.descending ? '▼' : '▲'}` : c.title)
  return `  ${columns.map((c) => `${cell(title(c), c.width, c.align)} `).join('')}${cell('ACTION', actionWidth(columns, width))}`
}

function actionColor(action: ActionStatus | undefined): string | undefined {
  if (!action) return undefined
  return action.state === 'failed' ? 'red' : action.state === 'done' ? 'green' : 'cyan'
}

export interface Segment {
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
  ctx: RowContext,
  restWidth: number,
): Segment[] {
  const segments: Segment[] = []
  const push = (text: string, color: string | undefined) => {
    const last = segments.at(-1)
    if (last && last.color === color) last.text += text
    else segments.push({text, color})
  }
  for (const c of columns) push(`${cell(c.value(i, ctx), c.width, c.align)} `, c.color?.(i))
  push(cell(action?.text ?? '', restWidth), actionColor(action))
  // Trailing blanks cost ink as much as text does; the row's end is the screen's edge anyway.
  const last = segments.at(-1)!
  last.text = last.text.trimEnd()
  return segments
}
