/**
 * What doctor reads about one cluster, through the ports, with read-only calls only: the container
 * instances and their Auto Scaling side, the groups with their hooks, maintenance policy and refreshes, the
 * capacity providers, the services and where their tasks run, and (through the explainer's sources, the same
 * cache a drain uses) stop timeouts, deregistration delays and task protection. A read that fails with an
 * AWS answer (access denied, throttled past the retries) leaves its fact unknown and is reported as an
 * `unreadable` finding; anything else (an interrupt, a bug) goes on up.
 */
import {EcsdrainError} from '../errors.js'
import {ExplainSources} from '../explain/sources.js'
import type {
  AutoScalingPort,
  CapacityProviderInfo,
  Clock,
  EcsDetailsPort,
  EcsPort,
  LoadBalancingPort,
  ServiceTasksPort,
} from '../ports.js'
import type {
  AsgGroup,
  AsgInstance,
  ContainerInstance,
  InstanceRefresh,
  LifecycleHookInfo,
  ServiceInfo,
  TaskInfo,
} from '../types.js'
import {mapBounded} from '../concurrency.js'
import {readStacks, type StackPorts, type StackFacts} from './gather-stack.js'

export interface DoctorPorts extends StackPorts {
  ecs: Pick<EcsPort, 'listContainerInstances' | 'listServices'>
  autoScaling: Pick<
    AutoScalingPort,
    | 'describeAutoScalingInstances'
    | 'describeAutoScalingGroups'
    | 'describeLifecycleHooks'
    | 'describeInstanceRefreshes'
  >
  ecsDetails: EcsDetailsPort & ServiceTasksPort
  elb: LoadBalancingPort
  clock: Pick<Clock, 'now'>
}

export interface Unreadable {
  what: string
  error: string
}

export interface GroupFacts {
  group: AsgGroup
  /** The group's container instances of this cluster (by EC2 id). */
  instances: ContainerInstance[]
  hooks: LifecycleHookInfo[] | null
  refreshes: InstanceRefresh[] | null
  /** The capacity provider backed by this group, if the cluster uses one. */
  capacityProvider: CapacityProviderInfo | null
}

export interface ClusterFacts {
  cluster: string
  now: number
  instances: ContainerInstance[]
  asgInstances: Map<string, AsgInstance>
  groups: GroupFacts[]
  services: ServiceInfo[]
  /** Live tasks per service (absent when the read failed). */
  serviceTasks: Map<string, TaskInfo[]>
  sources: ExplainSources
  stacks: StackFacts
  unreadable: Unreadable[]
}

const SERVICE_CONCURRENCY = 4

export async function gatherCluster(
  ports: DoctorPorts,
  cluster: string,
  defaultStackName: string,
): Promise<ClusterFacts> {
  const unreadable: Unreadable[] = []
  const known = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read()
    } catch (error) {
      if (!(error instanceof EcsdrainError)) throw error
      unreadable.push({what, error: error.message})
      return null
    }
  }

  const [instances, services] = await Promise.all([
    ports.ecs.listContainerInstances(cluster),
    known('services (ListServices, DescribeServices)', () => ports.ecs.listServices(cluster)),
  ])
  const live = instances.filter((i) => i.status !== 'INACTIVE')
  const asgInstances = new Map(
    (
      (await known('Auto Scaling instances (DescribeAutoScalingInstances)', () =>
        ports.autoScaling.describeAutoScalingInstances(live.map((i) => i.ec2InstanceId)),
      )) ?? []
    ).map((a) => [a.instanceId, a]),
  )
  const groupNames = [...new Set([...asgInstances.values()].map((a) => a.autoScalingGroupName))].sort()
  const providerNames = [...new Set(live.map((i) => i.capacityProviderName).filter((n): n is string => !!n))]
  const [groups, providers] = await Promise.all([
    groupNames.length === 0
      ? []
      : known('Auto Scaling groups (DescribeAutoScalingGroups)', () =>
          ports.autoScaling.describeAutoScalingGroups(groupNames),
        ),
    providerNames.length === 0
      ? []
      : known('capacity providers (DescribeCapacityProviders)', () =>
          ports.ecsDetails.describeCapacityProviders(providerNames),
        ),
  ])

  const groupFacts = await Promise.all(
    (groups ?? []).map(async (group): Promise<GroupFacts> => {
      const name = group.autoScalingGroupName
      const [hooks, refreshes] = await Promise.all([
        known(`lifecycle hooks of ${name} (DescribeLifecycleHooks)`, () =>
          ports.autoScaling.describeLifecycleHooks(name),
        ),
        known(`instance refreshes of ${name} (DescribeInstanceRefreshes)`, () =>
          ports.autoScaling.describeInstanceRefreshes(name),
        ),
      ])
      return {
        group,
        instances: live.filter((i) => asgInstances.get(i.ec2InstanceId)?.autoScalingGroupName === name),
        hooks,
        refreshes,
        capacityProvider:
          (providers ?? []).find((p) =>
            (p.autoScalingGroupArn ?? '').endsWith(`autoScalingGroupName/${name}`),
          ) ?? null,
      }
    }),
  )

  const serviceTasks = new Map<string, TaskInfo[]>()
  await mapBounded(services ?? [], SERVICE_CONCURRENCY, async (s) => {
    const tasks = await known(`tasks of service ${s.serviceName} (ListTasks, DescribeTasks)`, () =>
      ports.ecsDetails.serviceTasks(cluster, s.serviceName),
    )
    if (tasks) serviceTasks.set(s.serviceName, tasks)
  })

  // The explainer's sources: task definitions (stopTimeout), target groups (deregistration delay) and task
  // protection, each read once, as a drain reads them.
  const sources = new ExplainSources({ecsDetails: ports.ecsDetails, elb: ports.elb}, ports.clock)
  const byName = new Map((services ?? []).map((s) => [s.serviceName, s]))
  await sources.refresh(cluster, [...serviceTasks.values()].flat(), byName)
  for (const [source, reason] of sources.unavailable) unreadable.push({what: source, error: reason})

  const terminatingHooks = groupFacts.flatMap((g) => g.hooks ?? []).map((h) => h.hookName)
  const stacks = await readStacks(ports, [defaultStackName, ...terminatingHooks], known)
  return {
    cluster,
    now: ports.clock.now(),
    instances: live,
    asgInstances,
    groups: groupFacts,
    services: services ?? [],
    serviceTasks,
    sources,
    stacks,
    unreadable,
  }
}
