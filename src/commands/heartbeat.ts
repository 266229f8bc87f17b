import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {systemClock} from '../core/clock.js'
import {heartbeatAction, type HeartbeatResult} from '../core/drain/index.js'
import {parseEc2InstanceIds} from '../core/ids.js'

export default class Heartbeat extends AwsCommand<typeof Heartbeat> {
  static override summary = "Record a lifecycle heartbeat: restart the pending action's heartbeat timeout."
  static override description = `Prints the new deadline. Heartbeats cannot extend an action past its global timeout (the smaller of 48 h and 100 x HeartbeatTimeout).`

  static override examples = [
    {
      description: 'Restart the heartbeat timeout of the pending lifecycle action; prints the new deadline',
      command: '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606',
    },
    {
      description: 'The same, naming the hook and the group',
      command:
        '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606 --hook todobackend-drain-hook --asg todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P --json',
    },
  ]

  static override args = {instance: Args.string({description: 'EC2 instance id (i-...)', required: true})}
  static override flags = {
    hook: Flags.string({description: 'The lifecycle hook, when the group has several terminating hooks.'}),
    asg: Flags.string({description: 'The Auto Scaling group (default: found from the instance).'}),
  }

  public async run(): Promise<HeartbeatResult> {
    const [id] = parseEc2InstanceIds([this.args.instance])
    const aws = await this.aws()
    const result = await heartbeatAction({autoScaling: aws.autoScaling, clock: systemClock}, id!, {
      hookName: this.flags.hook,
      group: this.flags.asg,
    })
    if (!this.jsonEnabled()) {
      this.log(
        `${id}: heartbeat recorded for ${result.hook} (${result.group}); new deadline ${result.heartbeatDeadline}`,
      )
      if (result.globalDeadline)
        this.log(`global deadline (no heartbeat extends it): ${result.globalDeadline}`)
    }
    return result
  }
}
