/**
 * The Lambda's entry point, bundled by esbuild into the template's inline code (CommonJS `index.js`).
 * The runtime provides AWS SDK v3, so `@aws-sdk/*` stays external. The SDK reads the region and
 * credentials from the Lambda environment, and AWS_ENDPOINT_URL when one is set (as `ecsdrain sim` does).
 */
import {AutoScalingClient} from '@aws-sdk/client-auto-scaling'
import {ECSClient} from '@aws-sdk/client-ecs'
import {ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2'
import {PublishCommand, SNSClient} from '@aws-sdk/client-sns'

import {createAutoScalingPort} from '../aws/autoscaling-adapter.js'
import {createEcsPort} from '../aws/ecs-adapter.js'
import {createEcsDetailsPort} from '../aws/ecs-details-adapter.js'
import {createLoadBalancingPort} from '../aws/elb-adapter.js'
import type {Clock} from '../core/ports.js'
import {createHookDrain} from './drain.js'
import {createHandler, type LambdaContext, type SnsEvent} from './handler.js'
import {jsonLogger} from './log.js'

const clock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

let handle: ((event: SnsEvent, context: LambdaContext) => Promise<void>) | undefined

/** Built on first use, not at import: a cold start pays only for loading the module. */
function build() {
  const env = process.env
  const ecsClient = new ECSClient({})
  const ecs = createEcsPort(ecsClient)
  const ecsDetails = createEcsDetailsPort(ecsClient)
  const elb = createLoadBalancingPort(new ElasticLoadBalancingV2Client({}))
  const autoScaling = createAutoScalingPort(new AutoScalingClient({}))
  const sns = new SNSClient({})
  return createHandler({
    drain: createHookDrain({ecs, autoScaling, ecsDetails, elb}, clock),
    autoScaling,
    publish: async (TopicArn, Message) => {
      await sns.send(new PublishCommand({TopicArn, Message}))
    },
    clock,
    log: jsonLogger(),
    config: {
      cluster: env.ECS_CLUSTER ?? '',
      drainTimeoutSeconds: Number(env.DRAIN_TIMEOUT_SECONDS ?? 3600),
    },
  })
}

export async function handler(event: SnsEvent, context: LambdaContext): Promise<void> {
  handle ??= build()
  await handle(event, context)
}
