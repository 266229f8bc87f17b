/** A service's placement constraints and strategies in ECS's own terms, for messages. */
import type {ServiceInfo} from '../types.js'

export function describePlacement(
  service: Pick<ServiceInfo, 'placementConstraints' | 'placementStrategy'>,
): string {
  const constraints = (service.placementConstraints ?? []).map((c) =>
    c.type === 'memberOf' && c.expression ? `memberOf(${c.expression})` : c.type,
  )
  const strategies = (service.placementStrategy ?? []).map((s) =>
    s.field ? `${s.type}(${s.field})` : s.type,
  )
  return [...constraints, ...strategies].join(', ')
}
