/**
 * `refresh`'s preflight: read-only. Per group: the instances to replace (SkipMatching against the launch
 * template), the largest safe batch (batch.ts), the percentages that make Auto Scaling keep to it, who
 * drains (drainer.ts), the hooks' timeouts against the expected drain, and the blockers. Reads the cluster
 * once: its instances, services, the live tasks of the group's instances, the group's hooks.
 */
import {readClusterMembers} from '../cluster-members.js'
import {mapBounded} from '../concurrency.js'
import {estimate, deploymentBlockers} from '../drain/preflight-checks.js'
import {liveTasksOnInstance} from '../drain/live-tasks.js'
import {kindOf, serviceNameOf} from '../drain/task-kind.js'
import type {Blocker} from '../drain/types.js'
import {UsageError} from '../errors.js'
import {ExplainSources} from '../explain/sources.js'
import type {AutoScalingPort, Clock, EcsDetailsPort, EcsPort, LoadBalancingPort} from '../ports.js'
import type {CloudFormationPort} from '../stack/port.js'
import type {AsgGroup, ContainerInstance, LaunchTemplateRef, ServiceInfo, TaskInfo} from '../types.js'
import {largestSafeBatch, percentagesFor, type RefreshStrategy} from './batch.js'
import {whoDrains} from './drainer.js'
import type {GroupRefreshPlan, RefreshInstancePlan, RefreshPlan} from './types.js'

export interface RefreshPorts {
  ecs: EcsPort
  autoScaling: AutoScalingPort
  clock: Clock
  ecsDetails?: EcsDetailsPort
  elb?: LoadBalancingPort
  /** To recognise the ecsdrain hook stack by its topic; without it no hook counts as the stack's. */
  cloudFormation?: Pick<CloudFormationPort, 'describeStack'>
}

export interface RefreshPlanOptions {
  cluster: string
  /** The groups to refresh; default: every group holding the cluster's instances. */
  groups?: string[]
  skipMatching: boolean
  /** Given as flags; otherwise derived from the plan. */
  minHealthyPercentage?: number
  maxHealthyPercentage?: number
  /** A fixed launch template version to refresh to (what lets RollbackInstanceRefresh undo it). */
  launchTemplateVersion?: string
  stackName: string
  force: boolean
}

const READ_CONCURRENCY = 4

export function templateLabel(t: LaunchTemplateRef | null | undefined): string | null {
  if (!t) return null
  return `${t.name ?? t.id ?? '?'}:${t.version ?? '$Default'}`
}

function sameTemplate(
  a: LaunchTemplateRef | null | undefined,
  b: LaunchTemplateRef | null | undefined,
): boolean {
  if (!a || !b) return false
  const sameTemplateId = (a.id && b.id && a.id === b.id) || (a.name && b.name && a.name === b.name)
  return Boolean(sameTemplateId) && (a.version ?? '$Default') === (b.version ?? '$Default')
}

export async function planRefresh(ports: RefreshPorts, options: RefreshPlanOptions): Promise<RefreshPlan> {
  const {cluster} = options
  const {instances: clusterInstances, services, groups: known} = await readClusterMembers(ports, cluster)
  const names = options.groups?.length ? options.groups : known
  for (const g of names)
    if (!known.includes(g))
      throw new UsageError(`Auto Scaling group ${g} holds no container instance of ${cluster}.`, {
        suggestion: known.length ? `Pass --asg with one of: ${known.join(', ')}.` : 'Check --cluster.',
      })
  if (names.length === 0)
    throw new UsageError(
      `No container instance of ${cluster} is in an Auto Scaling group: nothing to refresh.`,
    )
  const groups = await ports.autoScaling.describeAutoScalingGroups(names)
  const byEc2 = new Map(clusterInstances.map((i) => [i.ec2InstanceId, i]))
  const mine = groups
    .flatMap((g) => g.instances.map((i) => byEc2.get(i.instanceId)))
    .filter((i) => i !== undefined)
  const tasks = await mapBounded(mine, READ_CONCURRENCY, (i) =>
    liveTasksOnInstance(ports.ecs, cluster, i.containerInstanceArn),
  )
  const tasksOn = new Map(mine.map((i, n) => [i.containerInstanceArn, tasks[n]!]))
  const servicesByName = new Map(services.map((s) => [s.serviceName, s]))
  const sources = new ExplainSources({ecsDetails: ports.ecsDetails, elb: ports.elb}, ports.clock)
  await sources.refresh(cluster, tasks.flat(), servicesByName)
  const serviceHosts = await distinctHosts(ports.ecsDetails, cluster, services)
  const stackTopic = await stackTopicArn(ports.cloudFormation, options.stackName)
  const plans: GroupRefreshPlan[] = []
  for (const g of groups) {
    const hooks = await ports.autoScaling.describeLifecycleHooks(g.autoScalingGroupName)
    const providerNames = [...new Set(g.instances.map((i) => byEc2.get(i.instanceId)?.capacityProviderName))]
    const providers = ports.ecsDetails
      ? await ports.ecsDetails.describeCapacityProviders(providerNames.filter((n): n is string => !!n))
      : []
    plans.push(
      planGroup({
        group: g,
        options,
        clusterInstances,
        byEc2,
        tasksOn,
        services: servicesByName,
        serviceHosts,
        expectedDrainSeconds: (i) =>
          estimate({
            instanceId: i.ec2InstanceId,
            tasks: tasksOn.get(i.containerInstanceArn) ?? [],
            services: servicesByName,
            lifecycle: {
              autoScalingGroupName: g.autoScalingGroupName,
              lifecycleState: null,
              hook: null,
              globalDeadline: null,
            },
            timeoutAt: 0,
            insight: {
              now: ports.clock.now(),
              noWait: false,
              groupHooks: hooks,
              capacityProvider: null,
              serviceHosts,
              stopTimeoutOf: sources.stopTimeoutOf,
              deregistrationDelayOf: sources.deregistrationDelayOf,
              protectionOf: sources.protectionOf,
            },
          }).drain,
        drainerFacts: {
          group: g.autoScalingGroupName,
          hooks,
          capacityProviders: providers.filter(
            (p) =>
              !g.autoScalingGroupArn ||
              !p.autoScalingGroupArn ||
              p.autoScalingGroupArn === g.autoScalingGroupArn,
          ),
          stackTopicArn: stackTopic,
          stackName: options.stackName,
        },
      }),
    )
  }
  return {cluster, groups: plans, refused: plans.some((p) => p.refused)}
}

interface GroupFacts {
  group: AsgGroup
  options: RefreshPlanOptions
  clusterInstances: ContainerInstance[]
  byEc2: Map<string, ContainerInstance>
  tasksOn: Map<string, TaskInfo[]>
  services: Map<string, ServiceInfo>
  serviceHosts: Map<string, Set<string>>
  expectedDrainSeconds(i: ContainerInstance): number
  drainerFacts: Omit<Parameters<typeof whoDrains>[0], 'expectedDrainSeconds'>
}

function planGroup(f: GroupFacts): GroupRefreshPlan {
  const {group, options} = f
  const target = options.launchTemplateVersion
    ? {...(group.launchTemplate ?? {id: null, name: null}), version: options.launchTemplateVersion}
    : (group.launchTemplate ?? null)
  const live = group.instances.filter((i) =>
    ['InService', 'Pending', 'Pending:Wait', 'Pending:Proceed'].includes(i.lifecycleState),
  )
  const instances: RefreshInstancePlan[] = live.map((i) => {
    const ci = f.byEc2.get(i.instanceId)
    const matching = sameTemplate(i.launchTemplate, target)
    return {
      ec2InstanceId: i.instanceId,
      availabilityZone: i.availabilityZone ?? ci?.availabilityZone ?? null,
      tasks: ci ? (f.tasksOn.get(ci.containerInstanceArn) ?? []).length : 0,
      launchTemplate: templateLabel(i.launchTemplate),
      matching,
      replace: !(options.skipMatching && matching),
    }
  })
  const toReplace = instances.filter((i) => i.replace).map((i) => i.ec2InstanceId)
  const candidates = toReplace.map((id) => f.byEc2.get(id)).filter((i) => i !== undefined)
  const flagMax =
    options.maxHealthyPercentage ?? (options.minHealthyPercentage !== undefined ? 100 : undefined)
  const strategy: RefreshStrategy =
    flagMax !== undefined && flagMax <= 100 ? 'terminate-first' : 'launch-first'
  const batch = largestSafeBatch({
    candidates,
    clusterInstances: f.clusterInstances,
    tasksOn: f.tasksOn,
    services: f.services,
    serviceHosts: f.serviceHosts,
    strategy,
  })
  const desired = group.desiredCapacity
  const fromFlags = options.minHealthyPercentage !== undefined
  const percentages = fromFlags
    ? {
        minHealthyPercentage: options.minHealthyPercentage!,
        // AWS's default for MaxHealthyPercentage is 100 (RefreshPreferences).
        maxHealthyPercentage: options.maxHealthyPercentage ?? 100,
      }
    : percentagesFor(strategy, batch.largest, desired)
  const expected = Math.max(0, ...candidates.map(f.expectedDrainSeconds))
  const drain = whoDrains({...f.drainerFacts, expectedDrainSeconds: expected})
  const blockers: Blocker[] = [...drain.blockers]
  const warnings = [...drain.warnings]
  if (toReplace.length === 0)
    warnings.push(
      `every instance of ${group.autoScalingGroupName} is already on ${templateLabel(target) ?? 'its launch template'}: nothing to replace`,
    )
  else if (batch.largest === 0)
    blockers.push({
      kind: 'unsafe-batch',
      detail: `no batch of ${group.autoScalingGroupName} can be replaced safely: ${batch.limit}.`,
      fix: "add capacity (scale out, or a bigger instance type), relax the service's placement or deployment configuration; or pass --force",
      refuses: true,
    })
  if (fromFlags && toReplace.length > 0) {
    const allowed = impliedBatch(percentages, desired)
    if (allowed > batch.largest && batch.largest > 0)
      blockers.push({
        kind: 'unsafe-batch',
        detail: `MinHealthyPercentage ${percentages.minHealthyPercentage} / MaxHealthyPercentage ${percentages.maxHealthyPercentage} let Auto Scaling replace ${allowed} of ${desired} at once; at most ${batch.largest} is safe (${batch.limit}).`,
        fix: 'leave the percentages to ecsdrain (drop --min-healthy/--max-healthy), or pass --force',
        refuses: true,
      })
  }
  for (const h of drain.hooks.filter((x) => x.verdict === 'too-short'))
    blockers.push({
      kind: 'hook-deadline',
      detail: `lifecycle hook ${h.hookName}: ${h.detail}.`,
      fix: `raise the hook's HeartbeatTimeout (e.g. \`ecsdrain install --heartbeat-timeout ${Math.min(7200, Math.max(900, h.expectedDrainSeconds * 2))}\`)`,
      refuses: false,
    })
  const candidateTasks = candidates.flatMap((i) => f.tasksOn.get(i.containerInstanceArn) ?? [])
  blockers.push(
    ...deploymentBlockers({
      instanceId: group.autoScalingGroupName,
      tasks: candidateTasks,
      services: new Map(
        [...f.services].filter(([name]) => candidateTasks.some((t) => serviceNameOf(t) === name)),
      ),
      lifecycle: {autoScalingGroupName: null, lifecycleState: null, hook: null, globalDeadline: null},
      timeoutAt: 0,
      insight: undefined as never,
    }),
  )
  const standalone = candidateTasks.filter((t) => kindOf(t, f.services) === 'standalone')
  if (standalone.length > 0)
    warnings.push(
      `${standalone.length} standalone task(s) run on instances to replace: draining never stops them, so their drains wait (stop them first)`,
    )
  return {
    autoScalingGroupName: group.autoScalingGroupName,
    desiredCapacity: desired,
    launchTemplate: templateLabel(target),
    instances,
    toReplace,
    largestSafeBatch: batch.largest,
    batchLimit: batch.limit,
    strategy,
    ...percentages,
    percentagesFrom: fromFlags ? 'flags' : 'plan',
    drainers: drain.drainers,
    hooks: drain.hooks,
    blockers,
    warnings,
    refused: blockers.some((b) => b.refuses) && !options.force,
  }
}

/** How many instances these percentages let Auto Scaling replace at once (the larger of its two moves). */
function impliedBatch(
  p: {minHealthyPercentage: number; maxHealthyPercentage: number},
  desired: number,
): number {
  const surge = Math.floor((desired * p.maxHealthyPercentage) / 100) - desired
  const down = desired - Math.ceil((desired * p.minHealthyPercentage) / 100)
  return Math.max(1, surge, down)
}

async function distinctHosts(
  details: EcsDetailsPort | undefined,
  cluster: string,
  services: ServiceInfo[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>()
  if (!details) return out
  const distinct = services.filter((s) =>
    (s.placementConstraints ?? []).some((c) => c.type === 'distinctInstance'),
  )
  await mapBounded(distinct, READ_CONCURRENCY, async (s) => {
    out.set(s.serviceName, new Set(await details.serviceTaskInstances(cluster, s.serviceName)))
  })
  return out
}

async function stackTopicArn(
  cfn: Pick<CloudFormationPort, 'describeStack'> | undefined,
  stackName: string,
): Promise<string | null> {
  if (!cfn) return null
  try {
    return (await cfn.describeStack(stackName))?.outputs.TopicArn ?? null
  } catch {
    // No CloudFormation access is not a reason to refuse: the hook then counts as another drain function.
    return null
  }
}
