import type {
  Activity,
  AutoScalingGroup,
  AutoScalingClient,
  InstanceRefresh as SdkRefresh,
  LaunchTemplateSpecification,
} from '@aws-sdk/client-auto-scaling'

import type {AutoScalingPort} from '../core/ports.js'
import type {
  AsgGroup,
  AsgGroupSummary,
  AsgInstance,
  HealthyPercentages,
  InstanceRefresh,
  LaunchTemplateRef,
  LifecycleHookInfo,
  ScalingActivity,
} from '../core/types.js'
import {mapBounded} from '../core/concurrency.js'
import {sdk} from './sdk.js'
import {DESCRIBE_CONCURRENCY, call, chunk, collectPages} from './batch.js'

/** Auto Scaling API limits. */
export const ASG_INSTANCES_BATCH = 50
export const ASG_GROUPS_BATCH = 100
const MAX_GLOBAL_TIMEOUT_S = 48 * 3600
/** DescribeScalingActivities: at most 100 a page (API reference). */
const ACTIVITIES_PAGE = 100

function templateRef(t: LaunchTemplateSpecification | undefined): LaunchTemplateRef | null {
  if (!t) return null
  return {id: t.LaunchTemplateId ?? null, name: t.LaunchTemplateName ?? null, version: t.Version ?? null}
}

function toActivity(a: Activity, group: string): ScalingActivity {
  return {
    activityId: a.ActivityId ?? '',
    autoScalingGroupName: a.AutoScalingGroupName ?? group,
    description: a.Description ?? '',
    cause: a.Cause ?? '',
    statusCode: a.StatusCode ?? 'Unknown',
    startTime: a.StartTime ?? new Date(0),
    endTime: a.EndTime ?? null,
    progress: a.Progress ?? 0,
  }
}

function toRefresh(x: SdkRefresh, group: string): InstanceRefresh {
  return {
    instanceRefreshId: x.InstanceRefreshId ?? '',
    autoScalingGroupName: x.AutoScalingGroupName ?? group,
    status: x.Status ?? 'Unknown',
    percentageComplete: x.PercentageComplete ?? 0,
    startTime: x.StartTime ?? null,
    endTime: x.EndTime ?? null,
    statusReason: x.StatusReason ?? null,
    instancesToUpdate: x.InstancesToUpdate ?? null,
    preferences: healthyPercentages(x.Preferences) ?? {
      minHealthyPercentage: null,
      maxHealthyPercentage: null,
    },
  }
}

/**
 * An InstanceMaintenancePolicy (or refresh Preferences): absent or both values unset is no policy (null);
 * -1 is how the API clears a value, so it reads as unset too.
 */
function healthyPercentages(
  p: {MinHealthyPercentage?: number; MaxHealthyPercentage?: number} | undefined,
): HealthyPercentages | null {
  const pct = (v: number | undefined) => (v === undefined || v < 0 ? null : v)
  const min = pct(p?.MinHealthyPercentage)
  const max = pct(p?.MaxHealthyPercentage)
  return min === null && max === null ? null : {minHealthyPercentage: min, maxHealthyPercentage: max}
}

function toSummary(g: AutoScalingGroup): AsgGroupSummary {
  return {
    autoScalingGroupName: g.AutoScalingGroupName ?? '',
    desiredCapacity: g.DesiredCapacity ?? 0,
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    status: g.Status ?? null,
    launchTemplate: templateRef(g.LaunchTemplate),
    autoScalingGroupArn: g.AutoScalingGroupARN ?? null,
    instanceMaintenancePolicy: healthyPercentages(g.InstanceMaintenancePolicy),
    newInstancesProtectedFromScaleIn: g.NewInstancesProtectedFromScaleIn ?? false,
  }
}

export function createAutoScalingPort(client: AutoScalingClient, endpoint?: string): AutoScalingPort {
  const {
    CompleteLifecycleActionCommand,
    DescribeAutoScalingGroupsCommand,
    DescribeAutoScalingInstancesCommand,
    DescribeInstanceRefreshesCommand,
    DescribeLifecycleHooksCommand,
    DescribeScalingActivitiesCommand,
    RecordLifecycleActionHeartbeatCommand,
    StartInstanceRefreshCommand,
    CancelInstanceRefreshCommand,
    RollbackInstanceRefreshCommand,
  } = sdk.autoScaling()
  const site = (op: string) => ({operation: `AutoScaling.${op}`, endpoint})
  const describeGroups = async (names: string[], IncludeInstances: boolean) =>
    (
      await mapBounded(chunk(names, ASG_GROUPS_BATCH), DESCRIBE_CONCURRENCY, (batch) =>
        collectPages(
          site('DescribeAutoScalingGroups'),
          (NextToken) =>
            client.send(
              new DescribeAutoScalingGroupsCommand({
                AutoScalingGroupNames: batch,
                IncludeInstances,
                MaxRecords: ASG_GROUPS_BATCH,
                NextToken,
              }),
            ),
          (p) => ({items: p.AutoScalingGroups, nextToken: p.NextToken}),
        ),
      )
    ).flat()

  return {
    async describeAutoScalingInstances(instanceIds) {
      const batches = await mapBounded(
        chunk(instanceIds, ASG_INSTANCES_BATCH),
        DESCRIBE_CONCURRENCY,
        (batch) =>
          collectPages(
            site('DescribeAutoScalingInstances'),
            (NextToken) =>
              client.send(
                new DescribeAutoScalingInstancesCommand({
                  InstanceIds: batch,
                  MaxRecords: ASG_INSTANCES_BATCH,
                  NextToken,
                }),
              ),
            (p) => ({items: p.AutoScalingInstances, nextToken: p.NextToken}),
          ),
      )
      return batches.flat().map((i): AsgInstance => ({
        instanceId: i.InstanceId ?? '',
        autoScalingGroupName: i.AutoScalingGroupName ?? '',
        lifecycleState: i.LifecycleState ?? 'Unknown',
        healthStatus: i.HealthStatus ?? 'Unknown',
        availabilityZone: i.AvailabilityZone ?? null,
        instanceType: i.InstanceType ?? null,
        protectedFromScaleIn: i.ProtectedFromScaleIn ?? false,
        launchTemplate: templateRef(i.LaunchTemplate),
      }))
    },

    async describeAutoScalingGroups(names) {
      const groups = await describeGroups(names, true)
      return groups.map((g): AsgGroup => ({
        ...toSummary(g),
        instances: (g.Instances ?? []).map((i) => ({
          instanceId: i.InstanceId ?? '',
          lifecycleState: i.LifecycleState ?? 'Unknown',
          availabilityZone: i.AvailabilityZone ?? null,
          launchTemplate: templateRef(i.LaunchTemplate),
          protectedFromScaleIn: i.ProtectedFromScaleIn ?? false,
        })),
      }))
    },

    async describeAutoScalingGroupSummaries(names) {
      return (await describeGroups(names, false)).map(toSummary)
    },

    async describeLifecycleHooks(group) {
      const r = await call(site('DescribeLifecycleHooks'), () =>
        client.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: group})),
      )
      return (r.LifecycleHooks ?? []).map((h): LifecycleHookInfo => {
        const heartbeatTimeout = h.HeartbeatTimeout ?? 3600
        return {
          hookName: h.LifecycleHookName ?? '',
          autoScalingGroupName: h.AutoScalingGroupName ?? group,
          transition: h.LifecycleTransition ?? '',
          heartbeatTimeout,
          // Documented: the smaller of 48 h and 100 x HeartbeatTimeout, when the API leaves it out.
          globalTimeout: h.GlobalTimeout ?? Math.min(MAX_GLOBAL_TIMEOUT_S, 100 * heartbeatTimeout),
          defaultResult: h.DefaultResult ?? 'ABANDON',
          notificationTargetArn: h.NotificationTargetARN || null,
        }
      })
    },

    async describeScalingActivities(group, maxRecords = 20) {
      // One page, newest first: callers want the recent ones, never the whole history.
      const r = await call(site('DescribeScalingActivities'), () =>
        client.send(
          new DescribeScalingActivitiesCommand({
            AutoScalingGroupName: group,
            MaxRecords: Math.min(maxRecords, 100),
          }),
        ),
      )
      return (r.Activities ?? []).map((a) => toActivity(a, group))
    },

    async scalingActivitiesSince(group, since) {
      // No time filter in the API: page newest first and stop at the first page that reaches back past `since`.
      const out: ScalingActivity[] = []
      const seen = new Set<string>()
      let token: string | undefined
      do {
        const page = await call(site('DescribeScalingActivities'), () =>
          client.send(
            new DescribeScalingActivitiesCommand({
              AutoScalingGroupName: group,
              MaxRecords: ACTIVITIES_PAGE,
              NextToken: token,
            }),
          ),
        )
        const items = (page.Activities ?? []).map((a) => toActivity(a, group))
        out.push(...items.filter((a) => a.startTime.getTime() >= since.getTime()))
        const older = items.some((a) => a.startTime.getTime() < since.getTime())
        token = older ? undefined : page.NextToken || undefined
        if (token !== undefined && seen.has(token)) token = undefined
        if (token !== undefined) seen.add(token)
      } while (token !== undefined)
      return out
    },

    async describeInstanceRefreshes(group, ids) {
      const r = await call(site('DescribeInstanceRefreshes'), () =>
        client.send(
          new DescribeInstanceRefreshesCommand({
            AutoScalingGroupName: group,
            InstanceRefreshIds: ids,
            MaxRecords: ids ? undefined : 10,
          }),
        ),
      )
      return (r.InstanceRefreshes ?? []).map((x) => toRefresh(x, group))
    },

    async startInstanceRefresh(request) {
      const lt = request.desiredLaunchTemplate
      const r = await call(site('StartInstanceRefresh'), () =>
        client.send(
          new StartInstanceRefreshCommand({
            AutoScalingGroupName: request.autoScalingGroupName,
            Strategy: 'Rolling',
            DesiredConfiguration: lt
              ? {
                  LaunchTemplate: {
                    LaunchTemplateId: lt.id ?? undefined,
                    LaunchTemplateName: lt.id ? undefined : (lt.name ?? undefined),
                    Version: lt.version,
                  },
                }
              : undefined,
            Preferences: {
              MinHealthyPercentage: request.minHealthyPercentage,
              MaxHealthyPercentage: request.maxHealthyPercentage,
              SkipMatching: request.skipMatching,
              CheckpointPercentages: request.checkpointPercentages,
              CheckpointDelay: request.checkpointPercentages ? request.checkpointDelaySeconds : undefined,
              // ecsdrain's own guards decide on a rollback (--on-failure), not Auto Scaling's.
              AutoRollback: false,
            },
          }),
        ),
      )
      return r.InstanceRefreshId ?? ''
    },

    async cancelInstanceRefresh(group) {
      const r = await call(site('CancelInstanceRefresh'), () =>
        client.send(new CancelInstanceRefreshCommand({AutoScalingGroupName: group})),
      )
      return r.InstanceRefreshId ?? ''
    },

    async rollbackInstanceRefresh(group) {
      const r = await call(site('RollbackInstanceRefresh'), () =>
        client.send(new RollbackInstanceRefreshCommand({AutoScalingGroupName: group})),
      )
      return r.InstanceRefreshId ?? ''
    },

    async completeLifecycleAction(ref, result) {
      await call(site('CompleteLifecycleAction'), () =>
        client.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: ref.autoScalingGroupName,
            LifecycleHookName: ref.hookName,
            InstanceId: ref.instanceId,
            LifecycleActionResult: result,
          }),
        ),
      )
    },

    async recordLifecycleActionHeartbeat(ref) {
      await call(site('RecordLifecycleActionHeartbeat'), () =>
        client.send(
          new RecordLifecycleActionHeartbeatCommand({
            AutoScalingGroupName: ref.autoScalingGroupName,
            LifecycleHookName: ref.hookName,
            InstanceId: ref.instanceId,
          }),
        ),
      )
    },
  }
}
