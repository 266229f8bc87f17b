/**
 * Runs the operator's actions (drain, undrain, complete, heartbeat) from the TUI and from --auto-drain,
 * through callbacks that the watch command binds to the core drain engine: the TUI never talks to AWS
 * itself. Each action's progress goes to the store (the table's ACTION column) and to the events pane.
 */
import {EcsdrainError} from '../errors.js'
import type {WatchEvent} from '../poller.js'
import type {InstanceActionKind, Store} from './store.js'

/** How an action tells the TUI what it is doing while it runs. */
export interface ActionReporter {
  /** Replaces the instance's ACTION cell, e.g. "2 tasks left, 1 stopping". */
  progress(text: string): void
  /** A line in the events pane (a blocker, a heartbeat). */
  event(text: string, level?: WatchEvent['level']): void
  /** The hook's new heartbeat deadline after a heartbeat, which the snapshot's estimate can't know. */
  heartbeatDeadline(deadline: Date): void
}

/** Each resolves to a one-line summary, or throws (an EcsdrainError's message is shown as it is). */
export interface InstanceActions {
  /** Drains, waits until drained, then completes a pending lifecycle action with CONTINUE. */
  drain(instanceId: string, report: ActionReporter, signal: AbortSignal): Promise<string>
  undrain(instanceId: string, report: ActionReporter): Promise<string>
  /** Completes with CONTINUE, guarded as `ecsdrain complete`: refused while tasks still run. */
  complete(instanceId: string, report: ActionReporter): Promise<string>
  heartbeat(instanceId: string, report: ActionReporter): Promise<string>
}

export interface ActionRunner {
  run(kind: InstanceActionKind, instanceId: string, opts?: {reason?: string}): Promise<void>
  isBusy(instanceId: string): boolean
  /** Aborts the drains in flight (on quit): they stop waiting and complete nothing. */
  abortAll(): void
  /** Resolves when every action started so far has ended. */
  settled(): Promise<void>
}

const VERB: Record<InstanceActionKind, string> = {
  drain: 'draining',
  undrain: 'undraining',
  complete: 'completing lifecycle action of',
  heartbeat: 'recording a heartbeat for',
}

export function createActionRunner(opts: {
  store: Store
  actions: InstanceActions
  now: () => number
  /** Called after each action, so that the table shows its effect without waiting a full interval. */
  afterAction?: () => void
}): ActionRunner {
  const busy = new Set<string>()
  const inFlight = new Set<Promise<void>>()
  const abort = new AbortController()
  let seq = 0

  function event(message: string, level: WatchEvent['level'] = 'info'): void {
    seq += 1
    const at = new Date(opts.now())
    opts.store.dispatch({
      type: 'event',
      event: {id: `ecsdrain:${at.getTime()}:${seq}`, at, source: 'ecsdrain', message, level},
    })
  }

  function status(
    kind: InstanceActionKind,
    instanceId: string,
    state: 'running' | 'done' | 'failed',
    text: string,
  ) {
    opts.store.dispatch({type: 'action', status: {instanceId, kind, state, text}})
  }

  async function execute(kind: InstanceActionKind, id: string, reason: string | undefined): Promise<void> {
    busy.add(id)
    status(kind, id, 'running', 'started')
    event(`${reason ? `${reason}: ` : ''}${VERB[kind]} ${id}`)
    const report: ActionReporter = {
      progress: (text) => status(kind, id, 'running', text),
      event: (text, level) => event(`${id}: ${text}`, level),
      heartbeatDeadline: (deadline) => opts.store.dispatch({type: 'deadline', instanceId: id, deadline}),
    }
    try {
      const summary =
        kind === 'drain'
          ? await opts.actions.drain(id, report, abort.signal)
          : await opts.actions[kind](id, report)
      status(kind, id, 'done', summary)
      event(`${id}: ${summary}`)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const suggestion = error instanceof EcsdrainError && error.suggestion ? ` (${error.suggestion})` : ''
      status(kind, id, 'failed', message)
      event(`${kind} ${id} failed: ${message}${suggestion}`, 'error')
      opts.store.dispatch({type: 'notice', text: `${kind} ${id}: ${message}${suggestion}`})
    } finally {
      busy.delete(id)
      opts.afterAction?.()
    }
  }

  return {
    run(kind, instanceId, runOpts = {}) {
      if (busy.has(instanceId)) {
        opts.store.dispatch({
          type: 'notice',
          text: `${instanceId} is busy: wait for the current action to end`,
        })
        return Promise.resolve()
      }
      const p = execute(kind, instanceId, runOpts.reason)
      inFlight.add(p)
      void p.finally(() => inFlight.delete(p))
      return p
    },
    isBusy: (id) => busy.has(id),
    abortAll: () => abort.abort(),
    settled: async () => {
      await Promise.allSettled([...inFlight])
    },
  }
}
