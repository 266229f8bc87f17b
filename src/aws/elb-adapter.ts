/** ELBv2 (LoadBalancingPort): how long a target group holds a deregistering target. */
import type {ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2'

import type {LoadBalancingPort} from '../core/ports.js'
import {call} from './batch.js'
import {sdk} from './sdk.js'

/**
 * "The default value is 300 seconds" (Elastic Load Balancing, Application Load Balancers: Deregistration
 * delay, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay).
 * Used only when the group's attributes do not carry the key.
 */
export const DEFAULT_DEREGISTRATION_DELAY_S = 300
const DELAY_KEY = 'deregistration_delay.timeout_seconds'

export function createLoadBalancingPort(
  client: ElasticLoadBalancingV2Client,
  endpoint?: string,
): LoadBalancingPort {
  const {DescribeTargetGroupAttributesCommand} = sdk.elb()
  return {
    async deregistrationDelaySeconds(targetGroupArn) {
      const r = await call({operation: 'ELBv2.DescribeTargetGroupAttributes', endpoint}, () =>
        client.send(new DescribeTargetGroupAttributesCommand({TargetGroupArn: targetGroupArn})),
      )
      const value = Number(r.Attributes?.find((a) => a.Key === DELAY_KEY)?.Value)
      return Number.isFinite(value) && value >= 0 ? value : DEFAULT_DEREGISTRATION_DELAY_S
    },
  }
}
