import type {HookMode} from '../types.js'
import {addRunningInstance, createGroup} from '../world/asg/groups.js'
import {createCluster} from '../world/ecs/instances.js'
import {createService} from '../world/ecs/service-handlers.js'
import {registerTaskDefinition} from '../world/ecs/task-definitions.js'
import {launchTask} from '../world/ecs/tasks.js'
import type {ContainerInstance, Service} from '../world/model.js'
import type {State} from '../world/state.js'
import {settled} from './common.js'

/**
 * A big cluster for benchmarks and paging: `large-cluster`, `instances` m5.xlarge-sized instances (4096 CPU,
 * 15 GiB) in one group, `services` replica services sharing instances x tasksPerInstance tasks. With hook
 * 'manual' the group gets a terminating hook, as todobackend's does.
 * Tasks are laid out round-robin directly (no scheduler passes), so building stays far under a second.
 */
export const LARGE_CLUSTER = 'large-cluster'
export const LARGE_GROUP = 'large-asg'

export interface LargeParams {
  instances?: number
  services?: number
  tasksPerInstance?: number
  hook?: HookMode
}

export const LARGE_HOOK = 'large-drain-hook'

export function buildLarge(state: State, params: LargeParams): void {
  const instances = Math.max(1, params.instances ?? 1000)
  const services = Math.max(1, params.services ?? 100)
  const perInstance = Math.max(0, params.tasksPerInstance ?? 10)
  createCluster(state, LARGE_CLUSTER, ['large-capacity-provider'])
  const group = createGroup(state, {
    name: LARGE_GROUP,
    minSize: instances,
    maxSize: instances * 2,
    desiredCapacity: instances,
    instanceType: 'm5.xlarge',
    cpu: 4096,
    memory: 15_731,
    clusterName: LARGE_CLUSTER,
    availabilityZones: [`${state.region}a`, `${state.region}b`, `${state.region}c`],
    capacityProvider: {name: 'large-capacity-provider', managedDraining: false},
  })
  if (params.hook === 'manual')
    group.hooks.set(LARGE_HOOK, {
      name: LARGE_HOOK,
      groupName: group.name,
      transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeout: 300,
      defaultResult: 'CONTINUE',
    })
  const cis: ContainerInstance[] = []
  for (let i = 0; i < instances; i++) {
    addRunningInstance(state, group)
  }
  cis.push(...state.clusters.get(LARGE_CLUSTER)!.instances.values())
  const totalTasks = instances * perInstance
  const svcs: Service[] = []
  for (let s = 0; s < services; s++) {
    const name = `svc-${String(s).padStart(3, '0')}`
    const td = registerTaskDefinition(state, {
      family: name,
      containerDefinitions: [
        {
          name: 'app',
          image: `example/${name}:1`,
          cpu: 128,
          memory: 256,
          portMappings: [{containerPort: 8080, hostPort: 0}],
        },
      ],
    })
    const desired = Math.floor(totalTasks / services) + (s < totalTasks % services ? 1 : 0)
    // Half the services replace before stopping (100/200), half may stop first (50/200).
    svcs.push(
      createService(state, LARGE_CLUSTER, {
        name,
        taskDef: td,
        desiredCount: desired,
        minimumHealthyPercent: s % 2 === 0 ? 100 : 50,
        maximumPercent: 200,
      }),
    )
  }
  // Task k of the whole cluster runs on instance k mod N: every instance gets tasksPerInstance tasks.
  let k = 0
  for (const svc of svcs) {
    const deploymentId = svc.deployments[0]!.id
    for (let j = 0; j < svc.desiredCount; j++, k++)
      launchTask(state, cis[k % cis.length]!, svc.taskDef, {service: svc, deploymentId, alreadyRunning: true})
    settled(state, svc)
  }
}
