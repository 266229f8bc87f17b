/**
 * The hook stack's CloudFormation template, generated in TypeScript so that it is typed, testable and
 * printable offline (`ecsdrain install --print`). It adds, beside an existing Auto Scaling group:
 * the terminating lifecycle hook, an encrypted SNS topic and the role that lets Auto Scaling publish to it,
 * the drain Lambda (ecsdrain's own engine, inline) with its subscription and permission, a dead-letter queue
 * with an alarm, a log group with retention, and least-privilege IAM scoped to the cluster and the group.
 *
 * Every value is baked in (no Parameters): the printed template is the exact thing `install` deploys, so a
 * GitOps pipeline and the CLI can never disagree about what is running.
 */

export const LAMBDA_RUNTIME = 'nodejs22.x'
/** Lambda's maximum. A long timeout means few hand-overs, keeping the re-publish chain short. */
export const LAMBDA_TIMEOUT_SECONDS = 900
export const LOG_RETENTION_DAYS = 30
/** CreateChangeSet's TemplateBody limit. Past it, CloudFormation needs an S3 TemplateURL. */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200

export interface HookTemplateOptions {
  /** Cluster name (an ARN is reduced to its name). */
  cluster: string
  autoScalingGroupName: string
  /** Seconds, 30..7200 (Auto Scaling's range). */
  heartbeatTimeout: number
  /** Seconds: the longest a drain may take before the handler gives up. */
  drainTimeout: number
  /** The bundled handler, CommonJS (CloudFormation writes inline Node.js code to index.js). */
  handlerCode: string
  /** ecsdrain's version, recorded in the template's description and metadata. */
  version: string
}

type Json = string | number | boolean | null | Json[] | {[key: string]: Json}
type Resource = {Type: string; Properties: {[key: string]: Json}; DependsOn?: string[]}

const sub = (s: string): Json => ({'Fn::Sub': s})
const ref = (logicalId: string): Json => ({Ref: logicalId})
const getAtt = (logicalId: string, attr: string): Json => ({'Fn::GetAtt': [logicalId, attr]})

export function clusterNameOf(clusterOrArn: string): string {
  const slash = clusterOrArn.lastIndexOf('/')
  return clusterOrArn.startsWith('arn:') && slash >= 0 ? clusterOrArn.slice(slash + 1) : clusterOrArn
}

function assumeRole(service: string): Json {
  return {
    Version: '2012-10-17',
    Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}],
  }
}

/**
 * SNS encrypts with the AWS-managed key alias/aws/sns. Its key policy admits principals of this account
 * using it through SNS; these statements grant the same, through SNS only, to the roles that publish.
 */
const publishThroughKms: Json = {
  Effect: 'Allow',
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
  Condition: {StringEquals: {'kms:ViaService': sub('sns.${AWS::Region}.amazonaws.com')}},
}

function functionPolicy(cluster: string, group: string): Json {
  const ecs = (suffix: string): Json =>
    sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:${suffix}`)
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EcsClusterOnly',
        Effect: 'Allow',
        Action: [
          'ecs:DescribeClusters',
          'ecs:ListContainerInstances',
          'ecs:ListServices',
          'ecs:DescribeContainerInstances',
          'ecs:UpdateContainerInstancesState',
          'ecs:ListTasks',
          'ecs:DescribeTasks',
          'ecs:DescribeServices',
          'ecs:StopTask',
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
          'autoscaling:DescribeAutoScalingGroups',
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

function resources(o: HookTemplateOptions, cluster: string): Record<string, Resource> {
  return {
    Topic: {
      Type: 'AWS::SNS::Topic',
      Properties: {KmsMasterKeyId: 'alias/aws/sns', DisplayName: `ecsdrain ${cluster}`},
    },
    HookPublishRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumeRole('autoscaling.amazonaws.com'),
        Policies: [
          {
            PolicyName: 'publish-to-drain-topic',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {Effect: 'Allow', Action: 'sns:Publish', Resource: ref('Topic')},
                publishThroughKms,
              ],
            },
          },
        ],
      },
    },
    LifecycleHook: {
      Type: 'AWS::AutoScaling::LifecycleHook',
      // The hook's test notification must find the function subscribed, or it is lost.
      DependsOn: ['Subscription', 'InvokePermission'],
      Properties: {
        LifecycleHookName: sub('${AWS::StackName}'),
        AutoScalingGroupName: o.autoScalingGroupName,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: o.heartbeatTimeout,
        DefaultResult: 'CONTINUE',
        NotificationTargetARN: ref('Topic'),
        RoleARN: getAtt('HookPublishRole', 'Arn'),
      },
    },
    LogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: {LogGroupName: sub('/ecsdrain/${AWS::StackName}'), RetentionInDays: LOG_RETENTION_DAYS},
    },
    DeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true},
    },
    DeadLetterAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `A drain notification for ${cluster} failed every retry: an instance may have terminated undrained.`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{Name: 'QueueName', Value: getAtt('DeadLetterQueue', 'QueueName')}],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      },
    },
    FunctionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumeRole('lambda.amazonaws.com'),
        Policies: [
          {PolicyName: 'drain-one-cluster', PolicyDocument: functionPolicy(cluster, o.autoScalingGroupName)},
        ],
      },
    },
    DrainFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Description: `ecsdrain ${o.version}: drains ${cluster} instances terminating in ${o.autoScalingGroupName}`,
        Runtime: LAMBDA_RUNTIME,
        Handler: 'index.handler',
        Code: {ZipFile: o.handlerCode},
        Role: getAtt('FunctionRole', 'Arn'),
        Timeout: LAMBDA_TIMEOUT_SECONDS,
        MemorySize: 256,
        // The hand-over chain is bounded by the handler's attempt count, so Lambda's loop breaker (which
        // stops SNS->Lambda->SNS chains after ~16 rounds) must not cut a long drain short.
        RecursiveLoop: 'Allow',
        DeadLetterConfig: {TargetArn: getAtt('DeadLetterQueue', 'Arn')},
        LoggingConfig: {LogFormat: 'JSON', LogGroup: ref('LogGroup')},
        Environment: {
          Variables: {
            ECS_CLUSTER: cluster,
            AUTO_SCALING_GROUP: o.autoScalingGroupName,
            DRAIN_TIMEOUT_SECONDS: String(o.drainTimeout),
            TOPIC_ARN: ref('Topic'),
          },
        },
      },
    },
    InvokePermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: ref('DrainFunction'),
        Principal: 'sns.amazonaws.com',
        SourceArn: ref('Topic'),
      },
    },
    Subscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {Protocol: 'lambda', TopicArn: ref('Topic'), Endpoint: getAtt('DrainFunction', 'Arn')},
    },
  }
}

const outputs: Record<string, {Description: string; Value: Json}> = {
  LifecycleHookName: {
    Description: 'The terminating lifecycle hook on the group',
    Value: ref('LifecycleHook'),
  },
  TopicArn: {Description: 'The SNS topic the hook notifies', Value: ref('Topic')},
  HookPublishRoleArn: {
    Description: 'The role Auto Scaling uses to publish',
    Value: getAtt('HookPublishRole', 'Arn'),
  },
  FunctionName: {Description: 'The drain Lambda', Value: ref('DrainFunction')},
  FunctionArn: {Description: 'The drain Lambda ARN', Value: getAtt('DrainFunction', 'Arn')},
  FunctionRoleArn: {Description: "The drain Lambda's role", Value: getAtt('FunctionRole', 'Arn')},
  InvokePermissionId: {
    Description: 'The permission for SNS to invoke the Lambda',
    Value: ref('InvokePermission'),
  },
  SubscriptionArn: {Description: "The Lambda's subscription to the topic", Value: ref('Subscription')},
  DeadLetterQueueUrl: {Description: 'Notifications that failed every retry', Value: ref('DeadLetterQueue')},
  DeadLetterQueueArn: {Description: 'The dead-letter queue ARN', Value: getAtt('DeadLetterQueue', 'Arn')},
  DeadLetterAlarmName: {
    Description: 'Alarms when the dead-letter queue is not empty',
    Value: ref('DeadLetterAlarm'),
  },
  LogGroupName: {Description: "The Lambda's structured JSON logs", Value: ref('LogGroup')},
}

export interface HookTemplate {
  AWSTemplateFormatVersion: '2010-09-09'
  Description: string
  Metadata: {[key: string]: Json}
  Resources: Record<string, Resource>
  Outputs: typeof outputs
}

export function hookTemplate(o: HookTemplateOptions): HookTemplate {
  const cluster = clusterNameOf(o.cluster)
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `ecsdrain ${o.version} hook stack: drains ${cluster} instances before ${o.autoScalingGroupName} terminates them`,
    Metadata: {
      ecsdrain: {
        version: o.version,
        cluster,
        autoScalingGroupName: o.autoScalingGroupName,
        heartbeatTimeout: o.heartbeatTimeout,
        drainTimeout: o.drainTimeout,
      },
    },
    Resources: resources(o, cluster),
    Outputs: outputs,
  }
}

/** The template as deployed and printed: stable key order, so an unchanged install is a no-op change set. */
export function renderHookTemplate(o: HookTemplateOptions): string {
  return JSON.stringify(hookTemplate(o), null, 1)
}
