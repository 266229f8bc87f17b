/**
 * Output of `ecsdrain instances`: the JSON contract, a table for a terminal, aligned plain lines for a pipe.
 */
import ms from 'ms'

import type {ClusterSnapshot, InstanceView, PendingLifecycleAction, ResourcePair} from '../core/types.js'
import {alignRows, type Cell, type Style} from './columns.js'

/** One instance in `instances --json`. Dates are ISO 8601 strings. This shape is a public contract. */
export interface InstanceJson {
  ec2InstanceId: string
  containerInstanceArn: string
  status: string
  agentConnected: boolean
  runningTasksCount: number
  pendingTasksCount: number
  cpu: ResourcePair
  memory: ResourcePair
  availabilityZone: string | null
  instanceType: string | null
  autoScalingGroupName: string | null
  lifecycleState: string | null
  /** The hook whose heartbeat deadline comes first (the one that bites first), or null. */
  lifecycleHook: HookJson | null
  /** Every hook the instance waits on (it waits for all of them), lifecycleHook first; [] when none. */
  lifecycleHooks: HookJson[]
}

export interface HookJson {
  name: string
  heartbeatDeadline: string | null
  globalDeadline: string | null
}

/** The whole of `instances --json`. */
export interface InstancesJson {
  cluster: string
  instances: InstanceJson[]
}

export function instancesJson(snapshot: ClusterSnapshot): InstancesJson {
  return {cluster: snapshot.cluster, instances: snapshot.instances.map(instanceJson)}
}

type HookDeadlines = Pick<PendingLifecycleAction, 'name' | 'heartbeatDeadline' | 'globalDeadline'>

/** The hooks an instance waits on, the first to bite first. */
function hooksOf(i: InstanceView): HookDeadlines[] {
  return i.lifecycleHook ? [i.lifecycleHook, ...(i.lifecycleHook.alsoPending ?? [])] : []
}

function hookJson(hook: HookDeadlines): HookJson {
  return {
    name: hook.name,
    heartbeatDeadline: hook.heartbeatDeadline?.toISOString() ?? null,
    globalDeadline: hook.globalDeadline?.toISOString() ?? null,
  }
}

function instanceJson(i: InstanceView): InstanceJson {
  const hooks = hooksOf(i).map(hookJson)
  return {
    ec2InstanceId: i.ec2InstanceId,
    containerInstanceArn: i.containerInstanceArn,
    status: i.status,
    agentConnected: i.agentConnected,
    runningTasksCount: i.runningTasksCount,
    pendingTasksCount: i.pendingTasksCount,
    cpu: {registered: i.cpu.registered, remaining: i.cpu.remaining},
    memory: {registered: i.memory.registered, remaining: i.memory.remaining},
    availabilityZone: i.availabilityZone,
    instanceType: i.instanceType,
    autoScalingGroupName: i.autoScalingGroupName,
    lifecycleState: i.lifecycleState,
    lifecycleHook: hooks[0] ?? null,
    lifecycleHooks: hooks,
  }
}

export interface RenderOptions {
  /** A terminal gets a styled table with countdowns; a pipe gets plain lines with ISO deadlines. */
  tty: boolean
  color: boolean
  now: number
}

const HEADERS = [
  'EC2 ID',
  'AZ',
  'TYPE',
  'STATUS',
  'AGENT',
  'RUN',
  'PEND',
  'CPU RSV',
  'MEM RSV',
  'ASG',
  'LIFECYCLE',
  'HOOK',
]
const RIGHT = new Set([5, 6, 7, 8])

const STATUS_STYLE: Record<string, Style> = {ACTIVE: 'green', DRAINING: 'yellow', REGISTERING: 'cyan'}

function reserved(r: ResourcePair): string {
  return `${r.registered - r.remaining}/${r.registered}`
}

/** Every pending hook with its heartbeat deadline, the first to bite first; styled by that first one. */
function hookCell(i: InstanceView, opts: RenderOptions): Cell {
  const hooks = hooksOf(i)
  if (hooks.length === 0) return {text: '-'}
  const cells = hooks.map((hook) => oneHook(hook, opts))
  return {text: cells.map((c) => c.text).join(', '), style: cells[0]!.style}
}

function oneHook(hook: HookDeadlines, opts: RenderOptions): Cell {
  const deadline = hook.heartbeatDeadline
  if (!opts.tty) return {text: `${hook.name} ${deadline ? deadline.toISOString() : 'unknown'}`}
  if (!deadline) return {text: `${hook.name} (deadline unknown)`, style: 'yellow'}
  const left = deadline.getTime() - opts.now
  return left > 0
    ? {text: `${hook.name} ${ms(left)} left`, style: left < 5 * 60_000 ? 'red' : 'yellow'}
    : {text: `${hook.name} timed out`, style: 'red'}
}

function row(i: InstanceView, opts: RenderOptions): Cell[] {
  const cells: Cell[] = [
    {text: i.ec2InstanceId},
    {text: i.availabilityZone ?? '-'},
    {text: i.instanceType ?? '-'},
    {text: i.status, style: STATUS_STYLE[i.status] ?? 'red'},
    i.agentConnected ? {text: 'yes'} : {text: 'NO', style: 'red'},
    {text: String(i.runningTasksCount)},
    {text: String(i.pendingTasksCount)},
    {text: reserved(i.cpu)},
    {text: reserved(i.memory)},
    {text: i.autoScalingGroupName ?? '-'},
    {text: i.lifecycleState ?? '-', style: i.lifecycleState?.endsWith(':Wait') ? 'yellow' : undefined},
    hookCell(i, opts),
  ]
  return cells.map((c, n) => (RIGHT.has(n) ? {...c, align: 'right' as const} : c))
}

/** The text of `instances` without --json: lines without a trailing newline. */
export function renderInstances(snapshot: ClusterSnapshot, opts: RenderOptions): string[] {
  const header: Cell[] = HEADERS.map((text, n) => ({
    text,
    style: opts.tty ? ('bold' as const) : undefined,
    align: RIGHT.has(n) ? ('right' as const) : undefined,
  }))
  const lines = alignRows([header, ...snapshot.instances.map((i) => row(i, opts))], opts.color)
  if (!opts.tty) return lines
  const count = (pred: (i: InstanceView) => boolean) => snapshot.instances.filter(pred).length
  const waiting = count((i) => i.lifecycleHook !== null)
  const summary =
    `${snapshot.instances.length} instance${snapshot.instances.length === 1 ? '' : 's'} in ${snapshot.cluster}: ` +
    `${count((i) => i.status === 'ACTIVE')} ACTIVE, ${count((i) => i.status === 'DRAINING')} DRAINING` +
    (waiting > 0 ? `, ${waiting} waiting on a lifecycle hook` : '') +
    '. CPU in units, memory in MiB (reserved/registered).'
  return [...lines, '', summary]
}
