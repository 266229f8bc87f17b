import * as Args from '@oclif/core/args'

import {AwsCommand} from '../cli/aws-command.js'
import {clusterFlag} from '../cli/flags.js'
import {undrainInstance, type UndrainResult} from '../core/drain/index.js'
import {UsageError} from '../core/errors.js'
import {parseEc2InstanceIds} from '../core/ids.js'
import {locateInstances} from '../core/locate.js'

export default class Undrain extends AwsCommand<typeof Undrain> {
  static override summary = 'Set container instances back to ACTIVE (undo a drain).'
  static override description = `Undoes \`ecsdrain drain\`: the instances receive tasks again. An instance in Terminating:Wait is terminated by Auto Scaling anyway, so undrain warns about it.`

  static override examples = [
    {
      description: 'Back to ACTIVE (says so when it already is)',
      command: '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606',
    },
    {
      description: 'Naming the cluster, with the result as JSON',
      command: '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606 --cluster todobackend-cluster --json',
    },
  ]

  static override strict = false
  static override args = {instances: Args.string({description: 'EC2 instance ids (i-...)', required: false})}
  static override flags = {cluster: clusterFlag}

  public async run(): Promise<UndrainResult[]> {
    const ids = parseEc2InstanceIds((await this.parse(Undrain)).argv as string[])
    if (ids.length === 0) {
      throw new UsageError('Name the instances to undrain.', {
        suggestion: 'ecsdrain undrain i-0123456789abcdef0',
      })
    }
    const aws = await this.aws()
    const located = await locateInstances(aws, ids, this.flags.cluster)
    const results: UndrainResult[] = []
    for (const target of located) {
      const result = await undrainInstance(aws, target)
      for (const w of result.warnings) this.logToStderr(`warning: ${w}`)
      if (!this.jsonEnabled())
        this.log(`${result.ec2InstanceId} (${result.cluster}): ${result.previousStatus} -> ${result.status}`)
      results.push(result)
    }
    return results
  }
}
