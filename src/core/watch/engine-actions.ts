/**
 * Binds the TUI's keys (and --auto-drain) to the core drain engine: the same functions as `ecsdrain drain`,
 * `undrain`, `complete` and `heartbeat`, so the TUI has no drain logic of its own.
 */
import {EcsdrainError, RefusedError} from '../errors.js'
import {
  completeAction,
  drainInstance,
  heartbeatAction,
  undrainInstance,
  type DrainEvent,
  type DrainPorts,
  type DrainResult,
} from '../drain/index.js'
import {locateInstances} from '../locate.js'
import type {ActionReporter, InstanceActions} from './actions.js'

export interface EngineActionOptions {
  cluster: string
  /** The engine's poll period while waiting for a drain. */
  intervalMs: number
  /** How long a drain from the TUI may take before it gives up, leaving the instance DRAINING. */
  timeoutMs: number
}

function onDrainEvent(event: DrainEvent, report: ActionReporter): void {
  switch (event.type) {
    case 'started':
      report.progress(`DRAINING, ${event.tasksAtStart} task(s)`)
      return
    case 'progress':
      report.progress(`${event.tasksRemaining} left, ${event.stopping} stopping`)
      return
    case 'heartbeat':
      report.heartbeatDeadline(event.deadline)
      report.event(
        `heartbeat ${event.hook}: deadline pushed to ${event.deadline.toISOString().slice(11, 19)}`,
      )
      return
    case 'blocker':
      report.event(`blocker: ${event.blocker.detail} (fix: ${event.blocker.fix})`, 'warn')
      return
    case 'warning':
      report.event(event.message, 'warn')
      return
    case 'retry':
      report.progress(`retrying ${event.operation} (${event.message})`)
      return
    case 'drained':
      report.progress('drained')
      return
    case 'completed':
      report.progress(`completed ${event.result}`)
      return
    default:
      return
  }
}

function summarize(result: DrainResult): string {
  const action = result.lifecycleAction
  if (result.outcome === 'drained') {
    if (action?.result) return `drained; lifecycle action completed (${action.result})`
    return action?.note ? `drained; ${action.note}` : 'drained (no lifecycle action pending)'
  }
  const why = result.error?.message ?? result.blockers.map((b) => `${b.detail} (fix: ${b.fix})`).join('; ')
  const message = `drain ${result.outcome}${why ? `: ${why}` : ''}`
  if (result.outcome === 'refused') throw new RefusedError(message, {suggestion: 'nothing was changed'})
  throw new EcsdrainError(message, {
    code: `DRAIN_${result.outcome.toUpperCase()}`,
    suggestion: `${result.ec2InstanceId} may be left DRAINING: d to resume, u to undo`,
  })
}

export function engineActions(ports: DrainPorts, opts: EngineActionOptions): InstanceActions {
  // One filtered lookup, so the engine starts from the instance's current state, not the last refresh.
  const locate = async (id: string) => (await locateInstances(ports, [id], opts.cluster))[0]!
  return {
    async drain(id, report, signal) {
      const target = await locate(id)
      const result = await drainInstance(ports, target, {
        timeoutMs: opts.timeoutMs,
        intervalMs: opts.intervalMs,
        signal,
        onEvent: (event) => onDrainEvent(event, report),
      })
      for (const w of result.warnings) report.event(w, 'warn')
      return summarize(result)
    },
    async undrain(id, report) {
      const result = await undrainInstance(ports, await locate(id))
      for (const w of result.warnings) report.event(w, 'warn')
      return `${result.previousStatus} → ${result.status}`
    },
    async complete(id) {
      const result = await completeAction(ports, id, await locate(id), {result: 'CONTINUE'})
      return `lifecycle action ${result.hook} completed (${result.result})`
    },
    async heartbeat(id, report) {
      const result = await heartbeatAction(ports, id, {})
      report.heartbeatDeadline(new Date(result.heartbeatDeadline))
      return `heartbeat recorded; deadline ${result.heartbeatDeadline.slice(11, 19)}`
    },
  }
}
