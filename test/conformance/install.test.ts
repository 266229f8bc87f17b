/**
 * Conformance: the built `install` and `uninstall` against moto_server, an AWS emulator that is not ours.
 * The stack reaches CREATE_COMPLETE through moto's change sets. What moto does NOT do, said plainly:
 * - it accepts AWS::AutoScaling::LifecycleHook and AWS::SNS::Subscription in the template but skips them
 *   (no hook appears on the group, no subscription on the topic), so nothing can be drained there;
 * - it does not run the Lambda (that would need Docker).
 * The end-to-end behaviour of those pieces is tested against ecsdrain's sim instead (test/e2e/install).
 */
import {AutoScalingClient, DescribeLifecycleHooksCommand} from '@aws-sdk/client-auto-scaling'
import {CloudFormationClient, DescribeStackResourcesCommand} from '@aws-sdk/client-cloudformation'
import {CreateClusterCommand, ECSClient} from '@aws-sdk/client-ecs'
import {ListSubscriptionsByTopicCommand, SNSClient} from '@aws-sdk/client-sns'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startMoto, type MotoServer} from '../helpers/moto.js'
import {MOTO_REGION as REGION, createMotoGroup, motoClientConfig} from '../helpers/moto-cluster.js'
import {awsTestEnv, runCli} from '../helpers/run-cli.js'

const CLUSTER = 'hookconf'
const GROUP = 'hookconf-asg'
const STACK = `ecsdrain-${CLUSTER}`

let moto: MotoServer
let config: ReturnType<typeof motoClientConfig>

beforeAll(async () => {
  moto = await startMoto()
  config = motoClientConfig(moto.endpoint)
  const asg = new AutoScalingClient(config)
  await new ECSClient(config).send(new CreateClusterCommand({clusterName: CLUSTER}))
  await createMotoGroup(asg, {
    group: GROUP,
    maxSize: 2,
    desiredCapacity: 0,
    availabilityZones: ['us-east-1a'],
  })
}, 60_000)
afterAll(async () => {
  await moto?.stop()
})

const cli = (args: string[]) =>
  runCli([...args, '--endpoint-url', moto.endpoint], {
    env: awsTestEnv({AWS_REGION: REGION}),
    timeoutMs: 120_000,
  })

describe('install against moto_server', () => {
  it('reaches CREATE_COMPLETE through a change set', {timeout: 150_000}, async () => {
    const r = await cli(['install', '--cluster', CLUSTER, '--asg', GROUP, '--yes', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as {outcome: string; status: string; outputs: Record<string, string>}
    expect(result).toMatchObject({outcome: 'created', status: 'CREATE_COMPLETE'})

    const cfn = new CloudFormationClient(config)
    const resources = (await cfn.send(new DescribeStackResourcesCommand({StackName: STACK}))).StackResources!
    const types = resources.map((res) => res.ResourceType)
    expect(types).toEqual(
      expect.arrayContaining(['AWS::SNS::Topic', 'AWS::Lambda::Function', 'AWS::IAM::Role']),
    )

    // moto's gaps, recorded rather than hidden: no hook on the group, no subscription on the topic.
    const hooks = await new AutoScalingClient(config).send(
      new DescribeLifecycleHooksCommand({AutoScalingGroupName: GROUP}),
    )
    expect(hooks.LifecycleHooks ?? []).toEqual([])
    const topicArn = resources.find((res) => res.ResourceType === 'AWS::SNS::Topic')!.PhysicalResourceId!
    const subs = await new SNSClient(config).send(new ListSubscriptionsByTopicCommand({TopicArn: topicArn}))
    expect(subs.Subscriptions ?? []).toEqual([])
  })

  it('uninstall deletes the stack', {timeout: 150_000}, async () => {
    const r = await cli(['uninstall', '--cluster', CLUSTER, '--yes', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({outcome: 'deleted', status: 'DELETE_COMPLETE'})
  })
})
