import {describe, expect, it} from 'vitest'

import type {DrainEvent, DrainResult} from '../../src/core/drain/index.js'
import {plainProgress} from '../../src/render/drain-progress.js'
import {
  commandContext,
  eventLine,
  interruptLines,
  shellQuote,
  summaryLine,
} from '../../src/render/drain-text.js'

const result = (over: Partial<DrainResult> = {}): DrainResult => ({
  ec2InstanceId: 'i-0123456789abcdef0',
  cluster: 'prod',
  containerInstanceArn: 'arn:aws:ecs:eu-west-1:1:container-instance/prod/abc',
  outcome: 'interrupted',
  status: 'DRAINING',
  autoScalingGroupName: 'asg',
  lifecycleState: 'Terminating:Wait',
  tasksAtStart: 3,
  tasksRemaining: 2,
  services: [],
  blockers: [],
  etaSeconds: null,
  warnings: [],
  lifecycleAction: {
    hook: 'drain',
    group: 'asg',
    result: null,
    heartbeats: 1,
    heartbeatDeadline: null,
    note: null,
  },
  preflight: null,
  startedAt: '2026-11-28T03:00:00.000Z',
  finishedAt: '2026-11-28T03:01:00.000Z',
  error: null,
  ...over,
})

describe('drain text', () => {
  it('after an interrupt, prints the state and commands that paste as they are', () => {
    const lines = interruptLines(
      [result(), result({ec2InstanceId: 'i-0fedcba9876543210', outcome: 'drained'})],
      {
        bin: 'ecsdrain',
        awsArgs: ['--profile', 'ops team'],
        drainArgs: ['--force'],
      },
    )
    expect(lines).toEqual([
      'Interrupted: nothing was completed.',
      '  i-0123456789abcdef0 (prod): DRAINING, 2 task(s) left; lifecycle action drain still pending',
      "Resume: ecsdrain drain i-0123456789abcdef0 --cluster prod --profile 'ops team' --force --yes",
      "Undo:   ecsdrain undrain i-0123456789abcdef0 --cluster prod --profile 'ops team'",
    ])
    expect(
      interruptLines([result({outcome: 'drained'})], {bin: 'ecsdrain', awsArgs: [], drainArgs: []}),
    ).toEqual([])
  })

  it('repeats the flags that matter in resume commands, and only those', () => {
    const flags = {
      'endpoint-url': 'http://127.0.0.1:4599',
      force: true,
      'dry-run': false,
      yes: true,
      hook: 'h',
      timeout: 1800000,
    }
    expect(commandContext('ecsdrain', flags)).toEqual({
      bin: 'ecsdrain',
      awsArgs: ['--endpoint-url', 'http://127.0.0.1:4599'],
      drainArgs: ['--force', '--hook', 'h'],
    })
  })

  it('summarises results and events in one line each', () => {
    expect(
      summaryLine(
        result({
          outcome: 'drained',
          tasksRemaining: 0,
          lifecycleAction: {...result().lifecycleAction!, result: 'CONTINUE'},
        }),
      ),
    ).toBe('i-0123456789abcdef0 drained: 3/3 task(s) gone, lifecycle action drain CONTINUE')
    expect(
      eventLine({
        type: 'progress',
        ec2InstanceId: 'i-1',
        at: 0,
        tasksRemaining: 2,
        stopping: 1,
        standalone: 0,
        services: [{service: 'web', kind: 'replica', atStart: 3, replaced: 1, stopping: 1, remaining: 1}],
      }),
    ).toBe('i-1: 2 task(s) left (1 stopping) | web: 1/3 replaced, 1 stopping, 1 remaining')
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
  })

  it('plain progress drops lines that repeat the previous one', () => {
    const lines: string[] = []
    const p = plainProgress((l) => lines.push(l))
    const e: DrainEvent = {
      type: 'progress',
      ec2InstanceId: 'i-1',
      at: 0,
      tasksRemaining: 1,
      stopping: 0,
      standalone: 0,
      services: [],
    }
    p.onEvent(e)
    p.onEvent({...e, at: 5000})
    p.onEvent({...e, tasksRemaining: 0})
    expect(lines).toEqual(['i-1: 1 task(s) left (0 stopping)', 'i-1: 0 task(s) left (0 stopping)'])
  })
})

describe('the explanation in plain progress', () => {
  const reason = (kind: 'deregistering' | 'stopping', eta: number) => ({
    task: 'arn:aws:ecs:eu-west-1:1:task/prod/t1',
    service: 'web',
    lastStatus: 'DEACTIVATING',
    kind,
    detail: `${kind} detail`,
    fix: 'nothing',
    etaSeconds: eta,
  })
  const progress = (at: number, r: ReturnType<typeof reason>): DrainEvent => ({
    type: 'progress',
    ec2InstanceId: 'i-0123456789abcdef0',
    at,
    tasksRemaining: 1,
    stopping: 1,
    services: [],
    standalone: 0,
    explanation: {ec2InstanceId: 'i-0123456789abcdef0', at, reasons: [r], etaSeconds: r.etaSeconds},
  })

  it('prints what each task waits on when it changes, and at most once a minute otherwise', () => {
    const lines: string[] = []
    const p = plainProgress((l) => lines.push(l))
    p.onEvent(progress(0, reason('deregistering', 330)))
    p.onEvent(progress(5000, reason('deregistering', 325)))
    p.onEvent(progress(61_000, reason('deregistering', 270)))
    p.onEvent(progress(66_000, reason('stopping', 30)))
    const explained = lines.filter((l) => l.includes('waiting on'))
    expect(explained).toEqual([
      'i-0123456789abcdef0: waiting on 1 task(s); drain ETA ~5m30s',
      'i-0123456789abcdef0: waiting on 1 task(s); drain ETA ~4m30s',
      'i-0123456789abcdef0: waiting on 1 task(s); drain ETA ~30s',
    ])
    expect(lines).toContain('i-0123456789abcdef0:   t1 stopping (~30s): stopping detail')
  })
})
