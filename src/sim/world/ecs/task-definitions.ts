import {SimError} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, num, str} from '../input.js'
import type {ContainerDef, TaskDefinition} from '../model.js'
import type {State} from '../state.js'
import {clientError} from './lookup.js'
import {parseConstraints} from './placement.js'

/**
 * Task definitions: registration (with ECS's validation) and their DescribeTaskDefinition shape.
 * What a container reserves on its instance: "If you specify memoryReservation, then that value is subtracted
 * from the available memory resources for the container instance where the container is placed. Otherwise, the
 * value of memory is used." and "If you specify both, memory must be greater than memoryReservation."
 * (ContainerDefinition: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
 */

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
    if (memory !== undefined && memoryReservation !== undefined && memory <= memoryReservation)
      throw clientError(
        `Invalid setting for container '${name}'. 'memory' must be greater than 'memoryReservation'.`,
      )
    const stopTimeout = num(c, 'stopTimeout', 'ClientException')
    if (stopTimeout !== undefined && (!Number.isInteger(stopTimeout) || stopTimeout < 0))
      throw clientError(
        `Invalid setting for container '${name}'. 'stopTimeout' must be a whole number of seconds.`,
      )
    return {
      name,
      image: str(c, 'image') ?? 'scratch',
      cpu: num(c, 'cpu', 'ClientException') ?? 0,
      memory,
      memoryReservation,
      essential: bool(c, 'essential') ?? true,
      stopTimeout,
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
      : containers.reduce((s, c) => s + (c.memoryReservation ?? c.memory ?? 0), 0),
    placementConstraints: parseConstraints(input, 'placementConstraints', true),
    failsHealthChecks: state.built && state.knobs.unhealthyNewRevisions === true,
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
    placementConstraints: td.placementConstraints,
    requiresAttributes: [],
    compatibilities: ['EXTERNAL', 'EC2'],
    registeredAt: new Date(td.registeredAt),
    registeredBy: accountRoot(td),
  }
}

function accountRoot(td: TaskDefinition): string {
  return td.arn.replace(/:ecs:([^:]*):(\d*):.*/, ':iam::$2:root')
}

/** ListTaskDefinitions' order: by family, then revision (ASC by default). */
export function listTaskDefinitions(state: State, input: Input): TaskDefinition[] {
  const prefix = str(input, 'familyPrefix')
  const status = str(input, 'status') ?? 'ACTIVE'
  if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status))
    throw new SimError(
      'InvalidParameterException',
      'status must be one of ACTIVE, INACTIVE, DELETE_IN_PROGRESS.',
    )
  const sort = str(input, 'sort') ?? 'ASC'
  if (sort !== 'ASC' && sort !== 'DESC')
    throw new SimError('InvalidParameterException', 'sort must be ASC or DESC.')
  const out: TaskDefinition[] = []
  for (const family of [...state.taskDefs.keys()].sort()) {
    if (prefix && !family.startsWith(prefix)) continue
    for (const td of state.taskDefs.get(family)!) if (td.status === status) out.push(td)
  }
  if (sort === 'DESC') out.reverse()
  return out
}
