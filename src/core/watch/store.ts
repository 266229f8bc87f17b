/**
 * The TUI's state, kept outside the components: the poller and the action runner dispatch into it, and the
 * components subscribe (useSyncExternalStore) and only render. This keeps the components pure, and lets the
 * reducer be tested without a terminal.
 */
import type {PollerError, PollerUpdate, WatchEvent} from '../poller.js'
import type {ClusterSnapshot, InstanceView, MetricPoint} from '../types.js'

export type InstanceActionKind = 'drain' | 'undrain' | 'complete' | 'heartbeat'

/** The progress of one of ecsdrain's own actions on an instance, shown in the table's ACTION column. */
export interface ActionStatus {
  instanceId: string
  kind: InstanceActionKind
  state: 'running' | 'done' | 'failed'
  text: string
}

export type Mode =
  | {kind: 'normal'}
  | {kind: 'help'}
  | {kind: 'confirm'; action: InstanceActionKind; instanceId: string; prompt: string}

export interface WatchState {
  cluster: string
  /** The region, or the endpoint when one is set (the sim, LocalStack...). */
  location: string
  autoDrain: boolean
  snapshot: ClusterSnapshot | null
  /** The snapshot's instances in display order (stable, so the selection doesn't jump). */
  instances: InstanceView[]
  lastRefreshAt: Date | null
  refreshMs: number | null
  metric: MetricPoint[]
  metricAt: Date | null
  /** Newest first, at most EVENT_LIMIT. */
  events: WatchEvent[]
  error: (PollerError & {at: Date}) | null
  calls: {total: number; throttles: number}
  selectedIndex: number
  selectedId: string | null
  mode: Mode
  actions: Record<string, ActionStatus>
  /** Heartbeat deadlines set by our own heartbeats: later than the snapshot's estimate, which can't see them. */
  deadlines: Record<string, Date>
  /** A one-line message for the operator (a refusal, a hint); cleared by the next key. */
  notice: string | null
  /** The time countdowns are computed against, ticked every second. */
  now: number
}

export type WatchAction =
  | {type: 'poll'; update: PollerUpdate}
  | {type: 'move'; delta: number}
  | {type: 'confirm'; action: InstanceActionKind; instanceId: string; prompt: string}
  | {type: 'cancel'}
  | {type: 'help'}
  | {type: 'action'; status: ActionStatus}
  | {type: 'event'; event: WatchEvent}
  | {type: 'calls'; total: number; throttles: number}
  | {type: 'deadline'; instanceId: string; deadline: Date}
  | {type: 'tick'; now: number}
  | {type: 'notice'; text: string | null}
  /** Several actions, one notification: the components render once for all of them. */
  | {type: 'batch'; actions: WatchAction[]}

export const EVENT_LIMIT = 200

export function initialState(opts: {
  cluster: string
  location: string
  autoDrain?: boolean
  now: number
}): WatchState {
  return {
    cluster: opts.cluster,
    location: opts.location,
    autoDrain: opts.autoDrain ?? false,
    snapshot: null,
    instances: [],
    lastRefreshAt: null,
    refreshMs: null,
    metric: [],
    metricAt: null,
    events: [],
    error: null,
    calls: {total: 0, throttles: 0},
    selectedIndex: 0,
    selectedId: null,
    mode: {kind: 'normal'},
    actions: {},
    deadlines: {},
    notice: null,
    now: opts.now,
  }
}

/** Oldest registration first, then by id: new instances of a rollout appear at the bottom. */
export function displayOrder(instances: readonly InstanceView[]): InstanceView[] {
  return [...instances].sort((a, b) => {
    const ta = a.registeredAt?.getTime() ?? 0
    const tb = b.registeredAt?.getTime() ?? 0
    return ta - tb || a.ec2InstanceId.localeCompare(b.ec2InstanceId)
  })
}

function mergeEvents(current: WatchEvent[], incoming: WatchEvent[]): WatchEvent[] {
  // Incoming events are newer than the ones held: put them first so that equal timestamps keep that order.
  const ids = new Set(incoming.map((e) => e.id))
  const merged = [...incoming, ...current.filter((e) => !ids.has(e.id))]
  return merged.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, EVENT_LIMIT)
}

function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(index, length - 1))
}

function withSnapshot(
  state: WatchState,
  snapshot: ClusterSnapshot,
  at: Date,
  durationMs: number,
): WatchState {
  const instances = displayOrder(snapshot.instances)
  // Keep the cursor on the same instance; if it is gone (terminated), stay at the same row.
  const kept = state.selectedId ? instances.findIndex((i) => i.ec2InstanceId === state.selectedId) : -1
  const selectedIndex = kept >= 0 ? kept : clampIndex(state.selectedIndex, instances.length)
  return {
    ...state,
    snapshot,
    instances,
    lastRefreshAt: at,
    refreshMs: durationMs,
    error: null,
    selectedIndex,
    selectedId: instances[selectedIndex]?.ec2InstanceId ?? null,
  }
}

function onPoll(state: WatchState, update: PollerUpdate): WatchState {
  switch (update.kind) {
    case 'snapshot':
      return withSnapshot(state, update.snapshot, update.at, update.durationMs)
    case 'metric':
      return {...state, metric: update.points, metricAt: update.at}
    case 'events':
      return {...state, events: mergeEvents(state.events, update.events)}
    case 'error':
      return {...state, error: {...update.error, at: update.at}}
    case 'refreshed':
      return state
  }
}

export function reduce(state: WatchState, action: WatchAction): WatchState {
  switch (action.type) {
    case 'poll':
      return onPoll(state, action.update)
    case 'move': {
      if (state.instances.length === 0) return state
      const selectedIndex = clampIndex(state.selectedIndex + action.delta, state.instances.length)
      return {
        ...state,
        selectedIndex,
        selectedId: state.instances[selectedIndex]!.ec2InstanceId,
        notice: null,
      }
    }
    case 'confirm':
      return {
        ...state,
        mode: {kind: 'confirm', action: action.action, instanceId: action.instanceId, prompt: action.prompt},
      }
    case 'cancel':
      return {...state, mode: {kind: 'normal'}}
    case 'help':
      return {...state, mode: state.mode.kind === 'help' ? {kind: 'normal'} : {kind: 'help'}}
    case 'action':
      return {...state, actions: {...state.actions, [action.status.instanceId]: action.status}}
    case 'event':
      return {...state, events: mergeEvents(state.events, [action.event])}
    case 'calls':
      return {...state, calls: {total: action.total, throttles: action.throttles}}
    case 'deadline':
      return {...state, deadlines: {...state.deadlines, [action.instanceId]: action.deadline}}
    case 'tick':
      return {...state, now: action.now}
    case 'notice':
      return {...state, notice: action.text}
    case 'batch':
      return action.actions.reduce(reduce, state)
  }
}

export interface Store {
  getState(): WatchState
  dispatch(action: WatchAction): void
  subscribe(listener: () => void): () => void
}

export function createStore(initial: WatchState): Store {
  let state = initial
  const listeners = new Set<() => void>()
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action)
      if (next === state) return
      state = next
      for (const l of listeners) l()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

export function selectedInstance(state: WatchState): InstanceView | undefined {
  return state.instances[state.selectedIndex]
}

/**
 * The live memory reservation, as CloudWatch computes MemoryReservation: memory reserved by tasks over
 * memory registered, across ACTIVE and DRAINING instances. null when nothing is registered.
 */
export function liveMemoryReservation(instances: readonly InstanceView[]): number | null {
  let registered = 0
  let reserved = 0
  for (const i of instances) {
    if (i.status !== 'ACTIVE' && i.status !== 'DRAINING') continue
    registered += i.memory.registered
    reserved += i.memory.registered - i.memory.remaining
  }
  return registered > 0 ? (100 * reserved) / registered : null
}
