import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadHandlerCode} from '../../src/hook/bundle.js'
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
  it('passes cfn-lint', {timeout: 90_000}, () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ecsdrain-cfn-')), 'hook.json')
    writeFileSync(file, renderHookTemplate(options(code)))
    // cfn-lint exits non-zero on any error, warning or informational finding; the output says which.
    const out = execFileSync('cfn-lint', ['--', file], {encoding: 'utf8'})
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

  it('names every resource in its Outputs', () => {
    const t = hookTemplate(options(code))
    const named = new Set(
      Object.values(t.Outputs).map((o) => {
        const v = o.Value as {Ref?: string; 'Fn::GetAtt'?: [string, string]}
        return v.Ref ?? v['Fn::GetAtt']![0]
      }),
    )
    expect([...named].sort()).toEqual(Object.keys(t.Resources).sort())
  })
})
