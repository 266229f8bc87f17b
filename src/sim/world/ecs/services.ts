import type {
  CapacityProviderStrategyItem,
  LoadBalancerRef,
  PlacementConstraint,
  PlacementStrategy,
  Service,
  TaskDefinition,
} from '../model.js'
import type {State} from '../state.js'
import {newDeployment} from './deployments.js'
import {findCluster, invalid} from './lookup.js'

/** Services: creation (shared by CreateService and the scenarios) and their DescribeServices shape. */

export interface ServiceSpec {
  name: string
  taskDef: TaskDefinition
  desiredCount: number
  minimumHealthyPercent?: number
  maximumPercent?: number
  schedulingStrategy?: 'REPLICA' | 'DAEMON'
  loadBalancers?: LoadBalancerRef[]
  placementConstraints?: PlacementConstraint[]
  placementStrategy?: PlacementStrategy[]
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  healthCheckGracePeriodSeconds?: number
  circuitBreaker?: {enable: boolean; rollback: boolean}
}

/**
 * The loadBalancers of a service must name a target group behind a load balancer, and a container and port of
 * the task definition. Messages as ECS gives them.
 */
export function checkLoadBalancers(state: State, td: TaskDefinition, lbs: LoadBalancerRef[]): void {
  for (const lb of lbs) {
    const tg = state.targetGroups.get(lb.targetGroupArn)
    if (!tg)
      throw invalid(
        'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
      )
    if (tg.loadBalancerArns.length === 0)
      throw invalid(
        `The target group with targetGroupArn ${tg.arn} does not have an associated load balancer.`,
      )
    const container = td.containers.find((c) => c.name === lb.containerName)
    if (!container) throw invalid(`The container ${lb.containerName} does not exist in the task definition.`)
    if (!container.portMappings.some((p) => p.containerPort === lb.containerPort))
      throw invalid(
        `The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`,
      )
  }
}

export function createService(state: State, clusterRef: string, spec: ServiceSpec): Service {
  const cluster = findCluster(state, clusterRef)
  const existing = cluster.services.get(spec.name)
  if (existing && existing.status !== 'INACTIVE') throw invalid('Creation of service was not idempotent.')
  const daemon = spec.schedulingStrategy === 'DAEMON'
  const loadBalancers = spec.loadBalancers ?? []
  checkLoadBalancers(state, spec.taskDef, loadBalancers)
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
    loadBalancers,
    placementConstraints: spec.placementConstraints ?? [],
    placementStrategy: spec.placementStrategy ?? [],
    capacityProviderStrategy: spec.capacityProviderStrategy ?? [],
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds ?? 0,
    circuitBreaker: spec.circuitBreaker ?? {enable: false, rollback: false},
    tasks: new Set(),
    placedOn: new Map(),
    deployments: [newDeployment(state, spec.taskDef)],
    events: [],
    createdAt: now,
    status: 'ACTIVE',
    steady: false,
  }
  cluster.services.set(svc.name, svc)
  state.markDirty(svc)
  return svc
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
  const cpStrategy = svc.capacityProviderStrategy
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
    ...(cpStrategy.length > 0 ? {capacityProviderStrategy: cpStrategy} : {launchType: 'EC2'}),
    taskDefinition: svc.taskDef.arn,
    deploymentConfiguration: {
      deploymentCircuitBreaker: {...svc.circuitBreaker},
      maximumPercent: svc.maximumPercent,
      minimumHealthyPercent: svc.minimumHealthyPercent,
    },
    deployments: svc.deployments.map((d, i) => {
      const c = counts(d.id)
      return {
        id: d.id,
        status: i === 0 ? 'PRIMARY' : 'ACTIVE',
        taskDefinition: d.taskDef.arn,
        desiredCount: i === 0 ? svc.desiredCount : c.desired,
        pendingCount: c.pending,
        runningCount: c.running,
        failedTasks: d.failedTasks,
        createdAt: new Date(d.createdAt),
        updatedAt: new Date(d.updatedAt),
        ...(cpStrategy.length > 0 ? {capacityProviderStrategy: cpStrategy} : {launchType: 'EC2'}),
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      }
    }),
    events: svc.events.map((e) => ({id: e.id, createdAt: new Date(e.createdAt), message: e.message})),
    createdAt: new Date(svc.createdAt),
    placementConstraints: svc.placementConstraints,
    placementStrategy: svc.placementStrategy,
    ...(svc.loadBalancers.length > 0
      ? {healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds}
      : {}),
    schedulingStrategy: svc.schedulingStrategy,
    deploymentController: {type: 'ECS'},
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
  }
}
