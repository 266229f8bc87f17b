/**
 * The Lambda's entry point, bundled by esbuild into the template's inline code (CommonJS `index.js`).
 * The runtime provides AWS SDK v3, so `@aws-sdk/*` stays external. The clients come from the CLI's own
 * client factory (src/aws/client-factory.ts): the same retry strategy, timeouts and keep-alive agent. The SDK
 * reads the region and credentials from the Lambda environment, and AWS_ENDPOINT_URL when one is set (as
 * `ecsdrain sim` does).
 */
import {PublishCommand, SNSClient} from '@aws-sdk/client-sns'

import {createAutoScalingPort} from '../aws/autoscaling-adapter.js'
import {createClientFactory} from '../aws/client-factory.js'
import {createEcsPort} from '../aws/ecs-adapter.js'
import {createEcsDetailsPort} from '../aws/ecs-details-adapter.js'
import {createLoadBalancingPort} from '../aws/elb-adapter.js'
import {sdk} from '../aws/sdk.js'
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
  const log = jsonLogger()
  // The SDK's own warnings become log lines, searchable like the rest.
  const factory = createClientFactory({notify: (message) => log('warn', 'aws-sdk', {message})})
  const ecsClient = factory.make(sdk.ecs().ECSClient, 'ECS')
  const ecs = createEcsPort(ecsClient)
  const ecsDetails = createEcsDetailsPort(ecsClient)
  const elb = createLoadBalancingPort(factory.make(sdk.elb().ElasticLoadBalancingV2Client, 'ELBv2'))
  const autoScaling = createAutoScalingPort(factory.make(sdk.autoScaling().AutoScalingClient, 'AutoScaling'))
  const sns = factory.make(SNSClient, 'SNS')
  return createHandler({
    drain: createHookDrain({ecs, autoScaling, ecsDetails, elb}, clock),
    autoScaling,
    publish: async (TopicArn, Message) => {
      await sns.send(new PublishCommand({TopicArn, Message}))
    },
    clock,
    log,
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
