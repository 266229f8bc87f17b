/**
 * The shapes of ELBv2 target groups and their targets, apart from the code that moves them
 * (./target-groups.ts), so that the world's state can hold them without importing that code.
 */
import type {SimTimer} from '../../types.js'

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining'

export interface Target {
  id: string
  port: number
  availabilityZone: string
  state: TargetState
  reason?: string
  description?: string
  /** Consecutive failed health checks. */
  failures: number
  timer?: SimTimer
  /** Whether the app behind the target answers its health check as the matcher expects. */
  passes: () => boolean
  /** Told of every state change (ECS follows its tasks' health this way). */
  onChange?: (target: Target) => void
}

export interface TargetGroup {
  seq: number
  arn: string
  name: string
  protocol: string
  port: number
  vpcId: string
  targetType: 'instance' | 'ip'
  healthCheck: {
    protocol: string
    port: string
    path: string
    intervalSeconds: number
    timeoutSeconds: number
    healthyThreshold: number
    unhealthyThreshold: number
    matcher: string
  }
  loadBalancerArns: string[]
  /** The documented attributes, with their documented defaults; values as the API sends them (strings). */
  attributes: Map<string, string>
  /** By `id:port`. */
  targets: Map<string, Target>
}
