/**
 * What `install` works out before deploying: which Auto Scaling group holds the cluster's instances, and
 * what could clash with the hook (another terminating hook on the group; ECS managed instance draining on
 * a capacity provider, which would drain the same instances a second time). Also the template itself.
 */
import {UsageError} from '../core/errors.js'
import type {AutoScalingPort, EcsPort} from '../core/ports.js'
import {loadHandlerCode} from './bundle.js'
import {TERMINATING} from './notification.js'
import {clusterNameOf, renderHookTemplate} from './template.js'

/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128. */
export function defaultStackName(cluster: string): string {
  return `ecsdrain-${clusterNameOf(cluster)}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128)
}

/** The groups of the cluster's container instances (one DescribeAutoScalingInstances call per 50). */
export async function groupsOfCluster(
  ecs: EcsPort,
  asg: AutoScalingPort,
  cluster: string,
): Promise<string[]> {
  const instances = await ecs.listContainerInstances(cluster)
  const inGroups = await asg.describeAutoScalingInstances(instances.map((i) => i.ec2InstanceId))
  return [...new Set(inGroups.map((i) => i.autoScalingGroupName))].sort()
}

export function chooseGroup(groups: string[], cluster: string): string {
  if (groups.length === 1) return groups[0]!
  if (groups.length === 0) {
    throw new UsageError(`No container instance of cluster ${cluster} belongs to an Auto Scaling group.`, {
      code: 'NO_GROUP',
      suggestion: 'Pass --asg with the group that launches the cluster instances.',
    })
  }
  throw new UsageError(
    `The instances of cluster ${cluster} belong to several groups: ${groups.join(', ')}.`,
    {
      code: 'SEVERAL_GROUPS',
      suggestion: `Pass --asg with one of them, e.g. --asg ${groups[0]} (one stack per group).`,
    },
  )
}

/** Checks the group exists; returns warnings about anything that would fight the hook. */
export async function checkGroup(
  asg: AutoScalingPort,
  group: string,
  ourHook: string,
  managedDraining: () => Promise<string[]>,
): Promise<string[]> {
  const [found] = await asg.describeAutoScalingGroups([group])
  if (!found) {
    throw new UsageError(`Auto Scaling group ${group} was not found.`, {
      code: 'UNKNOWN_GROUP',
      suggestion: 'Check --asg, --region and --profile; `ecsdrain instances` shows each instance group.',
    })
  }
  const warnings: string[] = []
  const others = (await asg.describeLifecycleHooks(group)).filter(
    (h) => h.transition === TERMINATING && h.hookName !== ourHook,
  )
  for (const h of others) {
    warnings.push(
      `Group ${group} already has a terminating lifecycle hook, ${h.hookName} (heartbeat ${h.heartbeatTimeout}s, default ${h.defaultResult}): ` +
        'instances will wait for both; remove the old hook (and its drain function) if ecsdrain replaces it.',
    )
  }
  for (const provider of await managedDraining()) {
    warnings.push(
      `Capacity provider ${provider} has managed instance draining enabled: ECS drains its instances itself, so they would be drained twice. ` +
        'Disable managed draining on it, or do not install the hook for this group.',
    )
  }
  return warnings
}

export interface TemplateInputs {
  cluster: string
  autoScalingGroupName: string
  heartbeatTimeout: number
  drainTimeoutSeconds: number
  version: string
  /** `install --alarm-topic-arn`: the alarms notify this SNS topic. */
  alarmTopicArn?: string
  /** `install --alarm-email`: the alarms notify a topic of the stack's own, which emails this address. */
  alarmEmail?: string
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** Whom the alarms notify, checked before anything is rendered or deployed (exit 2, nothing changed). */
export function checkAlarmTarget(i: Pick<TemplateInputs, 'alarmTopicArn' | 'alarmEmail'>): void {
  if (i.alarmTopicArn !== undefined && !SNS_TOPIC_ARN.test(i.alarmTopicArn)) {
    throw new UsageError(`--alarm-topic-arn ${i.alarmTopicArn} is not an SNS topic ARN.`, {
      code: 'BAD_ALARM_TOPIC',
      suggestion:
        'Pass a standard topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:ops-alarms (`aws sns list-topics`).',
    })
  }
  if (i.alarmEmail !== undefined && !EMAIL.test(i.alarmEmail)) {
    throw new UsageError(`--alarm-email ${i.alarmEmail} is not an email address.`, {
      code: 'BAD_ALARM_EMAIL',
      suggestion: 'Pass an address such as ops@example.com; SNS asks it to confirm the subscription.',
    })
  }
}

export async function installTemplate(i: TemplateInputs): Promise<string> {
  checkAlarmTarget(i)
  return renderHookTemplate({
    cluster: i.cluster,
    autoScalingGroupName: i.autoScalingGroupName,
    heartbeatTimeout: i.heartbeatTimeout,
    drainTimeout: i.drainTimeoutSeconds,
    handlerCode: await loadHandlerCode(),
    version: i.version,
    alarmTopicArn: i.alarmTopicArn ?? null,
    alarmEmail: i.alarmEmail ?? null,
  })
}
