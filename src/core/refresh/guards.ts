/**
 * The refresh's guards over the cluster's services, at each poll. Pure.
 * - Below minimum: a REPLICA service running fewer than ceil(desired x minimumHealthyPercent / 100) tasks
 *   (what ECS itself keeps during a replacement), on two polls in a row, so that one poll caught between a
 *   task stopping and its replacement starting is not an outage.
 * - A deployment that the circuit breaker FAILED since the refresh began: replacements it would need never
 *   come ("How the Amazon ECS deployment circuit breaker detects failures",
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
 */
import type {ServiceInfo} from '../types.js'
import type {GuardTrip} from './types.js'

const POLLS_BELOW = 2

export function minimumOf(s: ServiceInfo): number {
  return Math.ceil((s.desiredCount * s.minimumHealthyPercent) / 100)
}

export function guardServices(
  services: readonly ServiceInfo[],
  baseline: readonly ServiceInfo[],
  below: Map<string, number>,
): Omit<GuardTrip, 'action' | 'actionResult'> | null {
  const failedBefore = new Set(
    baseline
      .filter((s) => (s.deployments ?? []).some((d) => d.status === 'PRIMARY' && d.rolloutState === 'FAILED'))
      .map((s) => s.serviceName),
  )
  for (const s of services) {
    if (s.schedulingStrategy === 'DAEMON' || s.desiredCount <= 0) continue
    const primary = (s.deployments ?? []).find((d) => d.status === 'PRIMARY')
    if (primary?.rolloutState === 'FAILED' && !failedBefore.has(s.serviceName))
      return {
        kind: 'deployment-failed',
        detail: `service ${s.serviceName}'s deployment ${primary.id} FAILED${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''}: its replacements never come`,
      }
    const minimum = minimumOf(s)
    if (s.runningCount < minimum) {
      const n = (below.get(s.serviceName) ?? 0) + 1
      below.set(s.serviceName, n)
      if (n >= POLLS_BELOW)
        return {
          kind: 'below-minimum',
          detail: `service ${s.serviceName} runs ${s.runningCount} of ${s.desiredCount} (its minimum is ${minimum}: minimumHealthyPercent ${s.minimumHealthyPercent})`,
        }
    } else below.delete(s.serviceName)
  }
  return null
}
