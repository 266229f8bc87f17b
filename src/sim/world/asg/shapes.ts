import type {State} from '../state.js'
import type {Activity, AsgInstance, Group, InstanceRefresh, LifecycleHook} from './model.js'
import {refreshProgress} from './refresh-state.js'

/** Auto Scaling entities in the shapes of the API's responses (member names as in the API reference). */

export function describeActivity(g: Group, a: Activity) {
  return {
    ActivityId: a.id,
    AutoScalingGroupName: a.groupName,
    AutoScalingGroupARN: g.arn,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startTime),
    EndTime: a.endTime === undefined ? undefined : new Date(a.endTime),
    StatusCode: a.statusCode,
    Progress: a.progress,
    Details: a.details,
  }
}

export function launchTemplate(g: Group, inst?: AsgInstance) {
  return {...(inst?.launchTemplate ?? g.launchTemplate)}
}

export function describeGroup(g: Group, members = true) {
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: launchTemplate(g),
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: g.availabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    DefaultInstanceWarmup: g.defaultInstanceWarmup,
    Instances: members
      ? [...g.instances.values()].map((i) => ({
          InstanceId: i.id,
          InstanceType: i.instanceType,
          AvailabilityZone: i.availabilityZone,
          LifecycleState: i.lifecycleState,
          HealthStatus: 'Healthy',
          LaunchTemplate: launchTemplate(g, i),
          ProtectedFromScaleIn: i.protectedFromScaleIn,
        }))
      : undefined,
    CreatedTime: new Date(g.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.availabilityZones.map((_, n) => `subnet-0${String(n).repeat(16)}`).join(','),
    EnabledMetrics: [],
    Tags: g.tags,
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    InstanceMaintenancePolicy: g.instanceMaintenancePolicy
      ? {
          MinHealthyPercentage: g.instanceMaintenancePolicy.minHealthyPercentage,
          MaxHealthyPercentage: g.instanceMaintenancePolicy.maxHealthyPercentage,
        }
      : undefined,
    ServiceLinkedRoleARN: g.arn.replace(
      /:autoscaling:[^:]*:(\d+):.*/,
      ':iam::$1:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    ),
    CapacityRebalance: false,
    TrafficSources: [],
  }
}

export function describeHook(h: LifecycleHook) {
  return {
    LifecycleHookName: h.name,
    AutoScalingGroupName: h.groupName,
    LifecycleTransition: h.transition,
    NotificationTargetARN: h.notificationTargetArn,
    RoleARN: h.roleArn,
    NotificationMetadata: h.notificationMetadata,
    HeartbeatTimeout: h.heartbeatTimeout,
    GlobalTimeout: Math.min(172_800, 100 * h.heartbeatTimeout),
    DefaultResult: h.defaultResult,
  }
}

/** An InstanceRefresh as DescribeInstanceRefreshes writes it (API_InstanceRefresh in the API reference). */
export function describeRefresh(state: State, g: Group, r: InstanceRefresh) {
  const progress = refreshProgress(state, g, r)
  const p = r.preferences
  return {
    InstanceRefreshId: r.id,
    AutoScalingGroupName: r.groupName,
    Status: r.status,
    StatusReason: r.statusReason,
    StartTime: new Date(r.startTime),
    EndTime: r.endTime === undefined ? undefined : new Date(r.endTime),
    PercentageComplete: progress.percentageComplete,
    InstancesToUpdate: progress.instancesToUpdate,
    ProgressDetails: {
      LivePoolProgress: {
        PercentageComplete: progress.percentageComplete,
        InstancesToUpdate: progress.instancesToUpdate,
      },
    },
    Preferences: {
      MinHealthyPercentage: p.minHealthyPercentage,
      MaxHealthyPercentage: p.maxHealthyPercentage,
      InstanceWarmup: p.instanceWarmupSeconds,
      CheckpointPercentages: p.checkpointPercentages,
      CheckpointDelay: p.checkpointPercentages ? (p.checkpointDelaySeconds ?? 3600) : undefined,
      SkipMatching: p.skipMatching,
      AutoRollback: p.autoRollback,
      ScaleInProtectedInstances: p.scaleInProtectedInstances,
      StandbyInstances: p.standbyInstances,
      BakeTime: p.bakeTimeSeconds,
    },
    DesiredConfiguration: r.desired ? {LaunchTemplate: {...r.desired}} : undefined,
    RollbackDetails: r.rollback
      ? {
          RollbackReason: r.rollback.reason,
          RollbackStartTime: new Date(r.rollback.startTime),
          PercentageCompleteOnRollback: r.rollback.percentageCompleteOnRollback,
          InstancesToUpdateOnRollback: r.rollback.instancesToUpdateOnRollback,
          ProgressDetailsOnRollback: {
            LivePoolProgress: {
              PercentageComplete: r.rollback.percentageCompleteOnRollback,
              InstancesToUpdate: r.rollback.instancesToUpdateOnRollback,
            },
          },
        }
      : undefined,
    Strategy: 'Rolling',
  }
}
