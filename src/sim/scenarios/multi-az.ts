import type {HookMode} from '../types.js'
import {addRunningInstance, createGroup} from '../world/asg/groups.js'
import {createCluster} from '../world/ecs/instances.js'
import {createService} from '../world/ecs/services.js'
import {registerTaskDefinition} from '../world/ecs/task-definitions.js'
import {createTargetGroup} from '../world/elb/target-groups.js'
import type {State} from '../world/state.js'
import {addCapacityProvider, addManualHook, placeRunning, settled} from './common.js'

/**
 * Several AZs, instance types and placement rules: `multi-az-cluster` with
 * - group `multi-az-asg`: 3 m5.large-sized instances (2048 CPU, 7680 MiB) over two AZs (a, b, a);
 * - group `multi-az-compute-asg`: 1 c5.xlarge-sized instance (4096 CPU, 7680 MiB) in AZ a;
 * and the services
 * - `web` (desired 3, min 100 % / max 200 %) behind target group `web-tg`, distinctInstance, spread over AZs
 *   then instances;
 * - `worker` (desired 2, min 50 %), binpack on memory, reserving its soft limit (memoryReservation 512 of 1024);
 * - `reports` (desired 1), memberOf `attribute:ecs.instance-type =~ c5.*`: it can run only on the c5 instance,
 *   so a drain of that instance cannot move it.
 */
export const MULTI_AZ_CLUSTER = 'multi-az-cluster'
export const MULTI_AZ_GROUP = 'multi-az-asg'
export const MULTI_AZ_COMPUTE_GROUP = 'multi-az-compute-asg'
export const MULTI_AZ_HOOK = 'multi-az-drain-hook'

export function buildMultiAz(state: State, hook: HookMode): void {
  const cluster = createCluster(state, MULTI_AZ_CLUSTER)
  const general = createGroup(state, {
    name: MULTI_AZ_GROUP,
    minSize: 3,
    maxSize: 6,
    desiredCapacity: 3,
    instanceType: 'm5.large',
    cpu: 2048,
    memory: 7680,
    clusterName: MULTI_AZ_CLUSTER,
    availabilityZones: [`${state.region}a`, `${state.region}b`],
  })
  const compute = createGroup(state, {
    name: MULTI_AZ_COMPUTE_GROUP,
    minSize: 1,
    maxSize: 2,
    desiredCapacity: 1,
    instanceType: 'c5.xlarge',
    cpu: 4096,
    memory: 7680,
    clusterName: MULTI_AZ_CLUSTER,
    availabilityZones: [`${state.region}a`],
  })
  for (const g of [general, compute]) {
    if (hook === 'manual') addManualHook(state, g, g === general ? MULTI_AZ_HOOK : `${MULTI_AZ_HOOK}-compute`)
    addCapacityProvider(state, cluster, g, `${g.name}-capacity-provider`)
    for (let i = 0; i < g.desiredCapacity; i++) addRunningInstance(state, g)
  }
  const tg = createTargetGroup(state, {
    name: 'web-tg',
    port: 80,
    healthCheckPath: '/health',
    loadBalancerName: 'multi-az-alb',
  })
  const td = (family: string, cpu: number, memory: number, extra: Record<string, unknown> = {}) =>
    registerTaskDefinition(state, {
      family,
      containerDefinitions: [{name: family, image: `example/${family}:1`, cpu, memory, ...extra}],
    })
  const strategy = cluster.defaultCapacityProviderStrategy
  const web = createService(state, MULTI_AZ_CLUSTER, {
    name: 'web',
    taskDef: td('web', 256, 512, {portMappings: [{containerPort: 8080, hostPort: 0}]}),
    desiredCount: 3,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    loadBalancers: [{targetGroupArn: tg.arn, containerName: 'web', containerPort: 8080}],
    placementConstraints: [{type: 'distinctInstance'}],
    placementStrategy: [
      {type: 'spread', field: 'attribute:ecs.availability-zone'},
      {type: 'spread', field: 'instanceId'},
    ],
    capacityProviderStrategy: strategy,
  })
  const worker = createService(state, MULTI_AZ_CLUSTER, {
    name: 'worker',
    taskDef: td('worker', 512, 1024, {memoryReservation: 512}),
    desiredCount: 2,
    minimumHealthyPercent: 50,
    maximumPercent: 200,
    placementStrategy: [{type: 'binpack', field: 'memory'}],
    capacityProviderStrategy: strategy,
  })
  const reports = createService(state, MULTI_AZ_CLUSTER, {
    name: 'reports',
    taskDef: td('reports', 1024, 2048),
    desiredCount: 1,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ c5.*'}],
    capacityProviderStrategy: strategy,
  })
  // web first, so that distinctInstance puts one on each m5 before the others fill in.
  for (const [svc, n] of [
    [web, 3],
    [worker, 2],
    [reports, 1],
  ] as const) {
    placeRunning(state, svc, n)
    settled(state, svc)
  }
}
