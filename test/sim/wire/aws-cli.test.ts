/**
 * The AWS CLIs, unchanged, pointed at the sim with --endpoint-url and dummy credentials: v1 (the machine's
 * Python; botocore picks awsJson for CloudWatch) and v2 (Debian's awscli 2.9; awsQuery for CloudWatch). The
 * CBOR protocol is driven through botocore itself, with its protocol preference turned to rpc-v2-cbor, since
 * neither CLI picks it on its own. A CLI that is not installed is skipped, saying so.
 */
import {execFile, execFileSync} from 'node:child_process'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {AWS_CLI_ENV, findAwsClis} from '../../helpers/aws-cli.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

const run = promisify(execFile)

const clis = findAwsClis()
let sim: TestSim
const env = AWS_CLI_ENV

beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
})
afterAll(() => sim.close())

async function aws(cli: string, args: string[]): Promise<unknown> {
  const {stdout} = await run(cli, ['--endpoint-url', sim.endpoint, '--output', 'json', ...args], {
    env,
    timeout: 25_000,
  })
  return JSON.parse(stdout)
}

function metricWindow(): string[] {
  const end = new Date(sim.clock.now())
  const start = new Date(end.getTime() - 10 * 60_000)
  return ['--start-time', start.toISOString(), '--end-time', end.toISOString()]
}

for (const version of ['v1', 'v2'] as const) {
  const cli = clis[version]
  describe.skipIf(!cli)(`AWS CLI ${version} (${cli ?? 'not installed: install it to run these'})`, () => {
    it('ecs list-clusters', async () => {
      const out = (await aws(cli!, ['ecs', 'list-clusters'])) as {clusterArns: string[]}
      expect(out.clusterArns).toEqual([expect.stringMatching(/:cluster\/todobackend-cluster$/)])
    })

    it('autoscaling describe-auto-scaling-groups', async () => {
      const out = (await aws(cli!, ['autoscaling', 'describe-auto-scaling-groups'])) as {
        AutoScalingGroups: {AutoScalingGroupName: string; Instances: unknown[]; DesiredCapacity: number}[]
      }
      expect(out.AutoScalingGroups).toHaveLength(1)
      expect(out.AutoScalingGroups[0]).toMatchObject({
        DesiredCapacity: 1,
        Instances: [expect.objectContaining({LifecycleState: 'InService'})],
      })
    })

    it('autoscaling describe-auto-scaling-groups --no-include-instances', async (ctx) => {
      // The flag came with IncludeInstances (2024); an older CLI's model (Debian's 2.9) does not know it.
      const help = await run(cli!, ['autoscaling', 'describe-auto-scaling-groups', 'help'], {
        env,
        timeout: 25_000,
      })
      if (!help.stdout.includes('--no-include-instances')) ctx.skip()
      const out = (await aws(cli!, [
        'autoscaling',
        'describe-auto-scaling-groups',
        '--no-include-instances',
      ])) as {
        AutoScalingGroups: Record<string, unknown>[]
      }
      expect(out.AutoScalingGroups[0]).toMatchObject({DesiredCapacity: 1})
      expect(out.AutoScalingGroups[0]).not.toHaveProperty('Instances')
    })

    it('cloudwatch get-metric-statistics', async () => {
      const out = (await aws(cli!, [
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'AWS/ECS',
        '--metric-name',
        'MemoryReservation',
        '--dimensions',
        'Name=ClusterName,Value=todobackend-cluster',
        '--period',
        '60',
        '--statistics',
        'Minimum',
        ...metricWindow(),
      ])) as {Datapoints: {Minimum: number}[]}
      expect(out.Datapoints.length).toBeGreaterThanOrEqual(9)
      expect(out.Datapoints[0]!.Minimum).toBeCloseTo((480 / 993) * 100, 3)
    })

    it('an Auto Scaling ValidationError reaches the CLI by name', async () => {
      const call = aws(cli!, [
        'autoscaling',
        'complete-lifecycle-action',
        '--auto-scaling-group-name',
        sim.world.summary().autoScalingGroups[0]!,
        '--lifecycle-hook-name',
        'todobackend-drain-hook',
        '--lifecycle-action-result',
        'CONTINUE',
        '--instance-id',
        'i-0123456789abcdef0',
      ])
      await expect(call).rejects.toMatchObject({stderr: expect.stringContaining('(ValidationError)')})
    })
  })
}

// botocore from the CLI v1's Python, told to prefer rpc-v2-cbor for CloudWatch (its model lists cbor, json and
// query); it prints the request paths it used, so the test knows the CBOR path was taken.
const BOTOCORE_CBOR = `
import json, sys, datetime
import botocore.model, botocore.session
botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ('smithy-rpc-v2-cbor', 'json', 'query')
endpoint, now = sys.argv[1], float(sys.argv[2])
client = botocore.session.get_session().create_client('cloudwatch', endpoint_url=endpoint, region_name='us-east-1',
    aws_access_key_id='test', aws_secret_access_key='test')
paths = []
client.meta.events.register('before-send', lambda request, **kw: paths.append(request.url))
end = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
stats = client.get_metric_statistics(Namespace='AWS/ECS', MetricName='MemoryReservation',
    Dimensions=[{'Name': 'ClusterName', 'Value': 'todobackend-cluster'}], Period=60, Statistics=['Minimum'],
    StartTime=end - datetime.timedelta(minutes=10), EndTime=end)
try:
    client.get_metric_statistics(Namespace='AWS/ECS', MetricName='MemoryReservation', Period=7, Statistics=['Minimum'],
        StartTime=end, EndTime=end)
    code = None
except client.exceptions.InvalidParameterValueException as error:
    code = error.response['Error']['Code']
points = stats['Datapoints']
print(json.dumps({'paths': paths, 'count': len(points), 'minimum': points[0]['Minimum'],
    'timestampIsDate': isinstance(points[0]['Timestamp'], datetime.datetime), 'errorCode': code}))
`

function botocorePython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(
        python,
        ['-c', 'import botocore.model; botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS'],
        {stdio: 'ignore'},
      )
      return python
    } catch {
      // This Python has no botocore recent enough to speak rpc-v2-cbor.
    }
  }
  return undefined
}
const python = botocorePython()

describe.skipIf(!python)('botocore over smithy-rpc-v2-cbor', () => {
  it('reads CloudWatch statistics, timestamps and a modeled error over CBOR', async () => {
    const {stdout} = await run(python!, ['-c', BOTOCORE_CBOR, sim.endpoint, String(sim.clock.now() / 1000)], {
      env,
      timeout: 25_000,
    })
    const out = JSON.parse(stdout) as {
      paths: string[]
      count: number
      minimum: number
      timestampIsDate: boolean
      errorCode: string
    }
    expect(out.paths[0]).toBe(
      `${sim.endpoint}/service/GraniteServiceVersion20100801/operation/GetMetricStatistics`,
    )
    expect(out.count).toBeGreaterThanOrEqual(9)
    expect(out.minimum).toBeCloseTo((480 / 993) * 100, 3)
    expect(out.timestampIsDate).toBe(true)
    expect(out.errorCode).toBe('InvalidParameterValue')
  })
})
