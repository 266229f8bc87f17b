import {AwsCommand} from '../cli/aws-command.js'
import {clusterFlag} from '../cli/flags.js'
import {resolveCluster} from '../core/cluster.js'
import {buildClusterSnapshot} from '../core/snapshot.js'
import {colorEnabled} from '../render/columns.js'
import {instancesJson, renderInstances, type InstancesJson} from '../render/instances.js'

export default class Instances extends AwsCommand<typeof Instances> {
  static override summary = 'Show every container instance of a cluster, joined with its Auto Scaling state.'
  static override description = `One row per container instance: EC2 id, AZ, instance type, ECS status, agent connected, running and pending tasks, CPU and memory reserved, Auto Scaling group, lifecycle state, and the deadline of a pending lifecycle hook.

A table in a terminal, plain aligned lines in a pipe, and with --json one object {cluster, instances: [...]}.`

  static override examples = [
    {
      description: 'A table in a terminal, aligned lines in a pipe',
      command: '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster',
    },
    {
      description: 'The instances waiting on a lifecycle hook',
      command:
        '<%= config.bin %> <%= command.id %> --json | jq -r \'.instances[] | select(.lifecycleState == "Terminating:Wait") | .ec2InstanceId\'',
    },
    {
      description: 'Against `ecsdrain sim` (no AWS set-up needed), with the call summary on stderr',
      command: '<%= config.bin %> <%= command.id %> --endpoint-url http://127.0.0.1:4599 --verbose',
    },
  ]

  static override flags = {cluster: clusterFlag}

  public async run(): Promise<InstancesJson> {
    const aws = await this.aws()
    const cluster = await resolveCluster(aws.ecs, this.flags.cluster)
    // Heartbeats ecsdrain sent push their hook's deadline: Auto Scaling itself reports none.
    const lastHeartbeat = this.heartbeatLog().lookup(await this.heartbeatScope())
    const snapshot = await buildClusterSnapshot(aws, cluster, {detail: 'instances', lastHeartbeat})
    if (!this.jsonEnabled()) {
      if (snapshot.instances.length === 0) {
        this.logToStderr(`No container instances in cluster ${snapshot.cluster}.`)
      } else {
        const tty = Boolean(process.stdout.isTTY)
        for (const line of renderInstances(snapshot, {
          tty,
          color: colorEnabled(process.stdout),
          now: Date.now(),
        })) {
          this.log(line)
        }
      }
    }
    return instancesJson(snapshot)
  }
}
