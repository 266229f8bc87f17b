/**
 * The ELBv2 subset through the SDK's own awsQuery client (Version=2015-12-01), and what ECS does with it.
 * - TargetGroupAttribute (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html):
 *   deregistration_delay.timeout_seconds, 0-3600, default 300.
 * - TargetHealth (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html):
 *   states and reason codes.
 * - "After your target is registered, it must pass one health check to be considered healthy" (Health checks for
 *   Application Load Balancer target groups: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html),
 *   every HealthCheckIntervalSeconds (30 s by default).
 * - "Tasks for services that use a load balancer are considered healthy if they are in the RUNNING state and the
 *   container instance they are hosted on is reported as healthy by the load balancer." (Draining Amazon ECS container
 *   instances: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html)
 */
import {UpdateServiceCommand} from '@aws-sdk/client-ecs'
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {afterEach, describe, expect, it} from 'vitest'

import {
  advance,
  advanceUntil,
  events,
  instances,
  now,
  scaleTo,
  service,
  startWorld,
  tasks,
  type World,
} from './sdk-world.js'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

async function targetGroup(w: World) {
  return (await w.elb.send(new DescribeTargetGroupsCommand({Names: ['todobackend-tg']}))).TargetGroups![0]!
}

async function health(w: World, arn: string) {
  return (await w.elb.send(new DescribeTargetHealthCommand({TargetGroupArn: arn}))).TargetHealthDescriptions!
}

describe('ELBv2 target groups', () => {
  it("describes the todobackend service's target group, behind a load balancer, with AWS's default attributes", async () => {
    w = await startWorld()
    const tg = await targetGroup(w)
    expect(tg).toMatchObject({
      TargetGroupName: 'todobackend-tg',
      Protocol: 'HTTP',
      TargetType: 'instance',
      HealthCheckIntervalSeconds: 30,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
    })
    expect(tg.LoadBalancerArns![0]).toMatch(/:loadbalancer\/app\/todobackend-alb\//)
    expect((await service(w, 'todobackend')).loadBalancers![0]!.targetGroupArn).toBe(tg.TargetGroupArn)
    const attrs = await w.elb.send(
      new DescribeTargetGroupAttributesCommand({TargetGroupArn: tg.TargetGroupArn}),
    )
    expect(attrs.Attributes).toContainEqual({Key: 'deregistration_delay.timeout_seconds', Value: '300'})
    const [t] = await health(w, tg.TargetGroupArn!)
    const [task] = await tasks(w)
    expect(t).toMatchObject({
      Target: {
        Id: (await instances(w))[0]!.ec2InstanceId,
        Port: task!.containers![0]!.networkBindings![0]!.hostPort,
      },
      TargetHealth: {State: 'healthy'},
    })
  })

  it('refuses what AWS refuses: an unknown group, a delay outside 0-3600, an unknown attribute; and changes nothing', async () => {
    w = await startWorld()
    const tg = await targetGroup(w)
    await expect(
      w.elb.send(
        new DescribeTargetHealthCommand({TargetGroupArn: tg.TargetGroupArn!.replace(/\w+$/, '0000')}),
      ),
    ).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
      message: 'One or more target groups not found',
    })
    await expect(w.elb.send(new DescribeTargetGroupsCommand({Names: ['nope']}))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
    })
    const modify = (Key: string, Value: string) =>
      w!.elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: tg.TargetGroupArn,
          Attributes: [{Key, Value}],
        }),
      )
    await expect(modify('deregistration_delay.timeout_seconds', '3601')).rejects.toMatchObject({
      name: 'ValidationError',
      message: "'deregistration_delay.timeout_seconds' value '3601' must be between '0-3600' inclusive",
    })
    await expect(modify('no.such.key', '1')).rejects.toMatchObject({
      message: "Target group attribute key 'no.such.key' is not recognized",
    })
    const attrs = await w.elb.send(
      new DescribeTargetGroupAttributesCommand({TargetGroupArn: tg.TargetGroupArn}),
    )
    expect(attrs.Attributes).toContainEqual({Key: 'deregistration_delay.timeout_seconds', Value: '300'})
  })

  it('ModifyTargetGroupAttributes sets the delay a stopping task waits out in DEACTIVATING', async () => {
    w = await startWorld()
    const tg = await targetGroup(w)
    const out = await w.elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tg.TargetGroupArn,
        Attributes: [{Key: 'deregistration_delay.timeout_seconds', Value: '45'}],
      }),
    )
    expect(out.Attributes).toContainEqual({Key: 'deregistration_delay.timeout_seconds', Value: '45'})
    await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'todobackend', desiredCount: 0}))
    await advanceUntil(w, async () => (await tasks(w!))[0]!.lastStatus === 'STOPPED')
    const [t] = await tasks(w)
    expect(t!.executionStoppedAt!.getTime() - t!.stoppingAt!.getTime()).toBe(45_000 + 30_000)
  })

  it('a new task is registered, initial until its first health check 30 s later, and only then counts as healthy', async () => {
    w = await startWorld()
    const tg = await targetGroup(w)
    await scaleTo(w, 2)
    const original = new Set((await tasks(w)).map((t) => t.taskArn))
    await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'todobackend', desiredCount: 2}))
    let runningAt: number | undefined
    await advanceUntil(
      w,
      async () => {
        const fresh = (await tasks(w!)).find((t) => t.lastStatus === 'RUNNING' && !original.has(t.taskArn))
        if (fresh) runningAt ??= fresh.startedAt!.getTime()
        return runningAt !== undefined
      },
      60_000,
      250,
    )
    const initial = (await health(w, tg.TargetGroupArn!)).find((d) => d.TargetHealth!.State !== 'healthy')
    expect(initial!.TargetHealth).toEqual({
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
      Description: 'Target registration is in progress',
    })
    // Not steady while the new task is not healthy in its target group, however many scheduler passes.
    advance(w, runningAt! + 30_000 - now(w) - 1)
    expect(
      (await service(w, 'todobackend')).events!.filter(
        (e) => e.createdAt!.getTime() > runningAt! && /steady state/.test(e.message!),
      ),
    ).toEqual([])
    expect(
      (await health(w, tg.TargetGroupArn!)).filter((d) => d.TargetHealth!.State === 'healthy'),
    ).toHaveLength(1)
    advance(w, 2_000)
    expect(
      (await health(w, tg.TargetGroupArn!)).filter((d) => d.TargetHealth!.State === 'healthy'),
    ).toHaveLength(2)
    advance(w, 2_000)
    expect(await events(w, 'todobackend')).toContainEqual(expect.stringMatching(/has reached a steady state/))
    expect(await events(w, 'todobackend')).toContainEqual(
      `(service todobackend) registered 1 targets in (target-group ${tg.TargetGroupArn})`,
    )
  })
})
