/** ClusterSnapshot fixtures for the TUI's tests, in the shapes core defines. */
import type {ActionRunner} from '../../src/core/watch/actions.js'
import type {ClusterSnapshot, InstanceView, ServiceInfo} from '../../src/core/types.js'
import {containerInstance, serviceInfo} from '../helpers/core-shapes.js'

export const T0 = Date.UTC(2026, 10, 28, 3, 0, 0)

export function instance(n: number, over: Partial<InstanceView> = {}): InstanceView {
  const hex = n.toString(16).padStart(17, '0')
  return {
    ...containerInstance(
      {
        cluster: 'todobackend-cluster',
        containerInstanceArn: `arn:aws:ecs:us-east-1:123456789012:container-instance/todobackend-cluster/${hex}`,
        ec2InstanceId: `i-${hex}`,
      },
      {
        runningTasksCount: 1,
        cpu: {registered: 1024, remaining: 768},
        memory: {registered: 993, remaining: 497},
        usedTcpPorts: [22, 2375, 2376, 51678, 51679],
        instanceType: 't2.micro',
        registeredAt: new Date(T0 - 3_600_000 + n * 1000),
      },
    ),
    autoScalingGroupName: 'ApplicationAutoscaling',
    lifecycleState: 'InService',
    lifecycleHook: null,
    ...over,
  }
}

export function service(over: Partial<ServiceInfo> = {}): ServiceInfo {
  return serviceInfo(
    {
      serviceName: 'todobackend',
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/todobackend-cluster/todobackend',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/todobackend:1',
    },
    over,
  )
}

export function snapshot(over: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: 'todobackend-cluster',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/todobackend-cluster',
    takenAt: new Date(T0),
    instances: [instance(1)],
    services: [service()],
    groups: [
      {
        autoScalingGroupName: 'ApplicationAutoscaling',
        desiredCapacity: 1,
        minSize: 1,
        maxSize: 2,
        status: null,
      },
    ],
    activities: [],
    refreshes: [],
    ...over,
  }
}

/** A terminating instance whose hook waits: the heartbeat deadline is 14:30 after T0. */
export function terminating(n: number): InstanceView {
  return instance(n, {
    lifecycleState: 'Terminating:Wait',
    lifecycleHook: {
      name: 'todobackend-drain',
      autoScalingGroupName: 'ApplicationAutoscaling',
      heartbeatDeadline: new Date(T0 + 14 * 60_000 + 30_000),
      globalDeadline: new Date(T0 + 25 * 3_600_000),
      defaultResult: 'CONTINUE',
    },
  })
}

export function metricSeries(values: number[], end = T0): Array<{timestamp: Date; value: number}> {
  return values.map((value, k) => ({timestamp: new Date(end - (values.length - 1 - k) * 60_000), value}))
}

const ANSI = new RegExp(String.raw`\u001B\[[0-9;?]*[ -/]*[@-~]`, 'g')
export function strip(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '')
}

/** An action runner with nothing to do: for screens whose keys these tests do not press. */
export const idleRunner: ActionRunner = {
  run: async () => {},
  check: async () => null,
  isBusy: () => false,
  abortAll: () => {},
  settled: async () => {},
}
