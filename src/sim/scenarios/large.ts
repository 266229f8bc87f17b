import type {HookMode} from '../types.js'
import {addRunningInstance, createGroup} from '../world/asg/groups.js'
import {createCluster} from '../world/ecs/instances.js'
import {createCapacityProvider, putClusterCapacityProviders} from '../world/ecs/capacity-handlers.js'
import {createService} from '../world/ecs/services.js'
import {registerTaskDefinition} from '../world/ecs/task-definitions.js'
import {launchTask} from '../world/ecs/tasks.js'
import type {ContainerInstance, Service} from '../world/model.js'
import type {State} from '../world/state.js'
import {addManualHook, settled} from './common.js'

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
export const LARGE_CAPACITY_PROVIDER = 'large-capacity-provider'

export function buildLarge(state: State, params: LargeParams): void {
  const instances = Math.max(1, params.instances ?? 1000)
  const services = Math.max(1, params.services ?? 100)
  const perInstance = Math.max(0, params.tasksPerInstance ?? 10)
  const cluster = createCluster(state, LARGE_CLUSTER)
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
  })
  if (params.hook === 'manual') addManualHook(state, group, LARGE_HOOK)
  // A capacity provider without managed features (or with all of them, under ScenarioKnobs.capacityProviders).
  const managed = state.knobs.capacityProviders ? 'ENABLED' : 'DISABLED'
  createCapacityProvider(state, {
    name: LARGE_CAPACITY_PROVIDER,
    groupName: group.name,
    managedScaling: {status: managed},
    managedTerminationProtection: managed,
    managedDraining: managed,
  })
  putClusterCapacityProviders(
    state,
    cluster,
    [LARGE_CAPACITY_PROVIDER],
    [{capacityProvider: LARGE_CAPACITY_PROVIDER, weight: 1}],
  )
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
        capacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
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
