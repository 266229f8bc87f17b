import type {Input} from '../input.js'
import {bool, list, num, str} from '../input.js'
import type {ContainerDef, TaskDefinition} from '../model.js'
import type {State} from '../state.js'
import {clientError} from './lookup.js'

/** Task definitions: registration (with ECS's validation) and their DescribeTaskDefinition shape. */

export function registerTaskDefinition(state: State, input: Input): TaskDefinition {
  const family = str(input, 'family')
  if (!family || !/^[A-Za-z0-9_-]{1,255}$/.test(family))
    throw clientError('Family contains invalid characters or is missing.')
  const raw = list<Input>(input, 'containerDefinitions') ?? []
  if (raw.length === 0) throw clientError('Container list cannot be empty.')
  const taskCpu = str(input, 'cpu')
  const taskMemory = str(input, 'memory')
  const containers: ContainerDef[] = raw.map((c) => {
    const name = str(c, 'name')
    if (!name) throw clientError('Container.name should not be null or empty.')
    const memory = num(c, 'memory', 'ClientException')
    const memoryReservation = num(c, 'memoryReservation', 'ClientException')
    if (memory === undefined && memoryReservation === undefined && taskMemory === undefined)
      throw clientError(
        `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      )
    return {
      name,
      image: str(c, 'image') ?? 'scratch',
      cpu: num(c, 'cpu', 'ClientException') ?? 0,
      memory,
      memoryReservation,
      essential: bool(c, 'essential') ?? true,
      stopTimeout: num(c, 'stopTimeout', 'ClientException'),
      portMappings: (list<Input>(c, 'portMappings') ?? []).map((p) => {
        const containerPort = num(p, 'containerPort', 'ClientException') ?? 0
        return {
          containerPort,
          hostPort:
            num(p, 'hostPort', 'ClientException') ??
            (str(input, 'networkMode') === 'host' ? containerPort : 0),
          protocol: str(p, 'protocol') === 'udp' ? ('udp' as const) : ('tcp' as const),
        }
      }),
    }
  })
  const revisions = state.taskDefs.get(family) ?? []
  const revision = revisions.length + 1
  const td: TaskDefinition = {
    seq: state.nextSeq(),
    arn: state.arn('ecs', `task-definition/${family}:${revision}`),
    family,
    revision,
    containers,
    cpu: taskCpu,
    memory: taskMemory,
    networkMode: str(input, 'networkMode') ?? 'bridge',
    registeredAt: state.now(),
    status: 'ACTIVE',
    reserveCpu: taskCpu ? Number(taskCpu) : containers.reduce((s, c) => s + c.cpu, 0),
    reserveMemory: taskMemory
      ? Number(taskMemory)
      : containers.reduce((s, c) => s + (c.memory ?? c.memoryReservation ?? 0), 0),
  }
  revisions.push(td)
  state.taskDefs.set(family, revisions)
  return td
}

export function describeTaskDefinition(td: TaskDefinition): Record<string, unknown> {
  return {
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    containerDefinitions: td.containers.map((c) => ({
      name: c.name,
      image: c.image,
      cpu: c.cpu,
      memory: c.memory,
      memoryReservation: c.memoryReservation,
      essential: c.essential,
      stopTimeout: c.stopTimeout,
      portMappings: c.portMappings.map((p) => ({
        containerPort: p.containerPort,
        hostPort: p.hostPort,
        protocol: p.protocol,
      })),
      environment: [],
      mountPoints: [],
      volumesFrom: [],
    })),
    cpu: td.cpu,
    memory: td.memory,
    networkMode: td.networkMode,
    status: td.status,
    volumes: [],
    placementConstraints: [],
    requiresAttributes: [],
    compatibilities: ['EXTERNAL', 'EC2'],
    registeredAt: new Date(td.registeredAt),
    registeredBy: accountRoot(td),
  }
}

function accountRoot(td: TaskDefinition): string {
  return td.arn.replace(/:ecs:([^:]*):(\d*):.*/, ':iam::$2:root')
}
