/**
 * Runs the operator's actions (drain, undrain, complete, heartbeat) from the TUI and from --auto-drain,
 * through callbacks that the session binds to the core drain engine (engine-actions.ts): the TUI never talks
 * to AWS itself. Each action's progress goes to the store (the table's ACTION column), and its outcome to the
 * events pane as one line: a key press gives one line, so ECS's and Auto Scaling's events are not pushed off.
 * A drain, which takes minutes, also says when it started, and each heartbeat and blocker met on the way.
 */
import {EcsdrainError} from '../errors.js'
import type {WatchEvent} from '../poller.js'
import type {InstanceActionKind, Store} from './store.js'

/** How an action tells the TUI what it is doing while it runs. */
export interface ActionReporter {
  /** Replaces the instance's ACTION cell, e.g. "1 left, 1 stopping" (keep it short). */
  progress(text: string): void
  /** A line in the events pane (a drain's start, a heartbeat, a blocker). */
  event(text: string, level?: WatchEvent['level']): void
  /** The hook's new heartbeat deadline after a heartbeat, which the snapshot's estimate can't know. */
  heartbeatDeadline(deadline: Date): void
}

/** How an action ended: one events line, and a short text for the ACTION column. */
export interface ActionOutcome {
  summary: string
  short: string
  level?: WatchEvent['level']
}

/** Each resolves to its outcome, or throws (an EcsdrainError's message and suggestion are shown as they are). */
export interface InstanceActions {
  /** Drains, waits until drained, then completes a pending lifecycle action with CONTINUE. */
  drain(instanceId: string, report: ActionReporter, signal: AbortSignal): Promise<ActionOutcome>
  undrain(instanceId: string, report: ActionReporter): Promise<ActionOutcome>
  /** Completes with CONTINUE, guarded as `ecsdrain complete`: refused while tasks still live. */
  complete(instanceId: string, report: ActionReporter): Promise<ActionOutcome>
  heartbeat(instanceId: string, report: ActionReporter): Promise<ActionOutcome>
  /** complete's guard alone, so that the TUI can refuse before it asks: throws what complete would refuse with. */
  checkComplete(instanceId: string): Promise<void>
}

export interface ActionRunner {
  run(kind: InstanceActionKind, instanceId: string, opts?: {reason?: string}): Promise<void>
  /**
   * The guard an action has before the operator is asked (today: complete's live tasks and pending action).
   * Resolves to the refusal as one line (also shown as the notice), or null when the action may be asked for.
   */
  check(kind: InstanceActionKind, instanceId: string): Promise<string | null>
  isBusy(instanceId: string): boolean
  /** Aborts the drains in flight (on quit): they stop waiting and complete nothing. */
  abortAll(): void
  /** Resolves when every action started so far has ended. */
  settled(): Promise<void>
}

export const READONLY_NOTICE = 'read-only (watch --readonly): this key changes nothing here'

function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const suggestion = error instanceof EcsdrainError && error.suggestion ? ` (${error.suggestion})` : ''
  return `${message}${suggestion}`
}

export function createActionRunner(opts: {
  store: Store
  actions: InstanceActions
  now: () => number
  /** `watch --readonly`: every action is refused here too, whatever a caller asks. */
  readonly?: boolean
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
    // Every line of this action says which action and which instance it belongs to.
    const prefix = `${kind} ${id}${reason ? ` (${reason})` : ''}: `
    const report: ActionReporter = {
      progress: (text) => status(kind, id, 'running', text),
      event: (text, level) => event(prefix + text, level),
      heartbeatDeadline: (deadline) => opts.store.dispatch({type: 'deadline', instanceId: id, deadline}),
    }
    try {
      const outcome =
        kind === 'drain'
          ? await opts.actions.drain(id, report, abort.signal)
          : await opts.actions[kind](id, report)
      status(kind, id, 'done', outcome.short)
      event(prefix + outcome.summary, outcome.level)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      status(kind, id, 'failed', `failed: ${message}`)
      event(`${prefix}failed: ${explain(error)}`, 'error')
      opts.store.dispatch({type: 'notice', text: `${kind} ${id} failed: ${explain(error)}`})
    } finally {
      busy.delete(id)
      opts.afterAction?.()
    }
  }

  return {
    run(kind, instanceId, runOpts = {}) {
      if (opts.readonly) {
        opts.store.dispatch({type: 'notice', text: READONLY_NOTICE})
        return Promise.resolve()
      }
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
    async check(kind, instanceId) {
      const refuse = (text: string) => {
        opts.store.dispatch({type: 'notice', text})
        return text
      }
      if (opts.readonly) return refuse(READONLY_NOTICE)
      if (busy.has(instanceId)) return refuse(`${instanceId} is busy: wait for the current action to end`)
      if (kind !== 'complete') return null
      try {
        await opts.actions.checkComplete(instanceId)
        return null
      } catch (error) {
        return refuse(`complete refused: ${explain(error)}`)
      }
    },
    isBusy: (id) => busy.has(id),
    abortAll: () => abort.abort(),
    settled: async () => {
      await Promise.allSettled([...inFlight])
    },
  }
}
