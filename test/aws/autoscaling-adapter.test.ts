import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {createAutoScalingPort} from '../../src/aws/autoscaling-adapter.js'

const asgMock = mockClient(AutoScalingClient)
const port = createAutoScalingPort(
  new AutoScalingClient({region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}}),
)
const ec2 = (n: number) => `i-${n.toString(16).padStart(17, '0')}`
const detail = (id: string) => ({
  InstanceId: id,
  AutoScalingGroupName: 'g',
  AvailabilityZone: 'us-east-1a',
  LifecycleState: 'InService',
  HealthStatus: 'HEALTHY',
  ProtectedFromScaleIn: false,
})

beforeEach(() => asgMock.reset())

describe('Auto Scaling adapter', () => {
  it('describes instances 50 ids at a time; instances outside any group are absent', async () => {
    asgMock.on(DescribeAutoScalingInstancesCommand).callsFake((input: {InstanceIds: string[]}) => ({
      // Odd-numbered instances are not in a group.
      AutoScalingInstances: input.InstanceIds.filter((id) => parseInt(id.slice(2), 16) % 2 === 0).map(
        (id) => ({
          InstanceId: id,
          AutoScalingGroupName: 'asg',
          LifecycleState: 'InService',
          HealthStatus: 'HEALTHY',
          AvailabilityZone: 'us-east-1a',
          ProtectedFromScaleIn: false,
        }),
      ),
    }))
    const ids = Array.from({length: 120}, (_, i) => ec2(i))
    const found = await port.describeAutoScalingInstances(ids)

    expect(found).toHaveLength(60)
    expect(found[0]).toMatchObject({
      instanceId: ec2(0),
      autoScalingGroupName: 'asg',
      lifecycleState: 'InService',
    })
    const batches = asgMock.commandCalls(DescribeAutoScalingInstancesCommand).map((c) => c.args[0].input)
    expect(batches.map((b) => b.InstanceIds!.length).sort()).toEqual([20, 50, 50])
    expect(new Set(batches.flatMap((b) => b.InstanceIds)).size).toBe(120)
  })

  it('asks for group summaries with IncludeInstances=false, and for members by default', async () => {
    // Answers what it was asked: members only when IncludeInstances is not false.
    asgMock
      .on(DescribeAutoScalingGroupsCommand)
      .callsFake((input: {AutoScalingGroupNames: string[]; IncludeInstances?: boolean}) => ({
        AutoScalingGroups: input.AutoScalingGroupNames.map((name) => ({
          AutoScalingGroupName: name,
          MinSize: 1,
          MaxSize: 3,
          DesiredCapacity: 2,
          ...(input.IncludeInstances === false
            ? {}
            : {Instances: [{InstanceId: ec2(1), LifecycleState: 'InService'}]}),
        })),
      }))
    const [summary] = await port.describeAutoScalingGroupSummaries(['g'])
    expect(summary).toMatchObject({autoScalingGroupName: 'g', minSize: 1, maxSize: 3, desiredCapacity: 2})
    expect(summary).not.toHaveProperty('instances')
    const [full] = await port.describeAutoScalingGroups(['g'])
    expect(full!.instances).toEqual([
      expect.objectContaining({instanceId: ec2(1), lifecycleState: 'InService'}),
    ])
    const asked = asgMock
      .commandCalls(DescribeAutoScalingGroupsCommand)
      .map((c) => c.args[0].input.IncludeInstances)
    expect(asked).toEqual([false, true])
  })

  it('follows NextToken within a batch', async () => {
    asgMock
      .on(DescribeAutoScalingInstancesCommand, {NextToken: undefined})
      .resolves({AutoScalingInstances: [detail(ec2(1))], NextToken: 'n1'})
      .on(DescribeAutoScalingInstancesCommand, {NextToken: 'n1'})
      .resolves({AutoScalingInstances: [detail(ec2(2))]})
    const found = await port.describeAutoScalingInstances([ec2(1), ec2(2)])
    expect(found.map((f) => f.instanceId)).toEqual([ec2(1), ec2(2)])
  })

  it('fills in the documented global timeout when the API leaves it out', async () => {
    asgMock.on(DescribeLifecycleHooksCommand).resolves({
      LifecycleHooks: [
        {
          LifecycleHookName: 'h1',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          HeartbeatTimeout: 900,
        },
        {LifecycleHookName: 'h2', HeartbeatTimeout: 7200, GlobalTimeout: 172800, DefaultResult: 'CONTINUE'},
      ],
    })
    const hooks = await port.describeLifecycleHooks('asg')
    expect(hooks[0]).toMatchObject({
      hookName: 'h1',
      autoScalingGroupName: 'asg',
      heartbeatTimeout: 900,
      globalTimeout: 90000,
    })
    expect(hooks[1]).toMatchObject({globalTimeout: 172800, defaultResult: 'CONTINUE'})
  })

  it('asks for one page of recent activities, capped at 100', async () => {
    asgMock.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'asg',
          Description: `Terminating EC2 instance: ${ec2(3)}`,
          Cause: 'x',
          StatusCode: 'InProgress',
          StartTime: new Date('2026-01-01T00:00:00Z'),
          Progress: 50,
        },
      ],
    })
    const acts = await port.describeScalingActivities('asg', 500)
    expect(acts[0]).toMatchObject({activityId: 'a1', statusCode: 'InProgress', endTime: null})
    expect(asgMock.commandCalls(DescribeScalingActivitiesCommand)[0]!.args[0].input.MaxRecords).toBe(100)
  })
})
