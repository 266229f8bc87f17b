/**
 * The explainer end to end: the built CLI against an in-process `ecsdrain sim` with AWS's own timings
 * (300 s deregistration delay, 30 s stopTimeout) on a fast clock. Each drain says what it waits on, in its
 * plain progress lines (stderr) and in its JSON (stdout), and refuses what cannot move.
 */
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  UpdateTaskProtectionCommand,
} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {CLUSTER, drainSimPerTest, parseResults, refreshUntilWaiting, until} from './drain-helpers.js'

// 300 s of deregistration delay pass in 10 s of real time; the CLI's own --interval and --timeout are real.
const SPEED = 30
const start = drainSimPerTest()

describe('drain explains what it waits on (e2e)', () => {
  it('a load-balanced service: deregistering from its target group, the delay waited out, then CONTINUE', async () => {
    const s = await start({speed: SPEED})
    const id = await refreshUntilWaiting(s)
    const r = await s.cli(['drain', id, '--cluster', CLUSTER, '--yes', '--json', '--interval', '1s'], 120_000)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('deregistering')
    expect(r.stderr).toContain('from target group todobackend-tg')
    expect(r.stderr).toMatch(/of its 300 s deregistration delay/)
    const [result] = parseResults(r.stdout)
    expect(result).toMatchObject({outcome: 'drained', tasksRemaining: 0, etaSeconds: 0})
    expect(result!.lifecycleAction).toMatchObject({result: 'CONTINUE'})
  }, 180_000)

  it('a protected task: said, with its expiry, and replaced anyway (protection does not hold a drain)', async () => {
    const s = await start({speed: SPEED})
    const tasks = await s.ecs.send(new ListTasksCommand({cluster: CLUSTER, serviceName: 'todobackend'}))
    await s.ecs.send(
      new UpdateTaskProtectionCommand({
        cluster: CLUSTER,
        tasks: tasks.taskArns!,
        protectionEnabled: true,
        expiresInMinutes: 600,
      }),
    )
    const id = await refreshUntilWaiting(s)
    const r = await s.cli(['drain', id, '--cluster', CLUSTER, '--yes', '--json', '--interval', '1s'], 120_000)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/protected from scale-in until \S+, which does not hold back a drain/)
    const [result] = parseResults(r.stdout)
    expect(result).toMatchObject({outcome: 'drained'})
    expect((result!.warnings as string[]).join('\n')).toMatch(
      /protected by task scale-in protection until \S+: draining replaces it anyway/,
    )
  }, 180_000)

  it('a circuit-breaker failure: no replacement comes, it says so, and exits 3 at its timeout', async () => {
    const s = await start({speed: SPEED, knobs: {unhealthyNewRevisions: true}})
    const svc = (await s.ecs.send(new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']})))
      .services![0]!
    const td = (
      await s.ecs.send(
        new (await import('@aws-sdk/client-ecs')).DescribeTaskDefinitionCommand({
          taskDefinition: svc.taskDefinition!,
        }),
      )
    ).taskDefinition!
    const next = await s.ecs.send(
      new RegisterTaskDefinitionCommand({family: td.family!, containerDefinitions: td.containerDefinitions!}),
    )
    await s.ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: 'todobackend',
        taskDefinition: next.taskDefinition!.taskDefinitionArn!,
        deploymentConfiguration: {
          minimumHealthyPercent: 100,
          maximumPercent: 200,
          deploymentCircuitBreaker: {enable: true, rollback: false},
        },
      }),
    )
    await until(
      'the deployment to fail',
      async () => {
        const out = await s.ecs.send(
          new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']}),
        )
        return out.services![0]!.deployments!.find((d) => d.rolloutState === 'FAILED') ? true : undefined
      },
      90_000,
    )
    const id = await refreshUntilWaiting(s)
    const r = await s.cli(
      ['drain', id, '--cluster', CLUSTER, '--yes', '--json', '--interval', '1s', '--timeout', '20s'],
      120_000,
    )
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain('deployment-failed')
    expect(r.stderr).toContain('so no replacement comes')
    const [result] = parseResults(r.stdout)
    expect(result).toMatchObject({outcome: 'timeout', etaSeconds: null})
    const blockers = result!.blockers as Array<{kind: string; task: string | null}>
    expect(blockers.some((b) => b.kind === 'deployment-failed' && b.task !== null)).toBe(true)
  }, 240_000)

  it('a placement-constrained service that cannot move: refused (exit 4) with the constraint', async () => {
    const s = await start({speed: SPEED, scenario: 'multi-az'})
    const cluster = 'multi-az-cluster'
    const arns = (await s.ecs.send(new ListContainerInstancesCommand({cluster}))).containerInstanceArns!
    const all = (await s.ecs.send(new DescribeContainerInstancesCommand({cluster, containerInstances: arns})))
      .containerInstances!
    const c5 = all.find((ci) =>
      ci.attributes?.some((a) => a.name === 'ecs.instance-type' && a.value?.startsWith('c5')),
    )!
    const r = await s.cli(['drain', c5.ec2InstanceId!, '--cluster', cluster, '--yes', '--json'], 60_000)
    expect(r.code, r.stderr).toBe(4)
    const [result] = parseResults(r.stdout)
    expect(result).toMatchObject({outcome: 'refused'})
    const blockers = result!.blockers as Array<{kind: string; detail: string}>
    const b = blockers.find((x) => x.kind === 'placement-constraint')!
    expect(b.detail).toContain('service reports')
    expect(b.detail).toContain('memberOf(attribute:ecs.instance-type =~ c5.*)')
    // Nothing was changed.
    const after = (
      await s.ecs.send(
        new DescribeContainerInstancesCommand({cluster, containerInstances: [c5.containerInstanceArn!]}),
      )
    ).containerInstances![0]!
    expect(after.status).toBe('ACTIVE')
  }, 120_000)
})
