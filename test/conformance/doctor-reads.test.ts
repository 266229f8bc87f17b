/**
 * Conformance: the reads `ecsdrain doctor` adds (issue 13) against moto_server, an AWS implementation that is
 * not ours: a queue's depth (SQS GetQueueAttributes), alarms (CloudWatch DescribeAlarms) and metric sums
 * (GetMetricData), through the same ports doctor uses (src/aws/doctor-ports.ts), with the SDK's clients.
 */
import {CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand} from '@aws-sdk/client-cloudwatch'
import {CreateQueueCommand, SendMessageCommand, SQSClient} from '@aws-sdk/client-sqs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../src/aws/index.js'
import {createMonitoringPort} from '../../src/aws/monitoring-adapter.js'
import {createQueuePort} from '../../src/aws/sqs-adapter.js'
import {sdk} from '../../src/aws/sdk.js'
import {startMoto, type MotoServer} from '../helpers/moto.js'
import {MOTO_CREDENTIALS as creds, MOTO_REGION as REGION, motoClientConfig} from '../helpers/moto-cluster.js'

let moto: MotoServer
beforeAll(async () => {
  moto = await startMoto()
}, 60_000)
afterAll(async () => {
  await moto?.stop()
})

const ports = () => {
  const aws = createAwsPorts({endpointUrl: moto.endpoint, region: REGION, credentials: creds})
  const sqs = aws.factory.make(sdk.sqs().SQSClient, 'SQS')
  return {queues: createQueuePort(sqs, moto.endpoint), monitoring: createMonitoringPort(aws.factory)}
}

describe("doctor's reads against moto_server", () => {
  it("reads a dead-letter queue's depth", async () => {
    const sqs = new SQSClient(motoClientConfig(moto.endpoint))
    const {QueueUrl} = await sqs.send(new CreateQueueCommand({QueueName: 'doctor-dlq'}))
    expect(await ports().queues.queueDepth(QueueUrl!)).toEqual({visible: 0, inFlight: 0, delayed: 0})
    await sqs.send(new SendMessageCommand({QueueUrl, MessageBody: '{"dead":1}'}))
    await sqs.send(new SendMessageCommand({QueueUrl, MessageBody: '{"dead":2}', DelaySeconds: 60}))
    expect(await ports().queues.queueDepth(QueueUrl!)).toEqual({visible: 1, inFlight: 0, delayed: 1})
  })

  it('reads alarms by name, with their state and actions, and leaves out the ones not asked for', async () => {
    const cw = new CloudWatchClient(motoClientConfig(moto.endpoint))
    const alarm = (AlarmName: string, AlarmActions: string[]) =>
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName,
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{Name: 'QueueName', Value: 'doctor-dlq'}],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions,
        }),
      )
    await alarm('doctor-dlq-alarm', [`arn:aws:sns:${REGION}:123456789012:ops`])
    await alarm('doctor-other-alarm', [])
    const alarms = await ports().monitoring.describeAlarms(['doctor-dlq-alarm'])
    expect(alarms).toEqual([
      expect.objectContaining({
        name: 'doctor-dlq-alarm',
        state: expect.stringMatching(/^(OK|ALARM|INSUFFICIENT_DATA)$/),
        actionsEnabled: true,
        alarmActions: [`arn:aws:sns:${REGION}:123456789012:ops`],
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
      }),
    ])
  })

  it("sums a function's metrics over a window, null where there are none", async () => {
    const cw = new CloudWatchClient(motoClientConfig(moto.endpoint))
    const now = new Date()
    const dims = [{Name: 'FunctionName', Value: 'doctor-fn'}]
    // moto accepts PutMetricData in the AWS/ namespaces (AWS does not), which stands in for Lambda here.
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          {MetricName: 'Errors', Dimensions: dims, Value: 2, Timestamp: new Date(now.getTime() - 3600_000)},
          {MetricName: 'Errors', Dimensions: dims, Value: 1, Timestamp: new Date(now.getTime() - 60_000)},
        ],
      }),
    )
    const fn = {FunctionName: 'doctor-fn'}
    const sums = await ports().monitoring.metricSums(
      [
        {id: 'errors', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: fn},
        {id: 'throttles', namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: fn},
      ],
      new Date(now.getTime() - 24 * 3600_000),
      new Date(now.getTime() + 60_000),
    )
    expect(sums).toEqual({errors: 3, throttles: null})
  })
})
