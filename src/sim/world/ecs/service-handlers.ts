import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, num, obj, str} from '../input.js'
import type {CapacityProviderStrategyItem, Cluster, LoadBalancerRef, TaskDefinition} from '../model.js'
import type {State} from '../state.js'
import {newDeployment} from './deployments.js'
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
import {parseConstraints, parseStrategy} from './placement.js'
import {checkLoadBalancers, createService, describeService} from './services.js'
import {describeTaskDefinition, listTaskDefinitions, registerTaskDefinition} from './task-definitions.js'

/** Task definitions and services: the API side. */

function deploymentConfig(input: Input): {
  min?: number
  max?: number
  breaker?: {enable: boolean; rollback: boolean}
} {
  const dc = obj(input, 'deploymentConfiguration') ?? {}
  const min = num(dc, 'minimumHealthyPercent', 'InvalidParameterException')
  const max = num(dc, 'maximumPercent', 'InvalidParameterException')
  if (min !== undefined && (min < 0 || min > 100))
    throw invalid('minimumHealthyPercent must be between 0 and 100.')
  if (max !== undefined && max < 100) throw invalid('maximumPercent must be at least 100.')
  const cb = obj(dc, 'deploymentCircuitBreaker')
  let breaker
  if (cb) {
    const enable = bool(cb, 'enable')
    const rollback = bool(cb, 'rollback')
    if (enable === undefined || rollback === undefined)
      throw invalid('deploymentCircuitBreaker requires both enable and rollback.')
    breaker = {enable, rollback}
  }
  return {min, max, breaker}
}

function requireTaskDef(state: State, ref: string | undefined): TaskDefinition {
  const td = ref ? findTaskDef(state, ref) : undefined
  if (!td) throw clientError('TaskDefinition not found.')
  return td
}

function loadBalancersFrom(input: Input): LoadBalancerRef[] | undefined {
  return list<Input>(input, 'loadBalancers')?.map((lb) => ({
    targetGroupArn: str(lb, 'targetGroupArn') ?? '',
    containerName: str(lb, 'containerName') ?? '',
    containerPort: num(lb, 'containerPort', 'InvalidParameterException') ?? 0,
  }))
}

/** A service uses a capacity provider strategy when it names one, or when it names no launch type and the cluster has a default. */
function capacityStrategyFrom(input: Input, cluster: Cluster): CapacityProviderStrategyItem[] {
  const raw = list<Input>(input, 'capacityProviderStrategy')
  if (raw && str(input, 'launchType'))
    throw invalid(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    )
  if (raw)
    return raw.map((s) => {
      const name = str(s, 'capacityProvider') ?? ''
      if (!cluster.capacityProviders.includes(name))
        throw invalid(
          'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
        )
      return {
        capacityProvider: name,
        weight: num(s, 'weight', 'InvalidParameterException') ?? 0,
        base: num(s, 'base', 'InvalidParameterException') ?? 0,
      }
    })
  return str(input, 'launchType')
    ? []
    : cluster.defaultCapacityProviderStrategy.filter(
        (s) => s.capacityProvider !== 'FARGATE' && s.capacityProvider !== 'FARGATE_SPOT',
      )
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
    ListTaskDefinitions: (input: Input) => {
      const rows = listTaskDefinitions(state, input).map((td, seq) => ({seq, td}))
      const {items, nextToken} = ecsPage(input, rows)
      return {taskDefinitionArns: items.map((r) => r.td.arn), nextToken}
    },
    DeregisterTaskDefinition: (input: Input) => {
      const ref = str(input, 'taskDefinition') ?? ''
      if (!/:\d+$/.test(ref)) throw clientError('Revision is missing.')
      const td = findTaskDef(state, ref)
      if (!td) throw clientError('The specified task definition does not exist.')
      td.status = 'INACTIVE'
      return {taskDefinition: describeTaskDefinition(td)}
    },
    CreateService: (input: Input) => {
      const name = str(input, 'serviceName')
      if (!name) throw invalid('serviceName can not be blank.')
      const cluster = findCluster(state, str(input, 'cluster') ?? 'default')
      const strategy = str(input, 'schedulingStrategy') === 'DAEMON' ? 'DAEMON' : 'REPLICA'
      const desiredCount = num(input, 'desiredCount', 'InvalidParameterException')
      if (strategy === 'REPLICA' && desiredCount === undefined)
        throw invalid('Desired count must be specified.')
      const {min, max, breaker} = deploymentConfig(input)
      const svc = createService(state, cluster.name, {
        name,
        taskDef: requireTaskDef(state, str(input, 'taskDefinition')),
        desiredCount: desiredCount ?? 0,
        minimumHealthyPercent: min,
        maximumPercent: max,
        schedulingStrategy: strategy,
        loadBalancers: loadBalancersFrom(input),
        placementConstraints: parseConstraints(input, 'placementConstraints'),
        placementStrategy: parseStrategy(input, 'placementStrategy'),
        capacityProviderStrategy: capacityStrategyFrom(input, cluster),
        healthCheckGracePeriodSeconds: num(
          input,
          'healthCheckGracePeriodSeconds',
          'InvalidParameterException',
        ),
        circuitBreaker: breaker,
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
      }
      const {min, max, breaker} = deploymentConfig(input)
      const tdRef = str(input, 'taskDefinition')
      const newTd = tdRef ? requireTaskDef(state, tdRef) : undefined
      const lbs = loadBalancersFrom(input)
      if (lbs || newTd) checkLoadBalancers(state, newTd ?? svc.taskDef, lbs ?? svc.loadBalancers)
      const constraints =
        input.placementConstraints !== undefined ? parseConstraints(input, 'placementConstraints') : undefined
      const strategy =
        input.placementStrategy !== undefined ? parseStrategy(input, 'placementStrategy') : undefined
      // Checked in full first: a bad request changes nothing.
      if (desired !== undefined) svc.desiredCount = desired
      if (min !== undefined) svc.minimumHealthyPercent = min
      if (max !== undefined) svc.maximumPercent = max
      if (breaker) svc.circuitBreaker = breaker
      if (lbs) svc.loadBalancers = lbs
      if (constraints) svc.placementConstraints = constraints
      if (strategy) svc.placementStrategy = strategy
      const grace = num(input, 'healthCheckGracePeriodSeconds', 'InvalidParameterException')
      if (grace !== undefined) svc.healthCheckGracePeriodSeconds = grace
      if ((newTd && newTd !== svc.taskDef) || bool(input, 'forceNewDeployment') || lbs) {
        svc.taskDef = newTd ?? svc.taskDef
        svc.deployments.unshift(newDeployment(state, svc.taskDef))
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
