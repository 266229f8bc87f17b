import type {ECSClient} from '@aws-sdk/client-ecs'

import type {EcsPort, StateChangeFailure} from '../core/ports.js'
import type {ContainerInstance, TaskInfo} from '../core/types.js'
import {AwsApiError} from '../core/errors.js'
import {createLimiter, defer, mapBounded} from '../core/concurrency.js'
import {DESCRIBE_CONCURRENCY, call, chunk, collectPages} from './batch.js'
import {sdk} from './sdk.js'
import {toClusterInfo, toContainerInstance, toServiceInfo, toTaskInfo} from './ecs-mappers.js'

/** ECS API limits: list pages and describe batches of 100, DescribeServices 10. */
export const ECS_PAGE = 100
export const ECS_DESCRIBE_BATCH = 100
export const ECS_SERVICES_BATCH = 10

/** Every page of ListTasks for the tasks of one container instance or of one service. */
export function listTaskArns(
  client: ECSClient,
  endpoint: string | undefined,
  filter: {cluster: string; desiredStatus: 'RUNNING' | 'STOPPED'} & (
    {containerInstance: string} | {serviceName: string}
  ),
): Promise<string[]> {
  const {ListTasksCommand} = sdk.ecs()
  return collectPages(
    {operation: 'ECS.ListTasks', endpoint},
    (nextToken) => client.send(new ListTasksCommand({...filter, maxResults: ECS_PAGE, nextToken})),
    (p) => ({items: p.taskArns, nextToken: p.nextToken}),
  )
}

export function createEcsPort(client: ECSClient, endpoint?: string): EcsPort {
  const {
    DescribeClustersCommand,
    DescribeContainerInstancesCommand,
    DescribeServicesCommand,
    DescribeTasksCommand,
    ListClustersCommand,
    ListContainerInstancesCommand,
    ListServicesCommand,
    StopTaskCommand,
    UpdateContainerInstancesStateCommand,
  } = sdk.ecs()
  const site = (op: string) => ({operation: `ECS.${op}`, endpoint})

  const describeInstances = async (cluster: string, arns: string[]): Promise<ContainerInstance[]> => {
    const batches = await mapBounded(chunk(arns, ECS_DESCRIBE_BATCH), DESCRIBE_CONCURRENCY, (batch) =>
      call(site('DescribeContainerInstances'), () =>
        client.send(new DescribeContainerInstancesCommand({cluster, containerInstances: batch})),
      ),
    )
    return batches.flatMap((r) => (r.containerInstances ?? []).map((ci) => toContainerInstance(cluster, ci)))
  }

  const listInstanceArns = (cluster: string, filter?: string, onPage?: (arns: string[]) => void) =>
    collectPages(
      site('ListContainerInstances'),
      (nextToken) =>
        client.send(new ListContainerInstancesCommand({cluster, filter, maxResults: ECS_PAGE, nextToken})),
      (p) => ({items: p.containerInstanceArns, nextToken: p.nextToken}),
      onPage,
    )

  const describeTasks = async (cluster: string, arns: string[]): Promise<TaskInfo[]> => {
    const batches = await mapBounded(chunk(arns, ECS_DESCRIBE_BATCH), DESCRIBE_CONCURRENCY, (batch) =>
      call(site('DescribeTasks'), () => client.send(new DescribeTasksCommand({cluster, tasks: batch}))),
    )
    // A task ListTasks just named but DescribeTasks calls MISSING is one we cannot see, not one that has
    // stopped: counting it as gone could end a drain while it still runs. Fail this poll as transient; the
    // next ListTasks settles it (an expunged STOPPED task is no longer listed).
    const missing = batches.flatMap((r) => r.failures ?? []).filter((f) => f.reason === 'MISSING')
    if (missing.length > 0) {
      throw new AwsApiError(
        `DescribeTasks could not find ${missing.length} listed task(s): ${missing[0]!.arn}`,
        {
          awsCode: 'TaskMissing',
          operation: 'DescribeTasks',
          transient: true,
        },
      )
    }
    return batches.flatMap((r) => (r.tasks ?? []).map(toTaskInfo))
  }

  const describeServices = async (cluster: string, names: string[]) => {
    const batches = await mapBounded(chunk(names, ECS_SERVICES_BATCH), DESCRIBE_CONCURRENCY, (batch) =>
      call(site('DescribeServices'), () =>
        client.send(new DescribeServicesCommand({cluster, services: batch})),
      ),
    )
    return batches.flatMap((r) => (r.services ?? []).map(toServiceInfo))
  }

  return {
    listClusterArns: () =>
      collectPages(
        site('ListClusters'),
        (nextToken) => client.send(new ListClustersCommand({maxResults: ECS_PAGE, nextToken})),
        (p) => ({items: p.clusterArns, nextToken: p.nextToken}),
      ),

    async describeClusters(namesOrArns) {
      const batches = await mapBounded(
        chunk(namesOrArns, ECS_DESCRIBE_BATCH),
        DESCRIBE_CONCURRENCY,
        (batch) =>
          call(site('DescribeClusters'), () => client.send(new DescribeClustersCommand({clusters: batch}))),
      )
      // Unknown names come back under `failures` (reason MISSING), so they are simply absent here.
      return batches.flatMap((r) => (r.clusters ?? []).map(toClusterInfo))
    },

    async listContainerInstances(cluster, onBatch) {
      // Each page is described while the next one is listed: the two chains overlap instead of adding up.
      const limit = createLimiter(DESCRIBE_CONCURRENCY)
      const described: Promise<ContainerInstance[]>[] = []
      await listInstanceArns(cluster, undefined, (arns) => {
        for (const batch of chunk(arns, ECS_DESCRIBE_BATCH)) {
          described.push(
            defer(
              limit(async () => {
                const r = await call(site('DescribeContainerInstances'), () =>
                  client.send(new DescribeContainerInstancesCommand({cluster, containerInstances: batch})),
                )
                const instances = (r.containerInstances ?? []).map((ci) => toContainerInstance(cluster, ci))
                onBatch?.(instances)
                return instances
              }),
            ),
          )
        }
      })
      return (await Promise.all(described)).flat()
    },

    async findContainerInstance(cluster, ec2InstanceId) {
      const arns = await listInstanceArns(cluster, `ec2InstanceId == ${ec2InstanceId}`)
      if (arns.length === 0) return undefined
      // Check the id that comes back: an emulator that ignores the filter (moto does) returns every instance.
      return (await describeInstances(cluster, arns)).find((ci) => ci.ec2InstanceId === ec2InstanceId)
    },

    describeContainerInstances: (cluster, arns) =>
      arns.length === 0 ? Promise.resolve([]) : describeInstances(cluster, arns),

    async updateContainerInstancesState(cluster, arns, status) {
      const results = await mapBounded(chunk(arns, 10), 1, (batch) =>
        call(site('UpdateContainerInstancesState'), () =>
          client.send(new UpdateContainerInstancesStateCommand({cluster, containerInstances: batch, status})),
        ),
      )
      return {
        instances: results.flatMap((r) =>
          (r.containerInstances ?? []).map((ci) => toContainerInstance(cluster, ci)),
        ),
        // The call succeeds even when some instances failed (e.g. MISSING): callers must look at these.
        failures: results.flatMap((r) =>
          (r.failures ?? []).map((f): StateChangeFailure => ({
            arn: f.arn ?? null,
            reason: f.reason ?? 'UNKNOWN',
            detail: f.detail ?? null,
          })),
        ),
      }
    },

    listTaskArnsOnInstance: (cluster, containerInstanceArn, desiredStatus) =>
      listTaskArns(client, endpoint, {cluster, containerInstance: containerInstanceArn, desiredStatus}),

    describeTasks: (cluster, arns) =>
      arns.length === 0 ? Promise.resolve([]) : describeTasks(cluster, arns),

    async listServices(cluster) {
      const arns = await collectPages(
        site('ListServices'),
        (nextToken) => client.send(new ListServicesCommand({cluster, maxResults: ECS_PAGE, nextToken})),
        (p) => ({items: p.serviceArns, nextToken: p.nextToken}),
      )
      return arns.length === 0 ? [] : describeServices(cluster, arns)
    },

    describeServices: (cluster, names) =>
      names.length === 0 ? Promise.resolve([]) : describeServices(cluster, names),

    async stopTask(cluster, taskArn, reason) {
      await call(site('StopTask'), () => client.send(new StopTaskCommand({cluster, task: taskArn, reason})))
    },
  }
}
