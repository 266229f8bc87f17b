/**
 * Stopping a task as ECS does, through the SDK over HTTP.
 * - "Amazon ECS task lifecycle" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html):
 *   RUNNING -> DEACTIVATING (deregistering from target groups) -> STOPPING -> DEPROVISIONING -> STOPPED.
 * - ContainerDefinition, stopTimeout (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html):
 *   30 s when neither the container nor the agent sets one.
 * - TargetGroupAttribute (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html):
 *   deregistration_delay.timeout_seconds defaults to 300.
 * - ContainerDefinition, memoryReservation: "If you specify memoryReservation, then that value is subtracted from
 *   the available memory resources for the container instance ... Otherwise, the value of memory is used."
 */
import {
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import {DescribeTargetHealthCommand} from '@aws-sdk/client-elastic-load-balancing-v2'
import {afterEach, describe, expect, it} from 'vitest'

import {
  advance,
  duration,
  instances,
  registerTaskDef,
  service,
  startWorld,
  statusTimeline,
  tasks,
  type World,
} from './sdk-world.js'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

async function runOne(w: World, family: string) {
  const out = await w.ecs.send(new RunTaskCommand({cluster: w.cluster, taskDefinition: family}))
  const t = out.tasks![0]!
  advance(w, 5_000)
  return t.taskArn!
}

function memoryRemaining(ci: {remainingResources?: {name?: string; integerValue?: number}[]}): number {
  return ci.remainingResources!.find((r) => r.name === 'MEMORY')!.integerValue!
}

describe('stopping a task', () => {
  it('waits the agent default stopTimeout of 30 s for an app that ignores SIGTERM, then SIGKILL (exit 137)', async () => {
    w = await startWorld()
    await registerTaskDef(w, 'job')
    const arn = await runOne(w, 'job')
    await w.ecs.send(new StopTaskCommand({cluster: w.cluster, task: arn}))
    const seen = await statusTimeline(w, arn, 250)
    expect(seen.map((s) => s.status)).toEqual(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'])
    // Sampled every 250 ms; the task's own timestamps are exact.
    expect(duration(seen, 'STOPPING')).toBeCloseTo(30_000, -3)
    const [done] = await tasks(w, {family: 'job'})
    expect(done!.executionStoppedAt!.getTime() - done!.stoppingAt!.getTime()).toBe(30_000)
    expect(done!.containers![0]!.exitCode).toBe(137)
  })

  it("uses the longest of the containers' own stopTimeouts", async () => {
    w = await startWorld()
    await w.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'pair',
        containerDefinitions: [
          {name: 'a', image: 'a', cpu: 32, memory: 50, stopTimeout: 12},
          {name: 'b', image: 'b', cpu: 32, memory: 50, stopTimeout: 45},
        ],
      }),
    )
    const arn = await runOne(w, 'pair')
    await w.ecs.send(new StopTaskCommand({cluster: w.cluster, task: arn}))
    await statusTimeline(w, arn, 250)
    const [done] = await tasks(w, {family: 'pair'})
    expect(done!.executionStoppedAt!.getTime() - done!.stoppingAt!.getTime()).toBe(45_000)
  })

  it('an app that exits on SIGTERM (the sigtermExitMs knob) stops as soon as it exits, with exit code 0', async () => {
    w = await startWorld({knobs: {sigtermExitMs: 4_000}})
    await registerTaskDef(w, 'job')
    const arn = await runOne(w, 'job')
    await w.ecs.send(new StopTaskCommand({cluster: w.cluster, task: arn}))
    await statusTimeline(w, arn, 250)
    const [done] = await tasks(w, {family: 'job'})
    expect(done!.executionStoppedAt!.getTime() - done!.stoppingAt!.getTime()).toBe(4_000)
    expect(done!.containers![0]!.exitCode).toBe(0)
  })

  it('a load-balanced task is DEACTIVATING for the 300 s deregistration delay, its target draining, then STOPPING', async () => {
    w = await startWorld()
    const [old] = await tasks(w)
    const tgArn = (await service(w, 'todobackend')).loadBalancers![0]!.targetGroupArn!
    await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'todobackend', desiredCount: 0}))
    advance(w, 2_000)
    const health = await w.elb.send(new DescribeTargetHealthCommand({TargetGroupArn: tgArn}))
    expect(health.TargetHealthDescriptions).toEqual([
      expect.objectContaining({
        Target: expect.objectContaining({Id: (await instances(w))[0]!.ec2InstanceId}),
        TargetHealth: {
          State: 'draining',
          Reason: 'Target.DeregistrationInProgress',
          Description: 'Target deregistration is in progress',
        },
      }),
    ])
    const seen = await statusTimeline(w, old!.taskArn!, 500)
    expect(seen.map((s) => s.status)).toEqual(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'])
    // Observed every 500 ms from about 1 s into DEACTIVATING; the task's own timestamps are exact.
    expect(duration(seen, 'DEACTIVATING')).toBeGreaterThan(298_000)
    expect(duration(seen, 'DEACTIVATING')).toBeLessThanOrEqual(300_000)
    expect(duration(seen, 'STOPPING')).toBeCloseTo(30_000, -3)
    const [done] = await tasks(w)
    expect(done!.executionStoppedAt!.getTime() - done!.stoppingAt!.getTime()).toBe(300_000 + 30_000)
    const after = await w.elb.send(new DescribeTargetHealthCommand({TargetGroupArn: tgArn}))
    expect(after.TargetHealthDescriptions).toEqual([])
  })

  it('reserves memoryReservation (the soft limit) when it is set, and memory otherwise', async () => {
    w = await startWorld()
    const before = memoryRemaining((await instances(w))[0]!)
    await registerTaskDef(w, 'soft', {memory: 300, memoryReservation: 120})
    await registerTaskDef(w, 'hard', {memory: 200})
    await runOne(w, 'soft')
    expect(memoryRemaining((await instances(w))[0]!)).toBe(before - 120)
    await runOne(w, 'hard')
    expect(memoryRemaining((await instances(w))[0]!)).toBe(before - 120 - 200)
  })
})
