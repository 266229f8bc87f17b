import type {Group} from '../world/asg/model.js'
import {addRunningInstance, createGroup} from '../world/asg/groups.js'
import {createCapacityProvider, putClusterCapacityProviders} from '../world/ecs/capacity-handlers.js'
import {createCluster} from '../world/ecs/instances.js'
import {createService} from '../world/ecs/services.js'
import {registerTaskDefinition} from '../world/ecs/task-definitions.js'
import {launchTask} from '../world/ecs/tasks.js'
import {createTargetGroup} from '../world/elb/target-groups.js'
import type {Service} from '../world/model.js'
import type {State} from '../world/state.js'
import {placeRunning, settled} from './common.js'

/**
 * `misconfigured-cluster`: the set-up mistakes `ecsdrain doctor` looks for, each one on purpose (issue 13).
 * Nothing here is broken in the world's rules: each value is one AWS accepts.
 * - `misconfigured-bare-asg` (2 m5.large, AZ a and b): no terminating hook and no managed draining; an
 *   instance maintenance policy of 50 / 100 % (terminate before launching). Service `api` runs there,
 *   desired 2 with minimumHealthyPercent 100 and maximumPercent 100 (the deadlock), one task per instance.
 * - `misconfigured-hooked-asg` (2 m5.xlarge, AZ a and b): two drain functions, `payments-drain-hook`
 *   (HeartbeatTimeout 60 s, DefaultResult ABANDON) and a CDK InstanceDrainHook (HeartbeatTimeout 30 s).
 *   Service `web` runs there behind `web-tg` (deregistration delay 3600 s, the most ELBv2 allows) with a
 *   stopTimeout of 120 s, one 12 GiB task per instance: no room for a replacement when one drains.
 * - `misconfigured-managed-asg` (1 c5.xlarge, AZ a): behind capacity provider `misconfigured-managed-cp` with
 *   managed draining, and a custom hook `custom-drain-hook` beside it. Service `reports` can run only on c5.
 * - `misconfigured-daemon-asg` (1 t3.medium, AZ b): NewInstancesProtectedFromScaleIn, a hook that notifies
 *   nothing (`ops-manual-hook`); it runs only the daemon `log-agent` (which runs on every instance).
 * - `worker` (2 tasks, both in AZ a; one protected from scale-in for 47 h) and `cron` (1 task,
 *   minimumHealthyPercent 0).
 * No ecsdrain hook stack is installed.
 */
export const MISCONFIGURED_CLUSTER = 'misconfigured-cluster'
export const MISCONFIGURED_GROUPS = {
  bare: 'misconfigured-bare-asg',
  hooked: 'misconfigured-hooked-asg',
  managed: 'misconfigured-managed-asg',
  daemon: 'misconfigured-daemon-asg',
} as const
/** CDK names the hook after its construct id `DrainECSHook` (aws-cdk-lib aws-ecs InstanceDrainHook). */
export const MISCONFIGURED_CDK_HOOK = 'InfraStack-ClusterDefaultCapacityDrainECSHook1A2B3C4D-7XK2M9QZ'
const TASK_PROTECTION_MS = 47 * 3600_000

export function buildMisconfigured(state: State): void {
  createCluster(state, MISCONFIGURED_CLUSTER)
  const az = (s: string) => `${state.region}${s}`
  const group = (name: string, instanceType: string, cpu: number, memory: number, n: number, azs: string[]) =>
    createGroup(state, {
      name,
      minSize: n,
      maxSize: n + 2,
      desiredCapacity: n,
      instanceType,
      cpu,
      memory,
      clusterName: MISCONFIGURED_CLUSTER,
      availabilityZones: azs.map(az),
    })
  const topic = (name: string) => state.arn('sns', name)
  const hook = (
    g: Group,
    name: string,
    heartbeatTimeout: number,
    opts: {target?: string; abandon?: boolean},
  ) =>
    g.hooks.set(name, {
      name,
      groupName: g.name,
      transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeout,
      defaultResult: opts.abandon ? 'ABANDON' : 'CONTINUE',
      ...(opts.target
        ? {
            notificationTargetArn: opts.target,
            roleArn: `arn:aws:iam::${state.accountId}:role/${name}-publish`,
          }
        : {}),
    })

  const bare = group(MISCONFIGURED_GROUPS.bare, 'm5.large', 2048, 7680, 2, ['a', 'b'])
  bare.instanceMaintenancePolicy = {minHealthyPercentage: 50, maxHealthyPercentage: 100}
  const hooked = group(MISCONFIGURED_GROUPS.hooked, 'm5.xlarge', 4096, 15360, 2, ['a', 'b'])
  hook(hooked, 'payments-drain-hook', 60, {target: topic('payments-drain'), abandon: true})
  hook(hooked, MISCONFIGURED_CDK_HOOK, 30, {target: topic('InfraStack-DrainECSHookTopic')})
  const managed = group(MISCONFIGURED_GROUPS.managed, 'c5.xlarge', 4096, 7680, 1, ['a'])
  createCapacityProvider(state, {
    name: 'misconfigured-managed-cp',
    groupName: managed.name,
    managedScaling: {status: 'ENABLED', targetCapacity: 100},
    managedTerminationProtection: 'DISABLED',
    managedDraining: 'ENABLED',
  })
  putClusterCapacityProviders(
    state,
    state.clusters.get(MISCONFIGURED_CLUSTER)!,
    ['misconfigured-managed-cp'],
    [],
  )
  hook(managed, 'custom-drain-hook', 900, {target: topic('custom-drain')})
  const daemonOnly = group(MISCONFIGURED_GROUPS.daemon, 't3.medium', 2048, 3943, 1, ['b'])
  daemonOnly.newInstancesProtectedFromScaleIn = true
  hook(daemonOnly, 'ops-manual-hook', 900, {})
  for (const g of [bare, hooked, managed, daemonOnly])
    for (let i = 0; i < g.desiredCapacity; i++) addRunningInstance(state, g)

  const td = (family: string, cpu: number, memory: number, extra: Record<string, unknown> = {}) =>
    registerTaskDefinition(state, {
      family,
      containerDefinitions: [{name: family, image: `example/${family}:1`, cpu, memory, ...extra}],
    })
  const onType = (type: string) => [
    {type: 'memberOf' as const, expression: `attribute:ecs.instance-type == ${type}`},
  ]
  const run = (svc: Service, n: number) => {
    placeRunning(state, svc, n)
    settled(state, svc)
    return svc
  }
  const service = (spec: Parameters<typeof createService>[2]) =>
    createService(state, MISCONFIGURED_CLUSTER, spec)

  run(
    service({
      name: 'api',
      taskDef: td('api', 512, 1024),
      desiredCount: 2,
      minimumHealthyPercent: 100,
      maximumPercent: 100,
      placementConstraints: [...onType('m5.large'), {type: 'distinctInstance'}],
    }),
    2,
  )
  const tg = createTargetGroup(state, {name: 'web-tg', port: 80, loadBalancerName: 'misconfigured-alb'})
  // "deregistration_delay.timeout_seconds ... The range is 0-3600 seconds" (Target group attributes,
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html).
  tg.attributes.set('deregistration_delay.timeout_seconds', '3600')
  run(
    service({
      name: 'web',
      taskDef: td('web', 1024, 12288, {stopTimeout: 120, portMappings: [{containerPort: 8080, hostPort: 0}]}),
      desiredCount: 2,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      loadBalancers: [{targetGroupArn: tg.arn, containerName: 'web', containerPort: 8080}],
      placementConstraints: onType('m5.xlarge'),
    }),
    2,
  )
  run(
    service({
      name: 'reports',
      taskDef: td('reports', 1024, 2048),
      desiredCount: 1,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ c5.*'}],
    }),
    1,
  )
  const worker = run(
    service({
      name: 'worker',
      taskDef: td('worker', 256, 512),
      desiredCount: 2,
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      placementConstraints: [
        {type: 'memberOf', expression: `attribute:ecs.availability-zone == ${az('a')}`},
        {type: 'memberOf', expression: 'attribute:ecs.instance-type != t3.medium'},
      ],
    }),
    2,
  )
  const first = [...worker.tasks][0]!
  first.protectedUntil = state.now() + TASK_PROTECTION_MS
  run(
    service({
      name: 'cron',
      taskDef: td('cron', 256, 256),
      desiredCount: 1,
      minimumHealthyPercent: 0,
      maximumPercent: 100,
      placementConstraints: onType('m5.large'),
    }),
    1,
  )
  const agent = service({
    name: 'log-agent',
    taskDef: td('log-agent', 64, 64),
    desiredCount: 0,
    schedulingStrategy: 'DAEMON',
  })
  for (const ci of state.clusters.get(MISCONFIGURED_CLUSTER)!.instances.values())
    launchTask(state, ci, agent.taskDef, {
      service: agent,
      deploymentId: agent.deployments[0]!.id,
      alreadyRunning: true,
    })
  agent.desiredCount = agent.tasks.size
  settled(state, agent)
}
