import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {canPrompt, confirm} from '../cli/confirm.js'
import {clusterFlag} from '../cli/flags.js'
import {resolveCluster} from '../core/cluster.js'
import {EcsdrainError, ExitCode, UsageError} from '../core/errors.js'
import {deleteStack, type DeployResult} from '../hook/deploy.js'
import {defaultStackName} from '../hook/install.js'
import {systemClock} from '../core/clock.js'
import {outcomeLine, plainStackProgress, silentProgress} from '../render/stack-progress.js'

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
    const aws = await this.aws()
    const stackName =
      f['stack-name'] ?? defaultStackName((await resolveCluster(aws.ecs, f.cluster)).clusterName)
    if (!f.yes) {
      if (!canPrompt()) {
        throw new UsageError(`uninstall deletes stack ${stackName} and needs a confirmation.`, {
          code: 'CONFIRMATION_REQUIRED',
          suggestion: 'Pass --yes to delete without asking (nothing has been changed).',
        })
      }
      const answer = await confirm(`Delete stack ${stackName}?`)
      if (answer === 'interrupted') {
        throw new EcsdrainError('Interrupted: nothing was changed.', {
          code: 'INTERRUPTED',
          exitCode: ExitCode.interrupted,
        })
      }
      if (answer !== 'yes') {
        this.logToStderr('Cancelled: nothing was changed.')
        return {
          stackName,
          stackId: null,
          outcome: 'cancelled',
          status: null,
          changes: [],
          failure: null,
          outputs: {},
        }
      }
    }
    const {createCloudFormationPort} = await import('../aws/cloudformation.js')
    const progress = this.jsonEnabled() ? silentProgress : plainStackProgress((l) => this.logToStderr(l))
    const result = await deleteStack(createCloudFormationPort(aws.factory), systemClock, {
      stackName,
      onEvent: (e) => progress.onEvent(e),
    })
    if (result.outcome === 'failed') {
      throw new EcsdrainError(
        `Stack ${stackName} ended ${result.status}: ${result.failure ? `${result.failure.logicalId}: ${result.failure.reason}` : ''}`,
        {
          code: 'STACK_FAILED',
          suggestion: 'Fix the resource named above (or delete it by hand), then run uninstall again.',
        },
      )
    }
    this.logToStderr(outcomeLine(result))
    return result
  }
}
