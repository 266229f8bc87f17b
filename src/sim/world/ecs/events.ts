import type {ContainerInstance, Service, Task} from '../model.js'
import type {State} from '../state.js'

/** Service events (DescribeServices' `events`): newest first, at most 100, worded as ECS words them. */

export function addEvent(state: State, svc: Service, message: string): void {
  svc.events.unshift({id: state.ids.uuid(), createdAt: state.now(), message})
  if (svc.events.length > 100) svc.events.length = 100
}

export function taskList(tasks: Task[]): string {
  return tasks.map((t) => `(task ${t.id})`).join(' ')
}

/** Records an event that says why progress is blocked, once per distinct reason until progress resumes. */
export function blocked(state: State, svc: Service, message: string): void {
  if (svc.blockedReason === message) return
  svc.blockedReason = message
  addEvent(state, svc, message)
}

/** What ECS says when it deregisters stopping tasks from their target groups. */
export function drainingEvents(state: State, svc: Service, tasks: Task[], groups: string[]): void {
  if (groups.length === 0) return
  const perGroup = new Map<string, number>()
  for (const g of groups) perGroup.set(g, (perGroup.get(g) ?? 0) + 1)
  for (const [g, n] of perGroup)
    addEvent(state, svc, `(service ${svc.name}) deregistered ${n} targets in (target-group ${g})`)
  const draining = tasks.filter((t) => t.targets.length > 0).length
  addEvent(state, svc, `(service ${svc.name}) has begun draining connections on ${draining} tasks.`)
}

const MISFIT_TEXT: Record<string, string> = {
  'RESOURCE:CPU': 'has insufficient CPU units available',
  'RESOURCE:MEMORY': 'has insufficient memory available',
  'RESOURCE:PORTS': 'is already using a port required by your task',
  'RESOURCE:PORTS_UDP': 'is already using a port required by your task',
}

/**
 * "(service X) was unable to place a task because no container instance met all of its requirements", with
 * the closest match's reason, as listed in "Amazon ECS service event messages"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html).
 */
export function unableToPlace(svc: Service, reason: string, closest?: ContainerInstance): string {
  const why = !closest
    ? `Reason: ${reason}`
    : MISFIT_TEXT[reason]
      ? `The closest matching (container-instance ${closest.id}) ${MISFIT_TEXT[reason]}.`
      : `The closest matching (container-instance ${closest.id}) encountered error "${reason}".`
  return (
    `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements. ` +
    `${why} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`
  )
}
