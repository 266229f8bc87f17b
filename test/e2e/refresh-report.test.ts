/**
 * `ecsdrain refresh` and `ecsdrain report` through the real path: the built CLI -> the SDK -> HTTP -> the
 * sim, on a sim clock SPEED times the wall clock (AWS's own 300 s deregistration delay and 30 s stopTimeout).
 * The acceptance of issue 12: a refresh of todobackend (assisted: ecsdrain drains) and of the multi-az
 * scenario completes and the report says "no outage"; the same rollout started with the AWS CLI and no hook
 * shows the outage minute; a deadlocked service stops the refresh under --on-failure cancel with nothing
 * terminated while tasks run; preflight refusals exit 4, bad flags 2, Ctrl-C 130.
 */
import {spawn} from 'node:child_process'
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
} from '@aws-sdk/client-auto-scaling'
import {DescribeServicesCommand, UpdateServiceCommand} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import type {ClusterReport} from '../../src/core/report/types.js'
import {awsTestEnv} from '../helpers/run-cli.js'
import {BIN} from '../helpers/sim.js'
import {CLUSTER, GROUP, drainSimPerTest, until, type DrainSim} from './drain-helpers.js'

const run = promisify(execFile)
const startSim = drainSimPerTest()

const ndjson = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown> & {type: string})

async function report(s: DrainSim, cluster: string, extra: string[] = []): Promise<ClusterReport> {
  const r = await s.cli(['report', '--cluster', cluster, '--json', ...extra])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as ClusterReport
}

async function refreshStatus(s: DrainSim, group: string): Promise<string | undefined> {
  const out = await s.autoScaling.send(new DescribeInstanceRefreshesCommand({AutoScalingGroupName: group}))
  return out.InstanceRefreshes?.[0]?.Status
}

async function groupInstances(s: DrainSim): Promise<string[]> {
  const out = await s.autoScaling.send(new DescribeAutoScalingInstancesCommand({}))
  return out.AutoScalingInstances!.map((i) => i.InstanceId!)
}

describe('ecsdrain refresh + report against the sim', {timeout: 240_000}, () => {
  it('todobackend, assisted: the refresh completes and the report says no outage (text, JSON, HTML)', async () => {
    const s = await startSim()
    const before = await groupInstances(s)
    const dry = await s.cli(['refresh', '--cluster', CLUSTER, '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('would start the refresh')
    expect(await refreshStatus(s, GROUP)).toBeUndefined() // --dry-run changed nothing

    const r = await s.cli(['refresh', '--cluster', CLUSTER, '--yes', '--json', '--interval', '1s'], 180_000)
    expect(r.code, r.stderr).toBe(0)
    const events = ndjson(r.stdout)
    expect(events[0]!.type).toBe('plan')
    const finished = events.find((e) => e.type === 'finished') as {result: {outcome: string}} | undefined
    expect(finished?.result.outcome).toBe('successful')
    expect(events.some((e) => e.type === 'drain-finished')).toBe(true)
    expect(await refreshStatus(s, GROUP)).toBe('Successful')

    const rep = await report(s, CLUSTER)
    expect(rep.verdict).toMatchObject({outage: false, outageMinutes: 0, text: 'no outage'})
    expect(rep.refreshes.map((x) => x.status)).toEqual(['Successful'])
    expect(rep.instances.map((i) => i.ec2InstanceId)).toEqual(before)
    const old = rep.instances[0]!
    expect(old.terminatedWithTasks).toBe(false)
    expect(old.tasksMoved).toHaveLength(1)
    expect(old.tasksMoved[0]!.stopCode).toBe('ServiceSchedulerInitiated')
    const t = old.timeline
    for (const step of [t.terminating, t.draining, t.lastTaskStopped, t.terminated])
      expect(step.at).not.toBeNull()
    expect(Date.parse(t.lastTaskStopped.at!)).toBeLessThanOrEqual(Date.parse(t.terminated.at!))
    expect(rep.services).toEqual([expect.objectContaining({service: 'todobackend', belowMinimum: false})])
    expect(rep.memoryReservation.minutes.length).toBeGreaterThan(0)
    expect(rep.memoryReservation.outageMinutes).toEqual([])

    const text = await s.cli(['report', '--cluster', CLUSTER])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain('VERDICT: no outage')
    expect(text.stdout).toContain(before[0]!)
    expect(text.stdout).toContain('MemoryReservation, Minimum per minute')

    const html = join(mkdtempSync(join(tmpdir(), 'ecsdrain-report-')), 'r.html')
    const byId = await s.cli([
      'report',
      '--cluster',
      CLUSTER,
      '--refresh',
      rep.refreshes[0]!.instanceRefreshId,
      '--html',
      html,
    ])
    expect(byId.code, byId.stderr).toBe(0)
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('id="memory-chart-svg"')
    expect(page).toContain('<p id="verdict" class="ok">no outage</p>')
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/) // self-contained: no script, no network
  })

  it('the same rollout started with the AWS CLI and no hook: the report shows the outage minute', async () => {
    const s = await startSim({hook: 'none'})
    const {stdout} = await run(
      '/usr/bin/aws',
      [
        'autoscaling',
        'start-instance-refresh',
        '--auto-scaling-group-name',
        GROUP,
        '--endpoint-url',
        s.sim.endpoint,
      ],
      {env: awsTestEnv() as NodeJS.ProcessEnv},
    )
    expect(JSON.parse(stdout)).toHaveProperty('InstanceRefreshId')
    await until(
      'the refresh to succeed',
      async () => ((await refreshStatus(s, GROUP)) === 'Successful' ? true : undefined),
      150_000,
    )
    // The replacement's task starts a minute or two (sim time) after the old one was killed; let CloudWatch
    // close the minute.
    const rep = await until(
      'a report with the outage minute',
      async () => {
        const r = await report(s, CLUSTER)
        return r.verdict.outageMinutes > 0 ? r : undefined
      },
      60_000,
    )
    expect(rep.verdict.outage).toBe(true)
    expect(rep.verdict.firstAt).toBe(rep.memoryReservation.outageMinutes[0])
    expect(rep.verdict.text).toMatch(
      /^outage: \d+ minute\(s\), first at \S+Z, service todobackend at 0 running$/,
    )
    expect(rep.instances[0]!.terminatedWithTasks).toBe(true)
    expect(rep.instances[0]!.timeline.lifecycleActionCompleted.by).toBe('nobody')
    expect(rep.services[0]).toMatchObject({service: 'todobackend', lowestRunning: 0, belowMinimum: true})

    const text = await s.cli(['report', '--cluster', CLUSTER])
    expect(text.stdout).toContain(`VERDICT: ${rep.verdict.text}`)
    expect(text.stdout).toContain('KILLED')
    expect(text.stdout).toContain('▲')
  })

  it('a deadlocked service: preflight refuses (exit 4); forced, the stuck drain stops the refresh under cancel and nothing is terminated', async () => {
    const s = await startSim()
    await s.ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: 'todobackend',
        deploymentConfiguration: {minimumHealthyPercent: 100, maximumPercent: 100},
      }),
    )
    const before = await groupInstances(s)
    const dry = await s.cli(['refresh', '--cluster', CLUSTER, '--dry-run'])
    expect(dry.code).toBe(4)
    expect(dry.stdout).toContain('can never move its tasks')
    const refused = await s.cli(['refresh', '--cluster', CLUSTER, '--yes'])
    expect(refused.code).toBe(4)
    expect(await refreshStatus(s, GROUP)).toBeUndefined()

    const r = await s.cli(
      [
        'refresh',
        '--cluster',
        CLUSTER,
        '--yes',
        '--force',
        '--json',
        '--interval',
        '1s',
        '--drain-timeout',
        '20s',
      ],
      180_000,
    )
    expect(r.code, r.stderr).toBe(1)
    const events = ndjson(r.stdout)
    const guard = events.find((e) => e.type === 'guard') as
      {guard: {kind: string; action: string}} | undefined
    expect(guard?.guard).toMatchObject({kind: 'drain-failed', action: 'cancel'})
    // AWS cancels once the replacement under way ends; that one waits on the hook (Terminating:Wait), so
    // the refresh stays Cancelling, and the CLI names the instance left waiting with its tasks.
    expect(await refreshStatus(s, GROUP)).toMatch(/^Cancell(ing|ed)$/)
    const finished = events.find((e) => e.type === 'finished') as unknown as
      {result: {outcome: string; leftWaiting: string[]}} | undefined
    expect(finished?.result).toMatchObject({outcome: 'stopped', leftWaiting: before})
    // The old instance is still in the group, its task still RUNNING: nothing was terminated under it.
    expect(await groupInstances(s)).toEqual(expect.arrayContaining(before))
    const svc = await s.ecs.send(new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']}))
    expect(svc.services![0]!.runningCount).toBe(1)
    const rep = await report(s, CLUSTER)
    // Its termination is still waiting on the hook (Terminating:Wait): the report shows no end, and no kill.
    for (const i of rep.instances)
      expect(i).toMatchObject({terminatedWithTasks: false, timeline: {terminated: {at: null}}})
    expect(rep.refreshes[0]!.status).toMatch(/^Cancell(ing|ed)$/)
  })

  it('multi-az (3 instances over 2 AZs, web behind a target group): the refresh completes with no outage', async () => {
    const s = await startSim({scenario: 'multi-az'})
    const r = await s.cli(
      [
        'refresh',
        '--cluster',
        'multi-az-cluster',
        '--asg',
        'multi-az-asg',
        '--yes',
        '--json',
        '--interval',
        '1s',
      ],
      200_000,
    )
    expect(r.code, r.stderr).toBe(0)
    const rep = await report(s, 'multi-az-cluster')
    expect(rep.verdict.text).toBe('no outage')
    expect(rep.instances).toHaveLength(3)
    expect(rep.instances.every((i) => !i.terminatedWithTasks)).toBe(true)
    expect(rep.services.find((x) => x.service === 'web')).toMatchObject({
      desiredCount: 3,
      belowMinimum: false,
    })
  })

  it('Ctrl-C leaves the refresh running, prints the commands to follow, cancel or roll it back, exits 130', async () => {
    const s = await startSim()
    const child = spawn(
      process.execPath,
      [BIN, 'refresh', '--cluster', CLUSTER, '--yes', '--interval', '1s', '--endpoint-url', s.sim.endpoint],
      {env: awsTestEnv() as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe']},
    )
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    await until(
      'the refresh to start',
      async () => (/instance refresh \S+ started/.test(stderr) ? true : undefined),
      60_000,
    )
    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
    expect(code).toBe(130)
    const id = /instance refresh (\S+) started/.exec(stderr)![1]!
    expect(stderr).toContain(`refresh --cluster ${CLUSTER} --asg ${GROUP} --follow ${id}`)
    expect(stderr).toContain(`aws autoscaling cancel-instance-refresh --auto-scaling-group-name ${GROUP}`)
    expect(stderr).toContain(`aws autoscaling rollback-instance-refresh --auto-scaling-group-name ${GROUP}`)
    expect(await refreshStatus(s, GROUP)).toMatch(/Pending|InProgress/)
  })

  it('--skip-matching --dry-run with every instance on the launch template: nothing to replace, no refresh', async () => {
    const s = await startSim()
    const dry = await s.cli(['refresh', '--cluster', CLUSTER, '--skip-matching', '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain(`${GROUP}: replace 0 of`)
    expect(dry.stdout).toContain('verdict: nothing to replace: no refresh would be started')
    expect(dry.stdout).not.toContain('would start the refresh')
    expect(await refreshStatus(s, GROUP)).toBeUndefined()
  })

  it('bad input exits 2 and changes nothing', async () => {
    const s = await startSim()
    const bad = await s.cli(['refresh', '--cluster', CLUSTER, '--yes', '--checkpoints', '50,25'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('25,50,100')
    const unknown = await s.cli(['report', '--cluster', CLUSTER, '--refresh', 'no-such-refresh'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('describe-instance-refreshes')
    expect(await refreshStatus(s, GROUP)).toBeUndefined()
  })
})
