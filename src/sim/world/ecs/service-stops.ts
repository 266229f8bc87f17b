import type {Service, Task} from '../model.js'
import type {State} from '../state.js'
import {addEvent, drainingEvents, taskList} from './events.js'
import {stopTask} from './tasks.js'

/** The scheduler stopping a batch of a service's tasks, with the events ECS writes for it. */

export function stopAll(
  state: State,
  svc: Service,
  tasks: Task[],
  reason: string | ((t: Task) => string),
): void {
  if (tasks.length === 0) return
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING')
  const pending = tasks.filter((t) => t.lastStatus !== 'RUNNING')
  const groups: string[] = []
  for (const t of tasks)
    groups.push(
      ...stopTask(state, t, typeof reason === 'string' ? reason : reason(t), 'ServiceSchedulerInitiated'),
    )
  drainingEvents(state, svc, running, groups)
  if (running.length > 0)
    addEvent(
      state,
      svc,
      `(service ${svc.name}) has stopped ${running.length} running tasks: ${taskList(running)}.`,
    )
  if (pending.length > 0)
    addEvent(
      state,
      svc,
      `(service ${svc.name}) has stopped ${pending.length} pending tasks: ${taskList(pending)}.`,
    )
  svc.blockedReason = undefined
  state.markDirty(svc)
}
