/**
 * Task scale-in protection through the SDK over HTTP.
 * "You can use Amazon ECS task scale-in protection to protect your tasks from being terminated by scale-in events
 * from either service auto scaling or deployments." ... "tasks are protected for 2 hours by default ... a minimum of
 * 1 minute and up to a maximum of 2880 minutes (48 hours)."
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html)
 * UpdateTaskProtection (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateTaskProtection.html):
 * standalone tasks fail with TASK_NOT_VALID; protection is reset to false when it expires.
 */
import {
  GetTaskProtectionCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  UpdateTaskProtectionCommand,
} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {
  advance,
  advanceUntil,
  createService,
  drain,
  now,
  registerTaskDef,
  retireTodobackend,
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

const live = async (w: World, family: string) =>
  (await tasks(w, {family})).filter((t) => t.desiredStatus === 'RUNNING')

async function protect(w: World, arns: string[], expiresInMinutes?: number) {
  return w.ecs.send(
    new UpdateTaskProtectionCommand({
      cluster: w.cluster,
      tasks: arns,
      protectionEnabled: true,
      expiresInMinutes,
    }),
  )
}

describe('task scale-in protection', () => {
  it('protects for 2 hours by default; GetTaskProtection reads it; it expires back to false', async () => {
    w = await startWorld()
    const [t] = await tasks(w)
    const at = now(w)
    const out = await protect(w, [t!.taskArn!])
    expect(out.failures).toEqual([])
    expect(out.protectedTasks).toEqual([
      {taskArn: t!.taskArn, protectionEnabled: true, expirationDate: new Date(at + 120 * 60_000)},
    ])
    const got = await w.ecs.send(new GetTaskProtectionCommand({cluster: w.cluster, tasks: [t!.taskArn!]}))
    expect(got.protectedTasks![0]!.protectionEnabled).toBe(true)
    advance(w, 120 * 60_000)
    const later = await w.ecs.send(new GetTaskProtectionCommand({cluster: w.cluster, tasks: [t!.taskArn!]}))
    expect(later.protectedTasks).toEqual([{taskArn: t!.taskArn, protectionEnabled: false}])
  })

  it('refuses expiresInMinutes outside 1-2880 and fails standalone or unknown tasks with TASK_NOT_VALID / MISSING', async () => {
    w = await startWorld()
    const [t] = await tasks(w)
    await expect(protect(w, [t!.taskArn!], 0)).rejects.toMatchObject({name: 'InvalidParameterException'})
    await expect(protect(w, [t!.taskArn!], 2881)).rejects.toMatchObject({name: 'InvalidParameterException'})
    expect((await protect(w, [t!.taskArn!], 2880)).protectedTasks![0]!.expirationDate!.getTime()).toBe(
      now(w) + 2880 * 60_000,
    )
    await registerTaskDef(w, 'job')
    const run = await w.ecs.send(new RunTaskCommand({cluster: w.cluster, taskDefinition: 'job'}))
    const missing = t!.taskArn!.replace(/\w+$/, '0'.repeat(32))
    const out = await protect(w, [run.tasks![0]!.taskArn!, missing])
    expect(out.failures!.map((f) => f.reason)).toEqual(['TASK_NOT_VALID', 'MISSING'])
  })

  it('holds back a scale-in until the protection expires', async () => {
    w = await startWorld()
    await retireTodobackend(w)
    await createService(w, 'queue', {desiredCount: 2}, {memory: 64})
    const [keep, other] = await live(w, 'queue')
    await protect(w, [keep!.taskArn!], 10)
    await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'queue', desiredCount: 1}))
    advance(w, 60_000)
    // The unprotected one goes; the protected one stays.
    expect((await live(w, 'queue')).map((t) => t.taskArn)).toEqual([keep!.taskArn])
    await w.ecs.send(new UpdateServiceCommand({cluster: w.cluster, service: 'queue', desiredCount: 0}))
    advance(w, 5 * 60_000)
    expect((await live(w, 'queue')).map((t) => t.taskArn)).toEqual([keep!.taskArn])
    advance(w, 5 * 60_000)
    expect(await live(w, 'queue')).toEqual([])
    expect(other!.taskArn).not.toBe(keep!.taskArn)
  })

  it('holds back a deployment: the protected old task keeps running until it expires', async () => {
    w = await startWorld()
    await retireTodobackend(w)
    await scaleTo(w, 2)
    await createService(
      w,
      'worker',
      {desiredCount: 2, deploymentConfiguration: {minimumHealthyPercent: 50, maximumPercent: 200}},
      {memory: 64},
    )
    const [keep] = await live(w, 'worker')
    await protect(w, [keep!.taskArn!], 30)
    await w.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'worker',
        containerDefinitions: [{name: 'worker', image: 'example/worker:2', cpu: 64, memory: 64}],
      }),
    )
    await w.ecs.send(
      new UpdateServiceCommand({cluster: w.cluster, service: 'worker', taskDefinition: 'worker:2'}),
    )
    advance(w, 10 * 60_000)
    const mid = await live(w, 'worker')
    expect(mid.map((t) => t.taskArn)).toContain(keep!.taskArn)
    expect((await service(w, 'worker')).deployments).toHaveLength(2)
    await advanceUntil(
      w,
      async () => (await service(w!, 'worker')).deployments!.length === 1,
      30 * 60_000,
      30_000,
    )
    expect(now(w)).toBeGreaterThanOrEqual(keep!.startedAt!.getTime() + 30 * 60_000)
    expect((await live(w, 'worker')).map((t) => t.taskArn)).not.toContain(keep!.taskArn)
  })

  it('does not hold back a container instance drain, which is neither a scale-in nor a deployment', async () => {
    w = await startWorld()
    await scaleTo(w, 2)
    const [t] = await tasks(w)
    await protect(w, [t!.taskArn!], 2880)
    await drain(w, t!.containerInstanceArn!)
    await advanceUntil(
      w,
      async () => (await tasks(w!)).find((x) => x.taskArn === t!.taskArn)!.lastStatus === 'STOPPED',
      900_000,
      5_000,
    )
    expect((await service(w, 'todobackend')).runningCount).toBe(1)
  })
})
