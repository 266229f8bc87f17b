import type {HookMode} from '../types.js'
import {addRunningInstance, createGroup} from '../world/asg/groups.js'
import {createCluster} from '../world/ecs/instances.js'
import {createService} from '../world/ecs/service-handlers.js'
import {registerTaskDefinition} from '../world/ecs/task-definitions.js'
import {launchTask} from '../world/ecs/tasks.js'
import type {State} from '../world/state.js'
import {settled} from './common.js'

/**
 * The seed's stack: `todobackend-cluster` with one t2.micro-sized instance (1024 CPU, 993 MiB) in a group of
 * min 1 / desired 1 / max 2, running service `todobackend` (desired 1, min 100 %, max 200 %) behind a load
 * balancer, its task reserving about half the instance's memory.
 */
export const TODOBACKEND_CLUSTER = 'todobackend-cluster'
export const TODOBACKEND_GROUP = 'todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P'
export const TODOBACKEND_HOOK = 'todobackend-drain-hook'

export function buildTodobackend(state: State, hook: HookMode): void {
  createCluster(state, TODOBACKEND_CLUSTER)
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
  if (hook === 'manual') {
    group.hooks.set(TODOBACKEND_HOOK, {
      name: TODOBACKEND_HOOK,
      groupName: group.name,
      transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeout: 300,
      defaultResult: 'CONTINUE',
    })
  }
  // hook 'lambda': the hook stack (SNS + Lambda) is installed by its own module; until then the group
  // behaves as with 'none', which is what a stack without the hook looks like.
  addRunningInstance(state, group)
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
    loadBalancers: [
      {
        targetGroupArn: state.arn('elasticloadbalancing', 'targetgroup/todobackend-tg/6d0ecf831eec9f09'),
        containerName: 'todobackend',
        containerPort: 8000,
      },
    ],
  })
  const ci = [...state.clusters.get(TODOBACKEND_CLUSTER)!.instances.values()][0]!
  launchTask(state, ci, td, {service: svc, deploymentId: svc.deployments[0]!.id, alreadyRunning: true})
  settled(state, svc)
}
