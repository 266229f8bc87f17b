import {describe, expect, it} from 'vitest'

import {analyzePreflight, isDeadlocked, type PreflightFacts} from '../../../src/core/drain/index.js'
import {instance, service, task} from './fake-world.js'

const NONE = {autoScalingGroupName: null, lifecycleState: null, hook: null, globalDeadline: null}

function facts(over: Partial<PreflightFacts> = {}): PreflightFacts {
  const target = instance(1)
  return {
    instance: target,
    tasks: [task(target, 'service:web'), task(target, 'service:web')],
    services: [service('web')],
    clusterInstances: [target, instance(2)],
    lifecycle: NONE,
    timeoutAt: Date.parse('2026-11-28T04:00:00Z'),
    stopStandalone: false,
    force: false,
    ...over,
  }
}

describe('isDeadlocked', () => {
  it.each([
    [2, 100, 100, true],
    [2, 100, 200, false],
    [2, 50, 100, false],
    [1, 50, 150, true], // min rounds up to 1, max rounds down to 1: nothing can move either
    [4, 75, 125, false],
    [0, 100, 100, false],
  ])('desired %i, min %i, max %i -> %s', (desiredCount, minimumHealthyPercent, maximumPercent, expected) => {
    expect(isDeadlocked(service('s', {desiredCount, minimumHealthyPercent, maximumPercent}))).toBe(expected)
  })
})

describe('analyzePreflight', () => {
  it('counts tasks by kind and passes a healthy instance', () => {
    const target = instance(1)
    const report = analyzePreflight(
      facts({
        instance: target,
        tasks: [task(target, 'service:web'), task(target, 'service:agent'), task(target, 'family:batch')],
        services: [service('web'), service('agent', {schedulingStrategy: 'DAEMON'})],
        stopStandalone: true,
      }),
    )
    expect(report.tasks).toEqual({replica: 1, daemon: 1, standalone: 1})
    expect(report.services.map((s) => [s.service, s.kind, s.tasks])).toEqual([
      ['web', 'replica', 1],
      ['agent', 'daemon', 1],
    ])
    expect(report.blockers).toEqual([])
    expect(report.refused).toBe(false)
    expect(report.warnings.join()).toMatch(/will stop 1 standalone/)
  })

  it('says how far to scale out when replacements do not fit (CPU, memory or host ports)', () => {
    const target = instance(1)
    const full = instance(2, {memory: {registered: 4096, remaining: 256}})
    const report = analyzePreflight(facts({instance: target, clusterInstances: [target, full]}))
    const blocker = report.blockers.find((b) => b.kind === 'no-capacity')!
    expect(blocker.fix).toBe('scale the group out by 1')
    expect(blocker.refuses).toBe(false)

    const portBound = [
      task(target, 'service:web', {hostPorts: [80]}),
      task(target, 'service:web', {hostPorts: [80]}),
    ]
    const other = instance(2, {usedTcpPorts: [22]})
    const ports = analyzePreflight(
      facts({instance: target, tasks: portBound, clusterInstances: [target, other]}),
    )
    // One fits on the other instance; the second needs port 80 too, so it needs another host.
    expect(ports.blockers.find((b) => b.kind === 'no-capacity')!.fix).toBe('scale the group out by 1')
  })

  it('refuses the last ACTIVE instance and deadlocks only in steady state, and never when forced', () => {
    const target = instance(1)
    const alone = facts({
      instance: target,
      clusterInstances: [target],
      services: [service('web', {maximumPercent: 100})],
    })
    const steady = analyzePreflight(alone)
    expect(steady.refused).toBe(true)
    expect(
      steady.blockers
        .filter((b) => b.refuses)
        .map((b) => b.kind)
        .sort(),
    ).toEqual(['deadlock', 'last-active-instance'])

    expect(analyzePreflight({...alone, force: true}).refused).toBe(false)

    const dying = analyzePreflight({
      ...alone,
      lifecycle: {...NONE, autoScalingGroupName: 'g', lifecycleState: 'Terminating:Wait'},
    })
    expect(dying.refused).toBe(false)
    expect(dying.warnings.join()).toMatch(/terminated anyway/)

    const draining = analyzePreflight({...alone, instance: {...target, status: 'DRAINING'}})
    expect(draining.refused).toBe(false)
  })

  it('reports a hook whose global timeout ends before --timeout, and a disconnected agent', () => {
    const hook = {
      hookName: 'h',
      autoScalingGroupName: 'g',
      transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeout: 900,
      globalTimeout: 90_000,
      defaultResult: 'CONTINUE',
    }
    const report = analyzePreflight(
      facts({
        instance: instance(1, {agentConnected: false}),
        lifecycle: {
          autoScalingGroupName: 'g',
          lifecycleState: 'Terminating:Wait',
          hook,
          globalDeadline: new Date('2026-11-28T03:30:00Z'),
        },
      }),
    )
    expect(report.blockers.map((b) => b.kind).sort()).toEqual(['agent-disconnected', 'hook-deadline'])
    expect(report.warnings.join()).toMatch(/HeartbeatTimeout 900s/)
  })

  it('lists standalone tasks with their fix unless --stop-standalone', () => {
    const target = instance(1)
    const report = analyzePreflight(facts({instance: target, tasks: [task(target, 'family:batch')]}))
    expect(report.blockers).toEqual([
      expect.objectContaining({
        kind: 'standalone-task',
        fix: expect.stringMatching(/^stop standalone task t\d+ or pass --stop-standalone$/),
      }),
    ])
  })
})
