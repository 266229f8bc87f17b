import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadHandlerCode} from '../../src/hook/bundle.js'
import {installTemplate} from '../../src/hook/install.js'
import {TEMPLATE_BODY_LIMIT_BYTES, hookTemplate, renderHookTemplate} from '../../src/hook/template.js'

const options = (handlerCode: string) => ({
  cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/todobackend-cluster',
  autoScalingGroupName: 'todobackend-asg',
  heartbeatTimeout: 900,
  drainTimeout: 3600,
  handlerCode,
  version: '0.1.0',
})

let code = ''
beforeAll(async () => {
  code = await loadHandlerCode()
})

describe('hook template', () => {
  // cfn-lint loads every resource schema at start: seconds on a busy machine.
  // cfn-lint loads every resource schema at start: seconds on a busy machine. One run lints the three
  // variants (no alarm target, a topic of the operator's, an email subscription).
  it('passes cfn-lint with no finding at all, informational ones included', {timeout: 120_000}, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-cfn-'))
    const files = [
      {},
      {alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops-alarms'},
      {alarmEmail: 'ops@example.com'},
    ].map((extra, n) => {
      const file = join(dir, `hook-${n}.json`)
      writeFileSync(file, renderHookTemplate({...options(code), ...extra}))
      return file
    })
    // cfn-lint exits non-zero on any error, warning or (with I) informational finding; the output says which.
    const out = execFileSync('cfn-lint', ['--include-checks', 'I', '--', ...files], {encoding: 'utf8'})
    expect(out).toBe('')
  })

  it('fits in CreateChangeSet TemplateBody, bundle and all', () => {
    const body = renderHookTemplate(options(code))
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEMPLATE_BODY_LIMIT_BYTES)
  })

  it('inlines a CommonJS handler that loads and exports handler()', () => {
    const t = hookTemplate(options(code))
    const fn = t.Resources.DrainFunction!.Properties
    expect(fn.Runtime).toMatch(/^nodejs(22|24)\.x$/)
    expect(fn.Handler).toBe('index.handler')
    const inline = (fn.Code as {ZipFile: string}).ZipFile
    // Inside node_modules' parent, so that require('@aws-sdk/...') resolves as the Lambda runtime would.
    const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.ecsdrain-inline-'))
    try {
      writeFileSync(join(dir, 'index.js'), inline)
      const mod = createRequire(import.meta.url)(join(dir, 'index.js')) as {handler?: unknown}
      expect(typeof mod.handler).toBe('function')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('scopes IAM to the cluster, the group and its own topic', () => {
    const text = JSON.stringify(hookTemplate(options(code)).Resources.FunctionRole)
    expect(text).toContain('cluster/todobackend-cluster')
    expect(text).toContain('container-instance/todobackend-cluster/*')
    expect(text).toContain('autoScalingGroupName/todobackend-asg')
    expect(text).not.toMatch(/"Action":"ecs:\*"|"Action":"autoscaling:\*"|"sns:\*"/)
    const t = hookTemplate(options(code))
    expect(t.Resources.Topic!.Properties.KmsMasterKeyId).toBe('alias/aws/sns')
    expect(t.Resources.LifecycleHook!.Properties).toMatchObject({
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 900,
      DefaultResult: 'CONTINUE',
      AutoScalingGroupName: 'todobackend-asg',
    })
    expect(t.Resources.LogGroup!.Properties.RetentionInDays).toBeGreaterThan(0)
    expect(
      (t.Resources.DrainFunction!.Properties.Environment as {Variables: object}).Variables,
    ).toMatchObject({
      ECS_CLUSTER: 'todobackend-cluster',
      DRAIN_TIMEOUT_SECONDS: '3600',
    })
  })

  it('names every resource in its Outputs, and its version and drain timeout for doctor', () => {
    for (const extra of [{}, {alarmEmail: 'ops@example.com'}]) {
      const t = hookTemplate({...options(code), ...extra})
      const named = new Set(
        Object.values(t.Outputs).flatMap((o) => {
          const v = o.Value as {Ref?: string; 'Fn::GetAtt'?: [string, string]}
          return typeof o.Value === 'string' ? [] : [v.Ref ?? v['Fn::GetAtt']![0]]
        }),
      )
      expect([...named].sort()).toEqual(Object.keys(t.Resources).sort())
      expect(t.Outputs.Version!.Value).toBe('0.1.0')
      expect(t.Outputs.DrainTimeoutSeconds!.Value).toBe('3600')
    }
  })

  it('lets only its own account assume its roles and invoke its function (the confused deputy)', () => {
    const t = hookTemplate(options(code))
    for (const role of ['HookPublishRole', 'FunctionRole']) {
      const trust = t.Resources[role]!.Properties.AssumeRolePolicyDocument as {
        Statement: Array<{Condition?: unknown}>
      }
      expect(trust.Statement.length).toBeGreaterThan(0)
      for (const s of trust.Statement)
        expect(s.Condition, role).toEqual({
          StringEquals: {'aws:SourceAccount': {'Fn::Sub': '${AWS::AccountId}'}},
        })
    }
    expect(t.Resources.InvokePermission!.Properties).toMatchObject({
      SourceArn: {Ref: 'Topic'},
      SourceAccount: {'Fn::Sub': '${AWS::AccountId}'},
    })
  })

  it('keeps the log group and the dead-letter queue past a deletion or a replacement', () => {
    const t = hookTemplate(options(code))
    const stateful = Object.entries(t.Resources).filter(([, r]) =>
      ['AWS::Logs::LogGroup', 'AWS::SQS::Queue'].includes(r.Type),
    )
    expect(stateful.map(([id]) => id).sort()).toEqual(['DeadLetterQueue', 'LogGroup'])
    for (const [, r] of stateful)
      expect(r).toMatchObject({DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain'})
    // Generated names: a reinstall after uninstall cannot collide with the kept ones.
    expect(t.Resources.LogGroup!.Properties.LogGroupName).toBeUndefined()
    expect(t.Resources.DeadLetterQueue!.Properties.QueueName).toBeUndefined()
  })

  it('alarms on dead letters and on function errors, notifying the topic or the email given', () => {
    const alarms = (extra: object) => {
      const t = hookTemplate({...options(code), ...extra})
      return {
        t,
        actions: ['DeadLetterAlarm', 'FunctionErrorsAlarm'].map(
          (id) => t.Resources[id]!.Properties.AlarmActions,
        ),
      }
    }
    const none = alarms({})
    expect(none.actions).toEqual([[], []])
    expect(none.t.Resources.FunctionErrorsAlarm!.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{Name: 'FunctionName', Value: {Ref: 'DrainFunction'}}],
    })
    const topic = 'arn:aws:sns:us-east-1:123456789012:ops-alarms'
    expect(alarms({alarmTopicArn: topic}).actions).toEqual([[topic], [topic]])
    const email = alarms({alarmEmail: 'ops@example.com'})
    expect(email.actions).toEqual([[{Ref: 'AlarmTopic'}], [{Ref: 'AlarmTopic'}]])
    expect(email.t.Resources.AlarmEmailSubscription!.Properties).toEqual({
      Protocol: 'email',
      TopicArn: {Ref: 'AlarmTopic'},
      Endpoint: 'ops@example.com',
    })
  })

  it('refuses an alarm target that is not a topic ARN or an address, before rendering', async () => {
    const base = {
      cluster: 'c',
      autoScalingGroupName: 'g',
      heartbeatTimeout: 900,
      drainTimeoutSeconds: 60,
      version: 'x',
    }
    await expect(installTemplate({...base, alarmTopicArn: 'ops-alarms'})).rejects.toMatchObject({
      code: 'BAD_ALARM_TOPIC',
      exitCode: 2,
    })
    await expect(installTemplate({...base, alarmEmail: 'ops'})).rejects.toMatchObject({
      code: 'BAD_ALARM_EMAIL',
      exitCode: 2,
    })
  })
})
