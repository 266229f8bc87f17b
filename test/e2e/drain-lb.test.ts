/**
 * The built CLI drains a load-balanced service under AWS's default 300 s deregistration delay (todobackend-tg),
 * on a clock 20 times faster than the wall clock. The lifecycle action must not be completed before every task on
 * the instance is STOPPED: the sim records what the instance held at the moment CompleteLifecycleAction arrived.
 * Build first (`npm run build`).
 */
import {DescribeTasksCommand, ListTasksCommand} from '@aws-sdk/client-ecs'
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {describe, expect, it} from 'vitest'

import type {SimWorld} from '../../src/sim/world/index.js'
import {TEST_CREDENTIALS} from '../helpers/sdk.js'
import {
  CLUSTER,
  HOOK,
  drainSimPerTest,
  lifecycleState,
  parseResults,
  refreshUntilWaiting,
  until,
} from './drain-helpers.js'

const startSim = drainSimPerTest()

describe('ecsdrain drain of a load-balanced service (e2e against the sim)', () => {
  it(
    'waits out the 300 s deregistration delay and the stop timeout; CONTINUE only once every task is STOPPED',
    {timeout: 120_000},
    async () => {
      const s = await startSim()
      const elb = new ElasticLoadBalancingV2Client({
        endpoint: s.sim.endpoint,
        region: s.sim.region,
        credentials: TEST_CREDENTIALS,
      })
      const tg = (await elb.send(new DescribeTargetGroupsCommand({Names: ['todobackend-tg']})))
        .TargetGroups![0]!
      const attrs = await elb.send(
        new DescribeTargetGroupAttributesCommand({TargetGroupArn: tg.TargetGroupArn}),
      )
      expect(attrs.Attributes).toContainEqual({Key: 'deregistration_delay.timeout_seconds', Value: '300'})

      // What the instance held when the lifecycle action was completed, as the world saw it then.
      const world = s.sim.world as SimWorld
      const atCompletion: string[][] = []
      const complete = world.handlers.autoscaling!.CompleteLifecycleAction!
      world.handlers.autoscaling!.CompleteLifecycleAction = (input, ctx) => {
        const ci = world.state.byEc2Id.get(String(input.InstanceId))
        atCompletion.push(ci ? [...ci.tasks].map((t) => t.lastStatus) : ['(no container instance)'])
        return complete(input, ctx)
      }

      const old = await refreshUntilWaiting(s)
      const ci = world.state.byEc2Id.get(old)!
      const startedAt = s.sim.clock.now()
      const r = await s.cli(['drain', old, '--yes', '--json', '--interval', '1s'], 100_000)
      expect(r.code, r.stderr).toBe(0)
      expect(parseResults(r.stdout)[0]).toMatchObject({
        outcome: 'drained',
        tasksRemaining: 0,
        lifecycleAction: {hook: HOOK, result: 'CONTINUE'},
      })
      expect(atCompletion).toHaveLength(1)
      expect(atCompletion[0]!.length).toBeGreaterThan(0)
      expect(atCompletion[0]!.every((st) => st === 'STOPPED')).toBe(true)

      // The old task spent the delay DEACTIVATING and the 30 s stop timeout STOPPING before it stopped.
      const arns = (
        await s.ecs.send(
          new ListTasksCommand({cluster: CLUSTER, containerInstance: ci.arn, desiredStatus: 'STOPPED'}),
        )
      ).taskArns!
      const [task] = (await s.ecs.send(new DescribeTasksCommand({cluster: CLUSTER, tasks: arns}))).tasks!
      // (A real clock: its timers fire a few ms late, i.e. a few dozen ms of sim time.)
      const stopped = task!.executionStoppedAt!.getTime() - task!.stoppingAt!.getTime()
      expect(stopped).toBeGreaterThanOrEqual(330_000)
      expect(stopped).toBeLessThan(335_000)
      expect(s.sim.clock.now() - startedAt).toBeGreaterThan(330_000)
      await until('the old instance to terminate', async () =>
        ['Terminated', null].includes(await lifecycleState(s, old)) ? true : undefined,
      )
    },
  )
})
