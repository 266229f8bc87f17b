/**
 * What `refresh` and `report` both start from: the cluster's container instances and services, and the
 * Auto Scaling groups those instances are in (DescribeAutoScalingInstances, 50 ids a call).
 */
import type {AutoScalingPort, EcsPort} from './ports.js'
import type {ContainerInstance, ServiceInfo} from './types.js'

export interface ClusterMembers {
  instances: ContainerInstance[]
  services: ServiceInfo[]
  /** The names of the groups that hold at least one of the instances, sorted. */
  groups: string[]
}

export async function readClusterMembers(
  ports: {ecs: EcsPort; autoScaling: AutoScalingPort},
  cluster: string,
): Promise<ClusterMembers> {
  const [instances, services] = await Promise.all([
    ports.ecs.listContainerInstances(cluster),
    ports.ecs.listServices(cluster),
  ])
  const membership = await ports.autoScaling.describeAutoScalingInstances(
    instances.map((i) => i.ec2InstanceId),
  )
  const groups = [...new Set(membership.map((m) => m.autoScalingGroupName))].sort()
  return {instances, services, groups}
}
