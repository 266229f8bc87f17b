/**
 * SQS's read side, over the queues SnsService keeps (a hook stack's dead-letter queue): GetQueueUrl,
 * ListQueues, GetQueueAttributes, plus SendMessage (so that a test or a script can put a dead letter there
 * as Lambda would). JSON protocol (`X-Amz-Target: AmazonSQS.<Operation>`), which the JS SDK v3, boto3 and
 * AWS CLI v1 speak; a Query client (AWS CLI v2 before 2.13) is answered as an unknown operation.
 * Semantics: SQS API Reference, GetQueueAttributes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html).
 */
import {createHash} from 'node:crypto'

import {SimError, type OperationHandler} from '../types.js'
import type {StackContext} from './context.js'
import type {Queue, SnsService} from './sns.js'

/** The attributes a standard queue reports, with SQS's defaults (CreateQueue, Attributes). */
const ATTRIBUTE_NAMES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'SqsManagedSseEnabled',
] as const

function nonExistent(): SimError {
  return new SimError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.', 400)
}

export function sqsHandlers(ctx: StackContext, sns: SnsService): Record<string, OperationHandler> {
  const byName = (name: string): Queue | undefined => [...sns.queues.values()].find((q) => q.name === name)
  // A queue URL's last path segment is its name; SQS accepts the URL of any of its endpoints.
  const byUrl = (input: Record<string, unknown>): Queue => {
    const url = typeof input.QueueUrl === 'string' ? input.QueueUrl : ''
    if (!url) throw new SimError('MissingParameter', 'The request must contain the parameter QueueUrl.', 400)
    const q = byName(url.replace(/\/+$/, '').split('/').pop() ?? '')
    if (!q) throw nonExistent()
    return q
  }
  const seconds = (ms: number) => String(Math.floor(ms / 1000))
  const attributes = (q: Queue): Record<(typeof ATTRIBUTE_NAMES)[number], string> => {
    const now = ctx.clock.now()
    const visible = q.messages.filter((m) => m.at <= now).length
    return {
      QueueArn: q.arn,
      // Nothing receives from the sim's queues, so no message is in flight.
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: String(q.messages.length - visible),
      CreatedTimestamp: seconds(q.createdAt ?? now),
      LastModifiedTimestamp: seconds(q.createdAt ?? now),
      VisibilityTimeout: '30',
      MaximumMessageSize: '262144',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    }
  }
  return {
    GetQueueUrl: (input) => {
      const q = byName(String(input.QueueName ?? ''))
      if (!q) throw nonExistent()
      return {QueueUrl: q.url}
    },
    ListQueues: (input) => {
      const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : ''
      const urls = [...sns.queues.values()].filter((q) => q.name.startsWith(prefix)).map((q) => q.url)
      return urls.length > 0 ? {QueueUrls: urls} : {}
    },
    GetQueueAttributes: (input) => {
      const q = byUrl(input)
      const asked = Array.isArray(input.AttributeNames) ? input.AttributeNames.map(String) : []
      const all = attributes(q)
      // "All" returns every attribute; no name returns none (GetQueueAttributes, AttributeNames).
      const names = asked.includes('All') ? [...ATTRIBUTE_NAMES] : asked
      const out: Record<string, string> = {}
      for (const n of names) {
        if (!(n in all)) throw new SimError('InvalidAttributeName', `Unknown Attribute ${n}.`, 400)
        out[n] = all[n as keyof typeof all]
      }
      return Object.keys(out).length > 0 ? {Attributes: out} : {}
    },
    SendMessage: (input) => {
      const q = byUrl(input)
      const body = typeof input.MessageBody === 'string' ? input.MessageBody : ''
      if (!body)
        throw new SimError('MissingParameter', 'The request must contain the parameter MessageBody.', 400)
      sns.sendToQueue(q.arn, body)
      // The SDKs check MD5OfMessageBody against the body they sent (SendMessage, response elements).
      return {MessageId: ctx.ids.uuid(), MD5OfMessageBody: createHash('md5').update(body).digest('hex')}
    },
  }
}
