/**
 * `ecsdrain doctor` and the hook stack (issue 13), built CLI against the sim: after `ecsdrain install` the
 * stack is found, at the CLI's version, with an empty dead-letter queue and quiet alarms; a dead letter and a
 * failed invocation then show as findings. The reads doctor makes of the stack (SQS GetQueueAttributes,
 * CloudWatch DescribeAlarms, AWS/Lambda Errors through GetMetricData) are also checked with clients nobody
 * here wrote: boto3 and AWS CLI v1 for both, AWS CLI v2 for the alarms (v2 on this machine, 2.9.19, still
 * speaks Query to SQS, which the sim does not serve).
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {CloudFormationClient, DescribeStacksCommand} from '@aws-sdk/client-cloudformation'
import {CloudWatchClient, DescribeAlarmsCommand} from '@aws-sdk/client-cloudwatch'
import {InvokeCommand, LambdaClient} from '@aws-sdk/client-lambda'
import {ListSubscriptionsByTopicCommand, SNSClient} from '@aws-sdk/client-sns'
import {GetQueueAttributesCommand, SendMessageCommand, SQSClient} from '@aws-sdk/client-sqs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DoctorReport} from '../../src/core/doctor/index.js'
import {AWS_CLI_ENV, awsCli, findAwsClis} from '../helpers/aws-cli.js'
import {runCli} from '../helpers/run-cli.js'
import {TEST_CREDENTIALS} from '../helpers/sdk.js'
import {fetchStats, resetStats, startTestSim, type TestSim} from '../helpers/sim.js'

const CLUSTER = 'todobackend-cluster'
const STACK = `ecsdrain-${CLUSTER}`
let sim: TestSim
let outputs: Record<string, string>

beforeAll(async () => {
  // A real clock at speed 1: doctor's 24 h window and the alarms' periods are wall-clock time.
  sim = await startTestSim({scenario: 'todobackend', speed: 1})
  const r = await runCli(['install', '--cluster', CLUSTER, '--yes', '--endpoint-url', sim.endpoint], {
    timeoutMs: 120_000,
  })
  expect(r.code, r.stderr).toBe(0)
  const cfn = new CloudFormationClient(config())
  const stack = (await cfn.send(new DescribeStacksCommand({StackName: STACK}))).Stacks![0]!
  outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]))
}, 150_000)
afterAll(async () => {
  await sim?.close()
})

function config() {
  return {endpoint: sim.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1}
}

async function doctor(): Promise<DoctorReport> {
  const r = await runCli(['doctor', '--json', '--fail-on', 'never', '--endpoint-url', sim.endpoint], {
    timeoutMs: 90_000,
  })
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as DoctorReport
}

const stackFindings = (report: DoctorReport) =>
  report.findings
    .filter((f) => /^(stack|alarm|function)\//.test(f.resource))
    .map((f) => [f.check, f.resource])

describe('ecsdrain doctor with the hook stack installed', () => {
  it('finds the stack at its own version, its queue empty, its alarms quiet but telling nobody', async () => {
    expect(outputs.Version).toMatch(/^\d+\.\d+\.\d+/)
    await resetStats(sim.endpoint)
    const report = await doctor()
    expect(stackFindings(report)).toEqual([
      ['alarm-notifies-nobody', `alarm/${outputs.DeadLetterAlarmName}`],
      ['alarm-notifies-nobody', `alarm/${outputs.FunctionErrorsAlarmName}`],
    ])
    expect(report.findings.map((f) => f.check)).not.toContain('unreadable')
    // It read the queue, the alarms and the function's metrics, and nothing but reads.
    const calls = Object.keys((await fetchStats(sim.endpoint)).operations)
    expect(calls).toEqual(
      expect.arrayContaining([
        'sqs:GetQueueAttributes',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:GetMetricData',
        'cloudformation:DescribeStacks',
      ]),
    )
    for (const call of calls) expect(call).toMatch(/^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/)
  })

  it('reports a dead letter and a failed invocation, with the alarms that fire on them', async () => {
    const sqs = new SQSClient(config())
    await sqs.send(new SendMessageCommand({QueueUrl: outputs.DeadLetterQueueUrl, MessageBody: '{"dead":1}'}))
    const depth = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: outputs.DeadLetterQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    )
    expect(depth.Attributes).toEqual({ApproximateNumberOfMessages: '1'})
    // An event the handler cannot read: the invocation fails, as a real one would on a malformed message.
    const lambda = new LambdaClient(config())
    const invoked = await lambda.send(
      new InvokeCommand({FunctionName: outputs.FunctionName, Payload: Buffer.from('{"Records":"nope"}')}),
    )
    expect(invoked.FunctionError).toBe('Unhandled')

    const report = await doctor()
    const found = stackFindings(report)
    expect(found).toEqual(
      expect.arrayContaining([
        ['dead-letters', `stack/${STACK}`],
        ['alarm-firing', `alarm/${outputs.DeadLetterAlarmName}`],
        ['alarm-firing', `alarm/${outputs.FunctionErrorsAlarmName}`],
        ['function-errors', `function/${outputs.FunctionName}`],
      ]),
    )
    const errors = report.findings.find((f) => f.check === 'function-errors')!
    expect(errors.evidence).toMatchObject({errors: 1, windowHours: 24})
    expect(Number(errors.evidence.invocations)).toBeGreaterThanOrEqual(1)
    expect(report.findings.find((f) => f.check === 'dead-letters')!.evidence).toMatchObject({visible: 1})
  })

  const python = 'python3'
  it('boto3 reads the same queue depth, alarms and Lambda Errors', {timeout: 60_000}, async () => {
    const script = `
import boto3, datetime, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
sqs, cw = boto3.client('sqs', **kw), boto3.client('cloudwatch', **kw)
depth = sqs.get_queue_attributes(QueueUrl=sys.argv[2], AttributeNames=['All'])['Attributes']
alarms = cw.describe_alarms(AlarmNames=[sys.argv[3]])['MetricAlarms']
now = datetime.datetime.now(datetime.timezone.utc)
data = cw.get_metric_data(StartTime=now - datetime.timedelta(hours=24), EndTime=now, MetricDataQueries=[{
  'Id': 'errors', 'MetricStat': {'Metric': {'Namespace': 'AWS/Lambda', 'MetricName': 'Errors',
  'Dimensions': [{'Name': 'FunctionName', 'Value': sys.argv[4]}]}, 'Period': 86400, 'Stat': 'Sum'}}])
try:
  sqs.get_queue_attributes(QueueUrl=sys.argv[2] + '-gone', AttributeNames=['All'])
  missing = None
except sqs.exceptions.QueueDoesNotExist as e:
  missing = e.response['Error']['Code']
print(json.dumps({'depth': depth['ApproximateNumberOfMessages'], 'arn': depth['QueueArn'],
  'alarm': [a['StateValue'] for a in alarms], 'errors': sum(data['MetricDataResults'][0]['Values']), 'missing': missing}))
`
    const {stdout} = await promisify(execFile)(
      python,
      [
        '-c',
        script,
        sim.endpoint,
        outputs.DeadLetterQueueUrl!,
        outputs.DeadLetterAlarmName!,
        outputs.FunctionName!,
      ],
      {env: AWS_CLI_ENV},
    )
    const out = JSON.parse(stdout) as Record<string, unknown>
    expect(out).toMatchObject({depth: '1', alarm: ['ALARM'], errors: 1})
    expect(out.arn).toMatch(/^arn:aws:sqs:us-east-1:\d{12}:/)
    expect(out.missing).toMatch(/QueueDoesNotExist|NonExistentQueue/)
  })

  const v1 = findAwsClis().v1
  it.skipIf(!v1)('AWS CLI v1 reads the queue depth and the alarms', {timeout: 60_000}, async () => {
    const q = await awsCli(v1!, sim.endpoint, [
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      outputs.DeadLetterQueueUrl!,
      '--attribute-names',
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    ])
    expect(q.stderr).toBe('')
    expect(JSON.parse(q.stdout)).toEqual({
      Attributes: {ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0'},
    })
    const a = await awsCli(v1!, sim.endpoint, [
      'cloudwatch',
      'describe-alarms',
      '--alarm-names',
      outputs.DeadLetterAlarmName!,
      outputs.FunctionErrorsAlarmName!,
    ])
    expect(a.stderr).toBe('')
    const alarms = (JSON.parse(a.stdout) as {MetricAlarms: Array<Record<string, unknown>>}).MetricAlarms
    expect(alarms.map((x) => [x.AlarmName, x.StateValue, x.Namespace]).sort()).toEqual(
      [
        [outputs.DeadLetterAlarmName, 'ALARM', 'AWS/SQS'],
        [outputs.FunctionErrorsAlarmName, 'ALARM', 'AWS/Lambda'],
      ].sort(),
    )
  })

  const v2 = findAwsClis().v2
  it.skipIf(!v2)('AWS CLI v2 (Query) reads the alarms', {timeout: 60_000}, async () => {
    const a = await awsCli(v2!, sim.endpoint, ['cloudwatch', 'describe-alarms', '--alarm-name-prefix', STACK])
    expect(a.stderr).toBe('')
    const alarms = (JSON.parse(a.stdout) as {MetricAlarms: Array<Record<string, unknown>>}).MetricAlarms
    expect(alarms.map((x) => x.AlarmName).sort()).toEqual(
      [outputs.DeadLetterAlarmName, outputs.FunctionErrorsAlarmName].sort(),
    )
    const dlq = alarms.find((x) => x.AlarmName === outputs.DeadLetterAlarmName)!
    expect(dlq).toMatchObject({StateValue: 'ALARM', Namespace: 'AWS/SQS', Threshold: 0})
    expect(dlq.Dimensions).toEqual([{Name: 'QueueName', Value: expect.any(String)}])
  })

  it(
    'with --alarm-email, the alarms tell a subscribed topic, and doctor no longer says nobody is told',
    {timeout: 120_000},
    async () => {
      const r = await runCli(
        [
          'install',
          '--cluster',
          CLUSTER,
          '--alarm-email',
          'ops@example.com',
          '--yes',
          '--endpoint-url',
          sim.endpoint,
        ],
        {timeoutMs: 120_000},
      )
      expect(r.code, r.stderr).toBe(0)
      const report = await doctor()
      expect(report.findings.map((f) => f.check)).not.toContain('alarm-notifies-nobody')
      const cw = new CloudWatchClient(config())
      const alarms = (await cw.send(new DescribeAlarmsCommand({AlarmNames: [outputs.DeadLetterAlarmName!]})))
        .MetricAlarms!
      const topic = alarms[0]!.AlarmActions![0]!
      expect(topic).toMatch(/^arn:aws:sns:us-east-1:\d{12}:/)
      const subs = await new SNSClient(config()).send(new ListSubscriptionsByTopicCommand({TopicArn: topic}))
      expect(subs.Subscriptions!.map((x) => [x.Protocol, x.Endpoint])).toEqual([['email', 'ops@example.com']])
    },
  )
})
