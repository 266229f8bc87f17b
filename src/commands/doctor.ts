import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {clusterFlag} from '../cli/flags.js'
import {systemClock} from '../core/clock.js'
import {clusterName, resolveCluster} from '../core/cluster.js'
import {doctorExitCode, runDoctor, type DoctorReport, type FailOn} from '../core/doctor/index.js'
import {UsageError} from '../core/errors.js'
import {defaultStackName} from '../hook/install.js'
import {renderDoctorText} from '../render/doctor.js'

export default class Doctor extends AwsCommand<typeof Doctor> {
  static override summary =
    "Check a cluster's drain set-up, read-only: hooks, drainers, timeouts, services, protection, the hook stack."
  static override description = `Reads the cluster's container instances, Auto Scaling groups and their lifecycle hooks, capacity providers, services, task definitions, target groups, task protection and the ecsdrain hook stack (its dead-letter queue, alarms and the function's errors), and reports what would make a drain fail, stall or never happen: each finding with a severity (error, warn, info), the resource, the evidence read and the fix. It makes no call that changes anything.

Exit codes: 0 when nothing at or above --fail-on was found (default: error), 5 when something was (so that CI can gate on it), 1 when it could not look (AWS errors), 2 for bad input. --json prints the report object (README: "ecsdrain doctor").`

  static override examples = [
    {
      description: 'Check a cluster (exit 5 when an error finding exists)',
      command: '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster',
    },
    {
      description: 'Every cluster of the account and region, failing on warnings too',
      command: '<%= config.bin %> <%= command.id %> --all --fail-on warn',
    },
    {
      description: 'The error findings as JSON',
      command:
        '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --json --fail-on never | jq -c \'.findings[] | select(.severity == "error") | {check, resource}\'',
    },
  ]

  static override flags = {
    cluster: {...clusterFlag, exclusive: ['all']},
    all: Flags.boolean({
      description: 'Check every cluster of the account and region.',
      exclusive: ['cluster'],
    }),
    'fail-on': Flags.option({
      options: ['error', 'warn', 'info', 'never'] as const,
      default: 'error',
      description:
        'Exit 5 when a finding of this severity or worse exists (never: always 0 once it has looked).',
    })(),
  }

  public async run(): Promise<DoctorReport> {
    const aws = await this.aws()
    const clusters = this.flags.all
      ? (await aws.ecs.listClusterArns()).map(clusterName).sort()
      : [(await resolveCluster(aws.ecs, this.flags.cluster)).clusterName]
    if (clusters.length === 0) {
      throw new UsageError('There is no ECS cluster in this account and region.', {
        code: 'NO_CLUSTER',
        suggestion: 'Check --region and --profile (or AWS_REGION and AWS_PROFILE).',
      })
    }
    const {createDoctorPorts} = await import('../aws/doctor-ports.js')
    const report = await runDoctor(createDoctorPorts(aws, systemClock), {
      clusters,
      version: this.config.version,
      defaultStackName,
      onCluster: (c) => clusters.length > 1 && this.logToStderr(`Checking ${c}...`),
    })
    if (!this.jsonEnabled()) for (const line of renderDoctorText(report)) this.log(line)
    process.exitCode = doctorExitCode(report, this.flags['fail-on'] as FailOn)
    return report
  }
}
