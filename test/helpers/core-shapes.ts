/**
 * The core shapes (ContainerInstance, TaskInfo, ServiceInfo) that the fake worlds and fixtures of the unit
 * tests build. Each caller names what identifies the thing (cluster, ARNs, ids) in its own world; the rest
 * defaults to the plain healthy case (an ACTIVE instance with its agent connected and nothing on it, a
 * RUNNING task, a steady REPLICA service with the default 100/200 deployment bounds), and any field can be
 * overridden.
 */
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../../src/core/types.js'

export function containerInstance(
  id: Pick<ContainerInstance, 'cluster' | 'containerInstanceArn' | 'ec2InstanceId'>,
  over: Partial<ContainerInstance> = {},
): ContainerInstance {
  return {
    cluster: id.cluster,
    containerInstanceArn: id.containerInstanceArn,
    ec2InstanceId: id.ec2InstanceId,
    status: 'ACTIVE',
    agentConnected: true,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    cpu: {registered: 2048, remaining: 2048},
    memory: {registered: 4096, remaining: 4096},
    usedTcpPorts: [],
    availabilityZone: 'us-east-1a',
    instanceType: 't3.medium',
    capacityProviderName: null,
    registeredAt: null,
    ...over,
  }
}

export function taskInfo(
  id: Pick<TaskInfo, 'taskArn' | 'containerInstanceArn' | 'group'>,
  over: Partial<TaskInfo> = {},
): TaskInfo {
  return {
    taskArn: id.taskArn,
    containerInstanceArn: id.containerInstanceArn,
    group: id.group,
    startedBy: null,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    taskDefinitionArn: 'td:1',
    cpu: 256,
    memory: 512,
    hostPorts: [],
    startedAt: null,
    stoppingAt: null,
    stoppedReason: null,
    ...over,
  }
}

export function serviceInfo(
  id: Pick<ServiceInfo, 'serviceName' | 'serviceArn' | 'taskDefinition'>,
  over: Partial<ServiceInfo> = {},
): ServiceInfo {
  return {
    serviceName: id.serviceName,
    serviceArn: id.serviceArn,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    schedulingStrategy: 'REPLICA',
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    taskDefinition: id.taskDefinition,
    events: [],
    ...over,
  }
}
