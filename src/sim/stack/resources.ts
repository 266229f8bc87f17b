/**
 * How the sim provisions each resource type a hook stack uses. An AWS::AutoScaling::LifecycleHook goes
 * through the world's own PutLifecycleHook, so it becomes a real hook on the group (with its test
 * notification); a Lambda function keeps its inline code to run; the rest are records with the names, ARNs
 * and attributes CloudFormation would give them.
 */
import {SimError} from '../types.js'
import type {AlarmService} from './alarms.js'
import type {StackContext} from './context.js'
import type {LambdaService} from './lambda.js'
import type {SnsService} from './sns.js'

export interface Provisioned {
  physicalId: string
  attrs: Record<string, string>
}

export interface Provider {
  create(props: Record<string, unknown>, name: GeneratedName): Promise<Provisioned> | Provisioned
  /** In place when the type allows it; by default delete then create. */
  update?(
    prev: Provisioned,
    props: Record<string, unknown>,
    name: GeneratedName,
  ): Promise<Provisioned> | Provisioned
  delete(prev: Provisioned, props: Record<string, unknown>): Promise<void> | void
}

/** CloudFormation's generated physical names: `<stack>-<logical id>-<random>`, cut to the type's limit. */
export type GeneratedName = (maxLength: number) => string

const str = (v: unknown, what: string): string => {
  if (typeof v === 'string' && v.length > 0) return v
  if (typeof v === 'number') return String(v)
  throw new SimError('ValidationError', `Property ${what} is required and must be a string`)
}

/** Lambda refuses to create functions on deprecated runtimes (nodejs20.x included, as of 2026-11). */
const CREATABLE_RUNTIMES = /^(nodejs22\.x|nodejs24\.x)$/

export function providers(
  ctx: StackContext,
  sns: SnsService,
  lambda: LambdaService,
  alarms: AlarmService,
): Record<string, Provider> {
  const now = () => new Date(ctx.clock.now()).toISOString()
  return {
    'AWS::SNS::Topic': {
      create: (p, name) => {
        const attributes: Record<string, string> = {}
        if (p.KmsMasterKeyId) attributes.KmsMasterKeyId = String(p.KmsMasterKeyId)
        if (p.DisplayName) attributes.DisplayName = String(p.DisplayName)
        const t = sns.createTopic(typeof p.TopicName === 'string' ? p.TopicName : name(256), attributes)
        return {physicalId: t.arn, attrs: {TopicArn: t.arn, TopicName: t.name}}
      },
      delete: (prev) => void sns.topics.delete(prev.physicalId),
    },
    'AWS::SNS::Subscription': {
      create: (p) => {
        const arn = sns.subscribe(
          str(p.TopicArn, 'TopicArn'),
          str(p.Protocol, 'Protocol'),
          str(p.Endpoint, 'Endpoint'),
        )
        return {physicalId: arn, attrs: {Arn: arn}}
      },
      delete: (prev) => sns.unsubscribe(prev.physicalId),
    },
    'AWS::SQS::Queue': {
      create: (p, name) => {
        const q = sns.createQueue(typeof p.QueueName === 'string' ? p.QueueName : name(80))
        return {physicalId: q.url, attrs: {Arn: q.arn, QueueName: q.name, QueueUrl: q.url}}
      },
      delete: (prev) => void sns.queues.delete(prev.attrs.Arn!),
    },
    'AWS::IAM::Role': {
      create: (p, name) => {
        if (typeof p.AssumeRolePolicyDocument !== 'object') {
          throw new SimError('ValidationError', 'Property AssumeRolePolicyDocument cannot be empty.')
        }
        const roleName = typeof p.RoleName === 'string' ? p.RoleName : name(64)
        return {
          physicalId: roleName,
          attrs: {
            Arn: `arn:aws:iam::${ctx.accountId}:role/${roleName}`,
            RoleId: `AROA${ctx.ids.hex(17).toUpperCase()}`,
          },
        }
      },
      update: (prev) => prev,
      delete: () => {},
    },
    'AWS::Logs::LogGroup': {
      create: (p, name) => {
        const groupName = typeof p.LogGroupName === 'string' ? p.LogGroupName : name(512)
        return {physicalId: groupName, attrs: {Arn: ctx.arn('logs', `log-group:${groupName}:*`)}}
      },
      update: (prev) => prev,
      delete: () => {},
    },
    'AWS::CloudWatch::Alarm': {
      create: (p, name) => {
        const alarmName = typeof p.AlarmName === 'string' ? p.AlarmName : name(255)
        return {physicalId: alarmName, attrs: {Arn: alarms.put(p, alarmName).arn}}
      },
      update: (prev, p) => ({physicalId: prev.physicalId, attrs: {Arn: alarms.put(p, prev.physicalId).arn}}),
      delete: (prev) => void alarms.alarms.delete(prev.physicalId),
    },
    'AWS::Lambda::Function': {
      create: (p, name) => {
        const runtime = str(p.Runtime, 'Runtime')
        if (!CREATABLE_RUNTIMES.test(runtime)) {
          throw new SimError(
            'InvalidParameterValueException',
            `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions, or is not a Node.js runtime the simulator can run.`,
          )
        }
        const code = (p.Code ?? {}) as {ZipFile?: unknown}
        if (typeof code.ZipFile !== 'string') {
          throw new SimError(
            'InvalidParameterValueException',
            'The simulator runs only inline Code.ZipFile functions.',
          )
        }
        const fnName = typeof p.FunctionName === 'string' ? p.FunctionName : name(64)
        const env = ((p.Environment ?? {}) as {Variables?: Record<string, unknown>}).Variables ?? {}
        const logging = (p.LoggingConfig ?? {}) as {LogGroup?: string}
        const dlq = (p.DeadLetterConfig ?? {}) as {TargetArn?: string}
        const arn = ctx.arn('lambda', `function:${fnName}`)
        const existing = lambda.functions.get(fnName)
        lambda.put({
          name: fnName,
          arn,
          runtime,
          handler: str(p.Handler, 'Handler'),
          code: code.ZipFile,
          role: str(p.Role, 'Role'),
          timeoutSeconds: Number(p.Timeout ?? 3),
          memorySize: Number(p.MemorySize ?? 128),
          environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
          deadLetterTargetArn: dlq.TargetArn ?? null,
          logGroup: logging.LogGroup ?? `/aws/lambda/${fnName}`,
          // Lambda writes LastModified as 2024-11-20T18:44:51.123+0000 (FunctionConfiguration,
          // https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html).
          lastModified: now().replace(/Z$/, '+0000'),
          policy: existing?.policy ?? [],
        })
        return {physicalId: fnName, attrs: {Arn: arn}}
      },
      update(prev, p, name) {
        return this.create({...p, FunctionName: prev.physicalId}, name)
      },
      delete: (prev) => lambda.delete(prev.physicalId),
    },
    'AWS::Lambda::Permission': {
      create: (p, name) => {
        const fn = lambda.get(str(p.FunctionName, 'FunctionName'))
        const sid = name(100)
        fn.policy.push({
          sid,
          principal: str(p.Principal, 'Principal'),
          sourceArn: typeof p.SourceArn === 'string' ? p.SourceArn : null,
          action: str(p.Action, 'Action'),
        })
        return {physicalId: sid, attrs: {}}
      },
      delete: (prev, p) => {
        const fn = lambda.functions.get(String(p.FunctionName).split(':').pop() ?? '')
        if (fn) fn.policy = fn.policy.filter((s) => s.sid !== prev.physicalId)
      },
    },
    'AWS::AutoScaling::LifecycleHook': {
      create: async (p, name) => {
        const hookName = typeof p.LifecycleHookName === 'string' ? p.LifecycleHookName : name(255)
        const input: Record<string, unknown> = {LifecycleHookName: hookName}
        for (const key of [
          'AutoScalingGroupName',
          'LifecycleTransition',
          'HeartbeatTimeout',
          'DefaultResult',
          'NotificationTargetARN',
          'RoleARN',
          'NotificationMetadata',
        ]) {
          if (p[key] !== undefined) input[key] = String(p[key])
        }
        await ctx.callWorld('autoscaling', 'PutLifecycleHook', input)
        return {physicalId: hookName, attrs: {}}
      },
      update: async function (prev, p, name) {
        return this.create({...p, LifecycleHookName: prev.physicalId}, name)
      },
      delete: async (prev, p) => {
        try {
          await ctx.callWorld('autoscaling', 'DeleteLifecycleHook', {
            LifecycleHookName: prev.physicalId,
            AutoScalingGroupName: String(p.AutoScalingGroupName),
          })
        } catch (error) {
          // Already gone (the group was deleted, or someone removed the hook by hand): nothing to delete.
          if (!(error instanceof SimError && error.code === 'ValidationError')) throw error
        }
      },
    },
  }
}
