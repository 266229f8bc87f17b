import {writeFile} from 'node:fs/promises'

import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {durationFlag} from '../cli/duration.js'
import {clusterFlag} from '../cli/flags.js'
import {resolveCluster} from '../core/cluster.js'
import {buildReport, readEvidence, type ClusterReport} from '../core/report/index.js'
import {defaultStackName} from '../hook/install.js'
import {reportLines} from '../render/report-text.js'

export default class Report extends AwsCommand<typeof Report> {
  static override summary =
    'What a past window (or an instance refresh) did to the services: timelines, outage minutes, a verdict.'
  static override description = `Reads the window back from AWS: the groups' scaling activities, instance refreshes, ECS service events and tasks, and the CloudWatch MemoryReservation Minimum per minute (GetMetricData, 60 s). Prints each replaced instance's timeline (terminating, DRAINING, last task STOPPED, lifecycle action completed and by whom, terminated), the tasks moved, each service's lowest running count against its desired count and minimum, every 0 % minute as an outage, and a verdict: "no outage" or "outage: N minute(s), first at T, service S at 0 running".

AWS does not record everything after the fact: when an instance was set to DRAINING, who completed a lifecycle action and with what result, and a service's past running counts are inferred (marked ~), and the report says so. ECS describes STOPPED tasks for about an hour.

--json prints one object (a documented contract); --html FILE writes one self-contained page (inline SVG, no network) to attach to a change ticket.`

  static override examples = [
    {
      description: 'The last two hours',
      command: '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --since 2h',
    },
    {
      description: 'The same as JSON, and a page to attach to the change ticket',
      command:
        '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --since 2h --html report.html --json',
    },
  ]

  static override flags = {
    cluster: clusterFlag,
    since: durationFlag({
      name: 'since',
      description: 'The window: from this long ago until now.',
      default: '2h',
    }),
    refresh: Flags.string({
      description:
        'The window of this instance refresh (its id), from a minute before it started to two after it ended.',
    }),
    html: Flags.string({
      description: 'Also write a self-contained HTML page (charts as inline SVG) to this file.',
    }),
    'stack-name': Flags.string({
      description: 'The ecsdrain hook stack to recognise (default: ecsdrain-<cluster>).',
    }),
  }

  public async run(): Promise<ClusterReport> {
    const f = this.flags
    const aws = await this.aws()
    const cluster = (await resolveCluster(aws.ecs, f.cluster)).clusterName
    const {createCloudFormationPort} = await import('../aws/cloudformation.js')
    const evidence = await readEvidence(
      {...aws, cloudFormation: createCloudFormationPort(aws.factory)},
      {
        cluster,
        now: Date.now(),
        sinceMs: f.since,
        refreshId: f.refresh,
        stackName: f['stack-name'] ?? defaultStackName(cluster),
      },
    )
    const report = buildReport(evidence)
    if (f.html) {
      const {reportHtml} = await import('../render/report-html.js')
      await writeFile(f.html, await reportHtml(report))
      this.logToStderr(`wrote ${f.html}`)
    }
    if (!this.jsonEnabled())
      for (const line of reportLines(report, {width: process.stdout.columns ?? 100})) this.log(line)
    return report
  }
}
