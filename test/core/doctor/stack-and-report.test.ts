/**
 * core/doctor over facts made by hand (the e2e tests drive the rest through the sim): the hook stack's
 * findings the sim cannot easily show (another version, no Version output, a failed stack, a detached hook,
 * throttles, alarms with actions disabled), and the report's order, score and exit codes.
 */
import {describe, expect, it} from 'vitest'

import {doctorExitCode, summarize, type Finding} from '../../../src/core/doctor/index.js'
import {stackChecks} from '../../../src/core/doctor/checks-stack.js'
import type {ClusterFacts} from '../../../src/core/doctor/gather.js'
import type {EcsdrainStack} from '../../../src/core/doctor/gather-stack.js'
import type {LifecycleHookInfo} from '../../../src/core/types.js'

const HOOK: LifecycleHookInfo = {
  hookName: 'ecsdrain-c',
  autoScalingGroupName: 'g',
  transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
  heartbeatTimeout: 900,
  globalTimeout: 90_000,
  defaultResult: 'CONTINUE',
  notificationTargetArn: 'arn:aws:sns:us-east-1:123456789012:t',
}

function stack(over: Partial<EcsdrainStack> = {}, outputs: Record<string, string> = {}): EcsdrainStack {
  return {
    stack: {
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/ecsdrain-c/1',
      stackName: 'ecsdrain-c',
      status: 'CREATE_COMPLETE',
      statusReason: null,
      outputs: {
        LifecycleHookName: 'ecsdrain-c',
        FunctionName: 'fn',
        DeadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
        Version: '1.2.3',
        ...outputs,
      },
    },
    hookName: 'ecsdrain-c',
    functionName: 'fn',
    deadLetters: {visible: 0, inFlight: 0, delayed: 0},
    alarms: [],
    metrics: {errors: 0, throttles: 0, invocations: 4},
    ...over,
  }
}

/** A cluster whose one group has the stack's hook (unless `hooks` says otherwise). */
function facts(s: EcsdrainStack, hooks: LifecycleHookInfo[] = [HOOK]): ClusterFacts {
  return {
    cluster: 'c',
    groups: [
      {group: {autoScalingGroupName: 'g'}, instances: [], hooks, refreshes: [], capacityProvider: null},
    ],
    stacks: {looked: ['ecsdrain-c'], found: [s]},
  } as unknown as ClusterFacts
}

const checks = (f: Finding[]) => f.map((x) => [x.check, x.severity])

describe('stack checks', () => {
  it('are quiet for a current, healthy, quiet stack', () => {
    expect(stackChecks(facts(stack()), '1.2.3')).toEqual([])
  })

  it('tell another version, and a stack with no Version output, from this one', () => {
    const other = stackChecks(facts(stack()), '1.3.0')
    expect(checks(other)).toEqual([['stack-version', 'warn']])
    expect(other[0]!.evidence).toEqual({stackVersion: '1.2.3', cliVersion: '1.3.0'})
    expect(other[0]!.fix).toBe('ecsdrain install --cluster c --stack-name ecsdrain-c --yes')
    const before = stack()
    delete before.stack.outputs.Version
    const old = stackChecks(facts(before), '1.3.0')
    expect(old[0]!.message).toMatch(/has no Version output/)
  })

  it('flag a failed stack, and one whose hook is on none of the groups', () => {
    const failed = stack()
    failed.stack.status = 'UPDATE_ROLLBACK_COMPLETE'
    expect(checks(stackChecks(facts(failed), '1.2.3'))).toEqual([['stack-unhealthy', 'error']])
    expect(checks(stackChecks(facts(stack(), []), '1.2.3'))).toEqual([['stack-unhealthy', 'error']])
    const busy = stack()
    busy.stack.status = 'UPDATE_IN_PROGRESS'
    expect(checks(stackChecks(facts(busy), '1.2.3'))).toEqual([['stack-unhealthy', 'info']])
  })

  it('report throttles, and an alarm whose actions are disabled', () => {
    const s = stack({
      metrics: {errors: 0, throttles: 3, invocations: 9},
      alarms: [
        {
          outputKey: 'DeadLetterAlarmName',
          name: 'dlq-alarm',
          alarm: {
            name: 'dlq-alarm',
            state: 'OK',
            stateReason: null,
            stateUpdatedAt: null,
            actionsEnabled: false,
            alarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
          },
        },
      ],
    })
    const found = stackChecks(facts(s), '1.2.3')
    expect(checks(found)).toEqual([
      ['alarm-notifies-nobody', 'warn'],
      ['function-throttles', 'warn'],
    ])
    expect(found[0]!.message).toMatch(/actions disabled/)
    expect(found[1]!.evidence).toMatchObject({throttles: 3, invocations: 9})
  })
})

describe('stack-missing', () => {
  const missing = (groups: Array<{hooks: LifecycleHookInfo[]}>) =>
    stackChecks(
      {
        cluster: 'c',
        groups: groups.map((g, n) => ({
          group: {autoScalingGroupName: `g${n}`},
          instances: [{}],
          hooks: g.hooks,
          refreshes: [],
          capacityProvider: null,
        })),
        stacks: {looked: ['ecsdrain-c'], found: []},
      } as unknown as ClusterFacts,
      '1.2.3',
    )

  it('says another drainer covers the groups only when every group has one', () => {
    expect(missing([{hooks: [HOOK]}])[0]!.message).toMatch(/another drainer covers its groups/)
    const partly = missing([{hooks: [HOOK]}, {hooks: []}])
    expect(partly.map((f) => [f.check, f.severity])).toEqual([['stack-missing', 'info']])
    expect(partly[0]!.message).not.toMatch(/covers/)
  })
})

describe('the report', () => {
  const finding = (severity: Finding['severity'], resource: string): Finding => ({
    check: 'deadlock',
    severity,
    cluster: 'c',
    resource,
    message: '',
    evidence: {},
    fix: '',
  })
  const report = summarize(
    [finding('info', 'a'), finding('warn', 'b'), finding('error', 'z'), finding('error', 'y')],
    ['c'],
    '1.2.3',
    new Date(0),
  )

  it('puts errors first, then by resource, and scores 100 - 20/error - 5/warning - 1/info', () => {
    expect(report.findings.map((f) => [f.severity, f.resource])).toEqual([
      ['error', 'y'],
      ['error', 'z'],
      ['warn', 'b'],
      ['info', 'a'],
    ])
    expect(report.counts).toEqual({error: 2, warn: 1, info: 1})
    expect(report.score).toBe(100 - 40 - 5 - 1)
    expect(summarize(Array(6).fill(finding('error', 'x')), ['c'], 'v', new Date(0)).score).toBe(0)
  })

  it('exits 5 on a finding at or above --fail-on, 0 below it or with never', () => {
    expect(doctorExitCode(report, 'error')).toBe(5)
    expect(doctorExitCode(report, 'never')).toBe(0)
    const warnOnly = summarize([finding('warn', 'b')], ['c'], 'v', new Date(0))
    expect(doctorExitCode(warnOnly, 'error')).toBe(0)
    expect(doctorExitCode(warnOnly, 'warn')).toBe(5)
    expect(doctorExitCode(warnOnly, 'info')).toBe(5)
  })
})
