/**
 * An in-memory EcsPort for core tests: clusters of container instances, and a log of the calls made, so
 * tests can check that lookups stay filtered (no full listings) and that bad input makes no call at all.
 */
import type {EcsPort} from '../../src/core/ports.js'
import type {ClusterInfo, ContainerInstance} from '../../src/core/types.js'
import {containerInstance} from './core-shapes.js'

export function fakeInstance(
  cluster: string,
  ec2InstanceId: string,
  over: Partial<ContainerInstance> = {},
): ContainerInstance {
  return containerInstance(
    {
      cluster,
      containerInstanceArn: `arn:aws:ecs:us-east-1:123456789012:container-instance/${cluster}/${ec2InstanceId.slice(2)}`,
      ec2InstanceId,
    },
    over,
  )
}

export class FakeEcs implements EcsPort {
  readonly calls: string[] = []

  constructor(
    readonly clusters: Record<string, ContainerInstance[]>,
    readonly inactive: string[] = [],
  ) {}

  private arnOf(name: string) {
    return `arn:aws:ecs:us-east-1:123456789012:cluster/${name}`
  }

  async listClusterArns() {
    this.calls.push('ListClusters')
    return Object.keys(this.clusters).map((n) => this.arnOf(n))
  }

  async describeClusters(names: string[]): Promise<ClusterInfo[]> {
    this.calls.push(`DescribeClusters ${names.join(',')}`)
    return names
      .map((n) => n.split('/').pop()!)
      .filter((n) => n in this.clusters || this.inactive.includes(n))
      .map((n) => ({
        clusterName: n,
        clusterArn: this.arnOf(n),
        status: this.inactive.includes(n) ? 'INACTIVE' : 'ACTIVE',
        registeredContainerInstancesCount: this.clusters[n]?.length ?? 0,
        runningTasksCount: 0,
        pendingTasksCount: 0,
        activeServicesCount: 0,
      }))
  }

  /** Reports no batches: callers must cope with a port that only returns the whole list. */
  async listContainerInstances(cluster: string, _onBatch?: (batch: ContainerInstance[]) => void) {
    this.calls.push(`ListContainerInstances ${cluster}`)
    return this.clusters[cluster] ?? []
  }

  async findContainerInstance(cluster: string, id: string) {
    this.calls.push(`Find ${cluster} ${id}`)
    return (this.clusters[cluster] ?? []).find((c) => c.ec2InstanceId === id)
  }

  async describeContainerInstances(cluster: string, arns: string[]) {
    return (this.clusters[cluster] ?? []).filter((c) => arns.includes(c.containerInstanceArn))
  }

  async updateContainerInstancesState(): Promise<never> {
    throw new Error('not used')
  }

  /** This fake holds no tasks: nothing is listed, and a describe finds nothing it was asked for. */
  async listTaskArnsOnInstance() {
    return []
  }

  async describeTasks() {
    return []
  }

  async listServices() {
    return []
  }

  async describeServices() {
    return []
  }

  async stopTask() {}
}
