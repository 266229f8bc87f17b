import {AwsCommand} from '../cli/aws-command.js'
import {INSTALL_NEEDS_CONFIRMATION, installFlags, templateInputs} from '../cli/install-flags.js'
import {withInterrupt} from '../cli/interrupt.js'
import {choicesOnly, promptHost} from '../cli/prompt.js'
import {finishStack} from '../cli/stack-result.js'
import {systemClock} from '../core/clock.js'
import {noAnswers} from '../core/prompt.js'
import {deployStack, type DeployResult} from '../core/stack/deploy.js'
import {installTemplate, planInstall} from '../hook/install.js'
import {stackProgressFor} from '../render/stack-progress.js'

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

  static override flags = installFlags

  public async run(): Promise<DeployResult | {template: unknown}> {
    const f = this.flags
    const inputs = templateInputs(f, this.config.version)
    // Offline: with both names given, --print needs no AWS call (GitOps, pipelines, air-gapped review).
    if (f.print && f.cluster && f.asg)
      return this.print(await installTemplate({...inputs, cluster: f.cluster, autoScalingGroupName: f.asg}))
    const aws = await this.aws()
    // Only which group is asked while planning (in a terminal, and never under --json).
    const plan = await planInstall(aws, this.jsonEnabled() ? noAnswers : choicesOnly(), {
      ...inputs,
      cluster: f.cluster,
      autoScalingGroupName: f.asg,
      stackName: f['stack-name'],
      check: !f.print,
    })
    if (f.print) return this.print(plan.templateBody)
    for (const w of plan.warnings) this.logToStderr(`Warning: ${w}`)
    // After the warnings, so that a run without a terminal still says what would clash with the hook.
    const prompt = promptHost(f.yes, INSTALL_NEEDS_CONFIRMATION)

    const {createCloudFormationPort} = await import('../aws/cloudformation.js')
    const progress = stackProgressFor({json: this.jsonEnabled(), write: (l) => this.logToStderr(l)})
    this.logToStderr(`Stack ${plan.stackName}: hook on ${plan.group} for cluster ${plan.cluster}`)
    const result = await withInterrupt((signal) =>
      deployStack(createCloudFormationPort(aws.factory), {
        clock: systemClock,
        stackName: plan.stackName,
        templateBody: plan.templateBody,
        description: `ecsdrain hook stack for ${plan.cluster}`,
        onEvent: (e) => progress.onEvent(e),
        prompt,
        signal,
      }),
    )
    await progress.close()
    return finishStack(result, 'install', (l) => this.logToStderr(l))
  }

  private print(template: string): {template: unknown} {
    if (!this.jsonEnabled()) this.log(template)
    return {template: JSON.parse(template) as unknown}
  }
}
