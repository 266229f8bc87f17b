import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, num, str} from '../input.js'
import type {Task} from '../model.js'
import type {State} from '../state.js'
import {batch, findCluster, findTask, invalid} from './lookup.js'

/**
 * Task scale-in protection (UpdateTaskProtection, GetTaskProtection). What it holds back, in the words of
 * "Protect your Amazon ECS tasks from being terminated by scale-in events"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html):
 *   "You can use Amazon ECS task scale-in protection to protect your tasks from being terminated by scale-in
 *    events from either service auto scaling or deployments."
 * So the scheduler skips a protected task when it scales a service in or replaces the tasks of an older
 * deployment; container instance draining is neither, and replaces a protected task as any other.
 * Defaults and bounds: "When you set ProtectionEnabled to true, tasks are protected for 2 hours by default ...
 * You can protect your tasks for a minimum of 1 minute and up to a maximum of 2880 minutes (48 hours)." After
 * that, "protectionEnabled will be reset to false" (UpdateTaskProtection, expiresInMinutes:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateTaskProtection.html).
 */

export const DEFAULT_PROTECTION_MINUTES = 120
export const MAX_PROTECTION_MINUTES = 2880

export function isProtected(state: State, t: Task): boolean {
  return t.protectedUntil !== undefined && t.protectedUntil > state.now()
}

function describeProtection(state: State, t: Task) {
  return isProtected(state, t)
    ? {taskArn: t.arn, protectionEnabled: true, expirationDate: new Date(t.protectedUntil!)}
    : {taskArn: t.arn, protectionEnabled: false}
}

export function protectionHandlers(state: State): Record<string, OperationHandler> {
  return {
    UpdateTaskProtection: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const refs = batch(input, 'tasks', 10)
      const enabled = bool(input, 'protectionEnabled')
      if (enabled === undefined) throw invalid('protectionEnabled must be specified.')
      const minutes = num(input, 'expiresInMinutes', 'InvalidParameterException')
      if (
        minutes !== undefined &&
        (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_PROTECTION_MINUTES)
      )
        throw invalid(`expiresInMinutes must be between 1 and ${MAX_PROTECTION_MINUTES}.`)
      const protectedTasks: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs) {
        const t = findTask(cluster, ref)
        if (!t) failures.push({arn: ref, reason: 'MISSING'})
        // "This operation is only supported for tasks belonging to an Amazon ECS service. Invoking this operation
        // for a standalone task will result in an TASK_NOT_VALID failure."
        else if (!t.service || t.desiredStatus !== 'RUNNING')
          failures.push({
            arn: t.arn,
            reason: 'TASK_NOT_VALID',
            detail: 'The task is not part of a running service.',
          })
        else {
          if (enabled) {
            const until = state.now() + (minutes ?? DEFAULT_PROTECTION_MINUTES) * 60_000
            t.protectedUntil = until
            const svc = t.service
            // At expiry the scheduler looks again: a held-back scale-in or deployment can go on.
            state.after(until - state.now(), () => {
              if (t.protectedUntil === until) state.markDirty(svc)
            })
          } else {
            t.protectedUntil = undefined
            state.markDirty(t.service)
          }
          t.version++
          protectedTasks.push(describeProtection(state, t))
        }
      }
      return {protectedTasks, failures}
    },
    GetTaskProtection: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const refs = batch(input, 'tasks', 100, false)
      const protectedTasks: unknown[] = []
      const failures: unknown[] = []
      const tasks =
        refs.length > 0
          ? refs.map((ref) => [ref, findTask(cluster, ref)] as const)
          : [...cluster.tasks.values()]
              .filter((t) => t.service && t.desiredStatus === 'RUNNING')
              .map((t) => [t.arn, t] as const)
      for (const [ref, t] of tasks) {
        if (!t) failures.push({arn: ref, reason: 'MISSING'})
        else if (!t.service)
          failures.push({arn: t.arn, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.'})
        else protectedTasks.push(describeProtection(state, t))
      }
      return {protectedTasks, failures}
    },
  }
}
