import {SimError} from '../../types.js'
import type {State} from '../state.js'
import type {Target, TargetGroup, TargetState} from './model.js'

/**
 * ELBv2 target groups and their targets: registration, health checks and deregistration with the group's
 * deregistration delay. ECS (src/sim/world/ecs) registers and deregisters its tasks' targets here; the ELBv2
 * operations (./handlers.ts) read and tune the same objects.
 */

export type {Target, TargetGroup, TargetState} from './model.js'

/**
 * Defaults from "TargetGroupAttribute - Elastic Load Balancing"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html):
 * "deregistration_delay.timeout_seconds ... The range is 0-3600 seconds. The default value is 300 seconds."
 */
export const DEFAULT_ATTRIBUTES: ReadonlyArray<[string, string]> = [
  ['deregistration_delay.timeout_seconds', '300'],
  ['stickiness.enabled', 'false'],
  ['stickiness.type', 'lb_cookie'],
  ['stickiness.lb_cookie.duration_seconds', '86400'],
  ['load_balancing.algorithm.type', 'round_robin'],
  ['load_balancing.cross_zone.enabled', 'use_load_balancer_configuration'],
  ['slow_start.duration_seconds', '0'],
]

export interface TargetGroupSpec {
  name: string
  port?: number
  protocol?: string
  vpcId?: string
  healthCheckPath?: string
  healthCheckIntervalSeconds?: number
  healthyThreshold?: number
  unhealthyThreshold?: number
  loadBalancerName?: string
}

export function targetGroupNotFound(): SimError {
  return new SimError('TargetGroupNotFound', 'One or more target groups not found')
}

export function createTargetGroup(state: State, spec: TargetGroupSpec): TargetGroup {
  if (!/^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/.test(spec.name))
    throw new SimError(
      'ValidationError',
      `Target group name '${spec.name}' can have a maximum of 32 characters, can contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    )
  for (const tg of state.targetGroups.values())
    if (tg.name === spec.name)
      throw new SimError(
        'DuplicateTargetGroupName',
        `A target group with the same name '${spec.name}' exists, but with different settings`,
      )
  const protocol = spec.protocol ?? 'HTTP'
  // Health check defaults from "Health checks for Application Load Balancer target groups"
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
  const tg: TargetGroup = {
    seq: state.nextSeq(),
    arn: state.arn('elasticloadbalancing', `targetgroup/${spec.name}/${state.ids.hex(16)}`),
    name: spec.name,
    protocol,
    port: spec.port ?? 80,
    vpcId: spec.vpcId ?? 'vpc-0a1b2c3d4e5f60718',
    targetType: 'instance',
    healthCheck: {
      protocol,
      port: 'traffic-port',
      path: spec.healthCheckPath ?? '/',
      intervalSeconds: spec.healthCheckIntervalSeconds ?? 30,
      timeoutSeconds: 5,
      healthyThreshold: spec.healthyThreshold ?? 5,
      unhealthyThreshold: spec.unhealthyThreshold ?? 2,
      matcher: '200',
    },
    loadBalancerArns: spec.loadBalancerName
      ? [state.arn('elasticloadbalancing', `loadbalancer/app/${spec.loadBalancerName}/${state.ids.hex(16)}`)]
      : [],
    attributes: new Map(DEFAULT_ATTRIBUTES),
    targets: new Map(),
  }
  state.targetGroups.set(tg.arn, tg)
  return tg
}

function setState(t: Target, state: TargetState, reason?: string, description?: string): void {
  t.state = state
  t.reason = reason
  t.description = description
  t.onChange?.(t)
}

/**
 * Registers a target. "After your target is registered, it must pass one health check to be considered healthy"
 * (Health checks for Application Load Balancer target groups, as above); a failing one turns unhealthy after
 * UnhealthyThresholdCount consecutive failures. Checks come every HealthCheckIntervalSeconds.
 */
export function registerTarget(
  state: State,
  tg: TargetGroup,
  target: Pick<Target, 'id' | 'port' | 'availabilityZone' | 'passes' | 'onChange'>,
): Target {
  const t: Target = {
    ...target,
    state: 'initial',
    reason: 'Elb.RegistrationInProgress',
    description: 'Target registration is in progress',
    failures: 0,
  }
  tg.targets.set(`${t.id}:${t.port}`, t)
  const check = () => {
    t.timer = undefined
    if (t.passes()) {
      // Healthy from here on: the sim's apps do not fall ill once they answered.
      setState(t, 'healthy')
      return
    }
    t.failures++
    if (t.failures >= tg.healthCheck.unhealthyThreshold) {
      setState(t, 'unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [502]')
      return
    }
    setState(t, 'initial', 'Elb.InitialHealthChecking', 'Initial health checking in progress')
    t.timer = state.after(tg.healthCheck.intervalSeconds * 1000, check)
  }
  t.timer = state.after(tg.healthCheck.intervalSeconds * 1000, check)
  return t
}

export function deregistrationDelayMs(tg: TargetGroup): number {
  return Number(tg.attributes.get('deregistration_delay.timeout_seconds') ?? '300') * 1000
}

/**
 * Starts deregistering a target: draining for the group's deregistration delay, then gone. Returns the delay.
 * "The amount of time for Elastic Load Balancing to wait before changing the state of a deregistering target
 * from draining to unused" (TargetGroupAttribute, as above).
 */
export function deregisterTarget(state: State, tg: TargetGroup, id: string, port: number): number {
  const key = `${id}:${port}`
  const t = tg.targets.get(key)
  if (!t || t.state === 'draining') return 0
  state.cancel(t.timer)
  setState(t, 'draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress')
  const delay = deregistrationDelayMs(tg)
  t.timer = state.after(delay, () => {
    if (tg.targets.get(key) === t) tg.targets.delete(key)
  })
  return delay
}

/** The instance is gone: its target leaves the group at once. */
export function dropTarget(state: State, tg: TargetGroup, id: string, port: number): void {
  const key = `${id}:${port}`
  const t = tg.targets.get(key)
  if (!t) return
  state.cancel(t.timer)
  tg.targets.delete(key)
}
