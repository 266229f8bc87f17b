import type {Task} from '../model.js'

/** A task in DescribeTasks' shape (the Task data type of the ECS API reference). */

function iso(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms)
}

function containerStatus(task: Task): string {
  if (task.lastStatus === 'STOPPED' || task.lastStatus === 'DEPROVISIONING') return 'STOPPED'
  if (task.lastStatus === 'RUNNING' || task.lastStatus === 'DEACTIVATING' || task.lastStatus === 'STOPPING')
    return 'RUNNING'
  return 'PENDING'
}

export function describeTask(task: Task): Record<string, unknown> {
  const td = task.taskDef
  return {
    taskArn: task.arn,
    clusterArn: task.cluster.arn,
    taskDefinitionArn: td.arn,
    containerInstanceArn: task.instance.arn,
    overrides: {
      containerOverrides: td.containers.map((c) => ({name: c.name})),
      inferenceAcceleratorOverrides: [],
    },
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    cpu: String(td.reserveCpu),
    memory: String(td.reserveMemory),
    containers: td.containers.map((c, i) => ({
      containerArn: task.cluster.arn.replace(
        /:cluster\/.*/,
        `:container/${task.cluster.name}/${task.id}/${i}`,
      ),
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      lastStatus: containerStatus(task),
      ...(task.exitCodes ? {exitCode: task.exitCodes[i]} : {}),
      networkBindings: task.bindings
        .filter((b) => b.containerName === c.name)
        .map((b) => ({
          bindIP: '0.0.0.0',
          containerPort: b.containerPort,
          hostPort: b.hostPort,
          protocol: b.protocol,
        })),
      networkInterfaces: [],
      // No container health checks are modelled: ECS reports UNKNOWN for a container without one.
      healthStatus: 'UNKNOWN',
      cpu: String(c.cpu),
      ...(c.memory !== undefined ? {memory: String(c.memory)} : {}),
      ...(c.memoryReservation !== undefined ? {memoryReservation: String(c.memoryReservation)} : {}),
    })),
    startedBy: task.startedBy,
    version: task.version,
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    connectivity: 'CONNECTED',
    connectivityAt: iso(task.createdAt),
    pullStartedAt: iso(task.pullStartedAt),
    pullStoppedAt: iso(task.pullStoppedAt),
    executionStoppedAt: iso(task.executionStoppedAt),
    createdAt: iso(task.createdAt),
    startedAt: iso(task.startedAt),
    stoppingAt: iso(task.stoppingAt),
    stoppedAt: iso(task.stoppedAt),
    group: task.group,
    launchType: 'EC2',
    availabilityZone: task.instance.availabilityZone,
    attachments: [],
    healthStatus: 'UNKNOWN',
    tags: [],
    attributes: [{name: 'ecs.cpu-architecture', value: 'x86_64'}],
    enableExecuteCommand: false,
  }
}
