/**
 * SNS and SQS, as far as the hook stack uses them: topics, subscriptions and Publish, with delivery to
 * subscribed Lambda functions (an SNS event record, invoked asynchronously) and SQS queues (kept in memory,
 * e.g. a dead-letter queue whose depth a test can read).
 */
import {SimError, type OperationHandler} from '../types.js'
import type {StackContext} from './context.js'
import type {LambdaService} from './lambda.js'

export interface Topic {
  arn: string
  name: string
  attributes: Record<string, string>
  subscriptions: Map<string, {protocol: string; endpoint: string}>
}

export interface Queue {
  arn: string
  name: string
  url: string
  /** When it was created (ms), for GetQueueAttributes' CreatedTimestamp. */
  createdAt?: number
  messages: Array<{body: string; attributes: Record<string, string>; at: number}>
}

/** The delivery policy SNS reports for a topic that has none of its own (HTTP/S retries). */
const DEFAULT_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: {headerContentType: 'text/plain; charset=UTF-8'},
  },
})

/** The access policy a new topic gets: its own account may use it. */
function defaultTopicPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: {AWS: '*'},
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: {StringEquals: {'AWS:SourceOwner': accountId}},
      },
    ],
  })
}

export class SnsService {
  readonly topics = new Map<string, Topic>()
  readonly queues = new Map<string, Queue>()

  constructor(
    private readonly ctx: StackContext,
    private readonly lambda: LambdaService,
  ) {}

  createTopic(name: string, attributes: Record<string, string> = {}): Topic {
    const arn = this.ctx.arn('sns', name)
    const topic = this.topics.get(arn) ?? {arn, name, attributes, subscriptions: new Map()}
    this.topics.set(arn, topic)
    return topic
  }

  topic(arn: string): Topic {
    const t = this.topics.get(arn)
    if (!t) throw new SimError('NotFound', 'Topic does not exist', 404)
    return t
  }

  subscribe(topicArn: string, protocol: string, endpoint: string): string {
    const t = this.topic(topicArn)
    const arn = `${topicArn}:${this.ctx.ids.uuid()}`
    t.subscriptions.set(arn, {protocol, endpoint})
    return arn
  }

  unsubscribe(subscriptionArn: string): void {
    for (const t of this.topics.values()) t.subscriptions.delete(subscriptionArn)
  }

  createQueue(name: string): Queue {
    const q: Queue = {
      arn: this.ctx.arn('sqs', name),
      name,
      url: `https://sqs.${this.ctx.region}.amazonaws.com/${this.ctx.accountId}/${name}`,
      createdAt: this.ctx.clock.now(),
      messages: [],
    }
    this.queues.set(q.arn, q)
    return q
  }

  sendToQueue(arn: string, body: string, attributes: Record<string, string> = {}): void {
    this.queues.get(arn)?.messages.push({body, attributes, at: this.ctx.clock.now()})
  }

  /** Publishes and delivers each copy a moment later, after Publish has answered, as SNS does. */
  publish(topicArn: string, message: string, subject?: string): string {
    const t = this.topic(topicArn)
    const messageId = this.ctx.ids.uuid()
    const timestamp = new Date(this.ctx.clock.now()).toISOString()
    for (const [subscriptionArn, sub] of t.subscriptions) {
      this.ctx.after(50, () => {
        if (sub.protocol === 'lambda') {
          const event = {
            Records: [
              {
                EventSource: 'aws:sns',
                EventVersion: '1.0',
                EventSubscriptionArn: subscriptionArn,
                Sns: {
                  Type: 'Notification',
                  MessageId: messageId,
                  TopicArn: topicArn,
                  Subject: subject ?? null,
                  Message: message,
                  Timestamp: timestamp,
                  SignatureVersion: '1',
                  Signature: 'SIMULATED',
                  SigningCertUrl: '',
                  UnsubscribeUrl: '',
                  MessageAttributes: {},
                },
              },
            ],
          }
          this.lambda.invokeAsync(sub.endpoint, event, {principal: 'sns.amazonaws.com', sourceArn: topicArn})
        } else if (sub.protocol === 'sqs') {
          this.sendToQueue(sub.endpoint, message)
        }
      })
    }
    return messageId
  }

  handlers(): Record<string, OperationHandler> {
    const arnOf = (input: Record<string, unknown>, key = 'TopicArn') => String(input[key] ?? '')
    return {
      CreateTopic: (input) => ({TopicArn: this.createTopic(String(input.Name)).arn}),
      DeleteTopic: (input) => {
        this.topics.delete(arnOf(input))
        return {}
      },
      ListTopics: () => ({Topics: [...this.topics.keys()].map((TopicArn) => ({TopicArn}))}),
      GetTopicAttributes: (input) => {
        const t = this.topic(arnOf(input))
        // The attributes AWS always returns (GetTopicAttributes, https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html).
        return {
          Attributes: {
            TopicArn: t.arn,
            Owner: this.ctx.accountId,
            DisplayName: '',
            Policy: defaultTopicPolicy(t.arn, this.ctx.accountId),
            EffectiveDeliveryPolicy: DEFAULT_DELIVERY_POLICY,
            SubscriptionsDeleted: '0',
            ...t.attributes,
            SubscriptionsConfirmed: String(t.subscriptions.size),
            SubscriptionsPending: '0',
          },
        }
      },
      Subscribe: (input) => ({
        SubscriptionArn: this.subscribe(arnOf(input), String(input.Protocol), String(input.Endpoint)),
      }),
      Unsubscribe: (input) => {
        this.unsubscribe(arnOf(input, 'SubscriptionArn'))
        return {}
      },
      ListSubscriptionsByTopic: (input) => {
        const t = this.topic(arnOf(input))
        return {
          Subscriptions: [...t.subscriptions].map(([SubscriptionArn, s]) => ({
            SubscriptionArn,
            TopicArn: t.arn,
            Protocol: s.protocol,
            Endpoint: s.endpoint,
            Owner: this.ctx.accountId,
          })),
        }
      },
      Publish: (input) => ({
        MessageId: this.publish(
          arnOf(input),
          String(input.Message ?? ''),
          input.Subject as string | undefined,
        ),
      }),
    }
  }
}
