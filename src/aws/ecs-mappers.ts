/** Translates the ECS SDK's shapes into core's (src/core/types.ts). Pure functions, no I/O. */
import type {
  Cluster,
  ContainerInstance as SdkContainerInstance,
  Resource,
  Service,
  Task,
} from '@aws-sdk/client-ecs'

import type {ClusterInfo, ContainerInstance, ResourcePair, ServiceInfo, TaskInfo} from '../core/types.js'

/** `arn:aws:ecs:r:a:cluster/NAME` or `NAME` -> `NAME`. */
export function clusterNameOf(nameOrArn: string): string {
  const i = nameOrArn.indexOf(':cluster/')
  return i >= 0 ? nameOrArn.slice(i + ':cluster/'.length) : nameOrArn
}

function numeric(resources: Resource[] | undefined, name: string): number {
  const r = resources?.find((x) => x.name === name)
  return r?.integerValue ?? r?.longValue ?? r?.doubleValue ?? 0
}

function pair(ci: SdkContainerInstance, name: string): ResourcePair {
  return {registered: numeric(ci.registeredResources, name), remaining: numeric(ci.remainingResources, name)}
}

function ports(resources: Resource[] | undefined): number[] {
  return (resources?.find((x) => x.name === 'PORTS')?.stringSetValue ?? [])
    .map(Number)
    .filter(Number.isFinite)
}

function attribute(ci: SdkContainerInstance, name: string): string | null {
  return ci.attributes?.find((a) => a.name === name)?.value ?? null
}

export function toContainerInstance(cluster: string, ci: SdkContainerInstance): ContainerInstance {
  return {
    cluster: clusterNameOf(cluster),
    containerInstanceArn: ci.containerInstanceArn ?? '',
    ec2InstanceId: ci.ec2InstanceId ?? '',
    status: ci.status ?? 'UNKNOWN',
    agentConnected: ci.agentConnected ?? false,
    runningTasksCount: ci.runningTasksCount ?? 0,
    pendingTasksCount: ci.pendingTasksCount ?? 0,
    cpu: pair(ci, 'CPU'),
    memory: pair(ci, 'MEMORY'),
    // ECS lists the ports in use under "remaining" PORTS (confusingly), and the agent's own under registered.
    usedTcpPorts: [...new Set([...ports(ci.registeredResources), ...ports(ci.remainingResources)])].sort(
      (a, b) => a - b,
    ),
    availabilityZone: attribute(ci, 'ecs.availability-zone'),
    instanceType: attribute(ci, 'ecs.instance-type'),
    capacityProviderName: ci.capacityProviderName ?? null,
    registeredAt: ci.registeredAt ?? null,
    attributes: Object.fromEntries(
      (ci.attributes ?? []).filter((a) => a.name).map((a) => [a.name!, a.value ?? '']),
    ),
  }
}

function num(value: string | undefined): number {
  const n = Number(value)
  return Number.isFinite(n) ? n : 0
}

export function toTaskInfo(t: Task): TaskInfo {
  // Task-level cpu/memory when the definition sets them; otherwise what the containers reserve.
  const containers = t.containers ?? []
  const cpu = t.cpu ? num(t.cpu) : containers.reduce((s, c) => s + num(c.cpu), 0)
  const memory = t.memory
    ? num(t.memory)
    : containers.reduce((s, c) => s + num(c.memoryReservation ?? c.memory), 0)
  const hostPorts = containers.flatMap((c) =>
    (c.networkBindings ?? []).map((b) => b.hostPort).filter((p): p is number => p !== undefined),
  )
  return {
    taskArn: t.taskArn ?? '',
    containerInstanceArn: t.containerInstanceArn ?? null,
    group: t.group ?? '',
    startedBy: t.startedBy ?? null,
    lastStatus: t.lastStatus ?? 'UNKNOWN',
    desiredStatus: t.desiredStatus ?? 'UNKNOWN',
    taskDefinitionArn: t.taskDefinitionArn ?? '',
    cpu,
    memory,
    hostPorts,
    startedAt: t.startedAt ?? null,
    stoppingAt: t.stoppingAt ?? null,
    stoppedReason: t.stoppedReason ?? null,
    stoppedAt: t.stoppedAt ?? null,
    stopCode: t.stopCode ?? null,
  }
}

export function toServiceInfo(s: Service): ServiceInfo {
  const daemon = s.schedulingStrategy === 'DAEMON'
  // ECS's documented defaults when a service leaves them unset: 100/200 for REPLICA, 0/100 for DAEMON.
  const dc = s.deploymentConfiguration
  return {
    serviceName: s.serviceName ?? '',
    serviceArn: s.serviceArn ?? '',
    status: s.status ?? 'UNKNOWN',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    schedulingStrategy: s.schedulingStrategy ?? 'REPLICA',
    minimumHealthyPercent: dc?.minimumHealthyPercent ?? (daemon ? 0 : 100),
    maximumPercent: dc?.maximumPercent ?? (daemon ? 100 : 200),
    taskDefinition: s.taskDefinition ?? '',
    events: (s.events ?? []).map((e) => ({
      id: e.id ?? '',
      createdAt: e.createdAt ?? new Date(0),
      message: e.message ?? '',
    })),
    loadBalancers: (s.loadBalancers ?? [])
      .filter((lb) => lb.targetGroupArn)
      .map((lb) => ({
        targetGroupArn: lb.targetGroupArn!,
        containerName: lb.containerName ?? null,
        containerPort: lb.containerPort ?? null,
      })),
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? 'UNKNOWN',
      rolloutState: d.rolloutState ?? null,
      rolloutStateReason: d.rolloutStateReason ?? null,
      taskDefinition: d.taskDefinition ?? '',
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      createdAt: d.createdAt ?? null,
    })),
    circuitBreaker: dc?.deploymentCircuitBreaker
      ? {
          enable: dc.deploymentCircuitBreaker.enable ?? false,
          rollback: dc.deploymentCircuitBreaker.rollback ?? false,
        }
      : null,
    placementConstraints: (s.placementConstraints ?? []).map((c) => ({
      type: c.type ?? '',
      expression: c.expression ?? null,
    })),
    placementStrategy: (s.placementStrategy ?? []).map((p) => ({type: p.type ?? '', field: p.field ?? null})),
  }
}

export function toClusterInfo(c: Cluster): ClusterInfo {
  return {
    clusterName: c.clusterName ?? '',
    clusterArn: c.clusterArn ?? '',
    status: c.status ?? 'UNKNOWN',
    registeredContainerInstancesCount: c.registeredContainerInstancesCount ?? 0,
    runningTasksCount: c.runningTasksCount ?? 0,
    pendingTasksCount: c.pendingTasksCount ?? 0,
    activeServicesCount: c.activeServicesCount ?? 0,
  }
}
