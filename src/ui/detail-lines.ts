/**
 * The details screen of one instance (Enter), as lines: the instance, its Auto Scaling side (the hook, the
 * pending action, both deadlines, our own action), then its tasks with lastStatus, desiredStatus, service and
 * stop reason, and for each task still not STOPPED why it isn't (TaskRow.reason, the explainer's seam).
 * Pure, so that it is tested without a terminal; the component only slices and colours it.
 */
import type {InstanceView} from '../core/types.js'
import type {InstanceDetails, TaskRow} from '../core/watch/details.js'
import type {ActionStatus} from '../core/watch/store.js'
import {cell, clock, countdown, hookDeadlines, percent, wrap} from './format.js'

export interface DetailLine {
  text: string
  color?: string
  bold?: boolean
  dim?: boolean
}

export interface DetailInput {
  ec2InstanceId: string
  /** The instance in the latest snapshot; undefined once it has left the cluster. */
  instance: InstanceView | undefined
  details: InstanceDetails | null
  action: ActionStatus | undefined
  heartbeatSent: Date | undefined
  now: number
  width: number
}

const at = (d: Date | null, now: number) => (d ? `${clock(d)} (in ${countdown(d, now)})` : 'unknown')

function instanceLines(i: InstanceView, p: DetailInput): DetailLine[] {
  const where = [i.instanceType, i.availabilityZone].filter(Boolean).join(' in ')
  const lines: DetailLine[] = [
    {
      text: `${i.ec2InstanceId} · ${i.status} · agent ${i.agentConnected ? 'connected' : 'DISCONNECTED'}${where ? ` · ${where}` : ''} · registered ${clock(i.registeredAt)}`,
      bold: true,
      color: i.status === 'ACTIVE' ? undefined : i.status === 'DRAINING' ? 'yellow' : 'red',
    },
    {
      text: `  tasks ${i.runningTasksCount} running, ${i.pendingTasksCount} pending · CPU ${percent(i.cpu.registered - i.cpu.remaining, i.cpu.registered)} · memory ${percent(i.memory.registered - i.memory.remaining, i.memory.registered)} reserved`,
    },
  ]
  lines.push({
    text: `Auto Scaling: ${i.autoScalingGroupName ?? 'not in a group'}${i.lifecycleState ? ` · ${i.lifecycleState}` : ''}`,
    bold: true,
  })
  const d = hookDeadlines(i, p.heartbeatSent)
  if (d) {
    lines.push({text: `  lifecycle action pending on hook ${d.hook}; on timeout: ${d.defaultResult}`})
    lines.push({text: `  heartbeat deadline ${at(d.heartbeat, p.now)}`, color: 'red'})
    lines.push({text: `  global deadline    ${at(d.global, p.now)}`, color: 'red'})
  } else {
    lines.push({text: '  no lifecycle action pending', dim: true})
  }
  return lines
}

function taskLines(t: TaskRow, width: number, idWidth: number, started: boolean): DetailLine[] {
  const stopped = t.lastStatus === 'STOPPED'
  const lines: DetailLine[] = [
    {
      text: `  ${cell(t.taskId, idWidth)} ${cell(t.service ?? `(${t.kind})`, 14)} ${cell(t.lastStatus, 14)} ${cell(t.desiredStatus, 8)}${started ? ` ${clock(t.startedAt)}` : ''}`,
      dim: stopped,
    },
  ]
  const indent = 6
  const more = (label: string, text: string, color?: string) =>
    wrap(`${label}: ${text}`, width - indent, 2).forEach((l) =>
      lines.push({text: ' '.repeat(indent) + l, color, dim: stopped}),
    )
  if (t.reason) {
    const eta = t.reason.etaSeconds === null ? '' : ` · ETA ${t.reason.etaSeconds} s`
    more('why', `${t.reason.kind}: ${t.reason.detail}${eta}`, 'yellow')
    if (t.reason.fix) more('fix', t.reason.fix)
  } else if (!stopped) {
    more('why', 'running; the instance is not draining')
  }
  if (t.stoppedReason) more('stop reason', t.stoppedReason)
  return lines
}

export function detailLines(p: DetailInput): DetailLine[] {
  const lines: DetailLine[] = p.instance
    ? instanceLines(p.instance, p)
    : [{text: `${p.ec2InstanceId} is no longer in the cluster (terminated?)`, bold: true, color: 'red'}]
  if (p.action) {
    lines.push({
      text: `  ecsdrain: ${p.action.kind} ${p.action.state}: ${p.action.text}`,
      color: p.action.state === 'failed' ? 'red' : 'cyan',
    })
  }
  lines.push({text: ''})
  const d = p.details
  const tasks = d?.tasks ?? []
  const live = tasks.filter((t) => t.lastStatus !== 'STOPPED').length
  const state = !d || d.state === 'loading' ? 'loading…' : `loaded ${clock(d.at)}, again each refresh`
  lines.push({text: `TASKS · ${live} not STOPPED, ${tasks.length - live} STOPPED · ${state}`, bold: true})
  if (d?.error) lines.push({text: `  ✗ ${d.error} (showing the last answer)`, color: 'red'})
  // Whole task ids: `aws ecs stop-task --task` wants one. STARTED joins where there is room.
  const idWidth = 32
  lines.push({
    text: `  ${cell('TASK', idWidth)} ${cell('SERVICE', 14)} ${cell('LAST', 14)} ${cell('DESIRED', 8)}${p.width >= 90 ? ' STARTED' : ''}`,
    dim: true,
  })
  if (d && d.state !== 'loading' && tasks.length === 0)
    lines.push({text: '  no tasks on this instance', dim: true})
  for (const t of tasks) lines.push(...taskLines(t, p.width, idWidth, p.width >= 90))
  // Nothing here is cut: a line longer than the screen goes on under itself, indented.
  return lines.flatMap((l) => {
    if (l.text.length <= p.width) return [l]
    const indent = l.text.length - l.text.trimStart().length
    return wrap(l.text.trimStart(), p.width - indent, 2).map((text) => ({
      ...l,
      text: ' '.repeat(indent) + text,
    }))
  })
}
