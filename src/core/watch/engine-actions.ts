/**
 * Binds the TUI's keys (and --auto-drain) to the core drain engine: the same functions as `ecsdrain drain`,
 * `undrain`, `complete` and `heartbeat`, so the TUI has no drain logic of its own.
 */
import {EcsdrainError, RefusedError} from '../errors.js'
import {
  completeAction,
  drainInstance,
  findPendingAction,
  heartbeatAction,
  liveTasksOnInstance,
  undrainInstance,
  type DrainEvent,
  type DrainPorts,
  type DrainResult,
} from '../drain/index.js'
import {locateInstances} from '../locate.js'
import type {ActionOutcome, ActionReporter, InstanceActions} from './actions.js'

export interface EngineActionOptions {
  cluster: string
  /** The engine's poll period while waiting for a drain. */
  intervalMs: number
  /** How long a drain from the TUI may take before it gives up, leaving the instance DRAINING. */
  timeoutMs: number
}

const hhmmss = (d: Date) => d.toISOString().slice(11, 19)

/** Progress goes to the ACTION cell; only what the operator should see later becomes an events line. */
function drainEventHandler(report: ActionReporter): (event: DrainEvent) => void {
  let notes: string[] = []
  return (event) => {
    switch (event.type) {
      case 'preflight':
        notes = event.report.warnings
        return
      case 'started': {
        const tasks = `${event.tasksAtStart} task(s) to move`
        report.progress(`DRAINING, ${event.tasksAtStart} task(s)`)
        report.event(
          `started: ${event.alreadyDraining ? 'already DRAINING' : 'DRAINING'}, ${tasks}${notes.length ? ` · ${notes.join(' · ')}` : ''}`,
        )
        return
      }
      case 'progress':
        report.progress(`${event.tasksRemaining} left, ${event.stopping} stopping`)
        return
      case 'heartbeat':
        report.heartbeatDeadline(event.deadline)
        report.event(`heartbeat ${event.hook}: deadline pushed to ${hhmmss(event.deadline)}`)
        return
      case 'blocker':
        report.event(`blocker: ${event.blocker.detail} (fix: ${event.blocker.fix})`, 'warn')
        return
      case 'warning':
        report.event(event.message, 'warn')
        return
      case 'retry':
        report.progress(`retrying ${event.operation}`)
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
}

function summarize(result: DrainResult): ActionOutcome {
  const action = result.lifecycleAction
  if (result.outcome === 'drained') {
    if (action?.result) {
      return {
        summary: `drained; lifecycle action completed (${action.result})`,
        short: `drained, ${action.result} sent`,
      }
    }
    if (action?.note) return {summary: `drained; ${action.note}`, short: 'drained', level: 'warn'}
    return {summary: 'drained (no lifecycle action pending)', short: 'drained'}
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
        onEvent: drainEventHandler(report),
      })
      return summarize(result)
    },
    async undrain(id) {
      const result = await undrainInstance(ports, await locate(id))
      // One line: the change (or that there was none), and the one warning that matters here.
      const change =
        result.previousStatus === 'ACTIVE'
          ? 'already ACTIVE: nothing changed'
          : `${result.previousStatus} → ${result.status}`
      const terminating = result.lifecycleState?.startsWith('Terminating')
        ? ` (it is ${result.lifecycleState}: Auto Scaling terminates it anyway)`
        : ''
      return {
        summary: change + terminating,
        short: result.previousStatus === 'ACTIVE' ? 'already ACTIVE' : result.status,
        level: terminating ? 'warn' : 'info',
      }
    },
    async complete(id) {
      const result = await completeAction(ports, id, await locate(id), {result: 'CONTINUE'})
      return {
        summary: `lifecycle action ${result.hook} completed (${result.result})`,
        short: `${result.result} sent`,
      }
    },
    async heartbeat(id, report) {
      const result = await heartbeatAction(ports, id, {})
      report.heartbeatDeadline(new Date(result.heartbeatDeadline))
      return {
        summary: `heartbeat recorded; deadline ${result.heartbeatDeadline.slice(11, 19)}`,
        short: 'heartbeat sent',
      }
    },
    async checkComplete(id) {
      // complete's own guard, asked before the operator is: a pending action, and no task still live.
      // completeAction checks both again after the y, since tasks may start in between.
      const target = await locate(id)
      const pending = await findPendingAction(ports.autoScaling, id, {})
      const live = await liveTasksOnInstance(ports.ecs, target.cluster, target.instance.containerInstanceArn)
      if (live.length > 0) {
        throw new RefusedError(
          `${live.length} task(s) still live on ${id}: completing ${pending.ref.hookName} would terminate them`,
          {code: 'TASKS_STILL_RUNNING', suggestion: 'd drains it first, then completes the action'},
        )
      }
    },
  }
}
