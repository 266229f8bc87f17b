/**
 * Service deployments and the deployment circuit breaker, through the SDK over HTTP.
 * - Deployment, rolloutState (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html):
 *   IN_PROGRESS, COMPLETED at steady state, FAILED with the circuit breaker; "A deployment in FAILED state doesn't
 *   launch any new tasks."
 * - ServiceDeploymentCircuitBreaker (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html):
 *   threshold 0.5 x desired, at least 3, at most 200.
 * - How the Amazon ECS deployment circuit breaker detects failures
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html): rollback to the
 *   most recent COMPLETED deployment.
 * - Amazon ECS service unhealthy event messages (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html).
 * The knob `unhealthyNewRevisions` makes tasks of task definitions registered after the scenario fail their health checks.
 */
import {RegisterTaskDefinitionCommand, UpdateServiceCommand} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {
  advance,
  advanceUntil,
  events,
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

async function newRevision(w: World): Promise<void> {
  await w.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'todobackend',
      containerDefinitions: [
        {
          name: 'todobackend',
          image: 'dockerinaws/todobackend:2',
          cpu: 245,
          memory: 300,
          portMappings: [{containerPort: 8000}],
        },
      ],
    }),
  )
}

async function deploy(w: World, breaker?: {enable: boolean; rollback: boolean}) {
  return w.ecs.send(
    new UpdateServiceCommand({
      cluster: w.cluster,
      service: 'todobackend',
      taskDefinition: 'todobackend:2',
      ...(breaker ? {deploymentConfiguration: {deploymentCircuitBreaker: breaker}} : {}),
    }),
  )
}

describe('deployments', () => {
  it('a new task definition rolls within min/max percent: IN_PROGRESS, then COMPLETED with only the new deployment', async () => {
    w = await startWorld()
    await scaleTo(w, 2)
    await newRevision(w)
    const started = (await deploy(w)).service!
    expect(started.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ])
    let maxLive = 0
    await advanceUntil(
      w,
      async () => {
        const svc = await service(w!, 'todobackend')
        maxLive = Math.max(maxLive, (await tasks(w!)).filter((t) => t.desiredStatus === 'RUNNING').length)
        // min 100 %: one task RUNNING all along; max 200 %: never more than 2 live.
        expect(svc.runningCount).toBeGreaterThanOrEqual(1)
        return svc.deployments!.length === 1 && svc.deployments![0]!.rolloutState === 'COMPLETED'
      },
      900_000,
      5_000,
    )
    expect(maxLive).toBe(2)
    const svc = await service(w, 'todobackend')
    expect(svc.deployments![0]).toMatchObject({
      taskDefinition: expect.stringMatching(/todobackend:2$/),
      rolloutStateReason: `ECS deployment ${svc.deployments![0]!.id} completed.`,
    })
  })

  it('with the breaker and rollback: new tasks fail their health checks, the deployment FAILS, the service rolls back', async () => {
    w = await startWorld({knobs: {unhealthyNewRevisions: true}})
    await scaleTo(w, 2)
    const before = (await service(w, 'todobackend')).deployments![0]!.id!
    await newRevision(w)
    const failing = (await deploy(w, {enable: true, rollback: true})).service!.deployments![0]!.id!
    await advanceUntil(
      w,
      async () => (await service(w!, 'todobackend')).deployments![0]!.id === before,
      3_600_000,
      10_000,
    )
    const svc = await service(w, 'todobackend')
    expect(svc.deployments!.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [before, 'PRIMARY', 'IN_PROGRESS'],
      [failing, 'ACTIVE', 'FAILED'],
    ])
    expect(svc.deployments![0]!.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${before}.`,
    )
    expect(svc.deployments![1]!.rolloutStateReason).toBe(
      'ECS deployment circuit breaker: tasks failed to start.',
    )
    // The threshold for desired 1 is the minimum, 3.
    expect(svc.deployments![1]!.failedTasks).toBe(3)
    const log = await events(w, 'todobackend')
    expect(log).toContainEqual(
      `(service todobackend) (deployment ${failing}) deployment failed: tasks failed to start.`,
    )
    expect(log).toContainEqual(`(service todobackend) rolling back to deployment ${before}.`)
    expect(log).toContainEqual(
      expect.stringMatching(
        /^\(service todobackend\) \(task \w+\) \(instance i-\w+\) \(port \d+\) is unhealthy in \(target-group arn:aws:elasticloadbalancing:.*:targetgroup\/todobackend-tg\/\w+\) due to \(reason Health checks failed with these codes: \[502\]\)\.$/,
      ),
    )
    await advanceUntil(
      w,
      async () => (await service(w!, 'todobackend')).deployments![0]!.rolloutState === 'COMPLETED',
      1_800_000,
      10_000,
    )
    expect((await service(w, 'todobackend')).taskDefinition).toMatch(/todobackend:1$/)
  })

  it('with the breaker and no rollback: FAILED, and no new task is launched after that', async () => {
    w = await startWorld({knobs: {unhealthyNewRevisions: true}})
    await scaleTo(w, 2)
    await newRevision(w)
    await deploy(w, {enable: true, rollback: false})
    await advanceUntil(
      w,
      async () => (await service(w!, 'todobackend')).deployments![0]!.rolloutState === 'FAILED',
      3_600_000,
      10_000,
    )
    const failedAt = now(w)
    advance(w, 30 * 60_000)
    expect((await tasks(w)).filter((t) => t.createdAt!.getTime() > failedAt)).toEqual([])
    const svc = await service(w, 'todobackend')
    expect(svc.deployments![0]!.rolloutState).toBe('FAILED')
    // The old task still serves: a drain waiting for a replacement would wait for ever.
    expect(svc.runningCount).toBe(1)
    expect(
      (await tasks(w)).filter((t) => t.desiredStatus === 'RUNNING').map((t) => t.taskDefinitionArn),
    ).toEqual([expect.stringMatching(/todobackend:1$/)])
  })

  it('without the breaker, failing tasks are replaced again and again and the deployment stays IN_PROGRESS', async () => {
    w = await startWorld({knobs: {unhealthyNewRevisions: true}})
    await scaleTo(w, 2)
    await newRevision(w)
    await deploy(w)
    await advanceUntil(
      w,
      async () => (await service(w!, 'todobackend')).deployments![0]!.failedTasks! >= 4,
      3_600_000,
      10_000,
    )
    expect((await service(w, 'todobackend')).deployments![0]!.rolloutState).toBe('IN_PROGRESS')
  })
})
