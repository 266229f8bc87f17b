import {afterEach, describe, expect, it} from 'vitest'
import {SimError} from '../../../src/sim/types.js'
import {CLUSTER, groupName, harness, type Harness, type Obj} from './helpers.js'

// Paging, batch limits and the validation errors AWS gives (aws-semantics §5).

let h: Harness
afterEach(() => h?.world.stop())

function error(fn: () => unknown): SimError {
  try {
    fn()
  } catch (e) {
    if (e instanceof SimError) return e
    throw e
  }
  throw new Error('expected a SimError')
}

describe('paging across 250 instances', () => {
  it('ListContainerInstances pages by 100 with nextToken, and the ec2InstanceId filter finds one', () => {
    h = harness({scenario: 'large', instances: 250, services: 5, tasksPerInstance: 2})
    const cluster = 'large-cluster'
    const pages: string[][] = []
    let nextToken: string | undefined
    do {
      const res = h.call<Obj>('ecs', 'ListContainerInstances', {cluster, nextToken})
      pages.push(res.containerInstanceArns)
      nextToken = res.nextToken
    } while (nextToken)
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50])
    expect(new Set(pages.flat()).size).toBe(250)

    const last = pages[2]![49]!
    const {containerInstances} = h.call<Obj>('ecs', 'DescribeContainerInstances', {
      cluster,
      containerInstances: [last],
    })
    const ec2 = containerInstances[0].ec2InstanceId
    const found = h.call<Obj>('ecs', 'ListContainerInstances', {cluster, filter: `ec2InstanceId == ${ec2}`})
    expect(found.containerInstanceArns).toEqual([last])
    const none = h.call<Obj>('ecs', 'ListContainerInstances', {
      cluster,
      filter: 'ec2InstanceId == i-0000000000000000',
    })
    expect(none.containerInstanceArns).toEqual([])

    const small = h.call<Obj>('ecs', 'ListTasks', {cluster, maxResults: 30})
    expect(small.taskArns).toHaveLength(30)
    expect(small.nextToken).toBeTypeOf('string')
    const counts = h.call<Obj>('ecs', 'DescribeClusters', {clusters: [cluster]}).clusters[0]
    expect(counts).toMatchObject({registeredContainerInstancesCount: 250, runningTasksCount: 500})

    const asg = h.call<Obj>('autoscaling', 'DescribeAutoScalingInstances', {})
    expect(asg.AutoScalingInstances).toHaveLength(50)
    expect(asg.NextToken).toBeTypeOf('string')
  })

  it('filters by status and by instance type', () => {
    h = harness({scenario: 'large', instances: 250, services: 5, tasksPerInstance: 2})
    const cluster = 'large-cluster'
    const [first] = h.call<Obj>('ecs', 'ListContainerInstances', {
      cluster,
      maxResults: 1,
    }).containerInstanceArns
    h.call('ecs', 'UpdateContainerInstancesState', {cluster, containerInstances: [first], status: 'DRAINING'})
    expect(
      h.call<Obj>('ecs', 'ListContainerInstances', {cluster, status: 'DRAINING'}).containerInstanceArns,
    ).toEqual([first])
    const typed = h.call<Obj>('ecs', 'ListContainerInstances', {
      cluster,
      filter: 'attribute:ecs.instance-type == m5.xlarge',
      maxResults: 100,
    })
    expect(typed.containerInstanceArns).toHaveLength(100)
    const other = h.call<Obj>('ecs', 'ListContainerInstances', {
      cluster,
      filter: 'attribute:ecs.instance-type == t3.nano',
    })
    expect(other.containerInstanceArns).toEqual([])
  })
})

describe('validation errors', () => {
  it('ECS: limits, unknown clusters and services', () => {
    h = harness()
    expect(
      error(() => h.call('ecs', 'ListContainerInstances', {cluster: CLUSTER, maxResults: 101})).code,
    ).toBe('InvalidParameterException')
    const arns = Array.from({length: 101}, (_, i) => `id${i}`)
    const tooMany = error(() =>
      h.call('ecs', 'DescribeContainerInstances', {cluster: CLUSTER, containerInstances: arns}),
    )
    expect(tooMany.code).toBe('InvalidParameterException')
    expect(tooMany.message).toBe('containerInstances can have at most 100 items.')
    expect(error(() => h.call('ecs', 'DescribeTasks', {cluster: CLUSTER, tasks: arns})).message).toBe(
      'tasks can have at most 100 items.',
    )
    const eleven = Array.from({length: 11}, (_, i) => `s${i}`)
    expect(error(() => h.call('ecs', 'DescribeServices', {cluster: CLUSTER, services: eleven})).message).toBe(
      'services can have at most 10 items.',
    )
    const missing = error(() => h.call('ecs', 'ListContainerInstances', {cluster: 'nope'}))
    expect([missing.code, missing.message, missing.httpStatus]).toEqual([
      'ClusterNotFoundException',
      'Cluster not found.',
      400,
    ])
    expect(
      error(() => h.call('ecs', 'UpdateService', {cluster: CLUSTER, service: 'nope', desiredCount: 1})).code,
    ).toBe('ServiceNotFoundException')
    expect(error(() => h.call('ecs', 'ListTasks', {cluster: CLUSTER, nextToken: 'garbage!'})).code).toBe(
      'InvalidParameterException',
    )
    expect(
      h.call<Obj>('ecs', 'DescribeServices', {cluster: CLUSTER, services: ['nope']}).failures[0].reason,
    ).toBe('MISSING')
    expect(error(() => h.call('ecs', 'DescribeTaskDefinition', {taskDefinition: 'nope'})).code).toBe(
      'ClientException',
    )
  })

  it('Auto Scaling: limits, capacity bounds, unknown lifecycle actions', () => {
    h = harness()
    const g = groupName(h)
    const ids = Array.from({length: 51}, (_, i) => `i-${String(i).padStart(17, '0')}`)
    const tooMany = error(() => h.call('autoscaling', 'DescribeAutoScalingInstances', {InstanceIds: ids}))
    expect(tooMany.code).toBe('ValidationError')
    expect(
      error(() =>
        h.call('autoscaling', 'SetDesiredCapacity', {AutoScalingGroupName: g, DesiredCapacity: '3'}),
      ).message,
    ).toBe(`New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.`)
    const noAction = error(() =>
      h.call('autoscaling', 'CompleteLifecycleAction', {
        AutoScalingGroupName: g,
        LifecycleHookName: 'x',
        InstanceId: 'i-0123456789abcdef0',
        LifecycleActionResult: 'CONTINUE',
      }),
    )
    expect([noAction.code, noAction.message]).toEqual([
      'ValidationError',
      'No active Lifecycle Action found with instance ID i-0123456789abcdef0',
    ])
    expect(
      error(() =>
        h.call('autoscaling', 'PutLifecycleHook', {
          AutoScalingGroupName: g,
          LifecycleHookName: 'h',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          HeartbeatTimeout: '10',
        }),
      ).code,
    ).toBe('ValidationError')
    h.call('autoscaling', 'StartInstanceRefresh', {AutoScalingGroupName: g})
    expect(error(() => h.call('autoscaling', 'StartInstanceRefresh', {AutoScalingGroupName: g})).code).toBe(
      'InstanceRefreshInProgress',
    )
  })

  it('CloudWatch: missing statistics, AWS namespaces, bad periods', () => {
    h = harness()
    const base = {
      Namespace: 'AWS/ECS',
      MetricName: 'MemoryReservation',
      StartTime: String((h.clock.now() - 3_600_000) / 1000),
      EndTime: String(h.clock.now() / 1000),
      Period: '60',
    }
    expect(error(() => h.call('cloudwatch', 'GetMetricStatistics', base)).code).toBe(
      'InvalidParameterCombination',
    )
    expect(
      error(() =>
        h.call('cloudwatch', 'GetMetricStatistics', {...base, Statistics: ['Minimum'], Period: '61'}),
      ).code,
    ).toBe('InvalidParameterValue')
    expect(
      error(() => h.call('cloudwatch', 'GetMetricStatistics', {...base, Namespace: undefined})).code,
    ).toBe('MissingParameter')
    expect(
      error(() =>
        h.call('cloudwatch', 'PutMetricData', {
          Namespace: 'AWS/ECS',
          MetricData: [{MetricName: 'x', Value: '1'}],
        }),
      ).code,
    ).toBe('InvalidParameterValue')
  })
})
