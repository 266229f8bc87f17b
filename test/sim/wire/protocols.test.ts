/**
 * The wire layer against a fake world, through the real SDK v3 clients over HTTP: each protocol decodes
 * what the SDK sends and encodes what the SDK can read, errors included.
 */
import {
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling'
import {
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch'
import {
  DescribeClustersCommand,
  ListClustersCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
  paginateListClusters,
} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {serveWorld, type ServedWorld} from '../../../src/sim/serve.js'
import {cloudWatchOverProtocols, simClients} from '../../helpers/sdk.js'
import {LAUNCHED, fakeWorld} from './fake-world.js'
import {ECS_JSON, FORM, raw} from './raw-http.js'

let world: ReturnType<typeof fakeWorld>
let sim: ServedWorld

beforeAll(async () => {
  world = fakeWorld()
  sim = await serveWorld(world)
})
afterAll(() => sim.close())

describe('ECS over awsJson1_1', () => {
  it('pages ListClusters with nextToken until the last page', async () => {
    const {ecs} = simClients(sim.endpoint)
    const arns: string[] = []
    for await (const page of paginateListClusters({client: ecs}, {})) arns.push(...(page.clusterArns ?? []))
    expect(arns).toHaveLength(250)
    expect(new Set(arns).size).toBe(250)
    expect(world.inputs.ListClusters!.map((i) => i.nextToken ?? null)).toEqual([null, '100', '200'])
  })

  it('takes the region from the credential scope of the signature', async () => {
    const {ecs} = simClients(sim.endpoint, {region: 'eu-west-3'})
    const out = await ecs.send(new DescribeClustersCommand({clusters: ['c0']}))
    expect(out.clusters?.[0]?.registeredContainerInstancesCount).toBe(2)
    expect(out.failures?.[0]?.arn).toBe('region:eu-west-3')
  })

  it('surfaces a world error under its AWS name', async () => {
    const {ecs} = simClients(sim.endpoint)
    const call = ecs.send(
      new UpdateContainerInstancesStateCommand({containerInstances: ['x'], status: 'DRAINING'}),
    )
    await expect(call).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    })
  })

  it('answers a world bug with ServerException and HTTP 500', async () => {
    const {ecs} = simClients(sim.endpoint, {maxAttempts: 1})
    const error = await ecs.send(new StopTaskCommand({task: 't'})).catch((e: unknown) => e)
    expect(error).toMatchObject({name: 'ServerException', $metadata: {httpStatusCode: 500}})
  })

  it('answers an operation the world lacks with UnknownOperationException', async () => {
    const {ecs} = simClients(sim.endpoint)
    await expect(ecs.send(new ListClustersCommand({})).then(() => 'ok')).resolves.toBe('ok')
    const response = await raw(sim.endpoint, {
      headers: ECS_JSON('DeleteEverything'),
      body: '{}',
      sign: 'ecs',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({__type: 'UnknownOperationException'})
  })
})

describe('Auto Scaling over awsQuery', () => {
  it('decodes member lists and encodes nested lists, numbers, booleans and timestamps', async () => {
    const {autoScaling} = simClients(sim.endpoint)
    const out = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: ['web-asg']}),
    )
    expect(world.inputs.DescribeAutoScalingGroups!.at(-1)).toEqual({AutoScalingGroupNames: ['web-asg']})
    const group = out.AutoScalingGroups![0]!
    expect(group).toMatchObject({
      AutoScalingGroupName: 'web-asg',
      MinSize: 1,
      DesiredCapacity: 1,
      NewInstancesProtectedFromScaleIn: false,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      Instances: [{InstanceId: 'i-1', LifecycleState: 'InService', ProtectedFromScaleIn: true}],
      Tags: [],
    })
    expect(group.CreatedTime).toEqual(LAUNCHED)
  })

  it('answers a void operation with no result element, and passes numbers as strings', async () => {
    const {autoScaling} = simClients(sim.endpoint)
    const out = await autoScaling.send(
      new SetDesiredCapacityCommand({AutoScalingGroupName: 'asg', DesiredCapacity: 3, HonorCooldown: true}),
    )
    expect(out.$metadata.httpStatusCode).toBe(200)
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(world.inputs.SetDesiredCapacity!.at(-1)).toEqual({
      AutoScalingGroupName: 'asg',
      DesiredCapacity: '3',
      HonorCooldown: 'true',
    })
  })

  it('writes ValidationError in the Query error format', async () => {
    const {autoScaling} = simClients(sim.endpoint)
    const error = await autoScaling
      .send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: 'asg',
          LifecycleHookName: 'h',
          LifecycleActionResult: 'CONTINUE',
          InstanceId: 'i-9',
        }),
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AutoScalingServiceException)
    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'No active Lifecycle Action found with instance ID i-9',
    })
  })

  it('answers an unknown action with InvalidAction', async () => {
    const response = await raw(sim.endpoint, {
      headers: FORM,
      body: 'Action=LaunchRockets&Version=2011-01-01',
      sign: 'autoscaling',
    })
    expect(response.status).toBe(400)
    const text = await response.text()
    expect(text).toContain('<Code>InvalidAction</Code>')
    expect(text).toContain('<Type>Sender</Type>')
  })
})

describe('CloudWatch over JSON, CBOR and Query', () => {
  const start = new Date('2026-11-28T11:00:00.000Z')
  for (const protocol of ['json', 'cbor', 'query'] as const) {
    it(`${protocol}: round-trips timestamps and numbers through GetMetricStatistics`, async () => {
      const client = cloudWatchOverProtocols(sim.endpoint)[protocol]
      const out = await client.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/ECS',
          MetricName: 'MemoryReservation',
          Dimensions: [{Name: 'ClusterName', Value: 'todobackend-cluster'}],
          StartTime: start,
          EndTime: new Date(start.getTime() + 3_600_000),
          Period: 60,
          Statistics: ['Minimum', 'Maximum'],
        }),
      )
      const input = world.inputs.GetMetricStatistics!.at(-1)!
      // Whatever the protocol, the world sees a Date for a timestamp member.
      expect(input.StartTime).toEqual(start)
      expect(input.Dimensions).toEqual([{Name: 'ClusterName', Value: 'todobackend-cluster'}])
      expect(out.Label).toBe('MemoryReservation')
      expect(out.Datapoints).toEqual([
        {Timestamp: start, Minimum: 0, Maximum: 48.5, Average: 24.25, SampleCount: 3, Unit: 'Percent'},
      ])
    })

    it(`${protocol}: PutMetricData with no output succeeds`, async () => {
      const client = cloudWatchOverProtocols(sim.endpoint)[protocol]
      await client.send(
        new PutMetricDataCommand({
          Namespace: 'Test',
          MetricData: [{MetricName: 'm', Value: 1.5, Timestamp: start}],
        }),
      )
      const input = world.inputs.PutMetricData!.at(-1)!
      expect((input.MetricData as {Timestamp: unknown}[])[0]!.Timestamp).toEqual(start)
    })

    it(`${protocol}: a Query error code surfaces as the modeled exception`, async () => {
      const client = cloudWatchOverProtocols(sim.endpoint)[protocol]
      const error = await client.send(new ListMetricsCommand({Namespace: '!'})).catch((e: unknown) => e)
      expect(error).toMatchObject({
        name: 'InvalidParameterValueException',
        message: 'The parameter Namespace is not valid.',
      })
      expect((error as {$metadata: {httpStatusCode: number}}).$metadata.httpStatusCode).toBe(400)
    })
  }
})

describe('raw requests the SDKs never send', () => {
  const post = (
    path: string,
    headers: Record<string, string>,
    body: string | Uint8Array,
    sign = 'monitoring',
  ) => raw(sim.endpoint, {path, headers, body, sign})

  it('CBOR: an unknown operation is UnknownOperationException, still with the smithy-protocol header', async () => {
    const response = await post(
      '/service/GraniteServiceVersion20100801/operation/DeleteAllMetrics',
      {'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor'},
      new Uint8Array([0xa0]), // an empty CBOR map
    )
    expect(response.status).toBe(400)
    expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor')
    expect(response.headers.get('x-amzn-query-error')).toBe('UnknownOperationException;Sender')
    const {cbor} = await import('@smithy/core/cbor')
    const body = cbor.deserialize(new Uint8Array(await response.arrayBuffer())) as {__type: string}
    expect(body.__type).toBe('com.amazonaws.cloudwatch#UnknownOperationException')
  })

  it('CBOR and JSON: a body that does not parse is SerializationException', async () => {
    const cborReply = await post(
      '/service/GraniteServiceVersion20100801/operation/ListMetrics',
      {'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor'},
      new Uint8Array([0xff, 0x00, 0x13]),
    )
    expect(cborReply.status).toBe(400)
    const jsonReply = await post('/', ECS_JSON('ListClusters'), '{not json', 'ecs')
    expect(jsonReply.status).toBe(400)
    expect(await jsonReply.json()).toMatchObject({__type: 'SerializationException'})
  })

  it('Query without an Action is MissingAction', async () => {
    const response = await post('/', FORM, 'Version=2011-01-01', 'autoscaling')
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('<Code>MissingAction</Code>')
  })

  it('a presigned request (credentials in the query string) is signed too, and its scope gives the region', async () => {
    const scope = encodeURIComponent('AKIDEXAMPLE/20260101/eu-west-2/ecs/aws4_request')
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${scope}&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=${'cd'.repeat(32)}`
    const ecsReply = await post(`/?${query}`, ECS_JSON('DescribeClusters'), '{}', '')
    expect(ecsReply.status).toBe(200)
    expect((await ecsReply.json()) as unknown).toMatchObject({failures: [{arn: 'region:eu-west-2'}]})
  })

  it('GET /_sim/stats counts every call above by operation', async () => {
    const stats = (await (
      await raw(sim.endpoint, {method: 'GET', path: '/_sim/stats', sign: false})
    ).json()) as {
      operations: Record<string, {calls: number; errors: number}>
    }
    expect(stats.operations['cloudwatch:DeleteAllMetrics']).toEqual({calls: 1, throttled: 0, errors: 1})
    expect(stats.operations['ecs:ListClusters']!.calls).toBeGreaterThanOrEqual(4)
  })
})
