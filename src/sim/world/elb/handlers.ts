import {SimError, type OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {list, num, page, str} from '../input.js'
import type {State} from '../state.js'
import {
  DEFAULT_ATTRIBUTES,
  createTargetGroup,
  targetGroupNotFound,
  type Target,
  type TargetGroup,
} from './target-groups.js'

/**
 * The ELBv2 subset (awsQuery, Version=2015-12-01) a drain needs to see and tune: DescribeTargetGroups,
 * DescribeTargetHealth, DescribeTargetGroupAttributes, ModifyTargetGroupAttributes, and CreateTargetGroup so
 * that a test or an operator can add one. Shapes and errors from the Elastic Load Balancing API Reference
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/).
 */

function validation(message: string): SimError {
  return new SimError('ValidationError', message)
}

function requireGroup(state: State, arn: string | undefined): TargetGroup {
  if (!arn)
    throw validation(
      "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
    )
  const tg = state.targetGroups.get(arn)
  if (!tg) throw targetGroupNotFound()
  return tg
}

export function describeTargetGroup(tg: TargetGroup) {
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: tg.healthCheck.protocol,
    HealthCheckPort: tg.healthCheck.port,
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: tg.healthCheck.timeoutSeconds,
    HealthyThresholdCount: tg.healthCheck.healthyThreshold,
    UnhealthyThresholdCount: tg.healthCheck.unhealthyThreshold,
    HealthCheckPath: tg.healthCheck.path,
    Matcher: {HttpCode: tg.healthCheck.matcher},
    LoadBalancerArns: tg.loadBalancerArns,
    TargetType: tg.targetType,
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  }
}

function healthDescription(tg: TargetGroup, t: Target) {
  const health: Record<string, string> = {State: t.state}
  if (t.reason) health.Reason = t.reason
  if (t.description) health.Description = t.description
  return {
    Target: {Id: t.id, Port: t.port, AvailabilityZone: t.availabilityZone},
    HealthCheckPort: tg.healthCheck.port === 'traffic-port' ? String(t.port) : tg.healthCheck.port,
    TargetHealth: health,
  }
}

function attributeList(tg: TargetGroup) {
  return [...tg.attributes].map(([Key, Value]) => ({Key, Value}))
}

/** Checks a new attribute value as ModifyTargetGroupAttributes does; the message is the one AWS (and moto) give. */
function checkAttribute(key: string, value: string): void {
  if (!DEFAULT_ATTRIBUTES.some(([k]) => k === key))
    throw validation(`Target group attribute key '${key}' is not recognized`)
  if (key === 'deregistration_delay.timeout_seconds') {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0 || n > 3600)
      throw validation(
        `'deregistration_delay.timeout_seconds' value '${value}' must be between '0-3600' inclusive`,
      )
  }
  if (key === 'stickiness.enabled' && value !== 'true' && value !== 'false')
    throw validation(`'stickiness.enabled' value '${value}' must be one of 'true', 'false'`)
}

export function elbHandlers(state: State): Record<string, OperationHandler> {
  return {
    DescribeTargetGroups: (input: Input) => {
      const arns = list<string>(input, 'TargetGroupArns')?.map(String)
      const names = list<string>(input, 'Names')?.map(String)
      const lbArn = str(input, 'LoadBalancerArn')
      if (
        [arns, names, lbArn].filter((x) => x !== undefined && (!Array.isArray(x) || x.length > 0)).length > 1
      )
        throw validation(
          'Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time',
        )
      const all = [...state.targetGroups.values()]
      let groups = all
      if (arns?.length) {
        groups = arns.map((a) => state.targetGroups.get(a)!)
        if (groups.some((g) => !g)) throw targetGroupNotFound()
      } else if (names?.length) {
        groups = names.map((n) => all.find((g) => g.name === n)!)
        if (groups.some((g) => !g)) throw targetGroupNotFound()
      } else if (lbArn) {
        groups = all.filter((g) => g.loadBalancerArns.includes(lbArn))
        // The sim knows a load balancer only through the target groups behind it.
        if (groups.length === 0)
          throw new SimError('LoadBalancerNotFound', 'One or more load balancers not found')
      }
      const size = num(input, 'PageSize', 'ValidationError') ?? 400
      if (size < 1 || size > 400) throw validation('Page size must be between 1 and 400')
      const {items, nextToken} = page(groups, str(input, 'Marker'), size, 'ValidationError')
      return {TargetGroups: items.map(describeTargetGroup), NextMarker: nextToken}
    },
    DescribeTargetHealth: (input: Input) => {
      const tg = requireGroup(state, str(input, 'TargetGroupArn'))
      const asked = list<Input>(input, 'Targets')
      if (!asked?.length)
        return {TargetHealthDescriptions: [...tg.targets.values()].map((t) => healthDescription(tg, t))}
      return {
        TargetHealthDescriptions: asked.map((a) => {
          const id = str(a, 'Id') ?? ''
          const port = num(a, 'Port', 'ValidationError') ?? tg.port
          const t = tg.targets.get(`${id}:${port}`)
          if (t) return healthDescription(tg, t)
          return {
            Target: {Id: id, Port: port},
            HealthCheckPort: String(port),
            TargetHealth: {
              State: 'unused',
              Reason: 'Target.NotRegistered',
              Description: 'Target is not registered to the target group',
            },
          }
        }),
      }
    },
    DescribeTargetGroupAttributes: (input: Input) => ({
      Attributes: attributeList(requireGroup(state, str(input, 'TargetGroupArn'))),
    }),
    ModifyTargetGroupAttributes: (input: Input) => {
      const tg = requireGroup(state, str(input, 'TargetGroupArn'))
      const changes = (list<Input>(input, 'Attributes') ?? []).map(
        (a) => [str(a, 'Key') ?? '', str(a, 'Value') ?? ''] as const,
      )
      if (changes.length === 0) throw validation('Attributes must not be empty')
      // All or nothing: a bad attribute changes none.
      for (const [key, value] of changes) checkAttribute(key, value)
      for (const [key, value] of changes) tg.attributes.set(key, value)
      return {Attributes: attributeList(tg)}
    },
    CreateTargetGroup: (input: Input) => {
      const name = str(input, 'Name')
      if (!name)
        throw validation(
          "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
        )
      const existing = [...state.targetGroups.values()].find((g) => g.name === name)
      // Creating the same group again is idempotent, as in AWS.
      if (existing && (num(input, 'Port', 'ValidationError') ?? existing.port) === existing.port)
        return {TargetGroups: [describeTargetGroup(existing)]}
      const tg = createTargetGroup(state, {
        name,
        port: num(input, 'Port', 'ValidationError'),
        protocol: str(input, 'Protocol'),
        vpcId: str(input, 'VpcId'),
        healthCheckPath: str(input, 'HealthCheckPath'),
        healthCheckIntervalSeconds: num(input, 'HealthCheckIntervalSeconds', 'ValidationError'),
        healthyThreshold: num(input, 'HealthyThresholdCount', 'ValidationError'),
        unhealthyThreshold: num(input, 'UnhealthyThresholdCount', 'ValidationError'),
      })
      return {TargetGroups: [describeTargetGroup(tg)]}
    },
  }
}
