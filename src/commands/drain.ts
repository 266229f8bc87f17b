import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {canPrompt, confirm} from '../cli/confirm.js'
import {durationFlag} from '../cli/duration.js'
import {clusterFlag} from '../cli/flags.js'
import {systemClock} from '../core/clock.js'
import {executeDrain, exitCodeFor, instancesInTerminatingWait, planDrain} from '../core/drain/index.js'
import type {DrainOptions, DrainResult} from '../core/drain/index.js'
import {EcsdrainError, UsageError} from '../core/errors.js'
import {parseEc2InstanceIds} from '../core/ids.js'
import {locateInstances} from '../core/locate.js'
import {listrProgress, plainProgress} from '../render/drain-progress.js'
import {
  commandContext,
  interruptLines,
  preflightLines,
  summaryLine,
  waitingLines,
} from '../render/drain-text.js'

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
  static override flags = {
    cluster: clusterFlag,
    asg: Flags.string({description: 'Drain the instances of this Auto Scaling group in Terminating:Wait.'}),
    hook: Flags.string({
      description: 'The terminating lifecycle hook to heartbeat and complete, when the group has several.',
    }),
    timeout: durationFlag({
      name: 'timeout',
      description: 'Give up after this long, leaving the instance DRAINING.',
      default: '30m',
    }),
    interval: durationFlag({name: 'interval', description: 'Poll period.', default: '5s', minMs: 1000}),
    'no-wait': Flags.boolean({description: 'Set DRAINING and return.'}),
    'no-complete': Flags.boolean({
      description: 'Never complete the lifecycle action.',
    }),
    'dry-run': Flags.boolean({
      description: 'Print the preflight; change nothing.',
      exclusive: ['no-wait', 'no-complete', 'stop-standalone'],
    }),
    force: Flags.boolean({description: 'Drain despite a deadlock or the last ACTIVE instance.'}),
    'stop-standalone': Flags.boolean({
      description: 'Stop standalone tasks on the instance (with a reason).',
    }),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation.'}),
  }

  public async run(): Promise<DrainResult[]> {
    const {flags} = this
    const ids = parseEc2InstanceIds((await this.parse(Drain)).argv as string[])
    if (ids.length === 0 && !flags.asg) {
      throw new UsageError('Name the instances to drain.', {
        suggestion: 'ecsdrain drain i-0123456789abcdef0 (or --asg G)',
      })
    }
    const interactive = canPrompt()
    if (!flags['dry-run'] && !flags.yes && !interactive) {
      throw new UsageError('Draining needs confirmation, and there is no terminal to ask in.', {
        code: 'CONFIRMATION_REQUIRED',
        suggestion: 'Pass --yes to drain, or --dry-run to see the preflight first.',
      })
    }
    const aws = await this.aws()
    const ports = {
      ecs: aws.ecs,
      autoScaling: aws.autoScaling,
      clock: systemClock,
      ecsDetails: aws.ecsDetails,
      elb: aws.elb,
    }
    const wanted = ids.length > 0 ? ids : await instancesInTerminatingWait(aws.autoScaling, flags.asg!)
    if (wanted.length === 0) {
      this.logToStderr(`No instance of ${flags.asg} is in Terminating:Wait: nothing to drain.`)
      return []
    }
    const located = await locateInstances(aws, wanted, flags.cluster)

    const abort = new AbortController()
    const onSigint = () => abort.abort()
    process.on('SIGINT', onSigint)
    try {
      const options: DrainOptions = {
        timeoutMs: flags.timeout,
        intervalMs: flags.interval,
        noWait: flags['no-wait'],
        noComplete: flags['no-complete'],
        dryRun: flags['dry-run'],
        force: flags.force,
        stopStandalone: flags['stop-standalone'],
        hookName: flags.hook,
        autoScalingGroupName: flags.asg,
        signal: abort.signal,
        // Instances drained together are no room for each other's replacements.
        batch: located.map((t) => t.instance.containerInstanceArn),
      }
      // Plan every instance first: a usage error for one stops the command before anything changes.
      const plans = await Promise.all(located.map((t) => planDrain(ports, t, options)))
      const show = (line: string) => (flags['dry-run'] ? this.log(line) : this.logToStderr(line))
      if (!this.jsonEnabled()) for (const plan of plans) preflightLines(plan).forEach(show)
      const toDrain = plans.filter((p) => !p.finished && !p.report.refused).length
      if (!flags['dry-run'] && !flags.yes && toDrain > 0 && !abort.signal.aborted) {
        const answer = await confirm(`Drain ${toDrain} instance(s)?`)
        if (answer === 'interrupted') abort.abort()
        else if (answer === 'no')
          throw new EcsdrainError('Not confirmed: nothing was changed.', {code: 'NOT_CONFIRMED'})
      }
      const tty = !this.jsonEnabled() && Boolean(process.stderr.isTTY)
      const progress = tty
        ? await listrProgress(
            located.map((t) => t.instance.ec2InstanceId),
            process.stderr,
          )
        : plainProgress((line) => this.logToStderr(line))
      const results = await Promise.all(
        plans.map(async (plan) => {
          const result = await executeDrain(ports, plan, {...options, onEvent: (e) => progress.onEvent(e)})
          progress.finished(result)
          return result
        }),
      )
      await progress.close()
      this.report(results, tty)
      process.exitCode = exitCodeFor(results.map(wouldBe))
      return results
    } finally {
      process.off('SIGINT', onSigint)
    }
  }

  private report(results: DrainResult[], progressOnTerminal: boolean): void {
    // In a terminal the progress display already ends on each instance's summary: say it once.
    const summaryShown = progressOnTerminal && Boolean(process.stdout.isTTY)
    if (!this.jsonEnabled() && !this.flags['dry-run'] && !summaryShown)
      for (const r of results) this.log(summaryLine(r))
    for (const line of results.flatMap(waitingLines)) this.logToStderr(line)
    const lines = interruptLines(results, commandContext(this.config.bin, this.flags))
    for (const line of lines) this.logToStderr(line)
    for (const r of results.filter((x) => x.outcome === 'timeout')) {
      for (const w of r.warnings.filter((x) => x.includes('still pending')))
        this.logToStderr(`${r.ec2InstanceId}: ${w}`)
    }
  }
}

/**
 * A dry run exits as the real run would: 4 where it would refuse, so `drain --dry-run` can gate a pipeline.
 * Its JSON outcome stays `dry-run` (nothing was done), with `preflight.refused` saying why it exits 4.
 */
function wouldBe(r: DrainResult): DrainResult['outcome'] {
  return r.outcome === 'dry-run' && r.preflight?.refused ? 'refused' : r.outcome
}
