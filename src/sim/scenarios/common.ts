import type {Group} from '../world/asg/model.js'
import {createCapacityProvider, putClusterCapacityProviders} from '../world/ecs/capacity-handlers.js'
import {place} from '../world/ecs/placement.js'
import {placementFor} from '../world/ecs/scheduler.js'
import {launchTask} from '../world/ecs/tasks.js'
import type {Cluster, Service} from '../world/model.js'
import type {State} from '../world/state.js'

/** Minutes of steady-state metric history every scenario starts with, so a chart is full at once. */
export const HISTORY_MINUTES = 30

/** Records the clusters' current reservation as the value held for the last 30 minutes. */
export function seedHistory(state: State): void {
  const now = state.now()
  for (const cluster of state.clusters.values()) {
    const pct = (reserved: number, registered: number) => (registered > 0 ? (reserved / registered) * 100 : 0)
    const dims = [{Name: 'ClusterName', Value: cluster.name}]
    const mem = pct(cluster.reservedMemory, cluster.registeredMemory)
    const cpu = pct(cluster.reservedCpu, cluster.registeredCpu)
    for (const t of [now - HISTORY_MINUTES * 60_000, now]) {
      state.metrics.record('AWS/ECS', 'MemoryReservation', dims, mem, t, {carry: true, unit: 'Percent'})
      state.metrics.record('AWS/ECS', 'CPUReservation', dims, cpu, t, {carry: true, unit: 'Percent'})
    }
  }
}

/** A service built already running: its history shows it started and settled before the sim began. */
export function settled(state: State, svc: Service): void {
  const started = state.now() - HISTORY_MINUTES * 60_000
  svc.createdAt = started
  for (const d of svc.deployments) {
    d.createdAt = d.updatedAt = started
    d.rolloutState = 'COMPLETED'
    d.rolloutStateReason = `ECS deployment ${d.id} completed.`
  }
  const ids = [...svc.tasks].map((t) => `(task ${t.id})`)
  svc.events.unshift({
    id: state.ids.uuid(),
    createdAt: started,
    message: `(service ${svc.name}) has started ${ids.length} tasks: ${ids.slice(0, 10).join(' ')}.`,
  })
  svc.events.unshift({
    id: state.ids.uuid(),
    createdAt: started + 60_000,
    message: `(service ${svc.name}) has reached a steady state.`,
  })
  svc.steady = true
}

/**
 * HeartbeatTimeout of a scenario's own terminating hook (`--hook manual`): 900 s, the seed's stack
 * (`HeartbeatTimeout: 900`). AWS's default for a new hook is 3600 s (PutLifecycleHook).
 */
export const SCENARIO_HOOK_HEARTBEAT_TIMEOUT = 900

/** The scenario's terminating hook for `--hook manual`, as the seed's stack has it (DefaultResult CONTINUE). */
export function addManualHook(state: State, group: Group, name: string): void {
  group.hooks.set(name, {
    name,
    groupName: group.name,
    transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    heartbeatTimeout: state.knobs.hookHeartbeatTimeoutSeconds ?? SCENARIO_HOOK_HEARTBEAT_TIMEOUT,
    defaultResult: 'CONTINUE',
  })
}

/**
 * With ScenarioKnobs.capacityProviders: the group behind an ECS capacity provider with managed scaling,
 * managed termination protection and managed draining, associated with the cluster as its default strategy.
 * Call before the group's instances register, so that they register with the capacity provider's name.
 */
export function addCapacityProvider(state: State, cluster: Cluster, group: Group, name: string): void {
  if (!state.knobs.capacityProviders) return
  createCapacityProvider(state, {
    name,
    groupName: group.name,
    managedScaling: {status: 'ENABLED', targetCapacity: 100},
    managedTerminationProtection: 'ENABLED',
    managedDraining: 'ENABLED',
  })
  const names = [...cluster.capacityProviders, name]
  putClusterCapacityProviders(
    state,
    cluster,
    names,
    names.map((capacityProvider) => ({capacityProvider, weight: 1, base: 0})),
  )
}

/** Launches a scenario task where ECS would place it, already RUNNING (and healthy) before the sim starts. */
export function placeRunning(state: State, svc: Service, count: number): void {
  const request = placementFor(state, svc)
  for (let i = 0; i < count; i++) {
    const p = place(state, svc.cluster, request)
    if (!('instance' in p)) throw new Error(`scenario: cannot place ${svc.name}: ${p.reason}`)
    launchTask(state, p.instance, svc.taskDef, {
      service: svc,
      deploymentId: svc.deployments[0]!.id,
      alreadyRunning: true,
    })
  }
}
