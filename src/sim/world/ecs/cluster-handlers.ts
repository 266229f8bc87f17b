import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {list, str} from '../input.js'
import type {ContainerInstance} from '../model.js'
import type {State} from '../state.js'
import {describeInstance, setInstanceStatus} from './instances.js'
import {batch, clusterName, ecsPage, findCluster, findInstance, invalid, lastSegment} from './lookup.js'

/** ECS cluster and container-instance operations. */

const LISTABLE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']

type Predicate = (ci: ContainerInstance) => boolean

/**
 * The cluster query language, for what ecsdrain and its users need: `ec2InstanceId == i-...` (or `in [...]`),
 * `attribute:NAME == V` / `exists` / `in [...]`, `runningTasksCount` comparisons, joined by `and`.
 */
function parseFilter(filter: string): {pred: Predicate; ec2Id?: string} {
  const preds: Predicate[] = []
  let ec2Id: string | undefined
  for (const clause of filter.split(/\s+and\s+/i)) {
    const m = /^\s*([\w:.-]+)\s*(==|!=|>=|<=|>|<|in|not_in|exists)\s*(.*?)\s*$/i.exec(clause)
    if (!m) throw invalid(`The filter expression is invalid: ${filter}`)
    const [, field, rawOp, rawValue] = m as unknown as [string, string, string, string]
    const op = rawOp.toLowerCase()
    const values =
      op === 'in' || op === 'not_in'
        ? rawValue
            .replace(/^\[|\]$/g, '')
            .split(',')
            .map((v) => v.trim().replace(/^['"]|['"]$/g, ''))
        : [rawValue.replace(/^['"]|['"]$/g, '')]
    let get: (ci: ContainerInstance) => string | number | undefined
    if (field === 'ec2InstanceId') get = (ci) => ci.ec2InstanceId
    else if (field === 'runningTasksCount') get = (ci) => ci.runningCount
    else if (field === 'registeredAt') get = (ci) => new Date(ci.registeredAt).toISOString()
    else if (field.startsWith('attribute:')) {
      const name = field.slice('attribute:'.length)
      get = (ci) =>
        name === 'ecs.instance-type'
          ? ci.instanceType
          : name === 'ecs.availability-zone'
            ? ci.availabilityZone
            : name === 'ecs.os-type'
              ? 'linux'
              : name === 'ecs.cpu-architecture'
                ? 'x86_64'
                : undefined
    } else throw invalid(`The filter expression is invalid: unknown field ${field}`)
    if (field === 'ec2InstanceId' && op === '==') ec2Id = values[0]
    const num = (x: string | number | undefined) => Number(x)
    preds.push((ci) => {
      const v = get(ci)
      switch (op) {
        case '==':
          return String(v) === values[0]
        case '!=':
          return String(v) !== values[0]
        case 'in':
          return values.includes(String(v))
        case 'not_in':
          return !values.includes(String(v))
        case 'exists':
          return v !== undefined
        case '>':
          return num(v) > num(values[0])
        case '<':
          return num(v) < num(values[0])
        case '>=':
          return num(v) >= num(values[0])
        default:
          return num(v) <= num(values[0])
      }
    })
  }
  return {pred: (ci) => preds.every((p) => p(ci)), ec2Id}
}

export function clusterHandlers(state: State): Record<string, OperationHandler> {
  const describeCluster = (name: string) => {
    const c = state.clusters.get(name)!
    return {
      clusterArn: c.arn,
      clusterName: c.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: c.registeredCount,
      runningTasksCount: c.runningTasks,
      pendingTasksCount: c.pendingTasks,
      activeServicesCount: [...c.services.values()].filter((s) => s.status === 'ACTIVE').length,
      statistics: [],
      tags: [],
      settings: [{name: 'containerInsights', value: 'disabled'}],
      capacityProviders: c.capacityProviders,
      defaultCapacityProviderStrategy: [],
    }
  }
  return {
    ListClusters: (input: Input) => {
      const {items, nextToken} = ecsPage(input, state.clusters.values())
      return {clusterArns: items.map((c) => c.arn), nextToken}
    },
    DescribeClusters: (input: Input) => {
      const refs = batch(input, 'clusters', 100, false)
      const clusters: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs.length > 0 ? refs : ['default']) {
        const name = clusterName(ref)
        if (state.clusters.has(name)) clusters.push(describeCluster(name))
        else
          failures.push({
            arn: ref.startsWith('arn:') ? ref : state.arn('ecs', `cluster/${ref}`),
            reason: 'MISSING',
          })
      }
      return {clusters, failures}
    },
    ListContainerInstances: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const status = str(input, 'status')
      if (status !== undefined && !LISTABLE_STATUSES.includes(status))
        throw invalid(`status must be one of ${LISTABLE_STATUSES.join(', ')}.`)
      const filter = str(input, 'filter')
      const {pred, ec2Id} = filter ? parseFilter(filter) : {pred: () => true, ec2Id: undefined}
      let candidates: Iterable<ContainerInstance> = cluster.instances.values()
      if (ec2Id !== undefined) {
        // Indexed: finding one instance must not walk a cluster of thousands.
        const one = state.byEc2Id.get(ec2Id)
        candidates = one && one.cluster === cluster ? [one] : []
      }
      const matching = function* () {
        for (const ci of candidates)
          if ((status ? ci.status === status : ci.status !== 'INACTIVE') && pred(ci)) yield ci
      }
      const {items, nextToken} = ecsPage(input, matching())
      return {containerInstanceArns: items.map((ci) => ci.arn), nextToken}
    },
    DescribeContainerInstances: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const refs = batch(input, 'containerInstances', 100)
      const containerInstances: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs) {
        const ci = findInstance(cluster, ref)
        if (ci) containerInstances.push(describeInstance(ci))
        else failures.push({arn: ref, reason: 'MISSING'})
      }
      return {containerInstances, failures}
    },
    UpdateContainerInstancesState: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const refs = batch(input, 'containerInstances', 10)
      const status = str(input, 'status')
      if (status !== 'ACTIVE' && status !== 'DRAINING')
        throw invalid('Container instances status can only be updated to ACTIVE or DRAINING.')
      const containerInstances: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs) {
        const ci = findInstance(cluster, ref)
        if (!ci) failures.push({arn: ref, reason: 'MISSING'})
        else if (!setInstanceStatus(state, ci, status)) failures.push({arn: ci.arn, reason: ci.status})
        else containerInstances.push(describeInstance(ci))
      }
      return {containerInstances, failures}
    },
    DescribeCapacityProviders: (input: Input) => {
      const names = list<string>(input, 'capacityProviders')?.map(String)
      const known = new Map<string, Record<string, unknown>>()
      for (const n of ['FARGATE', 'FARGATE_SPOT'])
        known.set(n, {
          capacityProviderArn: state.arn('ecs', `capacity-provider/${n}`),
          name: n,
          status: 'ACTIVE',
          tags: [],
        })
      for (const g of state.groups.values())
        if (g.capacityProvider)
          known.set(g.capacityProvider.name, {
            capacityProviderArn: state.arn('ecs', `capacity-provider/${g.capacityProvider.name}`),
            name: g.capacityProvider.name,
            status: 'ACTIVE',
            autoScalingGroupProvider: {
              autoScalingGroupArn: g.arn,
              managedScaling: {status: 'DISABLED'},
              managedTerminationProtection: 'DISABLED',
              managedDraining: g.capacityProvider.managedDraining ? 'ENABLED' : 'DISABLED',
            },
            tags: [],
          })
      const capacityProviders: unknown[] = []
      const failures: unknown[] = []
      for (const n of names ?? [...known.keys()]) {
        const cp = known.get(lastSegment(n))
        if (cp) capacityProviders.push(cp)
        else failures.push({arn: n, reason: 'MISSING'})
      }
      return {capacityProviders, failures}
    },
  }
}
