/**
 * Builds, in moto_server, the pieces of an ECS-on-EC2 cluster the way AWS would have them, for the
 * conformance suite: EC2 instances launched by an Auto Scaling group, registered as container instances
 * with their instance identity documents, and tasks started by RunTask. Each conformance file asks only
 * for the steps it needs, in the order it needs them.
 */
import {
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  PutLifecycleHookCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling'
import {
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs'

export const MOTO_REGION = 'us-east-1'
export const MOTO_CREDENTIALS = {accessKeyId: 'test', secretAccessKey: 'test'}
const INSTANCE_TYPE = 't3.large'
const LAUNCH_CONFIGURATION = 'lc'

/** SDK client configuration pointed at a moto_server endpoint. */
export function motoClientConfig(endpoint: string) {
  return {endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS}
}

export interface MotoGroupSpec {
  group: string
  maxSize: number
  desiredCapacity: number
  availabilityZones: string[]
  /** Also put a terminating lifecycle hook named `drain` on the group (moto records it, never holds on it). */
  drainHook?: boolean
}

/**
 * Creates a launch configuration and an Auto Scaling group from it (moto launches its EC2 instances at
 * once) and returns the group's instance ids, in the order DescribeAutoScalingGroups lists them.
 */
export async function createMotoGroup(asg: AutoScalingClient, spec: MotoGroupSpec): Promise<string[]> {
  await asg.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: LAUNCH_CONFIGURATION,
      ImageId: 'ami-12c6146b',
      InstanceType: INSTANCE_TYPE,
    }),
  )
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: spec.group,
      LaunchConfigurationName: LAUNCH_CONFIGURATION,
      MinSize: 0,
      MaxSize: spec.maxSize,
      DesiredCapacity: spec.desiredCapacity,
      AvailabilityZones: spec.availabilityZones,
    }),
  )
  if (spec.drainHook) {
    await asg.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: spec.group,
        LifecycleHookName: 'drain',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 900,
        DefaultResult: 'CONTINUE',
      }),
    )
  }
  const group = (await asg.send(new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [spec.group]})))
    .AutoScalingGroups![0]!
  return group.Instances!.map((i) => i.InstanceId!)
}

/**
 * Registers each EC2 instance in the (existing) cluster (in the order given) with its instance identity
 * document, and starts `tasks` copies of a 256 CPU / 512 MiB task with RunTask.
 */
export async function registerAndRunTasks(
  ecs: ECSClient,
  cluster: string,
  instanceIds: readonly string[],
  tasks: number,
): Promise<void> {
  for (const instanceId of instanceIds) {
    const identity = {
      instanceId,
      region: MOTO_REGION,
      instanceType: INSTANCE_TYPE,
      accountId: '123456789012',
    }
    await ecs.send(
      new RegisterContainerInstanceCommand({cluster, instanceIdentityDocument: JSON.stringify(identity)}),
    )
  }
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      containerDefinitions: [{name: 'web', image: 'nginx', cpu: 256, memory: 512}],
    }),
  )
  await ecs.send(new RunTaskCommand({cluster, taskDefinition: 'web', count: tasks}))
}
