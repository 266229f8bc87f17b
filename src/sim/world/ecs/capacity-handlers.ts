import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {list, num, obj, str} from '../input.js'
import type {CapacityProviderStrategyItem, Cluster} from '../model.js'
import type {State} from '../state.js'
import type {CapacityProvider} from './capacity-model.js'
import {addManagedDrainingHook, startManagedScaling, updateScaleInProtection} from './capacity-providers.js'
import {describeCluster} from './cluster-shapes.js'
import {clientError, findCluster, invalid, lastSegment} from './lookup.js'

/**
 * CreateCapacityProvider, UpdateCapacityProvider, DescribeCapacityProviders and PutClusterCapacityProviders.
 * Defaults from "ManagedScaling" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html):
 * targetCapacity 100, minimumScalingStepSize 1, maximumScalingStepSize 10000, instanceWarmupPeriod 300; and
 * "Managed instance draining is on by default when you create a capacity provider."
 */

export interface CapacityProviderSpec {
  name: string
  groupName: string
  managedScaling?: Partial<CapacityProvider['managedScaling']>
  managedTerminationProtection?: 'ENABLED' | 'DISABLED'
  managedDraining?: 'ENABLED' | 'DISABLED'
}

function enabled(v: string | undefined, what: string, def: 'ENABLED' | 'DISABLED'): 'ENABLED' | 'DISABLED' {
  if (v === undefined) return def
  if (v !== 'ENABLED' && v !== 'DISABLED') throw invalid(`${what} must be ENABLED or DISABLED.`)
  return v
}

function checkManaged(cp: Pick<CapacityProvider, 'managedScaling' | 'managedTerminationProtection'>): void {
  const ms = cp.managedScaling
  if (!(ms.targetCapacity > 0 && ms.targetCapacity <= 100))
    throw invalid('targetCapacity must be between 1 and 100.')
  if (
    ms.minimumScalingStepSize < 1 ||
    ms.minimumScalingStepSize > 10_000 ||
    ms.maximumScalingStepSize < 1 ||
    ms.maximumScalingStepSize > 10_000
  )
    throw invalid('The scaling step sizes must be between 1 and 10000.')
  // "When using managed termination protection, managed scaling must also be used otherwise managed termination
  // protection doesn't work." (AutoScalingGroupProvider, managedTerminationProtection)
  if (cp.managedTerminationProtection === 'ENABLED' && ms.status !== 'ENABLED')
    throw clientError(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must also be enabled.',
    )
}

export function createCapacityProvider(state: State, spec: CapacityProviderSpec): CapacityProvider {
  // "The name can't be prefixed with "aws", "ecs", or "fargate"." (CreateCapacityProvider, name)
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(spec.name) || /^(aws|ecs|fargate)/i.test(spec.name))
    throw invalid(
      'The specified capacity provider name is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed, and it cannot begin with "aws", "ecs", or "fargate".',
    )
  if (state.capacityProviders.has(spec.name))
    throw clientError(
      'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
    )
  const g = state.groups.get(spec.groupName)
  if (!g) throw clientError('The specified Auto Scaling group ARN does not exist.')
  for (const other of state.capacityProviders.values())
    if (other.groupName === g.name && other.status === 'ACTIVE')
      throw clientError(
        `The specified Auto Scaling group ARN is already being used by another capacity provider (${other.name}). An Auto Scaling group can only be used by one capacity provider.`,
      )
  const cp: CapacityProvider = {
    seq: state.nextSeq(),
    name: spec.name,
    arn: state.arn('ecs', `capacity-provider/${spec.name}`),
    status: 'ACTIVE',
    groupName: g.name,
    groupArn: g.arn,
    managedScaling: {
      status: spec.managedScaling?.status ?? 'DISABLED',
      targetCapacity: spec.managedScaling?.targetCapacity ?? 100,
      minimumScalingStepSize: spec.managedScaling?.minimumScalingStepSize ?? 1,
      maximumScalingStepSize: spec.managedScaling?.maximumScalingStepSize ?? 10_000,
      instanceWarmupPeriod: spec.managedScaling?.instanceWarmupPeriod ?? 300,
    },
    managedTerminationProtection: spec.managedTerminationProtection ?? 'DISABLED',
    managedDraining: spec.managedDraining ?? 'ENABLED',
    tags: [],
    lowMinutes: 0,
  }
  checkManaged(cp)
  state.capacityProviders.set(cp.name, cp)
  // New container instances of the group register with the capacity provider's name.
  g.capacityProvider = {name: cp.name, managedDraining: cp.managedDraining === 'ENABLED'}
  applyManaged(state, cp)
  return cp
}

function applyManaged(state: State, cp: CapacityProvider): void {
  const g = state.groups.get(cp.groupName)!
  if (cp.managedDraining === 'ENABLED') addManagedDrainingHook(g)
  for (const inst of g.instances.values()) {
    const ci = state.byEc2Id.get(inst.id)
    if (ci) updateScaleInProtection(state, ci)
  }
  if (cp.managedScaling.status === 'ENABLED') startManagedScaling(state, cp)
}

export function describeCapacityProvider(cp: CapacityProvider) {
  return {
    capacityProviderArn: cp.arn,
    name: cp.name,
    status: cp.status,
    ...(cp.updateStatus ? {updateStatus: cp.updateStatus} : {}),
    autoScalingGroupProvider: {
      autoScalingGroupArn: cp.groupArn,
      managedScaling: {...cp.managedScaling},
      managedTerminationProtection: cp.managedTerminationProtection,
      managedDraining: cp.managedDraining,
    },
    tags: cp.tags,
  }
}

function specFrom(input: Input): Omit<CapacityProviderSpec, 'name' | 'groupName'> {
  const provider = obj(input, 'autoScalingGroupProvider') ?? {}
  const ms = obj(provider, 'managedScaling')
  const n = (k: string) => (ms ? num(ms, k, 'InvalidParameterException') : undefined)
  return {
    managedScaling: ms && {
      status: enabled(str(ms, 'status'), 'managedScaling.status', 'DISABLED'),
      targetCapacity: n('targetCapacity'),
      minimumScalingStepSize: n('minimumScalingStepSize'),
      maximumScalingStepSize: n('maximumScalingStepSize'),
      instanceWarmupPeriod: n('instanceWarmupPeriod'),
    },
    managedTerminationProtection: enabled(
      str(provider, 'managedTerminationProtection'),
      'managedTerminationProtection',
      'DISABLED',
    ),
    managedDraining: enabled(str(provider, 'managedDraining'), 'managedDraining', 'ENABLED'),
  }
}

function strategyFrom(state: State, raw: Input[], allowed: Set<string>): CapacityProviderStrategyItem[] {
  if (raw.length > 20)
    throw invalid('The capacity provider strategy can contain a maximum of 20 capacity providers.')
  return raw.map((s) => {
    const name = str(s, 'capacityProvider') ?? ''
    if (!allowed.has(name))
      throw invalid(
        `The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`,
      )
    return {
      capacityProvider: name,
      weight: num(s, 'weight', 'InvalidParameterException') ?? 0,
      base: num(s, 'base', 'InvalidParameterException') ?? 0,
    }
  })
}

export function putClusterCapacityProviders(
  state: State,
  cluster: Cluster,
  names: string[],
  strategy: Input[],
): void {
  for (const n of names)
    if (!state.capacityProviders.has(n) && n !== 'FARGATE' && n !== 'FARGATE_SPOT')
      throw invalid(
        `The specified capacity provider (${n}) does not exist. Specify a valid name or ARN and try again.`,
      )
  for (const svc of cluster.services.values())
    for (const s of svc.capacityProviderStrategy)
      if (!names.includes(s.capacityProvider) && svc.status === 'ACTIVE')
        throw clientError('The specified capacity provider is in use and cannot be removed.')
  cluster.defaultCapacityProviderStrategy = strategyFrom(state, strategy, new Set(names))
  cluster.capacityProviders = [...names]
  for (const n of names) {
    const cp = state.capacityProviders.get(n)
    if (cp) applyManaged(state, cp)
  }
}

export function capacityHandlers(state: State): Record<string, OperationHandler> {
  return {
    CreateCapacityProvider: (input: Input) => {
      const provider = obj(input, 'autoScalingGroupProvider')
      const arn = provider && str(provider, 'autoScalingGroupArn')
      if (!arn) throw invalid('autoScalingGroupProvider.autoScalingGroupArn must be specified.')
      const group = [...state.groups.values()].find((g) => g.arn === arn || g.name === arn)
      const cp = createCapacityProvider(state, {
        name: str(input, 'name') ?? '',
        groupName: group?.name ?? '',
        ...specFrom(input),
      })
      return {capacityProvider: describeCapacityProvider(cp)}
    },
    UpdateCapacityProvider: (input: Input) => {
      const cp = state.capacityProviders.get(lastSegment(str(input, 'name') ?? ''))
      if (!cp) throw clientError('The specified capacity provider does not exist.')
      const spec = specFrom(input)
      const next = {
        ...cp,
        managedScaling: {
          ...cp.managedScaling,
          ...Object.fromEntries(Object.entries(spec.managedScaling ?? {}).filter(([, v]) => v !== undefined)),
        },
        managedTerminationProtection: spec.managedTerminationProtection ?? cp.managedTerminationProtection,
        managedDraining: spec.managedDraining ?? cp.managedDraining,
        updateStatus: 'UPDATE_COMPLETE' as const,
      }
      checkManaged(next)
      Object.assign(cp, next)
      applyManaged(state, cp)
      return {capacityProvider: describeCapacityProvider(cp)}
    },
    DescribeCapacityProviders: (input: Input) => {
      const names = list<string>(input, 'capacityProviders')?.map(String)
      const fargate = (n: string) => ({
        capacityProviderArn: state.arn('ecs', `capacity-provider/${n}`),
        name: n,
        status: 'ACTIVE',
        tags: [],
      })
      const known = new Map<string, unknown>([
        ['FARGATE', fargate('FARGATE')],
        ['FARGATE_SPOT', fargate('FARGATE_SPOT')],
      ])
      for (const cp of state.capacityProviders.values()) known.set(cp.name, describeCapacityProvider(cp))
      const capacityProviders: unknown[] = []
      const failures: unknown[] = []
      for (const n of names ?? [...known.keys()]) {
        const cp = known.get(lastSegment(n))
        if (cp) capacityProviders.push(cp)
        else failures.push({arn: n, reason: 'MISSING'})
      }
      return {capacityProviders, failures}
    },
    PutClusterCapacityProviders: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const names = list<string>(input, 'capacityProviders')
      const strategy = list<Input>(input, 'defaultCapacityProviderStrategy')
      if (!names) throw invalid('capacityProviders must be specified.')
      if (!strategy) throw invalid('defaultCapacityProviderStrategy must be specified.')
      putClusterCapacityProviders(
        state,
        cluster,
        names.map((n) => lastSegment(String(n))),
        strategy,
      )
      return {cluster: describeCluster(cluster)}
    },
  }
}
