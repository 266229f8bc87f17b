import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, num, obj, str} from '../input.js'
import type {ContainerDef, Service, TaskDefinition} from '../model.js'
import type {State} from '../state.js'
import {
  batch,
  clientError,
  ecsPage,
  findCluster,
  findService,
  findTaskDef,
  invalid,
  serviceNotFound,
} from './lookup.js'

/** Task definitions and services. */

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

export function describeService(svc: Service): Record<string, unknown> {
  const counts = (deploymentId?: string) => {
    let running = 0
    let pending = 0
    let desired = 0
    for (const t of svc.tasks) {
      if (deploymentId && t.deploymentId !== deploymentId) continue
      if (t.desiredStatus === 'RUNNING') desired++
      if (t.lastStatus === 'RUNNING') running++
      else if (t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED') pending++
    }
    return {running, pending, desired}
  }
  const all = counts()
  const config = {
    deploymentCircuitBreaker: {enable: false, rollback: false},
    maximumPercent: svc.maximumPercent,
    minimumHealthyPercent: svc.minimumHealthyPercent,
  }
  return {
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: svc.cluster.arn,
    loadBalancers: svc.loadBalancers,
    serviceRegistries: [],
    status: svc.status,
    desiredCount: svc.desiredCount,
    runningCount: all.running,
    pendingCount: all.pending,
    launchType: 'EC2',
    taskDefinition: svc.taskDef.arn,
    deploymentConfiguration: config,
    deployments: svc.deployments.map((d, i) => {
      const c = counts(d.id)
      return {
        id: d.id,
        status: i === 0 ? 'PRIMARY' : 'ACTIVE',
        taskDefinition: d.taskDef.arn,
        desiredCount: i === 0 ? svc.desiredCount : c.desired,
        pendingCount: c.pending,
        runningCount: c.running,
        failedTasks: 0,
        createdAt: new Date(d.createdAt),
        updatedAt: new Date(d.updatedAt),
        launchType: 'EC2',
        rolloutState: i === 0 && svc.steady ? 'COMPLETED' : 'IN_PROGRESS',
        rolloutStateReason:
          i === 0 && svc.steady ? `ECS deployment ${d.id} completed.` : `ECS deployment ${d.id} in progress.`,
      }
    }),
    events: svc.events.map((e) => ({id: e.id, createdAt: new Date(e.createdAt), message: e.message})),
    createdAt: new Date(svc.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: svc.schedulingStrategy,
    deploymentController: {type: 'ECS'},
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
  }
}

export interface ServiceSpec {
  name: string
  taskDef: TaskDefinition
  desiredCount: number
  minimumHealthyPercent?: number
  maximumPercent?: number
  schedulingStrategy?: 'REPLICA' | 'DAEMON'
  loadBalancers?: Record<string, unknown>[]
}

export function createService(state: State, clusterRef: string, spec: ServiceSpec): Service {
  const cluster = findCluster(state, clusterRef)
  const existing = cluster.services.get(spec.name)
  if (existing && existing.status !== 'INACTIVE') throw invalid('Creation of service was not idempotent.')
  const daemon = spec.schedulingStrategy === 'DAEMON'
  const now = state.now()
  const svc: Service = {
    seq: state.nextSeq(),
    name: spec.name,
    arn: state.arn('ecs', `service/${cluster.name}/${spec.name}`),
    cluster,
    taskDef: spec.taskDef,
    desiredCount: daemon ? 0 : spec.desiredCount,
    minimumHealthyPercent: spec.minimumHealthyPercent ?? (daemon ? 0 : 100),
    maximumPercent: spec.maximumPercent ?? (daemon ? 100 : 200),
    schedulingStrategy: daemon ? 'DAEMON' : 'REPLICA',
    loadBalancers: spec.loadBalancers ?? [],
    tasks: new Set(),
    deployments: [
      {id: `ecs-svc/${state.ids.digits(19)}`, taskDef: spec.taskDef, createdAt: now, updatedAt: now},
    ],
    events: [],
    createdAt: now,
    status: 'ACTIVE',
    steady: false,
  }
  cluster.services.set(svc.name, svc)
  state.markDirty(svc)
  return svc
}

function deploymentConfig(input: Input): {min?: number; max?: number} {
  const dc = obj(input, 'deploymentConfiguration') ?? {}
  const min = num(dc, 'minimumHealthyPercent', 'InvalidParameterException')
  const max = num(dc, 'maximumPercent', 'InvalidParameterException')
  if (min !== undefined && (min < 0 || min > 100))
    throw invalid('minimumHealthyPercent must be between 0 and 100.')
  if (max !== undefined && max < 100) throw invalid('maximumPercent must be at least 100.')
  return {min, max}
}

function requireTaskDef(state: State, ref: string | undefined): TaskDefinition {
  const td = ref ? findTaskDef(state, ref) : undefined
  if (!td) throw clientError('TaskDefinition not found.')
  return td
}

export function serviceHandlers(state: State): Record<string, OperationHandler> {
  return {
    RegisterTaskDefinition: (input: Input) => ({
      taskDefinition: describeTaskDefinition(registerTaskDefinition(state, input)),
      tags: [],
    }),
    DescribeTaskDefinition: (input: Input) => {
      const ref = str(input, 'taskDefinition')
      const td = ref ? findTaskDef(state, ref) : undefined
      if (!td) throw clientError('Unable to describe task definition.')
      return {taskDefinition: describeTaskDefinition(td), tags: []}
    },
    CreateService: (input: Input) => {
      const name = str(input, 'serviceName')
      if (!name) throw invalid('serviceName can not be blank.')
      const strategy = str(input, 'schedulingStrategy') === 'DAEMON' ? 'DAEMON' : 'REPLICA'
      const desiredCount = num(input, 'desiredCount', 'InvalidParameterException')
      if (strategy === 'REPLICA' && desiredCount === undefined)
        throw invalid('Desired count must be specified.')
      const {min, max} = deploymentConfig(input)
      const svc = createService(state, str(input, 'cluster') ?? 'default', {
        name,
        taskDef: requireTaskDef(state, str(input, 'taskDefinition')),
        desiredCount: desiredCount ?? 0,
        minimumHealthyPercent: min,
        maximumPercent: max,
        schedulingStrategy: strategy,
        loadBalancers: list<Record<string, unknown>>(input, 'loadBalancers'),
      })
      return {service: describeService(svc)}
    },
    UpdateService: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const svc = findService(cluster, str(input, 'service') ?? '')
      if (!svc) throw serviceNotFound()
      const desired = num(input, 'desiredCount', 'InvalidParameterException')
      if (desired !== undefined) {
        if (desired < 0) throw invalid('Desired count must be >= 0.')
        if (svc.schedulingStrategy === 'DAEMON')
          throw invalid('The desired count of a DAEMON service cannot be set.')
        svc.desiredCount = desired
      }
      const {min, max} = deploymentConfig(input)
      if (min !== undefined) svc.minimumHealthyPercent = min
      if (max !== undefined) svc.maximumPercent = max
      const tdRef = str(input, 'taskDefinition')
      const newTd = tdRef ? requireTaskDef(state, tdRef) : undefined
      if ((newTd && newTd !== svc.taskDef) || bool(input, 'forceNewDeployment')) {
        const now = state.now()
        svc.taskDef = newTd ?? svc.taskDef
        svc.deployments.unshift({
          id: `ecs-svc/${state.ids.digits(19)}`,
          taskDef: svc.taskDef,
          createdAt: now,
          updatedAt: now,
        })
      }
      svc.steady = false
      svc.blockedReason = undefined
      state.markDirty(svc)
      return {service: describeService(svc)}
    },
    ListServices: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const strategy = str(input, 'schedulingStrategy')
      const matching = [...cluster.services.values()].filter(
        (s) => s.status === 'ACTIVE' && (!strategy || s.schedulingStrategy === strategy),
      )
      const {items, nextToken} = ecsPage(input, matching, 10)
      return {serviceArns: items.map((s) => s.arn), nextToken}
    },
    DescribeServices: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const services: unknown[] = []
      const failures: unknown[] = []
      for (const ref of batch(input, 'services', 10)) {
        const svc = findService(cluster, ref)
        if (svc) services.push(describeService(svc))
        else
          failures.push({
            arn: ref.startsWith('arn:') ? ref : state.arn('ecs', `service/${cluster.name}/${ref}`),
            reason: 'MISSING',
          })
      }
      return {services, failures}
    },
  }
}
