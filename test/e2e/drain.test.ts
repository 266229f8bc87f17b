/**
 * The built CLI against the sim: `drain` on the seed's todobackend rollout, and its refusals, timeouts and
 * guards (bad input: test/commands/contract.test.ts, in process). Build first (`npm run build`).
 */
import {DescribeAutoScalingInstancesCommand, SetDesiredCapacityCommand} from '@aws-sdk/client-auto-scaling'
import {GetMetricStatisticsCommand} from '@aws-sdk/client-cloudwatch'
import {DescribeServicesCommand, UpdateServiceCommand} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {simClients} from '../helpers/sim.js'
import {
  CLUSTER,
  GROUP,
  HOOK,
  drainSimPerTest,
  ecsStatus,
  lifecycleState,
  parseResults,
  refreshUntilWaiting,
  until,
  type DrainSim,
} from './drain-helpers.js'

const startSim = drainSimPerTest()

async function runningCount(sim: DrainSim): Promise<number> {
  const out = await sim.ecs.send(new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']}))
  return out.services![0]!.runningCount!
}

describe('ecsdrain drain (e2e against the sim)', () => {
  it(
    'draining the old and the new instance together refuses the new one, the last ACTIVE (exit 4)',
    {timeout: 90_000},
    async () => {
      // Planned one at a time, each would count the other as room for its replacements, and both drained.
      const s = await startSim()
      const old = await refreshUntilWaiting(s)
      const all = await s.autoScaling.send(new DescribeAutoScalingInstancesCommand({}))
      const fresh = all.AutoScalingInstances!.map((i) => i.InstanceId!).find((id) => id !== old)!
      await until('the new instance to be ACTIVE in ECS', async () =>
        (await ecsStatus(s, fresh)) === 'ACTIVE' ? true : undefined,
      )

      const r = await s.cli(['drain', old, fresh, '--yes', '--json', '--interval', '1s'])
      expect(r.code, r.stderr).toBe(4)
      const results = parseResults(r.stdout)
      expect(results.find((x) => x.ec2InstanceId === fresh)).toMatchObject({outcome: 'refused'})
      expect(await ecsStatus(s, fresh)).toBe('ACTIVE')
    },
  )

  it(
    'drains the old instance of an instance refresh with no outage, completes CONTINUE, and it terminates',
    {timeout: 90_000},
    async () => {
      const s = await startSim()
      const sim = s
      const startedAt = sim.sim.clock.now()
      const old = await refreshUntilWaiting(sim)
      const samples: number[] = []
      let sampling = true
      const sampler = (async () => {
        while (sampling) {
          samples.push(await runningCount(sim))
          await new Promise((r) => setTimeout(r, 100))
        }
      })()

      const r = await sim.cli(['drain', old, '--yes', '--json', '--interval', '1s'])
      expect(r.code, r.stderr).toBe(0)
      const [result] = parseResults(r.stdout)
      expect(result).toMatchObject({
        ec2InstanceId: old,
        cluster: CLUSTER,
        outcome: 'drained',
        tasksAtStart: 1,
        tasksRemaining: 0,
        lifecycleAction: {hook: HOOK, group: GROUP, result: 'CONTINUE'},
      })
      expect(await sim.calls('autoscaling:CompleteLifecycleAction')).toBe(1)
      await until('the old instance to terminate', async () =>
        ['Terminated', null].includes(await lifecycleState(sim, old)) ? true : undefined,
      )
      sampling = false
      await sampler
      expect(samples.length).toBeGreaterThan(10)
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(1)

      const cw = simClients(sim.sim.endpoint).cloudWatch
      const metric = await cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/ECS',
          MetricName: 'MemoryReservation',
          Dimensions: [{Name: 'ClusterName', Value: CLUSTER}],
          StartTime: new Date(startedAt - 60_000),
          EndTime: new Date(sim.sim.clock.now() + 60_000),
          Period: 60,
          Statistics: ['Minimum'],
        }),
      )
      expect(metric.Datapoints!.length).toBeGreaterThan(0)
      expect(metric.Datapoints!.map((d) => d.Minimum)).not.toContain(0)
    },
  )

  it('--timeout: exit 3, the instance left DRAINING, nothing completed', {timeout: 90_000}, async () => {
    // 3 s of real time (60 s of sim time) is well inside the task's 300 s deregistration delay.
    const s = await startSim()
    const old = await refreshUntilWaiting(s)
    const r = await s.cli(['drain', old, '--yes', '--json', '--timeout', '3s', '--interval', '1s'])
    expect(r.code, r.stderr).toBe(3)
    expect(parseResults(r.stdout)[0]).toMatchObject({
      outcome: 'timeout',
      tasksRemaining: 1,
      status: 'DRAINING',
    })
    expect(await ecsStatus(s, old)).toBe('DRAINING')
    expect(await lifecycleState(s, old)).toBe('Terminating:Wait')
    expect(await s.calls('autoscaling:CompleteLifecycleAction')).toBe(0)
  })

  it(
    'refuses the last ACTIVE instance and a min 100 / max 100 deadlock (exit 4, no change); --force drains',
    {timeout: 90_000},
    async () => {
      const s = await startSim({hook: 'none'})
      const [only] = (await s.cli(['instances', '--json'])).stdout.match(/i-[0-9a-f]{17}/) ?? []
      const last = await s.cli(['drain', only!, '--yes', '--json'])
      expect(last.code, last.stderr).toBe(4)
      expect(parseResults(last.stdout)[0]).toMatchObject({outcome: 'refused'})
      expect(JSON.stringify(parseResults(last.stdout)[0]!.blockers)).toMatch(/last-active-instance/)

      // A second instance makes room; a 100/100 deployment configuration is then the only refusal.
      await s.autoScaling.send(
        new SetDesiredCapacityCommand({AutoScalingGroupName: GROUP, DesiredCapacity: 2}),
      )
      const sim = s
      await until('a second ACTIVE instance', async () => {
        const out = JSON.parse((await sim.cli(['instances', '--json'])).stdout) as {
          instances: Array<{status: string}>
        }
        return out.instances.filter((i) => i.status === 'ACTIVE').length === 2 ? true : undefined
      })
      await s.ecs.send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: 'todobackend',
          deploymentConfiguration: {minimumHealthyPercent: 100, maximumPercent: 100},
        }),
      )
      const deadlock = await s.cli(['drain', only!, '--yes', '--json'])
      expect(deadlock.code, deadlock.stderr).toBe(4)
      const blockers = parseResults(deadlock.stdout)[0]!.blockers as Array<{kind: string}>
      expect(blockers.map((b) => b.kind)).toEqual(['deadlock'])
      expect(await s.calls('ecs:UpdateContainerInstancesState')).toBe(0)
      expect(await ecsStatus(s, only!)).toBe('ACTIVE')

      const forced = await s.cli(['drain', only!, '--yes', '--json', '--force', '--no-wait'])
      expect(forced.code, forced.stderr).toBe(0)
      expect(parseResults(forced.stdout)[0]).toMatchObject({outcome: 'draining'})
      expect(await ecsStatus(s, only!)).toBe('DRAINING')
    },
  )

  it(
    'complete refuses CONTINUE while tasks run (exit 4); heartbeat prints the new deadline',
    {timeout: 90_000},
    async () => {
      const s = await startSim()
      const old = await refreshUntilWaiting(s)
      const refused = await s.cli(['complete', old])
      expect(refused.code, refused.stderr).toBe(4)
      expect(refused.stderr).toMatch(/still live.*--force/s)
      expect(await s.calls('autoscaling:CompleteLifecycleAction')).toBe(0)

      const beat = await s.cli(['heartbeat', old, '--json'])
      expect(beat.code, beat.stderr).toBe(0)
      const deadline = (JSON.parse(beat.stdout) as {heartbeatDeadline: string}).heartbeatDeadline
      expect(Date.parse(deadline)).toBeGreaterThan(Date.now() + 250_000)
      expect(await s.calls('autoscaling:RecordLifecycleActionHeartbeat')).toBe(1)

      const drained = await s.cli(['drain', old, '--yes', '--no-complete', '--interval', '1s'])
      expect(drained.code, drained.stderr).toBe(0)
      const done = await s.cli(['complete', old])
      expect(done.code, done.stderr).toBe(0)
      expect(done.stdout).toMatch(new RegExp(`completed lifecycle action ${HOOK}.*CONTINUE`))
      const again = await s.cli(['complete', old])
      // Exit 1 while Auto Scaling still lists it (Terminating:Proceed), 2 once it has left the group.
      expect([1, 2]).toContain(again.code)
      expect(again.stderr).toMatch(/No active Lifecycle Action found|already completed or has expired/)
    },
  )
})
