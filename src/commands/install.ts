import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {canPrompt, confirm} from '../cli/confirm.js'
import {durationFlag} from '../cli/duration.js'
import {clusterFlag} from '../cli/flags.js'
import {resolveCluster} from '../core/cluster.js'
import {EcsdrainError, ExitCode, UsageError} from '../core/errors.js'
import {deployStack, type DeployResult} from '../hook/deploy.js'
import {checkGroup, chooseGroup, defaultStackName, groupsOfCluster, installTemplate} from '../hook/install.js'
import {systemClock} from '../core/clock.js'
import {changeLines, outcomeLine, stackProgressFor} from '../render/stack-progress.js'

export default class Install extends AwsCommand<typeof Install> {
  static override summary =
    'Deploy the hook stack: a terminating lifecycle hook whose Lambda drains with ecsdrain.'
  static override description = `Deploys, through a CloudFormation change set, a lifecycle hook on the Auto Scaling group of the cluster's instances, an encrypted SNS topic, and a Lambda (Node.js 22) that runs ecsdrain's own drain engine: it drains each terminating instance, heartbeats the hook, and completes CONTINUE once no task is left. Also a dead-letter queue with an alarm, a log group with retention, and IAM scoped to the cluster and the group.

The change set is shown before it is executed (confirm, or pass --yes). Re-running with nothing changed says so. --print writes the template to stdout instead; with --cluster and --asg it makes no AWS call at all.`

  static override examples = [
    {
      description:
        'Find the cluster and its group, show the change set, and ask (without a terminal: exit 2, pass --yes)',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Deploy without asking',
      command:
        '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --asg todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P --yes',
    },
    {
      description: 'The template only, with no AWS call at all',
      command:
        '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --asg todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P --print > hook-stack.json',
    },
  ]

  static override flags = {
    cluster: clusterFlag,
    asg: Flags.string({
      description: "The Auto Scaling group (default: the group holding the cluster's instances).",
    }),
    'stack-name': Flags.string({description: 'CloudFormation stack name (default: ecsdrain-<cluster>).'}),
    'heartbeat-timeout': Flags.integer({
      description: "The hook's HeartbeatTimeout in seconds; the Lambda heartbeats well before it runs out.",
      default: 900,
      min: 30,
      max: 7200,
    }),
    'drain-timeout': durationFlag({
      name: 'drain-timeout',
      description: 'Longest a drain may take before the Lambda gives up (and the hook default applies).',
      default: '1h',
      minMs: 60_000,
    }),
    'alarm-topic-arn': Flags.string({
      description:
        "SNS topic the stack's alarms notify (dead-letter queue not empty, drain function errors).",
      exclusive: ['alarm-email'],
    }),
    'alarm-email': Flags.string({
      description:
        'Email address the alarms notify, through a topic the stack creates (SNS asks it to confirm).',
      exclusive: ['alarm-topic-arn'],
    }),
    print: Flags.boolean({description: 'Write the template to stdout instead of deploying it.'}),
    yes: Flags.boolean({char: 'y', description: 'Deploy the change set without asking.'}),
  }

  public async run(): Promise<DeployResult | {template: unknown}> {
    const f = this.flags
    const inputs = (cluster: string, group: string) => ({
      cluster,
      autoScalingGroupName: group,
      heartbeatTimeout: f['heartbeat-timeout'],
      drainTimeoutSeconds: Math.round(f['drain-timeout'] / 1000),
      version: this.config.version,
      alarmTopicArn: f['alarm-topic-arn'],
      alarmEmail: f['alarm-email'],
    })
    // Offline: with both names given, --print needs no AWS call (GitOps, pipelines, air-gapped review).
    if (f.print && f.cluster && f.asg) return this.print(await installTemplate(inputs(f.cluster, f.asg)))

    const aws = await this.aws()
    const cluster = (await resolveCluster(aws.ecs, f.cluster)).clusterName
    const group =
      f.asg ?? (await this.pickGroup(await groupsOfCluster(aws.ecs, aws.autoScaling, cluster), cluster))
    const stackName = f['stack-name'] ?? defaultStackName(cluster)
    const templateBody = await installTemplate(inputs(cluster, group))
    if (f.print) return this.print(templateBody)

    const managedDraining = async () => {
      const {managedDrainingProviders} = await import('../aws/capacity-providers.js')
      const names = (await aws.ecs.listContainerInstances(cluster)).map((i) => i.capacityProviderName)
      return managedDrainingProviders(aws.clients.ecs, [...new Set(names.filter((n): n is string => !!n))])
    }
    for (const w of await checkGroup(aws.autoScaling, group, stackName, managedDraining)) {
      this.logToStderr(`Warning: ${w}`)
    }
    if (!f.yes && !canPrompt()) {
      throw new UsageError('install deploys a CloudFormation stack and needs a confirmation.', {
        code: 'CONFIRMATION_REQUIRED',
        suggestion: 'Pass --yes to deploy without asking (nothing has been changed).',
      })
    }

    const {createCloudFormationPort} = await import('../aws/cloudformation.js')
    const cfn = createCloudFormationPort(aws.factory)
    const progress = stackProgressFor({json: this.jsonEnabled(), write: (l) => this.logToStderr(l)})
    this.logToStderr(`Stack ${stackName}: hook on ${group} for cluster ${cluster}`)
    let interrupted = false
    const result = await deployStack(cfn, systemClock, {
      stackName,
      templateBody,
      description: `ecsdrain hook stack for ${cluster}`,
      onEvent: (e) => {
        if (e.type === 'change-set' && !this.jsonEnabled()) {
          this.logToStderr(
            `Change set (${e.creating ? 'create' : 'update'}):\n${changeLines(e.changes).join('\n')}`,
          )
        }
        progress.onEvent(e)
      },
      confirm: f.yes
        ? undefined
        : async () => {
            const answer = await confirm('Execute this change set?')
            interrupted = answer === 'interrupted'
            return answer === 'yes'
          },
    })
    await progress.close()
    // Ctrl-C at the prompt cancels like a no (the change set is deleted), but exits as documented: 130.
    if (interrupted) process.exitCode = ExitCode.interrupted
    return this.report(result)
  }

  /** The cluster's group; with several, asks in a terminal, else lists them and asks for --asg. */
  private async pickGroup(groups: string[], cluster: string): Promise<string> {
    if (groups.length > 1 && canPrompt() && !this.jsonEnabled()) {
      const {choose} = await import('../cli/choose.js')
      const picked = await choose(
        `The instances of ${cluster} belong to several Auto Scaling groups:`,
        groups,
      )
      if (picked) return picked
    }
    return chooseGroup(groups, cluster)
  }

  private print(template: string): {template: unknown} {
    if (!this.jsonEnabled()) this.log(template)
    return {template: JSON.parse(template) as unknown}
  }

  private report(r: DeployResult): DeployResult {
    if (r.outcome === 'failed') {
      const where = r.failure
        ? `${r.failure.logicalId} (${r.failure.resourceType}): ${r.failure.reason}`
        : r.status
      throw new EcsdrainError(`Stack ${r.stackName} ended ${r.status}. ${where}`, {
        code: 'STACK_FAILED',
        exitCode: ExitCode.failure,
        suggestion: `See the events with \`aws cloudformation describe-stack-events --stack-name ${r.stackName}\`; fix the cause and run install again.`,
      })
    }
    this.logToStderr(outcomeLine(r))
    return r
  }
}
