/**
 * The built CLI against the sim: drains that outlast the hook's HeartbeatTimeout, standalone tasks,
 * injected faults, and Ctrl-C. Build first (`npm run build`).
 */
import {spawn} from 'node:child_process'

import {PutLifecycleHookCommand} from '@aws-sdk/client-auto-scaling'
import {DescribeServicesCommand, DescribeTasksCommand, RunTaskCommand} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {BIN, awsTestEnv} from '../helpers/run-cli.js'
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
} from './drain-helpers.js'

const startSim = drainSimPerTest()

describe('ecsdrain drain, the long and the hard cases (e2e against the sim)', () => {
  it('outlasts the hook HeartbeatTimeout through heartbeats', {timeout: 300_000}, async () => {
    // The CLI heartbeats every 30 s of real time (HeartbeatTimeout/3), which is 75 s of sim time at speed 2.5:
    // within the hook's 90 s. The drain takes about 365 s of sim time (the 300 s deregistration delay among
    // them), four HeartbeatTimeouts, and about 150 s of real time.
    const s = await startSim({speed: 2.5})
    await s.autoScaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: GROUP,
        LifecycleHookName: HOOK,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 90,
        DefaultResult: 'ABANDON',
      }),
    )
    const old = await refreshUntilWaiting(s)
    const started = Date.now()
    const r = await s.cli(['drain', old, '--yes', '--json', '--interval', '1s'], 280_000)
    expect(r.code, r.stderr).toBe(0)
    // Longer than the hook's HeartbeatTimeout of 90 s sim = 36 s real.
    expect(Date.now() - started).toBeGreaterThan(36_000)
    const [result] = parseResults(r.stdout)
    expect(result).toMatchObject({outcome: 'drained', lifecycleAction: {result: 'CONTINUE', note: null}})
    expect((result!.lifecycleAction as {heartbeats: number}).heartbeats).toBeGreaterThanOrEqual(2)
    expect(await s.calls('autoscaling:CompleteLifecycleAction')).toBe(1)
  })

  it(
    'reports a standalone task as a blocker; --stop-standalone stops it with a reason and drains',
    {timeout: 150_000},
    async () => {
      const s = await startSim()
      // The standalone task lands on the only instance, which the refresh then retires.
      const run = await s.ecs.send(
        new RunTaskCommand({cluster: CLUSTER, taskDefinition: 'todobackend', count: 1}),
      )
      const taskArn = run.tasks![0]!.taskArn!
      const old = await refreshUntilWaiting(s)

      // 30 s of real time is 600 s of sim time: the service's task is gone by then, the standalone one is not.
      const blocked = await s.cli(['drain', old, '--yes', '--json', '--timeout', '30s', '--interval', '1s'])
      expect(blocked.code, blocked.stderr).toBe(3)
      const [result] = parseResults(blocked.stdout)
      const blockers = result!.blockers as Array<{kind: string; detail: string; fix: string}>
      expect(blockers.find((b) => b.kind === 'standalone-task')?.fix).toMatch(/--stop-standalone/)
      expect(result!.tasksRemaining).toBe(1)

      const cleared = await s.cli(['drain', old, '--yes', '--json', '--stop-standalone', '--interval', '1s'])
      expect(cleared.code, cleared.stderr).toBe(0)
      expect(parseResults(cleared.stdout)[0]).toMatchObject({
        outcome: 'drained',
        lifecycleAction: {result: 'CONTINUE'},
      })
      const task = await s.ecs.send(new DescribeTasksCommand({cluster: CLUSTER, tasks: [taskArn]}))
      expect(task.tasks![0]!.stoppedReason).toMatch(/ecsdrain: draining container instance/)
    },
  )

  it('finishes correctly under injected throttling and server errors', {timeout: 90_000}, async () => {
    const s = await startSim({faults: 'throttle=0.2,error=0.05'}, {maxAttempts: 10})
    const old = await refreshUntilWaiting(s)
    // Sample the service throughout, as an operator's dashboard would: it must never drop to 0 running,
    // and its calls meet the faults too (enough calls that a 5 % error rate surely shows in the stats).
    const sim = s
    const samples: number[] = []
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const out = await sim.ecs.send(
          new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']}),
        )
        samples.push(out.services![0]!.runningCount!)
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    const r = await s.cli(['drain', old, '--yes', '--json', '--interval', '1s'], 80_000)
    sampling = false
    await sampler
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(1)
    expect(r.code, r.stderr).toBe(0)
    expect(parseResults(r.stdout)[0]).toMatchObject({
      outcome: 'drained',
      lifecycleAction: {result: 'CONTINUE'},
    })
    const stats = await s.sim.fetchStats()
    expect(stats.totals.throttled, JSON.stringify(stats.totals)).toBeGreaterThan(0)
    expect(stats.totals.errors, JSON.stringify(stats.totals)).toBeGreaterThan(0)
    expect(stats.operations['autoscaling:CompleteLifecycleAction']!.calls).toBeGreaterThanOrEqual(1)
    await until('termination', async () =>
      (await lifecycleState(s, old)) === 'Terminating:Wait' ? undefined : true,
    )
  })

  // Under --json the progress, the state left and the resume/undo commands still belong on stderr.
  it.each([[[]], [['--json']]])(
    'Ctrl-C: exit 130, nothing completed, state and resume/undo commands printed (extra args %j)',
    {timeout: 90_000},
    async (extra: string[]) => {
      // The 300 s deregistration delay (15 s of real time) keeps the task draining while the test presses Ctrl-C.
      const s = await startSim()
      const old = await refreshUntilWaiting(s)
      const child = spawn(
        process.execPath,
        [BIN, 'drain', old, '--yes', '--interval', '1s', '--endpoint-url', s.sim.endpoint, ...extra],
        {
          env: awsTestEnv() as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
      const sim = s
      await until('DRAINING', async () => ((await ecsStatus(sim, old)) === 'DRAINING' ? true : undefined))
      await until('a poll', async () => (stderr.includes('task(s) left') ? true : undefined))
      child.kill('SIGINT')
      expect(await exited).toBe(130)
      expect(await s.calls('autoscaling:CompleteLifecycleAction')).toBe(0)
      expect(await lifecycleState(s, old)).toBe('Terminating:Wait')
      expect(stderr).toMatch(
        new RegExp(
          `${old} \\(${CLUSTER}\\): DRAINING, 1 task\\(s\\) left; lifecycle action ${HOOK} still pending`,
        ),
      )
      expect(stderr).toContain(
        `Resume: ecsdrain drain ${old} --cluster ${CLUSTER} --endpoint-url ${s.sim.endpoint} --yes`,
      )
      expect(stderr).toContain(
        `Undo:   ecsdrain undrain ${old} --cluster ${CLUSTER} --endpoint-url ${s.sim.endpoint}`,
      )
    },
  )
})
