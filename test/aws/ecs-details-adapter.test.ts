/**
 * The explainer's adapters: the request each read sends (batches of 10 for GetTaskProtection), and what
 * comes back from the SDK's shapes, answering only what was asked. ELBv2's delay, with AWS's default when
 * the attribute is missing; service shapes (target groups, deployments, placement) and hook targets.
 */
import {
  DescribeCapacityProvidersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  GetTaskProtectionCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs'
import {
  DescribeTargetGroupAttributesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {AutoScalingClient, DescribeLifecycleHooksCommand} from '@aws-sdk/client-auto-scaling'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {createAutoScalingPort} from '../../src/aws/autoscaling-adapter.js'
import {createEcsPort} from '../../src/aws/ecs-adapter.js'
import {createEcsDetailsPort} from '../../src/aws/ecs-details-adapter.js'
import {createLoadBalancingPort} from '../../src/aws/elb-adapter.js'

const config = {region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}}
const ecsMock = mockClient(ECSClient)
const elbMock = mockClient(ElasticLoadBalancingV2Client)
const asgMock = mockClient(AutoScalingClient)
const details = createEcsDetailsPort(new ECSClient(config))
const ecs = createEcsPort(new ECSClient(config))
const elb = createLoadBalancingPort(new ElasticLoadBalancingV2Client(config))
const taskArn = (n: number) => `arn:aws:ecs:us-east-1:1:task/c1/${n.toString(16).padStart(32, '0')}`

beforeEach(() => {
  ecsMock.reset()
  elbMock.reset()
  asgMock.reset()
})

describe('EcsDetailsPort', () => {
  it('GetTaskProtection in batches of 10, answering only the tasks asked for', async () => {
    ecsMock.on(GetTaskProtectionCommand).callsFake((input: {tasks: string[]}) => ({
      protectedTasks: input.tasks.map((t, i) => ({
        taskArn: t,
        protectionEnabled: i % 2 === 0,
        expirationDate: i % 2 === 0 ? new Date('2026-11-28T05:00:00Z') : undefined,
      })),
      failures: [],
    }))
    const asked = Array.from({length: 23}, (_, i) => taskArn(i))
    const out = await details.getTaskProtection('c1', asked)
    const calls = ecsMock.commandCalls(GetTaskProtectionCommand)
    expect(calls.map((c) => c.args[0].input.tasks!.length)).toEqual([10, 10, 3])
    expect(calls[0]!.args[0].input.cluster).toBe('c1')
    expect(out.map((p) => p.taskArn)).toEqual(asked)
    expect(out[0]).toEqual({
      taskArn: asked[0],
      protectionEnabled: true,
      expirationDate: new Date('2026-11-28T05:00:00Z'),
    })
    expect(out[1]).toEqual({taskArn: asked[1], protectionEnabled: false, expirationDate: null})
  })

  it('DescribeTaskDefinition: each container stopTimeout, null where the agent decides', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand, {taskDefinition: 'web:3'}).resolves({
      taskDefinition: {
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:3',
        containerDefinitions: [{name: 'app', stopTimeout: 90}, {name: 'sidecar'}],
      },
    })
    expect(await details.describeTaskDefinition('web:3')).toEqual({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:3',
      containers: [
        {name: 'app', stopTimeout: 90},
        {name: 'sidecar', stopTimeout: null},
      ],
    })
  })

  it('DescribeCapacityProviders: managed draining and termination protection as ECS reports them', async () => {
    ecsMock.on(DescribeCapacityProvidersCommand, {capacityProviders: ['cp1']}).resolves({
      capacityProviders: [
        {
          name: 'cp1',
          autoScalingGroupProvider: {
            autoScalingGroupArn: 'arn:asg',
            managedDraining: 'ENABLED',
            managedTerminationProtection: 'DISABLED',
          },
        },
      ],
    })
    expect(await details.describeCapacityProviders(['cp1'])).toEqual([
      {
        name: 'cp1',
        autoScalingGroupArn: 'arn:asg',
        managedDraining: true,
        managedTerminationProtection: false,
      },
    ])
    expect(await details.describeCapacityProviders([])).toEqual([])
    expect(ecsMock.commandCalls(DescribeCapacityProvidersCommand)).toHaveLength(1)
  })

  it("a service's hosts: ListTasks by serviceName, then DescribeTasks of exactly those", async () => {
    ecsMock.on(ListTasksCommand).resolves({taskArns: [taskArn(1), taskArn(2)]})
    ecsMock.on(DescribeTasksCommand).callsFake((input: {tasks: string[]}) => ({
      tasks: input.tasks.map((t) => ({taskArn: t, containerInstanceArn: `ci-${t.slice(-1)}`})),
    }))
    expect(await details.serviceTaskInstances('c1', 'web')).toEqual(['ci-1', 'ci-2'])
    expect(ecsMock.commandCalls(ListTasksCommand)[0]!.args[0].input).toMatchObject({
      cluster: 'c1',
      serviceName: 'web',
      desiredStatus: 'RUNNING',
    })
  })
})

describe('LoadBalancingPort', () => {
  it("deregistration_delay.timeout_seconds, or ELB's 300 s default when absent", async () => {
    elbMock.on(DescribeTargetGroupAttributesCommand, {TargetGroupArn: 'tg-a'}).resolves({
      Attributes: [
        {Key: 'stickiness.enabled', Value: 'false'},
        {Key: 'deregistration_delay.timeout_seconds', Value: '45'},
      ],
    })
    elbMock.on(DescribeTargetGroupAttributesCommand, {TargetGroupArn: 'tg-b'}).resolves({Attributes: []})
    expect(await elb.deregistrationDelaySeconds('tg-a')).toBe(45)
    expect(await elb.deregistrationDelaySeconds('tg-b')).toBe(300)
  })
})

describe('shapes the explainer reads', () => {
  it("a service's target groups, deployments, circuit breaker and placement", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'web',
          loadBalancers: [{targetGroupArn: 'tg-a', containerName: 'app', containerPort: 80}],
          deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: false}},
          deployments: [
            {
              id: 'ecs-svc/1',
              status: 'PRIMARY',
              rolloutState: 'FAILED',
              rolloutStateReason: 'why',
              failedTasks: 3,
            },
          ],
          placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.availability-zone == a'}],
          placementStrategy: [{type: 'spread', field: 'attribute:ecs.availability-zone'}],
        },
      ],
    })
    const [s] = await ecs.describeServices('c1', ['web'])
    expect(s!.loadBalancers).toEqual([{targetGroupArn: 'tg-a', containerName: 'app', containerPort: 80}])
    expect(s!.circuitBreaker).toEqual({enable: true, rollback: false})
    expect(s!.deployments![0]).toMatchObject({
      id: 'ecs-svc/1',
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      failedTasks: 3,
    })
    expect(s!.placementConstraints).toEqual([
      {type: 'memberOf', expression: 'attribute:ecs.availability-zone == a'},
    ])
    expect(s!.placementStrategy).toEqual([{type: 'spread', field: 'attribute:ecs.availability-zone'}])
  })

  it("a hook's notification target, null for a manual one", async () => {
    asgMock.on(DescribeLifecycleHooksCommand).resolves({
      LifecycleHooks: [
        {LifecycleHookName: 'fn', NotificationTargetARN: 'arn:sns:t', HeartbeatTimeout: 300},
        {LifecycleHookName: 'manual', HeartbeatTimeout: 300},
      ],
    })
    const hooks = await createAutoScalingPort(new AutoScalingClient(config)).describeLifecycleHooks('g')
    expect(hooks.map((h) => [h.hookName, h.notificationTargetArn])).toEqual([
      ['fn', 'arn:sns:t'],
      ['manual', null],
    ])
  })
})
