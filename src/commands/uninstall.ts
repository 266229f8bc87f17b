import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {clusterFlag} from '../cli/flags.js'
import {withInterrupt} from '../cli/interrupt.js'
import {promptHost} from '../cli/prompt.js'
import {finishStack} from '../cli/stack-result.js'
import {systemClock} from '../core/clock.js'
import {resolveCluster} from '../core/cluster.js'
import {deleteStack, type DeployResult} from '../core/stack/deploy.js'
import {defaultStackName} from '../hook/install.js'
import {plainStackProgress, silentProgress} from '../render/stack-progress.js'

export default class Uninstall extends AwsCommand<typeof Uninstall> {
  static override summary = 'Delete the hook stack that `ecsdrain install` deployed.'
  static override description =
    'Deletes the CloudFormation stack (lifecycle hook, topic, Lambda, queue, alarm, log group, roles), showing each resource as it goes. Instances already waiting on the hook are released by its DefaultResult.'

  static override examples = [
    {
      description: 'Delete the stack `install` deployed for the cluster (absent: exit 0, nothing to do)',
      command: '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --yes',
    },
    {
      description: 'Delete a stack by name',
      command: '<%= config.bin %> <%= command.id %> --stack-name ecsdrain-todobackend-cluster --yes',
    },
  ]

  static override flags = {
    cluster: clusterFlag,
    'stack-name': Flags.string({description: 'CloudFormation stack name (default: ecsdrain-<cluster>).'}),
    yes: Flags.boolean({char: 'y', description: 'Delete without asking.'}),
  }

  public async run(): Promise<DeployResult> {
    const f = this.flags
    const prompt = promptHost(f.yes, {
      message: 'uninstall deletes the hook stack and needs a confirmation.',
      suggestion: 'Pass --yes to delete without asking (nothing has been changed).',
    })
    const aws = await this.aws()
    const stackName =
      f['stack-name'] ?? defaultStackName((await resolveCluster(aws.ecs, f.cluster)).clusterName)
    const {createCloudFormationPort} = await import('../aws/cloudformation.js')
    const progress = this.jsonEnabled() ? silentProgress : plainStackProgress((l) => this.logToStderr(l))
    const result = await withInterrupt((signal) =>
      deleteStack(createCloudFormationPort(aws.factory), {
        clock: systemClock,
        stackName,
        onEvent: (e) => progress.onEvent(e),
        prompt,
        signal,
      }),
    )
    return finishStack(result, 'uninstall', (l) => this.logToStderr(l))
  }
}
