/**
 * The hook stack's IAM: the two trust policies and the drain function's permissions. Least privilege is
 * measured both ways by test/sim/stack/least-privilege.test.ts: every call the handler makes in the sim is granted
 * here, and every action granted here is called on some path of the handler (or, for the few in
 * SERVICE_SIDE_ACTIONS, by the AWS service on the function's behalf).
 */
import type {Json} from './template-types.js'
import {getAtt, ref, sub} from './template-types.js'

/**
 * Actions the role grants that the handler's code never calls: AWS's services call them with the function's
 * role. Kept apart so that the converse test of least privilege can say why each one is there.
 */
export const SERVICE_SIDE_ACTIONS: Record<string, string> = {
  // "The execution role needs permission to send messages to the queue" (Lambda Developer Guide,
  // "Capturing records of Lambda asynchronous invocations": dead-letter queues,
  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
  'sqs:SendMessage': 'Lambda sends an event that failed every retry to the dead-letter queue',
  // Lambda writes the function's logs with its role ("Using source function ARN to control function access
  // behavior": CreateLogStream, PutLogEvents, https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html).
  'logs:CreateLogStream': "Lambda's runtime writes the function's logs",
  'logs:PutLogEvents': "Lambda's runtime writes the function's logs",
  // SNS encrypts the topic with alias/aws/sns: publishing (the hand-over) needs the key through SNS.
  'kms:GenerateDataKey*': 'SNS encrypts what the hand-over publishes to the encrypted topic',
  'kms:Decrypt': 'SNS encrypts what the hand-over publishes to the encrypted topic',
}

/**
 * A service principal may assume the role only on behalf of this account: `aws:SourceAccount` against the
 * confused deputy ("The confused deputy problem", IAM User Guide,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html). No `aws:SourceArn` here: neither
 * Auto Scaling (notification role) nor Lambda (execution role) documents which ARN it sets when it assumes
 * the role, and a condition the service does not meet would break the hook, not protect it. The SNS -> Lambda
 * invoke permission, where SNS documents it, carries both (template.ts, InvokePermission).
 */
export function assumeRole(service: string): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {Service: service},
        Action: 'sts:AssumeRole',
        Condition: {StringEquals: {'aws:SourceAccount': sub('${AWS::AccountId}')}},
      },
    ],
  }
}

/**
 * SNS encrypts with the AWS-managed key alias/aws/sns. Its key policy admits principals of this account
 * using it through SNS; these statements grant the same, through SNS only, to the roles that publish.
 */
export const publishThroughKms: Json = {
  Effect: 'Allow',
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
  Condition: {StringEquals: {'kms:ViaService': sub('sns.${AWS::Region}.amazonaws.com')}},
}

/**
 * What the handler calls, each on a path a test drives in the sim (test/sim/stack/least-privilege.test.ts):
 * - the drain: find the instance (ListContainerInstances + DescribeContainerInstances), DRAINING, list and
 *   describe its tasks, describe their services, heartbeat, complete;
 * - the lifecycle context: DescribeAutoScalingInstances, DescribeLifecycleHooks, DescribeScalingActivities
 *   (the global deadline's estimate);
 * - the explainer: task definitions (stopTimeout), task protection, target groups (deregistration delay), and
 *   capacity providers, only for an instance that registered with one (`sim --capacity-providers`).
 * Not granted, as no path of the handler calls them: ecs:StopTask (the Lambda never stops standalone tasks;
 * they block the drain until they end, as `drain` without --stop-standalone), ecs:ListServices,
 * ecs:DescribeClusters and autoscaling:DescribeAutoScalingGroups (used by the CLI's listings only).
 */
export function functionPolicy(cluster: string, group: string): Json {
  const ecs = (suffix: string): Json =>
    sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:${suffix}`)
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EcsClusterOnly',
        Effect: 'Allow',
        Action: [
          'ecs:ListContainerInstances',
          'ecs:DescribeContainerInstances',
          'ecs:UpdateContainerInstancesState',
          'ecs:ListTasks',
          'ecs:DescribeTasks',
          'ecs:DescribeServices',
          'ecs:GetTaskProtection',
        ],
        Resource: [
          ecs(`cluster/${cluster}`),
          ecs(`container-instance/${cluster}/*`),
          ecs(`task/${cluster}/*`),
          ecs(`service/${cluster}/*`),
        ],
      },
      {
        Sid: 'LifecycleActionsOnTheGroupOnly',
        Effect: 'Allow',
        Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
        Resource: sub(
          `arn:\${AWS::Partition}:autoscaling:\${AWS::Region}:\${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/${group}`,
        ),
      },
      {
        // Auto Scaling's Describe* calls support no resource-level permissions: "*" is the narrowest scope.
        Sid: 'AutoScalingReadOnly',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLifecycleHooks',
          'autoscaling:DescribeScalingActivities',
        ],
        Resource: '*',
      },
      {
        // What the drain's explainer reads: stop timeouts, capacity providers (a second drainer?), target
        // groups' deregistration delays. These Describe calls take no resource-level permissions.
        Sid: 'ExplainReadOnly',
        Effect: 'Allow',
        Action: [
          'ecs:DescribeTaskDefinition',
          'ecs:DescribeCapacityProviders',
          'elasticloadbalancing:DescribeTargetGroupAttributes',
        ],
        Resource: '*',
      },
      {Sid: 'HandOverToOwnTopicOnly', Effect: 'Allow', Action: 'sns:Publish', Resource: ref('Topic')},
      publishThroughKms,
      {
        Sid: 'DeadLetters',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: getAtt('DeadLetterQueue', 'Arn'),
      },
      {
        Sid: 'OwnLogGroupOnly',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAtt('LogGroup', 'Arn'),
      },
    ],
  }
}

/** Every action a policy document grants (its Allow statements), for the least-privilege tests. */
export function grantedActions(policy: Json): string[] {
  const statements = (policy as {Statement?: Array<{Effect?: string; Action?: string | string[]}>}).Statement
  return [
    ...new Set(
      (statements ?? []).filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action ?? []].flat()),
    ),
  ]
}
