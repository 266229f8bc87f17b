/**
 * The ECS reads the explainer and preflight make beyond the drain's own (EcsDetailsPort): a task
 * definition's stop timeouts, task scale-in protection, capacity providers, and where a service's tasks run.
 */
import type {ECSClient} from '@aws-sdk/client-ecs'

import type {CapacityProviderInfo, EcsDetailsPort, ServiceTasksPort, TaskProtection} from '../core/ports.js'
import type {TaskInfo} from '../core/types.js'
import {mapBounded} from '../core/concurrency.js'
import {DESCRIBE_CONCURRENCY, call, chunk} from './batch.js'
import {toTaskInfo} from './ecs-mappers.js'
import {sdk} from './sdk.js'
import {ECS_DESCRIBE_BATCH, listTaskArns} from './ecs-adapter.js'

/** GetTaskProtection takes "a list of up to 10 task IDs or full ARN entries" (UpdateTaskProtection API reference). */
export const TASK_PROTECTION_BATCH = 10
/** DescribeCapacityProviders: "up to 100 capacity providers" a call. */
export const CAPACITY_PROVIDERS_BATCH = 100

export function createEcsDetailsPort(
  client: ECSClient,
  endpoint?: string,
): EcsDetailsPort & ServiceTasksPort {
  const {
    DescribeCapacityProvidersCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    GetTaskProtectionCommand,
  } = sdk.ecs()
  const site = (op: string) => ({operation: `ECS.${op}`, endpoint})

  const serviceTaskArns = (cluster: string, serviceName: string, desiredStatus: 'RUNNING' | 'STOPPED') =>
    listTaskArns(client, endpoint, {cluster, serviceName, desiredStatus})
  const describeTasks = async (cluster: string, arns: string[]): Promise<TaskInfo[]> => {
    const batches = await mapBounded(chunk(arns, ECS_DESCRIBE_BATCH), DESCRIBE_CONCURRENCY, (tasks) =>
      call(site('DescribeTasks'), () => client.send(new DescribeTasksCommand({cluster, tasks}))),
    )
    return batches.flatMap((r) => (r.tasks ?? []).map(toTaskInfo))
  }
  const serviceTasks = async (cluster: string, serviceName: string) =>
    describeTasks(cluster, await serviceTaskArns(cluster, serviceName, 'RUNNING'))

  return {
    async describeTaskDefinition(taskDefinitionArn) {
      const r = await call(site('DescribeTaskDefinition'), () =>
        client.send(new DescribeTaskDefinitionCommand({taskDefinition: taskDefinitionArn})),
      )
      const td = r.taskDefinition
      return {
        taskDefinitionArn: td?.taskDefinitionArn ?? taskDefinitionArn,
        containers: (td?.containerDefinitions ?? []).map((c) => ({
          name: c.name ?? '',
          stopTimeout: c.stopTimeout ?? null,
        })),
      }
    },

    async getTaskProtection(cluster, taskArns) {
      const batches = await mapBounded(
        chunk(taskArns, TASK_PROTECTION_BATCH),
        DESCRIBE_CONCURRENCY,
        (tasks) =>
          call(site('GetTaskProtection'), () => client.send(new GetTaskProtectionCommand({cluster, tasks}))),
      )
      // Tasks ECS cannot report (failures: MISSING, TASK_NOT_VALID for standalone tasks) are simply absent.
      return batches.flatMap((r) =>
        (r.protectedTasks ?? []).map((p): TaskProtection => ({
          taskArn: p.taskArn ?? '',
          protectionEnabled: p.protectionEnabled ?? false,
          expirationDate: p.expirationDate ?? null,
        })),
      )
    },

    async describeCapacityProviders(names) {
      if (names.length === 0) return []
      const batches = await mapBounded(chunk(names, CAPACITY_PROVIDERS_BATCH), 1, (capacityProviders) =>
        call(site('DescribeCapacityProviders'), () =>
          client.send(new DescribeCapacityProvidersCommand({capacityProviders})),
        ),
      )
      return batches.flatMap((r) =>
        (r.capacityProviders ?? []).map((p): CapacityProviderInfo => ({
          name: p.name ?? '',
          autoScalingGroupArn: p.autoScalingGroupProvider?.autoScalingGroupArn ?? null,
          // ECS's default for a new capacity provider is ENABLED, but the API reports it: trust the answer.
          managedDraining: p.autoScalingGroupProvider?.managedDraining === 'ENABLED',
          managedTerminationProtection:
            p.autoScalingGroupProvider?.managedTerminationProtection === 'ENABLED',
        })),
      )
    },

    describeRetainedTasks: (cluster, refs) => describeTasks(cluster, refs),

    listServiceTaskArns: (cluster, serviceName, desiredStatus) =>
      serviceTaskArns(cluster, serviceName, desiredStatus),

    async serviceTasks(cluster, serviceName) {
      return serviceTasks(cluster, serviceName)
    },

    async serviceTaskInstances(cluster, serviceName) {
      const tasks = await serviceTasks(cluster, serviceName)
      return [...new Set(tasks.map((t) => t.containerInstanceArn ?? '').filter(Boolean))]
    },
  }
}
