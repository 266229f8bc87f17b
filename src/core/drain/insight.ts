/**
 * The reads behind preflight's checks beyond capacity, done once per drain: the group's hooks (a second
 * drainer?), the instance's capacity provider (managed draining?), where services with distinctInstance
 * run, and the explainer's sources (stop timeouts, deregistration delays, protection), which the wait then
 * reuses from its cache. A read that fails for good leaves its fact unknown; it never fails the plan.
 */
import {EcsdrainError} from '../errors.js'
import type {AutoScalingPort, CapacityProviderInfo, EcsDetailsPort} from '../ports.js'
import type {ContainerInstance, LifecycleHookInfo, ServiceInfo, TaskInfo} from '../types.js'
import type {ExplainSources} from '../explain/sources.js'
import type {PreflightInsight} from './preflight-checks.js'
import type {LifecycleContext} from './types.js'

export interface InsightInput {
  cluster: string
  instance: ContainerInstance
  tasks: readonly TaskInfo[]
  services: readonly ServiceInfo[]
  lifecycle: LifecycleContext
  now: number
  noWait: boolean
  ownHookName?: string
}

async function known<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read()
  } catch (error) {
    // Retried already (the ports come wrapped); an AWS error that still stands, or a refusal (access
    // denied, not implemented), leaves the fact unknown. Anything else (an interrupt, a bug) goes on up.
    if (error instanceof EcsdrainError) return null
    throw error
  }
}

export async function readInsight(
  ports: {autoScaling: Pick<AutoScalingPort, 'describeLifecycleHooks'>; ecsDetails?: EcsDetailsPort},
  sources: ExplainSources,
  input: InsightInput,
): Promise<PreflightInsight> {
  const {cluster, instance, lifecycle} = input
  const byName = new Map(input.services.map((s) => [s.serviceName, s]))
  const group = lifecycle.autoScalingGroupName
  const details = ports.ecsDetails
  const distinct = input.services.filter((s) =>
    (s.placementConstraints ?? []).some((c) => c.type === 'distinctInstance'),
  )
  const [groupHooks, providers, hosts] = await Promise.all([
    group ? known<LifecycleHookInfo[]>(() => ports.autoScaling.describeLifecycleHooks(group)) : null,
    details && instance.capacityProviderName
      ? known<CapacityProviderInfo[]>(() =>
          details.describeCapacityProviders([instance.capacityProviderName!]),
        )
      : null,
    Promise.all(
      distinct.map(async (s) => {
        const arns = details ? await known(() => details.serviceTaskInstances(cluster, s.serviceName)) : null
        return [s.serviceName, arns] as const
      }),
    ),
    sources.refresh(cluster, input.tasks, byName),
  ])
  const serviceHosts = new Map<string, Set<string>>()
  for (const [name, arns] of hosts) if (arns) serviceHosts.set(name, new Set(arns))
  return {
    now: input.now,
    noWait: input.noWait,
    groupHooks,
    ownHookName: input.ownHookName,
    capacityProvider: providers?.find((p) => p.name === instance.capacityProviderName) ?? null,
    serviceHosts,
    stopTimeoutOf: sources.stopTimeoutOf,
    deregistrationDelayOf: sources.deregistrationDelayOf,
    protectionOf: sources.protectionOf,
  }
}
