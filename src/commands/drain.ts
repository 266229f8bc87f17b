import * as Args from '@oclif/core/args'

import {AwsCommand} from '../cli/aws-command.js'
import {drainFlags, drainOptions} from '../cli/drain-flags.js'
import {withInterrupt} from '../cli/interrupt.js'
import {promptHost} from '../cli/prompt.js'
import {systemClock} from '../core/clock.js'
import {batchExitCode, batchTargets, drainBatch, type DrainResult} from '../core/drain/index.js'
import {UsageError} from '../core/errors.js'
import {parseEc2InstanceIds} from '../core/ids.js'
import {noAnswers} from '../core/prompt.js'
import {drainProgressFor} from '../render/drain-progress.js'
import {batchReportLines, commandContext, preflightLines} from '../render/drain-text.js'

export default class Drain extends AwsCommand<typeof Drain> {
  static override summary = 'Drain container instances safely, then complete their pending lifecycle action.'
  static override description = `Preflight (tasks by kind, capacity, deadlocks, the last ACTIVE instance, hook deadlines), then DRAINING, then wait until no task on the instance is other than STOPPED, heartbeating a pending lifecycle hook, then CompleteLifecycleAction CONTINUE.

Asks for confirmation in a terminal; without one (scripts, CI) pass --yes, or --dry-run to preview. Exit codes: 0 drained, 1 failed, 2 bad input, 3 timed out (left DRAINING), 4 refused by preflight (nothing changed), 130 interrupted (nothing completed). --dry-run exits as the drain would start: 0 when it would proceed, 4 when it would refuse, so it can gate a pipeline.`

  static override examples = [
    {
      description:
        'The preflight only: exit 0 if the drain would proceed, 4 if it would be refused (as for the only ACTIVE instance of the sim)',
      command: '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606 --dry-run',
    },
    {
      description: 'Drain without asking, giving up after 45 minutes (exit 3, left DRAINING)',
      command: '<%= config.bin %> <%= command.id %> i-0e1210ebdde2f1606 --yes --timeout 45m',
    },
    {
      description:
        'Drain every instance of the group that waits in Terminating:Wait; one JSON object per instance',
      command:
        '<%= config.bin %> <%= command.id %> --asg todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P --cluster todobackend-cluster --yes --json',
    },
  ]

  static override strict = false
  static override args = {instances: Args.string({description: 'EC2 instance ids (i-...)', required: false})}
  static override flags = drainFlags

  public async run(): Promise<DrainResult[]> {
    const {flags} = this
    const ids = parseEc2InstanceIds((await this.parse(Drain)).argv as string[])
    if (ids.length === 0 && !flags.asg) {
      throw new UsageError('Name the instances to drain.', {
        suggestion: 'ecsdrain drain i-0123456789abcdef0 (or --asg G)',
      })
    }
    const prompt = flags['dry-run'] ? noAnswers : promptHost(flags.yes, NEEDS_CONFIRMATION)
    const aws = await this.aws()
    const ports = {...aws, clock: systemClock}
    const targets = await batchTargets(ports, ids, {cluster: flags.cluster, autoScalingGroupName: flags.asg})
    if (targets.length === 0) {
      this.logToStderr(`No instance of ${flags.asg} is in Terminating:Wait: nothing to drain.`)
      return []
    }
    const json = this.jsonEnabled()
    // The preflight is what a dry run is for: stdout. Otherwise it is progress: stderr.
    const show = (line: string) => (flags['dry-run'] ? this.log(line) : this.logToStderr(line))
    const tty = !json && Boolean(process.stderr.isTTY)
    const results = await withInterrupt((signal) =>
      drainBatch(
        ports,
        targets,
        {...drainOptions(flags), signal},
        {
          prompt,
          planned: (plans) => (json ? undefined : plans.flatMap(preflightLines).forEach(show)),
          observe: (t) => drainProgressFor(t, {tty, write: (line) => this.logToStderr(line)}),
        },
      ),
    )
    // In a terminal the progress display already ends on each instance's summary: say it once.
    const summaries = !json && !flags['dry-run'] && !(tty && process.stdout.isTTY)
    const report = batchReportLines(results, commandContext(this.config.bin, flags), {summaries})
    report.stdout.forEach((line) => this.log(line))
    report.stderr.forEach((line) => this.logToStderr(line))
    process.exitCode = batchExitCode(results)
    return results
  }
}

const NEEDS_CONFIRMATION = {
  message: 'Draining needs confirmation, and there is no terminal to ask in.',
  suggestion: 'Pass --yes to drain, or --dry-run to see the preflight first.',
}
