import {AwsCommand} from '../cli/aws-command.js'
import {terminalPrompt} from '../cli/prompt.js'
import {followOptionsFrom, refreshFlags} from '../cli/refresh-flags.js'
import {systemClock} from '../core/clock.js'
import {resolveCluster} from '../core/cluster.js'
import {EcsdrainError, ExitCode} from '../core/errors.js'
import {followRefreshes, planRefresh, refreshExitCode} from '../core/refresh/index.js'
import {defaultStackName} from '../hook/install.js'
import {refreshProgressFor} from '../render/refresh-progress.js'
import {nextStepLines, planLines, resultLine} from '../render/refresh-text.js'

export default class Refresh extends AwsCommand<typeof Refresh> {
  static override summary = "Roll a cluster's instances with an instance refresh, drained and guarded."
  static override description = `Preflight (read-only; what --dry-run prints): the instances to replace (--skip-matching against the launch template), the largest batch that keeps every service at or above its minimum healthy percent (per AZ, with placement constraints), who drains (the ecsdrain stack, capacity-provider managed draining, or ecsdrain itself), the hook's timeouts against the expected drain, and blockers.

Then StartInstanceRefresh with MinHealthyPercentage/MaxHealthyPercentage from the plan (or the flags), and follow it. In assisted mode (a terminating hook nobody else acts on) ecsdrain drains each terminating instance and completes its action. A service below its minimum, a failed deployment or a drain timeout stops the refresh (--on-failure). Ctrl-C leaves the refresh as it is and prints the commands to follow, cancel or roll it back.

Exit codes: 0 successful, 1 stopped by a guard or failed, 2 bad input, 3 --timeout, 4 refused by preflight (nothing changed), 130 interrupted. --json: NDJSON on stdout (the plan, each event, the results).`

  static override examples = [
    {
      description: 'The preflight only (exit 4 if it would be refused)',
      command: '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --dry-run',
    },
    {
      description: 'Replace only what is not on the launch template, pausing at checkpoints',
      command:
        '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --skip-matching --checkpoints 50,100 --checkpoint-delay 5m --dry-run',
    },
  ]

  static override flags = refreshFlags

  public async run(): Promise<void> {
    const f = this.flags
    const follow = followOptionsFrom(f)
    const aws = await this.aws()
    const cluster = (await resolveCluster(aws.ecs, f.cluster)).clusterName
    const {createCloudFormationPort} = await import('../aws/cloudformation.js')
    const ports = {...aws, clock: systemClock, cloudFormation: createCloudFormationPort(aws.factory)}
    const plan = await planRefresh(ports, {
      cluster,
      groups: f.asg,
      skipMatching: f['skip-matching'],
      minHealthyPercentage: f['min-healthy'],
      maxHealthyPercentage: f['max-healthy'],
      launchTemplateVersion: f['launch-template-version'],
      stackName: f['stack-name'] ?? defaultStackName(cluster),
      force: f.force || Boolean(f.follow),
    })
    const json = this.jsonEnabled()
    const out = (line: string) => process.stdout.write(`${line}\n`)
    if (json) out(JSON.stringify({type: 'plan', plan}))
    else {
      const show = (line: string) => (f['dry-run'] ? this.log(line) : this.logToStderr(line))
      for (const line of planLines(plan)) show(line)
    }
    if (f['dry-run'] || plan.refused) {
      process.exitCode = plan.refused ? ExitCode.refused : ExitCode.ok
      return
    }
    const groups = plan.groups.filter((g) => g.toReplace.length > 0 || f.follow)
    const names = groups.map((g) => g.autoScalingGroupName)
    if (!f.yes && groups.length > 0) await confirmOrStop(`Start the instance refresh of ${names.join(', ')}?`)
    const progress = await refreshProgressFor(json, names, out, (line) => this.logToStderr(line))
    const abort = new AbortController()
    const onSigint = () => abort.abort()
    process.on('SIGINT', onSigint)
    const results = await followRefreshes(ports, groups, {
      ...follow,
      cluster,
      signal: abort.signal,
      onEvent: (e) => progress.onEvent(e),
    }).finally(async () => {
      process.off('SIGINT', onSigint)
      await progress.close()
    })
    if (!json && process.stderr.isTTY) for (const r of results) this.log(resultLine(r))
    for (const r of results)
      for (const line of nextStepLines(r, this.config.bin, cluster)) this.logToStderr(line)
    process.exitCode = refreshExitCode(results.map((r) => r.outcome))
  }
}

async function confirmOrStop(message: string): Promise<void> {
  const answer = await terminalPrompt.confirm({code: 'REFRESH_CONFIRM', message, defaultAnswer: 'no'})
  if (answer !== 'yes')
    throw new EcsdrainError('Not confirmed: nothing was changed.', {code: 'NOT_CONFIRMED'})
}
