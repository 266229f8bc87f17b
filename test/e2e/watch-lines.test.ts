/**
 * `ecsdrain watch` without a terminal (a pipe, CI): the built CLI prints one plain line per refresh, or one
 * NDJSON snapshot per refresh with --json; --auto-drain drains a rollout's terminating instance by itself;
 * a lost endpoint shows as errors with backoff, and the watch carries on.
 */
import {spawn} from 'node:child_process'

import {AutoScalingClient, TerminateInstanceInAutoScalingGroupCommand} from '@aws-sdk/client-auto-scaling'
import {describe, expect, it} from 'vitest'

import {RealClock} from '../../src/sim/clock.js'
import {awsTestEnv, BIN, runCli} from '../helpers/run-cli.js'
import {startTestSim, TEST_CREDENTIALS} from '../helpers/sim.js'

function startWatch(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], {
    env: awsTestEnv() as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lines = () => stdout.split('\n').filter(Boolean)
  async function until(what: string, test: () => boolean, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs
    while (!test()) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL')
        throw new Error(
          `waiting for ${what} (exit ${child.exitCode}).\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        )
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  async function interrupt() {
    child.kill('SIGINT')
    return exited
  }
  return {lines, stderr: () => stderr, until, interrupt}
}

describe('ecsdrain watch without a TTY', () => {
  it('prints one plain line per refresh, and stops on SIGINT with exit 0', async () => {
    const w = startWatch(['--cluster', 'todobackend-cluster', '--sim', '--interval', '300ms'])
    await w.until('3 lines', () => w.lines().length >= 3)
    expect(await w.interrupt()).toBe(0)
    for (const line of w.lines()) {
      expect(line).toMatch(
        /^\d\d:\d\d:\d\d \| todobackend-cluster \| instances 1 \(ACTIVE 1\) \| tasks running 1 pending 0 \| services 1 \| mem live 48\.\d% \| cw-min 48\.\d% \| calls \d+ throttles 0$/,
      )
    }
    const calls = w.lines().map((l) => Number(l.match(/calls (\d+)/)![1]))
    expect(calls[1]! - calls[0]!).toBeGreaterThan(0)
  }, 60_000)

  it('--json prints one valid NDJSON snapshot per refresh', async () => {
    const w = startWatch(['--cluster', 'todobackend-cluster', '--sim', '--interval', '300ms', '--json'])
    await w.until('3 snapshots', () => w.lines().length >= 3)
    expect(await w.interrupt()).toBe(0)
    const records = w.lines().map((l) => JSON.parse(l))
    for (const r of records) {
      expect(r).toMatchObject({
        type: 'snapshot',
        cluster: 'todobackend-cluster',
        instances: [
          {
            ec2InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
            status: 'ACTIVE',
            runningTasksCount: 1,
            lifecycleState: 'InService',
            memory: {registered: 993, remaining: expect.any(Number)},
          },
        ],
        services: [
          {serviceName: 'todobackend', desiredCount: 1, runningCount: 1, belowMinimumHealthy: false},
        ],
        autoScalingGroups: [{desired: 1, min: 1, max: 2}],
        memoryReservation: {live: expect.any(Number), outageMinutes: []},
        apiCalls: {calls: expect.any(Number), throttles: 0},
      })
      expect(Date.parse(r.at)).not.toBeNaN()
      expect(r.memoryReservation.cloudWatchMinimum.value).toBeGreaterThan(40)
    }
  }, 60_000)

  it('--auto-drain drains and completes the instance a rollout puts in Terminating:Wait, and says so', async () => {
    const w = startWatch([
      '--cluster',
      'todobackend-cluster',
      '--sim',
      '--interval',
      '500ms',
      '--sim-rollout-every',
      '5s',
      // AWS's timings make a todobackend drain about 6 minutes of sim time (300 s deregistration delay, 30 s stop
      // timeout): 18 s at 20x, well inside the scenario hook's 900 s (45 s at 20x).
      '--sim-speed',
      '20',
      '--auto-drain',
      '--json',
    ])
    await w.until(
      'an auto-drain to finish',
      () => /drained; lifecycle action completed \(CONTINUE\)/.test(w.stderr()),
      60_000,
    )
    const id = w
      .stderr()
      .match(/drain (i-[0-9a-f]{17}) \(auto-drain: Terminating:Wait\): started: DRAINING/)?.[1]
    expect(id).toBeDefined()
    expect(w.stderr()).toContain(
      `drain ${id} (auto-drain: Terminating:Wait): drained; lifecycle action completed (CONTINUE)`,
    )
    // Then the instance is terminated and leaves the cluster; the service never went below its minimum.
    const records = () =>
      w.lines().map(
        (l) =>
          JSON.parse(l) as {
            instances: Array<{ec2InstanceId: string}>
            services: Array<{belowMinimumHealthy: boolean}>
          },
      )
    const seen = () => records().findIndex((r) => r.instances.some((i) => i.ec2InstanceId === id))
    await w.until(
      `${id} to leave the cluster`,
      () =>
        seen() >= 0 &&
        records()
          .slice(seen())
          .some((r) => r.instances.every((i) => i.ec2InstanceId !== id)),
    )
    expect(records().every((r) => r.services.every((s) => !s.belowMinimumHealthy))).toBe(true)
    expect(await w.interrupt()).toBe(0)
  }, 90_000)

  it('stopping mid-drain completes nothing, prints how to resume or undo, and exits 130', async () => {
    const sim = await startTestSim({scenario: 'todobackend', hook: 'manual', clock: new RealClock()})
    try {
      const asg = new AutoScalingClient({
        endpoint: sim.endpoint,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
      })
      const id = 'i-0e1210ebdde2f1606'
      await asg.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: id,
          ShouldDecrementDesiredCapacity: false,
        }),
      )
      const w = startWatch([
        '--cluster',
        'todobackend-cluster',
        '--endpoint-url',
        sim.endpoint,
        '--auto-drain',
      ])
      await w.until(
        'the auto-drain to start',
        () => w.stderr().includes(`drain ${id} (auto-drain: Terminating:Wait): started`),
        60_000,
      )
      expect(await w.interrupt()).toBe(130)
      expect(w.stderr()).not.toContain('lifecycle action completed')
      expect(w.stderr()).toContain(
        `${id} was left DRAINING (nothing completed). Resume: ecsdrain drain ${id} --cluster todobackend-cluster; undo: ecsdrain undrain ${id}`,
      )
    } finally {
      await sim.close()
    }
  }, 90_000)

  it('with --sim, stopping mid-drain says the embedded region is gone: no Resume that cannot work', async () => {
    const w = startWatch([
      '--cluster',
      'todobackend-cluster',
      '--sim',
      '--interval',
      '500ms',
      '--sim-rollout-every',
      '5s',
      '--sim-speed',
      '2',
      '--auto-drain',
    ])
    const started = /drain (i-[0-9a-f]{17}) \(auto-drain: Terminating:Wait\): started/
    await w.until('an auto-drain to start', () => started.test(w.stderr()), 60_000)
    const id = w.stderr().match(started)![1]
    expect(await w.interrupt()).toBe(130)
    expect(w.stderr()).not.toContain('lifecycle action completed')
    expect(w.stderr()).toContain(`${id} was draining in the embedded sim, which stopped with watch`)
    expect(w.stderr()).toContain('`ecsdrain watch --sim` again')
    expect(w.stderr()).not.toContain('Resume:')
  }, 90_000)

  it('--readonly with --auto-drain is a usage error (exit 2), before any call', async () => {
    const r = await runCli(['watch', '--readonly', '--auto-drain', '--endpoint-url', 'http://127.0.0.1:9'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /--(readonly|auto-drain)=true cannot also be provided when using --(auto-drain|readonly)/,
    )
  })

  it('shows a lost endpoint as errors with backoff, without a stack trace, and keeps going', async () => {
    const sim = await startTestSim({clock: new RealClock()})
    const w = startWatch([
      '--cluster',
      'todobackend-cluster',
      '--endpoint-url',
      sim.endpoint,
      '--interval',
      '200ms',
    ])
    try {
      await w.until('2 lines', () => w.lines().length >= 2)
    } finally {
      await sim.close()
    }
    await w.until('3 errors', () => (w.stderr().match(/ error: /g) ?? []).length >= 3, 30_000)
    const delays = [...w.stderr().matchAll(/retrying in (\d+)s/g)].map((m) => Number(m[1]))
    // Capped exponential backoff: never shrinking while the endpoint stays down.
    expect(delays.slice(1).every((d, i) => d >= delays[i]!)).toBe(true)
    expect(w.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(await w.interrupt()).toBe(0)
  }, 90_000)
})
