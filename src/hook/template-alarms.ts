/**
 * The hook stack's alarms, and whom they notify. Two alarms, so that the state of each says what failed:
 * - DeadLetterAlarm: a notification failed every retry and sits in the dead-letter queue (an instance may
 *   have terminated undrained);
 * - FunctionErrorsAlarm: an invocation of the drain function failed (Lambda retries it; the next failure may
 *   be the last).
 * Both notify the `install --alarm-topic-arn` topic, or a topic of the stack's own with an email subscription
 * (`--alarm-email`). Without either they still change state (`ecsdrain doctor` reads them), but tell no one,
 * which doctor reports.
 */
import type {Json, Resource} from './template-types.js'
import {getAtt, ref} from './template-types.js'

export interface AlarmTarget {
  /** An SNS topic of the operator's (ARN). */
  topicArn?: string | null
  /** An address the stack's own topic emails (the subscription waits for the recipient to confirm). */
  email?: string | null
}

function actions(target: AlarmTarget): Json[] {
  if (target.topicArn) return [target.topicArn]
  if (target.email) return [ref('AlarmTopic')]
  return []
}

/** Alarms whose threshold is "any": one datapoint above 0 in a minute, no data meaning all is well. */
function anyInAMinute(description: string, target: AlarmTarget): {[key: string]: Json} {
  return {
    AlarmDescription: description,
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: actions(target),
  }
}

export function alarmResources(cluster: string, target: AlarmTarget): Record<string, Resource> {
  const out: Record<string, Resource> = {
    DeadLetterAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ...anyInAMinute(
          `A drain notification for ${cluster} failed every retry: an instance may have terminated undrained.`,
          target,
        ),
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{Name: 'QueueName', Value: getAtt('DeadLetterQueue', 'QueueName')}],
        Statistic: 'Maximum',
      },
    },
    FunctionErrorsAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        ...anyInAMinute(
          `The drain function for ${cluster} failed an invocation: Lambda retries it twice, then dead-letters it.`,
          target,
        ),
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{Name: 'FunctionName', Value: ref('DrainFunction')}],
        Statistic: 'Sum',
      },
    },
  }
  if (target.email && !target.topicArn) {
    // Not encrypted with alias/aws/sns, unlike the hook's topic: that key's policy admits no CloudWatch
    // alarm, so an encrypted topic would silently drop every alarm notification ("Configuring Amazon SNS
    // notifications", CloudWatch User Guide). An alarm's text holds no secret.
    out.AlarmTopic = {Type: 'AWS::SNS::Topic', Properties: {DisplayName: `ecsdrain ${cluster} alarms`}}
    out.AlarmEmailSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: {Protocol: 'email', TopicArn: ref('AlarmTopic'), Endpoint: target.email},
    }
  }
  return out
}

export function alarmOutputs(target: AlarmTarget): Record<string, {Description: string; Value: Json}> {
  const out: Record<string, {Description: string; Value: Json}> = {
    DeadLetterAlarmName: {
      Description: 'Alarms when the dead-letter queue is not empty',
      Value: ref('DeadLetterAlarm'),
    },
    FunctionErrorsAlarmName: {
      Description: 'Alarms when an invocation of the drain function fails',
      Value: ref('FunctionErrorsAlarm'),
    },
  }
  if (target.email && !target.topicArn) {
    out.AlarmTopicArn = {Description: 'The topic the alarms notify', Value: ref('AlarmTopic')}
    out.AlarmEmailSubscriptionArn = {
      Description: 'The email subscription (confirm it from the message SNS sends)',
      Value: ref('AlarmEmailSubscription'),
    }
  }
  return out
}
