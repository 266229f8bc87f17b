import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {clusterFlag} from '../cli/flags.js'
import {completeAction, type CompleteResult, type DrainTarget} from '../core/drain/index.js'
import {EcsdrainError, UsageError} from '../core/errors.js'
import {parseEc2InstanceIds} from '../core/ids.js'
import {locateInstances} from '../core/locate.js'

export default class Complete extends AwsCommand<typeof Complete> {
  static override summary = "Complete an instance's pending lifecycle action (it then terminates)."
  static override description = `Finds the terminating hook and the Auto Scaling group itself (--hook when the group has several). For a termination both CONTINUE and ABANDON let the instance terminate, so either is refused (exit 4) while tasks still live on the instance, unless --force. An action that is already over (completed before, or expired) is success: exit 0, outcome "already-complete" in --json.`

  static override examples = [
    {
      description: 'Complete with CONTINUE; refused (exit 4) while tasks still run on the instance',
      command: '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606',
    },
    {
      description:
        'Complete with ABANDON through a named hook, tasks or not (the instance terminates either way)',
      command:
        '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606 --result ABANDON --hook todobackend-drain-hook --force',
    },
  ]

  static override args = {instance: Args.string({description: 'EC2 instance id (i-...)', required: true})}
  static override flags = {
    cluster: clusterFlag,
    result: Flags.string({
      options: ['CONTINUE', 'ABANDON'],
      default: 'CONTINUE',
      description: 'The lifecycle action result.',
    }),
    hook: Flags.string({description: 'The lifecycle hook, when the group has several terminating hooks.'}),
    asg: Flags.string({description: 'The Auto Scaling group (default: found from the instance).'}),
    force: Flags.boolean({description: 'Complete even though tasks still run on the instance.'}),
  }

  public async run(): Promise<CompleteJson> {
    const [id] = parseEc2InstanceIds([this.args.instance])
    const aws = await this.aws()
    // The instance may already have left ECS; then no task can be running on it.
    let target: DrainTarget | null = null
    try {
      ;[target] = await locateInstances(aws, [id!], this.flags.cluster)
    } catch (error) {
      if (!(error instanceof UsageError && error.code === 'INSTANCE_NOT_FOUND')) throw error
      this.logToStderr(
        `warning: ${id} is not a container instance in any cluster searched: no task runs on it.`,
      )
    }
    let result: CompleteResult
    try {
      result = await completeAction(aws, id!, target ?? null, {
        result: this.flags.result as 'CONTINUE' | 'ABANDON',
        hookName: this.flags.hook,
        group: this.flags.asg,
        force: this.flags.force,
      })
    } catch (error) {
      if (!(error instanceof EcsdrainError && error.code === 'NO_ACTIVE_LIFECYCLE_ACTION')) throw error
      // What was asked for is already so: the action is over (completed before, or expired into its
      // default result). Like draining an instance that is already DRAINING, that is success.
      if (!this.jsonEnabled()) this.log(`${error.message} Nothing to do.`)
      return {...alreadyOver(id!, this.flags), note: error.message}
    }
    if (!this.jsonEnabled()) {
      const forced = result.liveTasks > 0 ? ` (forced, ${result.liveTasks} task(s) still live)` : ''
      this.log(
        `${id}: completed lifecycle action ${result.hook} (${result.group}) with ${result.result}${forced}`,
      )
    }
    const {ec2InstanceId, ...rest} = result
    return {ec2InstanceId, outcome: 'completed', ...rest, note: null}
  }
}

/** `complete --json`: fields are only ever added. */
export type CompleteJson =
  | (CompleteResult & {outcome: 'completed'; note: null})
  | {
      ec2InstanceId: string
      outcome: 'already-complete'
      hook: string | null
      group: string | null
      result: null
      liveTasks: 0
      note: string
    }

function alreadyOver(id: string, flags: {hook?: string; asg?: string}) {
  return {
    ec2InstanceId: id,
    outcome: 'already-complete' as const,
    hook: flags.hook ?? null,
    group: flags.asg ?? null,
    result: null,
    liveTasks: 0 as const,
  }
}
