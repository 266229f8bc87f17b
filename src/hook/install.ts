/**
 * What `install` works out before deploying: which Auto Scaling group holds the cluster's instances, and
 * what could clash with the hook (another terminating hook on the group; ECS managed instance draining on
 * a capacity provider, which would drain the same instances a second time). Also the template itself.
 */
import {resolveCluster} from '../core/cluster.js'
import {UsageError} from '../core/errors.js'
import type {AutoScalingPort, EcsDetailsPort, EcsPort} from '../core/ports.js'
import type {PromptPort} from '../core/prompt.js'
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

export interface InstallPorts {
  ecs: EcsPort
  autoScaling: AutoScalingPort
  ecsDetails: EcsDetailsPort
}

/**
 * The capacity providers of the cluster's instances whose managed instance draining is on: ECS drains their
 * instances itself (DescribeCapacityProviders, through the EcsDetailsPort).
 */
export async function managedDrainingProviders(ports: InstallPorts, cluster: string): Promise<string[]> {
  const names = (await ports.ecs.listContainerInstances(cluster)).map((i) => i.capacityProviderName)
  const unique = [...new Set(names.filter((n): n is string => !!n))]
  if (unique.length === 0) return []
  const providers = await ports.ecsDetails.describeCapacityProviders(unique)
  return providers.filter((p) => p.managedDraining).map((p) => p.name)
}

/** Checks the group exists; returns warnings about anything that would fight the hook. */
export async function checkGroup(
  ports: InstallPorts,
  cluster: string,
  group: string,
  ourHook: string,
): Promise<string[]> {
  const [found] = await ports.autoScaling.describeAutoScalingGroups([group])
  if (!found) {
    throw new UsageError(`Auto Scaling group ${group} was not found.`, {
      code: 'UNKNOWN_GROUP',
      suggestion: 'Check --asg, --region and --profile; `ecsdrain instances` shows each instance group.',
    })
  }
  const warnings: string[] = []
  const others = (await ports.autoScaling.describeLifecycleHooks(group)).filter(
    (h) => h.transition === TERMINATING && h.hookName !== ourHook,
  )
  for (const h of others) {
    warnings.push(
      `Group ${group} already has a terminating lifecycle hook, ${h.hookName} (heartbeat ${h.heartbeatTimeout}s, default ${h.defaultResult}): ` +
        'instances will wait for both; remove the old hook (and its drain function) if ecsdrain replaces it.',
    )
  }
  for (const provider of await managedDrainingProviders(ports, cluster)) {
    warnings.push(
      `Capacity provider ${provider} has managed instance draining enabled: ECS drains its instances itself, so they would be drained twice. ` +
        'Disable managed draining on it, or do not install the hook for this group.',
    )
  }
  return warnings
}

/** The cluster's group; with several, the operator is asked (in a terminal), else told to pass --asg. */
async function pickGroup(ports: InstallPorts, prompt: PromptPort, cluster: string): Promise<string> {
  const groups = await groupsOfCluster(ports.ecs, ports.autoScaling, cluster)
  if (groups.length > 1) {
    const message = `The instances of ${cluster} belong to several Auto Scaling groups:`
    const picked = await prompt.choose({code: 'GROUP_CHOICE', message, options: groups})
    if (picked) return picked
  }
  return chooseGroup(groups, cluster)
}

export interface InstallPlan {
  cluster: string
  group: string
  stackName: string
  templateBody: string
  /** What would fight the hook (another terminating hook, managed draining); empty when not checked. */
  warnings: string[]
}

/**
 * What `install` deploys, worked out before anything changes: the cluster, its group (asked for among
 * several), the stack's name, the template and, with `check`, the group's clashes with the hook.
 */
export async function planInstall(
  ports: InstallPorts,
  prompt: PromptPort,
  i: Omit<TemplateInputs, 'cluster' | 'autoScalingGroupName'> & {
    cluster?: string
    autoScalingGroupName?: string
    stackName?: string
    check: boolean
  },
): Promise<InstallPlan> {
  checkAlarmTarget(i)
  const cluster = (await resolveCluster(ports.ecs, i.cluster)).clusterName
  const group = i.autoScalingGroupName ?? (await pickGroup(ports, prompt, cluster))
  const stackName = i.stackName ?? defaultStackName(cluster)
  const templateBody = await installTemplate({...i, cluster, autoScalingGroupName: group})
  const warnings = i.check ? await checkGroup(ports, cluster, group, stackName) : []
  return {cluster, group, stackName, templateBody, warnings}
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
