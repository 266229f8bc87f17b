/** SQS (QueuePort): how many messages a queue holds, for doctor's look at the hook stack's dead-letter queue. */
import type {SQSClient} from '@aws-sdk/client-sqs'

import type {QueuePort} from '../core/ports.js'
import {call} from './batch.js'
import {sdk} from './sdk.js'

/**
 * "ApproximateNumberOfMessages: the approximate number of messages available for retrieval from the queue",
 * ...NotVisible "in flight", ...Delayed "delayed and not available for reading immediately" (SQS API
 * Reference, GetQueueAttributes, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html).
 */
const DEPTH = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const

export function createQueuePort(client: SQSClient, endpoint?: string): QueuePort {
  const {GetQueueAttributesCommand} = sdk.sqs()
  return {
    async queueDepth(queueUrl) {
      const r = await call({operation: 'SQS.GetQueueAttributes', endpoint}, () =>
        client.send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: [...DEPTH]})),
      )
      const n = (key: (typeof DEPTH)[number]) => Number(r.Attributes?.[key] ?? 0) || 0
      return {
        visible: n('ApproximateNumberOfMessages'),
        inFlight: n('ApproximateNumberOfMessagesNotVisible'),
        delayed: n('ApproximateNumberOfMessagesDelayed'),
      }
    },
  }
}
