/**
 * The routing left ready for the hook stack's services: CloudFormation and SNS over Query (by the SigV4
 * credential scope, or by Version when the scope names no service the sim knows), Lambda over restJson1, each through its SDK v3 client
 * against the fake world, errors included.
 */
import {CloudFormationClient, DescribeStacksCommand} from '@aws-sdk/client-cloudformation'
import {CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient} from '@aws-sdk/client-lambda'
import {GetTopicAttributesCommand, SNSClient, SubscribeCommand} from '@aws-sdk/client-sns'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {serveWorld, type ServedWorld} from '../../../src/sim/serve.js'
import {TEST_CREDENTIALS} from '../../helpers/sdk.js'
import {LAUNCHED, fakeWorld} from './fake-world.js'
import {FORM, raw} from './raw-http.js'

let world: ReturnType<typeof fakeWorld>
let sim: ServedWorld
const config = () => ({
  endpoint: sim.endpoint,
  region: 'us-east-1',
  credentials: TEST_CREDENTIALS,
  maxAttempts: 1,
})

beforeAll(async () => {
  world = fakeWorld()
  sim = await serveWorld(world)
})
afterAll(() => sim.close())

describe('CloudFormation over Query', () => {
  it('answers DescribeStacks with lists and timestamps', async () => {
    const out = await new CloudFormationClient(config()).send(new DescribeStacksCommand({StackName: 'hook'}))
    expect(out.Stacks![0]).toMatchObject({
      StackName: 'hook',
      StackStatus: 'CREATE_COMPLETE',
      CreationTime: LAUNCHED,
      Outputs: [{OutputKey: 'Fn', OutputValue: 'arn'}],
    })
  })
  it('writes ValidationError as the SDK expects it', async () => {
    const call = new CloudFormationClient(config()).send(new DescribeStacksCommand({StackName: 'missing'}))
    await expect(call).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id missing does not exist',
    })
  })
  it('routes a request signed for a service it does not know by its Version', async () => {
    const response = await raw(sim.endpoint, {
      headers: FORM,
      body: 'Action=DescribeStacks&Version=2010-05-15&StackName=plain',
      sign: 'somethingelse',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<StackName>plain</StackName>')
  })
})

describe('SNS over Query', () => {
  it('writes a map output as entry/key/value, and reads a map input', async () => {
    const sns = new SNSClient(config())
    const out = await sns.send(
      new GetTopicAttributesCommand({TopicArn: 'arn:aws:sns:us-east-1:123456789012:t'}),
    )
    expect(out.Attributes).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      SubscriptionsConfirmed: '1',
    })
    await sns.send(
      new SubscribeCommand({
        TopicArn: 't',
        Protocol: 'lambda',
        Endpoint: 'fn',
        Attributes: {RawMessageDelivery: 'true'},
      }),
    )
    expect(world.inputs.Subscribe!.at(-1)).toEqual({
      TopicArn: 't',
      Protocol: 'lambda',
      Endpoint: 'fn',
      Attributes: {RawMessageDelivery: 'true'},
    })
  })
})

describe('Lambda over restJson1', () => {
  const lambda = () => new LambdaClient(config())
  it('routes CreateFunction (201) and GetFunction by path', async () => {
    const created = await lambda().send(
      new CreateFunctionCommand({
        FunctionName: 'drain',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::1:role/r',
        Handler: 'index.handler',
        Code: {ZipFile: Buffer.from('zip')},
      }),
    )
    expect(created).toMatchObject({FunctionName: 'drain', Runtime: 'nodejs22.x', State: 'Active'})
    expect(created.$metadata.httpStatusCode).toBe(201)
    expect(world.inputs.CreateFunction!.at(-1)).toMatchObject({
      FunctionName: 'drain',
      Code: {ZipFile: Buffer.from('zip').toString('base64')},
    })
    const got = await lambda().send(new GetFunctionCommand({FunctionName: 'drain'}))
    expect(got.Configuration?.Runtime).toBe('nodejs22.x')
  })
  it('passes Invoke payloads raw, both ways, with FunctionError in its header', async () => {
    const ok = await lambda().send(
      new InvokeCommand({FunctionName: 'drain', Payload: Buffer.from(JSON.stringify({n: 21}))}),
    )
    expect(JSON.parse(Buffer.from(ok.Payload!).toString())).toEqual({doubled: 42})
    expect(ok.FunctionError).toBeUndefined()
    const failed = await lambda().send(
      new InvokeCommand({FunctionName: 'drain', Payload: Buffer.from(JSON.stringify({n: -1}))}),
    )
    expect(failed.FunctionError).toBe('Unhandled')
  })
  it('surfaces ResourceNotFoundException with its 404', async () => {
    const error = await lambda()
      .send(new GetFunctionCommand({FunctionName: 'missing'}))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({name: 'ResourceNotFoundException', $metadata: {httpStatusCode: 404}})
  })
})
