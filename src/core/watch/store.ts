/**
 * What a `watch` session knows, kept outside any renderer: the poller, the action runner and the details
 * loader dispatch into it; the TUI and the line printers read it. It holds data only. What the operator is
 * looking at (selection, filter, sort, which screen) is the TUI's own view state (src/ui/view.ts), so that
 * the non-TTY modes carry none of it.
 */
import type {PollerError, PollerUpdate, WatchEvent} from '../poller.js'
import type {ClusterSnapshot, InstanceView, MetricPoint} from '../types.js'
import type {InstanceDetails} from './details.js'

export type InstanceActionKind = 'drain' | 'undrain' | 'complete' | 'heartbeat'

/** The progress of one of ecsdrain's own actions on an instance, shown in the table's ACTION column. */
export interface ActionStatus {
  instanceId: string
  kind: InstanceActionKind
  state: 'running' | 'done' | 'failed'
  /** Short: it must fit the ACTION column ("1 left, 1 stopping", "drained, CONTINUE sent"). */
  text: string
}

export interface WatchState {
  cluster: string
  /** The region, or the endpoint when one is set (the sim, LocalStack...). */
  location: string
  autoDrain: boolean
  /** `watch --readonly`: no key changes anything. */
  readonly: boolean
  snapshot: ClusterSnapshot | null
  /** The snapshot's instances in registration order (stable, so that a selection doesn't jump). */
  instances: InstanceView[]
  lastRefreshAt: Date | null
  refreshMs: number | null
  metric: MetricPoint[]
  metricAt: Date | null
  /** Newest first, at most EVENT_LIMIT. */
  events: WatchEvent[]
  error: (PollerError & {at: Date}) | null
  calls: {total: number; throttles: number}
  actions: Record<string, ActionStatus>
  /** Heartbeat deadlines set by our own heartbeats: later than the snapshot's estimate, which can't see them. */
  deadlines: Record<string, Date>
  /** The tasks of the one instance whose details are open; null when none is. */
  details: InstanceDetails | null
  /** A one-line message for the operator (a refusal, a hint); cleared by the next key. */
  notice: string | null
  /** The time countdowns are computed against, ticked every second. */
  now: number
}

export type WatchAction =
  | {type: 'poll'; update: PollerUpdate}
  | {type: 'action'; status: ActionStatus}
  | {type: 'event'; event: WatchEvent}
  | {type: 'calls'; total: number; throttles: number}
  | {type: 'deadline'; instanceId: string; deadline: Date}
  | {type: 'details'; details: InstanceDetails | null}
  | {type: 'tick'; now: number}
  | {type: 'notice'; text: string | null}
  /** Several actions, one notification: the components render once for all of them. */
  | {type: 'batch'; actions: WatchAction[]}

export const EVENT_LIMIT = 200

export function initialState(opts: {
  cluster: string
  location: string
  autoDrain?: boolean
  readonly?: boolean
  now: number
}): WatchState {
  return {
    cluster: opts.cluster,
    location: opts.location,
    autoDrain: opts.autoDrain ?? false,
    readonly: opts.readonly ?? false,
    snapshot: null,
    instances: [],
    lastRefreshAt: null,
    refreshMs: null,
    metric: [],
    metricAt: null,
    events: [],
    error: null,
    calls: {total: 0, throttles: 0},
    actions: {},
    deadlines: {},
    details: null,
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

function onPoll(state: WatchState, update: PollerUpdate): WatchState {
  switch (update.kind) {
    case 'snapshot':
      return {
        ...state,
        snapshot: update.snapshot,
        instances: displayOrder(update.snapshot.instances),
        lastRefreshAt: update.at,
        refreshMs: update.durationMs,
        error: null,
      }
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
    case 'action':
      return {...state, actions: {...state.actions, [action.status.instanceId]: action.status}}
    case 'event':
      return {...state, events: mergeEvents(state.events, [action.event])}
    case 'calls':
      return {...state, calls: {total: action.total, throttles: action.throttles}}
    case 'deadline':
      return {...state, deadlines: {...state.deadlines, [action.instanceId]: action.deadline}}
    case 'details':
      return {...state, details: action.details}
    case 'tick':
      return {...state, now: action.now}
    case 'notice':
      return state.notice === action.text ? state : {...state, notice: action.text}
    case 'batch':
      return action.actions.reduce(reduce, state)
  }
}

/** A tiny observable store: the one shape both the session's and the TUI's view state use. */
export interface StoreOf<S, A> {
  getState(): S
  dispatch(action: A): void
  subscribe(listener: () => void): () => void
}

export type Store = StoreOf<WatchState, WatchAction>

export function createStoreOf<S, A>(initial: S, reducer: (state: S, action: A) => S): StoreOf<S, A> {
  let state = initial
  const listeners = new Set<() => void>()
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action)
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

export function createStore(initial: WatchState): Store {
  return createStoreOf(initial, reduce)
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
