/**
 * The hook stack's CloudFormation template, generated in TypeScript so that it is typed, testable and
 * printable offline (`ecsdrain install --print`). It adds, beside an existing Auto Scaling group:
 * the terminating lifecycle hook, an encrypted SNS topic and the role that lets Auto Scaling publish to it,
 * the drain Lambda (ecsdrain's own engine, inline) with its subscription and permission, a dead-letter queue,
 * alarms on it and on the function's errors that notify someone (template-alarms.ts), a log group with
 * retention, and least-privilege IAM scoped to the cluster and the group (template-iam.ts).
 *
 * Every value is baked in (no Parameters): the printed template is the exact thing `install` deploys, so a
 * GitOps pipeline and the CLI can never disagree about what is running.
 */

import {alarmOutputs, alarmResources} from './template-alarms.js'
import {assumeRole, functionPolicy, publishThroughKms} from './template-iam.js'
import {getAtt, ref, sub, type Json, type Resource} from './template-types.js'

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
  /** ecsdrain's version, recorded in the template's description, metadata and Outputs. */
  version: string
  /** Whom the alarms notify: an SNS topic of the operator's (`install --alarm-topic-arn`)... */
  alarmTopicArn?: string | null
  /** ...or an address that a topic of the stack's own emails (`install --alarm-email`). */
  alarmEmail?: string | null
}

export function clusterNameOf(clusterOrArn: string): string {
  const slash = clusterOrArn.lastIndexOf('/')
  return clusterOrArn.startsWith('arn:') && slash >= 0 ? clusterOrArn.slice(slash + 1) : clusterOrArn
}

/**
 * What outlives a mistake (cfn-lint I3011): the log group (what every drain did) and the dead-letter queue
 * (notifications that failed every retry: instances that may have terminated undrained) are kept when the
 * stack is deleted or a resource is replaced. RetainExceptOnCreate still cleans up after a failed first
 * install, which held no data ("DeletionPolicy attribute", CloudFormation Template Reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
 * Both have generated names, so a reinstall after `uninstall` creates new ones beside the kept ones; the log
 * group's retention and the queue's message retention still expire what they hold.
 */
const KEPT = {DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain'} as const

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
    LogGroup: {Type: 'AWS::Logs::LogGroup', ...KEPT, Properties: {RetentionInDays: LOG_RETENTION_DAYS}},
    DeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      ...KEPT,
      Properties: {MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true},
    },
    ...alarmResources(cluster, {topicArn: o.alarmTopicArn, email: o.alarmEmail}),
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
        // Only this stack's topic, in this account, may invoke it (the confused deputy).
        SourceArn: ref('Topic'),
        SourceAccount: sub('${AWS::AccountId}'),
      },
    },
    Subscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {Protocol: 'lambda', TopicArn: ref('Topic'), Endpoint: getAtt('DrainFunction', 'Arn')},
    },
  }
}

const resourceOutputs: Record<string, {Description: string; Value: Json}> = {
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
  LogGroupName: {Description: "The Lambda's structured JSON logs", Value: ref('LogGroup')},
}

export interface HookTemplate {
  AWSTemplateFormatVersion: '2010-09-09'
  Description: string
  Metadata: {[key: string]: Json}
  Resources: Record<string, Resource>
  Outputs: Record<string, {Description: string; Value: Json}>
}

/** Read by `ecsdrain doctor`: the version is compared with the CLI's, the drain timeout with the stops. */
function settingOutputs(o: HookTemplateOptions): Record<string, {Description: string; Value: Json}> {
  return {
    Version: {Description: 'The ecsdrain version that made this stack', Value: o.version},
    DrainTimeoutSeconds: {
      Description: 'The longest a drain may take before the function gives up',
      Value: String(o.drainTimeout),
    },
  }
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
    Outputs: {
      ...resourceOutputs,
      ...alarmOutputs({topicArn: o.alarmTopicArn, email: o.alarmEmail}),
      ...settingOutputs(o),
    },
  }
}

/** The template as deployed and printed: stable key order, so an unchanged install is a no-op change set. */
export function renderHookTemplate(o: HookTemplateOptions): string {
  return JSON.stringify(hookTemplate(o), null, 1)
}
