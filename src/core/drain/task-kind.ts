/**
 * What a task is to a drain: a service replica, a daemon, or standalone (which draining never stops), and
 * whether its service leaves the scheduler any move. Shared by the preflight, its checks and the explainer.
 */
import type {ServiceInfo, TaskInfo} from '../types.js'

export type TaskKind = 'replica' | 'daemon' | 'standalone'

export function serviceNameOf(task: TaskInfo): string | null {
  if (task.group.startsWith('service:')) return task.group.slice('service:'.length)
  return null
}

export function kindOf(task: TaskInfo, services: ReadonlyMap<string, ServiceInfo>): TaskKind {
  const name = serviceNameOf(task)
  const isService = name !== null || (task.startedBy ?? '').startsWith('ecs-svc/')
  if (!isService) return 'standalone'
  return name !== null && services.get(name)?.schedulingStrategy === 'DAEMON' ? 'daemon' : 'replica'
}

/**
 * ECS rounds the minimum up and the maximum down. When it can neither start an extra task nor stop one
 * first, a RUNNING task on a DRAINING instance is never replaced: min 100 / max 100 is the classic case.
 */
export function isDeadlocked(service: ServiceInfo): boolean {
  const desired = service.desiredCount
  if (desired <= 0) return false
  const minHealthy = Math.ceil((desired * service.minimumHealthyPercent) / 100)
  const maxRunning = Math.floor((desired * service.maximumPercent) / 100)
  return minHealthy >= desired && maxRunning <= desired
}
