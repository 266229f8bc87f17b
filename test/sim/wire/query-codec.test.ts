/**
 * The Query codec's own edge cases, as pure functions: deep flattening, maps, empty lists, parameter names
 * that would reach Object.prototype, and XML escaping of what the world writes.
 */
import {XMLParser} from 'fast-xml-parser'
import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'

import {
  encodeQueryError,
  encodeQueryResult,
  hasOutput,
  parseQueryRequest,
} from '../../../src/sim/protocol/query.js'
import {SimError} from '../../../src/sim/types.js'

const form = (pairs: Record<string, string>) => Buffer.from(new URLSearchParams(pairs).toString())
const ctx = {requestId: '11111111-2222-3333-4444-555555555555'}

describe('parseQueryRequest', () => {
  it('rebuilds lists of structures holding lists, in index order (10 after 9)', () => {
    const pairs: Record<string, string> = {Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'App'}
    for (let i = 1; i <= 10; i++) {
      pairs[`MetricData.member.${i}.MetricName`] = `m${i}`
      pairs[`MetricData.member.${i}.Dimensions.member.1.Name`] = 'ClusterName'
      pairs[`MetricData.member.${i}.Dimensions.member.1.Value`] = `c${i}`
    }
    const {action, version, input} = parseQueryRequest('POST', '/', form(pairs))
    expect([action, version]).toEqual(['PutMetricData', '2010-08-01'])
    const data = input.MetricData as {MetricName: string; Dimensions: unknown[]}[]
    expect(data.map((d) => d.MetricName)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
      'm8',
      'm9',
      'm10',
    ])
    expect(data[9]!.Dimensions).toEqual([{Name: 'ClusterName', Value: 'c10'}])
  })

  it('reads structures, maps and the GET form', () => {
    const {input} = parseQueryRequest(
      'POST',
      '/',
      form({
        Action: 'X',
        'Preferences.MinHealthyPercentage': '100',
        'Attributes.entry.1.key': 'k',
        'Attributes.entry.1.value': 'v',
      }),
    )
    expect(input).toEqual({Preferences: {MinHealthyPercentage: '100'}, Attributes: {k: 'v'}})
    const get = parseQueryRequest(
      'GET',
      '/?Action=DescribeAutoScalingGroups&AutoScalingGroupNames.member.1=a',
      Buffer.alloc(0),
    )
    expect(get.input).toEqual({AutoScalingGroupNames: ['a']})
  })

  it('ignores parameter names that would reach Object.prototype', () => {
    const {input} = parseQueryRequest(
      'POST',
      '/',
      form({
        Action: 'X',
        '__proto__.polluted': 'yes',
        'A.constructor.prototype.b': '1',
        'Attributes.entry.1.key': '__proto__',
        'Attributes.entry.1.value': 'x',
      }),
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(input)).toEqual(['Attributes'])
    expect(Object.keys(input.Attributes as object)).toEqual([])
  })
})

describe('Query XML', () => {
  const parser = new XMLParser({ignoreAttributes: false})

  it('escapes text and writes empty lists as empty elements', () => {
    const xml = String(
      encodeQueryResult(
        'autoscaling',
        'DescribeScalingActivities',
        {Activities: [{Description: 'a <b> & "c"'}], NextToken: undefined, Empty: []},
        ctx,
      ).body,
    )
    const doc = parser.parse(xml).DescribeScalingActivitiesResponse
    expect(doc['@_xmlns']).toBe('http://autoscaling.amazonaws.com/doc/2011-01-01/')
    expect(doc.DescribeScalingActivitiesResult.Activities.member.Description).toBe('a <b> & "c"')
    expect(doc.DescribeScalingActivitiesResult.Empty).toBe('')
    expect(xml).not.toContain('NextToken')
    expect(doc.ResponseMetadata.RequestId).toBe(ctx.requestId)
  })

  it('writes the empty result element of an operation whose output has no members, and none without output', () => {
    const empty = String(encodeQueryResult('autoscaling', 'CompleteLifecycleAction', {}, ctx).body)
    expect(empty).toContain(
      '<CompleteLifecycleActionResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><CompleteLifecycleActionResult></CompleteLifecycleActionResult><ResponseMetadata>',
    )
    const change = String(encodeQueryResult('cloudformation', 'ExecuteChangeSet', undefined, ctx).body)
    expect(change).toContain('<ExecuteChangeSetResult></ExecuteChangeSetResult>')
    const none = String(encodeQueryResult('autoscaling', 'SetDesiredCapacity', {}, ctx).body)
    expect(none).not.toContain('SetDesiredCapacityResult')
    expect(parser.parse(none).SetDesiredCapacityResponse.ResponseMetadata.RequestId).toBe(ctx.requestId)
  })

  it("knows which operations have no output exactly as botocore's copy of the AWS models does", () => {
    const script = [
      'import json, botocore.session',
      's = botocore.session.get_session()',
      "names = {'autoscaling': 'autoscaling', 'cloudformation': 'cloudformation', 'sns': 'sns', 'cloudwatch': 'cloudwatch', 'elbv2': 'elbv2'}",
      'out = {}',
      'for sim, name in names.items():',
      '    m = s.get_service_model(name)',
      '    out[sim] = {op: m.operation_model(op).output_shape is not None for op in m.operation_names}',
      'print(json.dumps(out))',
    ].join('\n')
    const model = JSON.parse(execFileSync('python3', ['-c', script], {encoding: 'utf8'})) as Record<
      string,
      Record<string, boolean>
    >
    const wrong: string[] = []
    for (const [service, ops] of Object.entries(model))
      for (const [op, output] of Object.entries(ops))
        if (hasOutput(service as 'autoscaling', op) !== output) wrong.push(`${service}:${op}`)
    expect(wrong).toEqual([])
    expect(Object.keys(model.autoscaling!).length).toBeGreaterThan(60)
  })

  it('writes an error as ErrorResponse with Type, Code, Message and the status', () => {
    const response = encodeQueryError(
      'autoscaling',
      new SimError('ValidationError', 'No active Lifecycle Action found with instance ID i-1 <x>'),
      ctx,
    )
    expect(response.status).toBe(400)
    const doc = parser.parse(String(response.body)).ErrorResponse
    expect(doc.Error).toEqual({
      Type: 'Sender',
      Code: 'ValidationError',
      Message: 'No active Lifecycle Action found with instance ID i-1 <x>',
    })
    expect(doc.RequestId).toBe(ctx.requestId)
  })

  it("writes CloudWatch's modeled errors under their Query code and status", () => {
    const response = encodeQueryError(
      'cloudwatch',
      new SimError('ResourceNotFound', 'no such dashboard'),
      ctx,
    )
    expect(response.status).toBe(404)
    expect(String(response.body)).toContain('<Code>ResourceNotFound</Code>')
    const byShape = encodeQueryError('cloudwatch', new SimError('InvalidParameterValueException', 'bad'), ctx)
    expect(String(byShape.body)).toContain('<Code>InvalidParameterValue</Code>')
  })
})
