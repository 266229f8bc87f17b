import type {Cluster} from '../model.js'

/** A cluster in DescribeClusters' shape. */
export function describeCluster(c: Cluster): Record<string, unknown> {
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
    defaultCapacityProviderStrategy: c.defaultCapacityProviderStrategy,
  }
}
