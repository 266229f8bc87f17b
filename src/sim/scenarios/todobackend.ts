import type {HookMode} from '../types.js'
import {addRunningInstance, createGroup} from '../world/asg/groups.js'
import {createCluster} from '../world/ecs/instances.js'
import {createService} from '../world/ecs/services.js'
import {registerTaskDefinition} from '../world/ecs/task-definitions.js'
import {createTargetGroup} from '../world/elb/target-groups.js'
import type {State} from '../world/state.js'
import {addCapacityProvider, addManualHook, placeRunning, settled} from './common.js'

/**
 * The seed's stack: `todobackend-cluster` with one t2.micro-sized instance (1024 CPU, 993 MiB) in a group of
 * min 1 / desired 1 / max 2, running service `todobackend` (desired 1, min 100 %, max 200 %) behind an
 * Application Load Balancer's target group (`todobackend-tg`, AWS's default 300 s deregistration delay), its
 * task reserving about half the instance's memory.
 */
export const TODOBACKEND_CLUSTER = 'todobackend-cluster'
export const TODOBACKEND_GROUP = 'todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P'
export const TODOBACKEND_HOOK = 'todobackend-drain-hook'
export const TODOBACKEND_TARGET_GROUP = 'todobackend-tg'
export const TODOBACKEND_CAPACITY_PROVIDER = 'todobackend-capacity-provider'

export function buildTodobackend(state: State, hook: HookMode): void {
  const cluster = createCluster(state, TODOBACKEND_CLUSTER)
  const group = createGroup(state, {
    name: TODOBACKEND_GROUP,
    minSize: 1,
    maxSize: 2,
    desiredCapacity: 1,
    instanceType: 't2.micro',
    cpu: 1024,
    memory: 993,
    clusterName: TODOBACKEND_CLUSTER,
  })
  if (hook === 'manual') addManualHook(state, group, TODOBACKEND_HOOK)
  // hook 'lambda': the hook stack (SNS + Lambda) is installed by its own module; until then the group
  // behaves as with 'none', which is what a stack without the hook looks like.
  addCapacityProvider(state, cluster, group, TODOBACKEND_CAPACITY_PROVIDER)
  addRunningInstance(state, group)
  const tg = createTargetGroup(state, {
    name: TODOBACKEND_TARGET_GROUP,
    port: 80,
    healthCheckPath: '/todos',
    loadBalancerName: 'todobackend-alb',
  })
  const td = registerTaskDefinition(state, {
    family: 'todobackend',
    containerDefinitions: [
      {
        name: 'todobackend',
        image: 'dockerinaws/todobackend:latest',
        cpu: 245,
        memory: 480,
        portMappings: [{containerPort: 8000, hostPort: 0, protocol: 'tcp'}],
      },
    ],
  })
  const svc = createService(state, TODOBACKEND_CLUSTER, {
    name: 'todobackend',
    taskDef: td,
    desiredCount: 1,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    loadBalancers: [{targetGroupArn: tg.arn, containerName: 'todobackend', containerPort: 8000}],
    capacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
  })
  placeRunning(state, svc, 1)
  settled(state, svc)
}
