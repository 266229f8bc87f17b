/**
 * One `watch` session, whatever the output: the poller feeding the store, the action runner bound to the
 * drain engine, --auto-drain, the details view's task loader, and a one-second tick for countdowns. The TUI
 * renders the store; the line and NDJSON modes read it after each refresh. Nothing here imports ink, so the
 * non-TTY modes never load it.
 */
import {buildClusterSnapshot} from '../snapshot.js'
import type {AwsPorts, Clock} from '../ports.js'
import {startPoller, type Poller, type PollerUpdate} from '../poller.js'
import type {ClusterInfo} from '../types.js'
import {createActionRunner, type ActionRunner, type InstanceActions} from './actions.js'
import {startAutoDrain} from './auto-drain.js'
import type {ExplainTasks} from './details.js'
import {createWatchExplainer} from './explain.js'
import type {ExplainPorts} from '../explain/index.js'
import {createDetailsFollower, type DetailsController} from './details-follower.js'
import {engineActions} from './engine-actions.js'
import {createStore, initialState, type Store} from './store.js'

export interface WatchSessionOptions {
  /** With ecsDetails and elb, the details view's reasons know stopTimeouts, target groups and protection. */
  ports: AwsPorts & ExplainPorts
  cluster: ClusterInfo
  /** Shown in the header: the endpoint when one is set, else the region. */
  location: string
  clock: Clock
  intervalMs: number
  autoDrain: boolean
  /** `watch --readonly`: the action runner refuses every action (and --auto-drain is off). */
  readonly?: boolean
  /** The AWS call ledger's totals, for the header. */
  callStats: () => {calls: number; throttles: number}
  /** Called after the store has taken each poller update (the line and NDJSON printers). */
  onUpdate?: (update: PollerUpdate, store: Store) => void
  /** For tests: replaces the engine-bound actions. */
  actions?: InstanceActions
  /** Tick for countdowns (the TUI only). */
  tickMs?: number
  drainTimeoutMs?: number
  /** Why each task of the open details view still runs; the drain explainer (src/core/explain) by default. */
  explain?: ExplainTasks
}

export interface WatchSession {
  store: Store
  runner: ActionRunner
  /** Opens and closes the details view's task loading (one instance, only while open). */
  details: DetailsController
  poller: Poller
  /** Stops polling, aborts drains in flight (they complete nothing) and returns the instances left mid-drain. */
  stop(): Promise<string[]>
}

export function startWatchSession(opts: WatchSessionOptions): WatchSession {
  const store = createStore(
    initialState({
      cluster: opts.cluster.clusterName,
      location: opts.location,
      autoDrain: opts.autoDrain,
      readonly: opts.readonly,
      now: opts.clock.now(),
    }),
  )
  const enginePorts = {ecs: opts.ports.ecs, autoScaling: opts.ports.autoScaling, clock: opts.clock}
  const actions =
    opts.actions ??
    engineActions(enginePorts, {
      cluster: opts.cluster.clusterName,
      intervalMs: Math.min(opts.intervalMs, 5000),
      timeoutMs: opts.drainTimeoutMs ?? 60 * 60_000,
    })
  // The poller is started just below; actions only start after the first refresh.
  const pollerRef: {current?: Poller} = {}
  const runner = createActionRunner({
    store,
    actions,
    now: opts.clock.now,
    readonly: opts.readonly,
    afterAction: () => pollerRef.current?.refreshNow(),
  })
  const details = createDetailsFollower({
    store,
    ecs: opts.ports.ecs,
    cluster: opts.cluster.clusterName,
    now: opts.clock.now,
    explain: opts.explain ?? createWatchExplainer(opts.ports, opts.clock),
  })
  const stopAutoDrain = opts.autoDrain && !opts.readonly ? startAutoDrain(store, runner) : () => {}
  const poller = startPoller({
    cluster: opts.cluster.clusterName,
    clock: opts.clock,
    intervalMs: opts.intervalMs,
    snapshot: (signal) =>
      buildClusterSnapshot(opts.ports, opts.cluster, {detail: 'full', signal, now: opts.clock.now}),
    cloudWatch: opts.ports.cloudWatch,
    onUpdate: (update) => {
      const {calls, throttles} = opts.callStats()
      store.dispatch({
        type: 'batch',
        actions: [
          {type: 'calls', total: calls, throttles},
          {type: 'tick', now: opts.clock.now()},
          {type: 'poll', update},
        ],
      })
      opts.onUpdate?.(update, store)
      // The open details view follows the refreshes (its own calls, for that one instance only).
      if (update.kind === 'refreshed' && store.getState().details) void details.refresh()
    },
  })
  pollerRef.current = poller
  const ticker = opts.tickMs
    ? setInterval(() => store.dispatch({type: 'tick', now: opts.clock.now()}), opts.tickMs)
    : null
  ticker?.unref()

  return {
    store,
    runner,
    details,
    poller,
    async stop() {
      if (ticker) clearInterval(ticker)
      stopAutoDrain()
      const midDrain = Object.values(store.getState().actions)
        .filter((a) => a.kind === 'drain' && a.state === 'running')
        .map((a) => a.instanceId)
      details.close()
      runner.abortAll()
      await Promise.all([poller.stop(), runner.settled()])
      return midDrain
    },
  }
}
