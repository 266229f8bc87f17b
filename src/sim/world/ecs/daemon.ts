import type {Service, Task} from '../model.js'
import {activeInstance} from '../model.js'
import type {State} from '../state.js'
import {addEvent, blocked, taskList, unableToPlace} from './events.js'
import {misfit} from './instances.js'
import {stopAll} from './service-stops.js'
import {launchTask} from './tasks.js'

/**
 * Daemon services keep one task per ACTIVE instance and leave a DRAINING instance last: "Daemon tasks are the
 * last to stop after all replica tasks have stopped" (Amazon ECS managed instance draining:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html).
 */
export function reconcileDaemon(state: State, svc: Service): void {
  const primary = svc.deployments[0]!
  let active = 0
  const started: Task[] = []
  const toStop: Task[] = []
  let starved = false
  for (const ci of svc.cluster.instances.values()) {
    const placed = svc.placedOn.get(ci) ?? 0
    if (activeInstance(ci)) {
      active++
      if (placed > 0) continue
      const why = misfit(ci, primary.taskDef)
      if (why) {
        starved = true
        blocked(state, svc, unableToPlace(svc, why, ci))
        continue
      }
      started.push(launchTask(state, ci, primary.taskDef, {service: svc, deploymentId: primary.id}))
    } else if (ci.status === 'DRAINING' && placed > 0) {
      const mine = [...ci.tasks].filter((t) => t.service === svc && t.desiredStatus === 'RUNNING')
      const replicasLeft = [...ci.tasks].some(
        (t) => t.service && t.service.schedulingStrategy === 'REPLICA' && t.lastStatus !== 'STOPPED',
      )
      if (!replicasLeft) toStop.push(...mine)
    }
  }
  svc.desiredCount = active
  if (starved) svc.cluster.starved.add(svc)
  else svc.cluster.starved.delete(svc)
  if (started.length > 0)
    addEvent(state, svc, `(service ${svc.name}) has started ${started.length} tasks: ${taskList(started)}.`)
  stopAll(state, svc, toStop, `Service ${svc.name}: container instance is in DRAINING state`)
}
