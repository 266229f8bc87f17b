import type {Service} from '../world/model.js'
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
  for (const d of svc.deployments) d.createdAt = d.updatedAt = started
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
