import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {num, str} from '../input.js'
import type {Task} from '../model.js'
import type {State} from '../state.js'
import {
  batch,
  clientError,
  ecsPage,
  findCluster,
  findInstance,
  findService,
  findTaskDef,
  findTask,
  invalid,
  serviceNotFound,
} from './lookup.js'
import {drainingEvents, addEvent, taskList} from './events.js'
import {parseConstraints, parseStrategy, place} from './placement.js'
import {describeTask} from './task-shapes.js'
import {launchTask, stopTask} from './tasks.js'

/** Task operations: listing with ListTasks' filters, describing, RunTask (standalone) and StopTask. */

export function taskHandlers(state: State): Record<string, OperationHandler> {
  return {
    ListTasks: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const desiredStatus = str(input, 'desiredStatus') ?? 'RUNNING'
      if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus))
        throw invalid('desiredStatus must be one of RUNNING, PENDING, STOPPED.')
      let source: Iterable<Task> = cluster.tasks.values()
      const ciRef = str(input, 'containerInstance')
      if (ciRef) {
        const ci = findInstance(cluster, ciRef)
        if (!ci) throw invalid('The referenced container instance was not found.')
        source = ci.tasks
      }
      const serviceName = str(input, 'serviceName')
      if (serviceName) {
        const svc = findService(cluster, serviceName)
        if (!svc) throw serviceNotFound()
        const inService = svc.tasks
        const base = source
        source = ciRef ? [...base].filter((t) => inService.has(t)) : inService
      }
      const family = str(input, 'family')
      const startedBy = str(input, 'startedBy')
      const matching = function* () {
        for (const t of source) {
          // PENDING is accepted, as in ECS, and matches nothing: desiredStatus is only RUNNING or STOPPED.
          if (t.desiredStatus !== desiredStatus) continue
          if (family && t.taskDef.family !== family) continue
          if (startedBy && t.startedBy !== startedBy) continue
          yield t
        }
      }
      const {items, nextToken} = ecsPage(input, matching())
      return {taskArns: items.map((t) => t.arn), nextToken}
    },
    DescribeTasks: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const tasks: unknown[] = []
      const failures: unknown[] = []
      for (const ref of batch(input, 'tasks', 100)) {
        const t = findTask(cluster, ref)
        if (t) tasks.push(describeTask(t))
        else failures.push({arn: ref, reason: 'MISSING'})
      }
      return {tasks, failures}
    },
    RunTask: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const tdRef = str(input, 'taskDefinition')
      const td = tdRef ? findTaskDef(state, tdRef) : undefined
      if (!td) throw clientError('TaskDefinition not found.')
      const count = num(input, 'count', 'InvalidParameterException') ?? 1
      if (count < 1 || count > 10 || !Number.isInteger(count))
        throw invalid('count must be between 1 and 10.')
      const group = str(input, 'group') ?? `family:${td.family}`
      const request = {
        taskDef: td,
        group,
        constraints: parseConstraints(input, 'placementConstraints'),
        // Standalone tasks have no documented default strategy: the sim spreads them over instances.
        strategy: parseStrategy(input, 'placementStrategy'),
      }
      const tasks: unknown[] = []
      const failures: unknown[] = []
      for (let i = 0; i < count; i++) {
        const p = place(state, cluster, request)
        if ('instance' in p) {
          const t = launchTask(state, p.instance, td, {startedBy: str(input, 'startedBy'), group})
          tasks.push(describeTask(t))
        } else if (!p.closest) {
          throw invalid(p.reason)
        } else failures.push({arn: p.closest.arn, reason: p.reason})
      }
      return {tasks, failures}
    },
    StopTask: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const t = findTask(cluster, str(input, 'task') ?? '')
      if (!t) throw invalid('The referenced task was not found.')
      const running = t.lastStatus === 'RUNNING'
      const groups = stopTask(state, t, str(input, 'reason') ?? 'Task stopped by user', 'UserInitiated')
      if (t.service && running) {
        drainingEvents(state, t.service, [t], groups)
        addEvent(
          state,
          t.service,
          `(service ${t.service.name}) has stopped 1 running tasks: ${taskList([t])}.`,
        )
        state.markDirty(t.service)
      }
      return {task: describeTask(t)}
    },
  }
}
