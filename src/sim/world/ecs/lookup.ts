import {SimError} from '../../types.js'
import type {Input} from '../input.js'
import {num, page, str} from '../input.js'
import type {Cluster, ContainerInstance, Service, Task, TaskDefinition} from '../model.js'
import type {State} from '../state.js'

/** Resolving ECS references (names, ids or ARNs) and ECS's own validation errors. */

export function invalid(message: string): SimError {
  return new SimError('InvalidParameterException', message)
}

export function serviceNotFound(): SimError {
  return new SimError('ServiceNotFoundException', 'Service not found.')
}

export function clientError(message: string): SimError {
  return new SimError('ClientException', message)
}

/** The last path segment of an ARN, or the reference itself. */
export function lastSegment(ref: string): string {
  const slash = ref.lastIndexOf('/')
  return slash >= 0 ? ref.slice(slash + 1) : ref
}

export function clusterName(ref: string): string {
  const m = /^arn:aws[\w-]*:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(ref)
  return m ? m[1]! : ref
}

export function findCluster(state: State, ref: string | undefined): Cluster {
  const cluster = state.clusters.get(clusterName(ref ?? 'default'))
  if (!cluster) throw new SimError('ClusterNotFoundException', 'Cluster not found.')
  return cluster
}

/** An ARN of the form .../<kind>/<cluster>/<id> must name this cluster; a bare id or old-style ARN is fine. */
function inCluster(cluster: Cluster, ref: string, kind: string): boolean {
  if (!ref.startsWith('arn:')) return true
  const at = ref.indexOf(`:${kind}/`)
  if (at < 0) return false
  const path = ref.slice(at + kind.length + 2).split('/')
  return path.length === 1 || path[0] === cluster.name
}

export function findInstance(cluster: Cluster, ref: string): ContainerInstance | undefined {
  if (!inCluster(cluster, ref, 'container-instance')) return undefined
  return cluster.instances.get(lastSegment(ref))
}

export function findTask(cluster: Cluster, ref: string): Task | undefined {
  if (!inCluster(cluster, ref, 'task')) return undefined
  return cluster.tasks.get(lastSegment(ref))
}

export function findService(cluster: Cluster, ref: string): Service | undefined {
  if (!inCluster(cluster, ref, 'service')) return undefined
  const svc = cluster.services.get(lastSegment(ref))
  return svc && svc.status !== 'INACTIVE' ? svc : undefined
}

export function findTaskDef(state: State, ref: string): TaskDefinition | undefined {
  const m = /^(?:arn:[^:]+:ecs:[^:]*:\d*:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(ref)
  if (!m) return undefined
  const revisions = state.taskDefs.get(m[1]!)
  if (!revisions) return undefined
  if (m[2]) return revisions[Number(m[2]) - 1]
  return [...revisions].reverse().find((td) => td.status === 'ACTIVE')
}

/** maxResults (1..100, default 100) and nextToken, with ECS's errors. */
export function ecsPage<T extends {seq: number}>(
  input: Input,
  items: Iterable<T>,
  defaultLimit = 100,
): {items: T[]; nextToken?: string} {
  const max = num(input, 'maxResults', 'InvalidParameterException')
  if (max !== undefined && (max < 1 || max > 100 || !Number.isInteger(max)))
    throw invalid('maxResults must be between 1 and 100.')
  return page(items, str(input, 'nextToken'), max ?? defaultLimit, 'InvalidParameterException')
}

/** A list parameter with AWS's batch limit, e.g. "tasks can have at most 100 items." */
export function batch(input: Input, name: string, max: number, required = true): string[] {
  const v = input[name]
  const items = v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]
  if (required && items.length === 0) throw invalid(`${name} can not be empty.`)
  if (items.length > max) throw invalid(`${name} can have at most ${max} items.`)
  return items
}
