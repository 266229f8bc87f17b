import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, num, obj, str} from '../input.js'
import type {Service, TaskDefinition} from '../model.js'
import {describeTaskDefinition, registerTaskDefinition} from './task-definitions.js'
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
    placedOn: new Map(),
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
