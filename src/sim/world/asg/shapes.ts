import type {Activity, AsgInstance, Group, LifecycleHook} from './model.js'

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
  return {...g.launchTemplate, Version: inst?.launchTemplateVersion ?? g.launchTemplate.Version}
}

export function describeGroup(g: Group) {
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: launchTemplate(g),
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: g.availabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 300,
    Instances: [...g.instances.values()].map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.availabilityZone,
      LifecycleState: i.lifecycleState,
      HealthStatus: 'Healthy',
      LaunchTemplate: launchTemplate(g, i),
      ProtectedFromScaleIn: i.protectedFromScaleIn,
    })),
    CreatedTime: new Date(g.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.availabilityZones.map((_, n) => `subnet-0${String(n).repeat(16)}`).join(','),
    EnabledMetrics: [],
    Tags: g.tags,
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
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
