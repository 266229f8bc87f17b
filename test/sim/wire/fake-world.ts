/**
 * A tiny world for testing the wire layer on its own: a few operations whose answers exercise every kind of
 * value a codec must write (nested lists, timestamps, numbers, booleans, void results) and the errors it must
 * translate. It records the inputs it received, so tests can check what the decoders produced.
 */
import {SimError, type OperationHandler, type World} from '../../../src/sim/types.js'

export const LAUNCHED = new Date('2026-11-28T10:00:00.250Z')

export function fakeWorld(): World & {inputs: Record<string, Record<string, unknown>[]>} {
  const inputs: Record<string, Record<string, unknown>[]> = {}
  const clusters = Array.from({length: 250}, (_, i) => `arn:aws:ecs:us-east-1:123456789012:cluster/c${i}`)
  const seen =
    (name: string, fn: OperationHandler): OperationHandler =>
    (input, ctx) => {
      ;(inputs[name] ??= []).push(input)
      return fn(input, ctx)
    }
  return {
    inputs,
    handlers: {
      ecs: {
        ListClusters: seen('ListClusters', (input) => {
          const start = Number(input.nextToken ?? 0)
          const size = Number(input.maxResults ?? 100)
          const page = clusters.slice(start, start + size)
          const next = start + size < clusters.length ? String(start + size) : undefined
          return {clusterArns: page, nextToken: next}
        }),
        DescribeClusters: seen('DescribeClusters', (_input, ctx) => ({
          clusters: [{clusterName: 'c0', status: 'ACTIVE', registeredContainerInstancesCount: 2}],
          failures: [{arn: `region:${ctx.region}`, reason: 'MISSING'}],
        })),
        UpdateContainerInstancesState: seen('UpdateContainerInstancesState', () => {
          throw new SimError('ClusterNotFoundException', 'Cluster not found.')
        }),
        StopTask: seen('StopTask', () => {
          throw new Error('a bug in the world')
        }),
      },
      autoscaling: {
        DescribeAutoScalingGroups: seen('DescribeAutoScalingGroups', (input) => ({
          AutoScalingGroups: [
            {
              AutoScalingGroupName: (input.AutoScalingGroupNames as string[] | undefined)?.[0] ?? 'asg',
              MinSize: 1,
              MaxSize: 2,
              DesiredCapacity: 1,
              CreatedTime: LAUNCHED,
              NewInstancesProtectedFromScaleIn: false,
              AvailabilityZones: ['us-east-1a', 'us-east-1b'],
              Instances: [{InstanceId: 'i-1', LifecycleState: 'InService', ProtectedFromScaleIn: true}],
              Tags: [],
            },
          ],
        })),
        SetDesiredCapacity: seen('SetDesiredCapacity', () => undefined),
        CompleteLifecycleAction: seen('CompleteLifecycleAction', (input) => {
          throw new SimError(
            'ValidationError',
            `No active Lifecycle Action found with instance ID ${String(input.InstanceId)}`,
          )
        }),
      },
      cloudwatch: {
        GetMetricStatistics: seen('GetMetricStatistics', (input) => ({
          Label: 'MemoryReservation',
          Datapoints: [
            {
              Timestamp: input.StartTime,
              Minimum: 0,
              Maximum: 48.5,
              Average: 24.25,
              SampleCount: 3,
              Unit: 'Percent',
            },
          ],
        })),
        PutMetricData: seen('PutMetricData', () => undefined),
        ListMetrics: seen('ListMetrics', () => {
          throw new SimError('InvalidParameterValue', 'The parameter Namespace is not valid.')
        }),
      },
      cloudformation: {
        DescribeStacks: seen('DescribeStacks', (input) => {
          if (input.StackName === 'missing')
            throw new SimError('ValidationError', 'Stack with id missing does not exist')
          return {
            Stacks: [
              {
                StackName: String(input.StackName),
                StackStatus: 'CREATE_COMPLETE',
                CreationTime: LAUNCHED,
                Outputs: [{OutputKey: 'Fn', OutputValue: 'arn'}],
              },
            ],
          }
        }),
      },
      sns: {
        GetTopicAttributes: seen('GetTopicAttributes', (input) => ({
          Attributes: {TopicArn: String(input.TopicArn), SubscriptionsConfirmed: '1'},
        })),
        Subscribe: seen('Subscribe', () => ({SubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:t:1'})),
      },
      lambda: {
        CreateFunction: seen('CreateFunction', (input) => ({
          FunctionName: input.FunctionName,
          Runtime: input.Runtime,
          State: 'Active',
          LastModified: '2026-11-28T10:00:00.000+0000',
        })),
        GetFunction: seen('GetFunction', (input) => {
          if (input.FunctionName === 'missing')
            throw new SimError('ResourceNotFoundException', 'Function not found: missing', 404)
          return {Configuration: {FunctionName: input.FunctionName, Runtime: 'nodejs22.x'}}
        }),
        Invoke: seen('Invoke', (input) => {
          const payload = JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8')) as {n: number}
          if (payload.n < 0)
            return {
              StatusCode: 200,
              FunctionError: 'Unhandled',
              Payload: JSON.stringify({errorMessage: 'negative'}),
            }
          return {StatusCode: 200, Payload: JSON.stringify({doubled: payload.n * 2})}
        }),
      },
    },
    summary: () => ({clusters: ['c0'], autoScalingGroups: ['asg']}),
    stop: () => {},
  }
}
