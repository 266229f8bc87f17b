/**
 * awsQuery: a form-encoded request (`Action`, `Version`, flattened parameters) and an XML reply. Auto Scaling
 * speaks only this; CloudWatch accepts it from older clients (and from the AWS CLI v2 here); CloudFormation
 * and SNS speak it too.
 *
 * Request parameters are flattened: `Names.member.1=a` is a list, `Hook.HeartbeatTimeout=60` a structure,
 * `Attributes.entry.1.key=k&Attributes.entry.1.value=v` a map. Values stay strings: the world coerces them.
 */
import {SimError, type SimServiceName} from '../types.js'
import {errorNames} from './errors.js'
import type {ResponseContext, WireResponse} from './types.js'
import {isPlainObject} from './values.js'
import {queryErrorXml, queryResultXml} from './xml.js'

/** The Query API version each service answers to, which also routes a request without a credential scope. */
export const QUERY_VERSIONS: Record<string, SimServiceName> = {
  '2011-01-01': 'autoscaling',
  '2010-08-01': 'cloudwatch',
  '2010-05-15': 'cloudformation',
  '2010-03-31': 'sns',
  '2015-12-01': 'elbv2',
}

const XML_NAMESPACES: Partial<Record<SimServiceName, string>> = {
  autoscaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  cloudwatch: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  elbv2: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
}

/**
 * Output members that are maps, by service and operation. Query writes a map as `<entry><key/><value/>`
 * elements, and nothing in a plain output object tells a map from a structure, so they are listed here.
 */
const MAP_MEMBERS: Record<string, ReadonlySet<string>> = {
  'sns:GetTopicAttributes': new Set(['Attributes']),
  'sns:GetSubscriptionAttributes': new Set(['Attributes']),
}

/**
 * The operations that have no output at all, from the services' API models (botocore's service-2.json,
 * where `output` is absent; the test checks this list against them): their reply is only
 * `<OpResponse><ResponseMetadata>`. Every other operation's reply carries `<OpResult>`, empty or not:
 * botocore (boto3 and both AWS CLIs) looks the result element up and fails with KeyError without it, even
 * when the output has no members (CompleteLifecycleAction, ExecuteChangeSet, ...). aws-semantics.md §10.
 */
const NO_OUTPUT: Partial<Record<SimServiceName, ReadonlySet<string>>> = {
  autoscaling: new Set([
    'AttachInstances',
    'CreateAutoScalingGroup',
    'CreateLaunchConfiguration',
    'CreateOrUpdateTags',
    'DeleteAutoScalingGroup',
    'DeleteLaunchConfiguration',
    'DeleteNotificationConfiguration',
    'DeletePolicy',
    'DeleteScheduledAction',
    'DeleteTags',
    'DisableMetricsCollection',
    'EnableMetricsCollection',
    'ExecutePolicy',
    'PutNotificationConfiguration',
    'PutScheduledUpdateGroupAction',
    'ResumeProcesses',
    'SetDesiredCapacity',
    'SetInstanceHealth',
    'SuspendProcesses',
    'UpdateAutoScalingGroup',
  ]),
  cloudformation: new Set([
    'CancelUpdateStack',
    'DeleteGeneratedTemplate',
    'DeleteStack',
    'ExecuteStackRefactor',
    'SetStackPolicy',
    'SignalResource',
  ]),
  sns: new Set([
    'AddPermission',
    'DeleteEndpoint',
    'DeletePlatformApplication',
    'DeleteTopic',
    'PutDataProtectionPolicy',
    'RemovePermission',
    'SetEndpointAttributes',
    'SetPlatformApplicationAttributes',
    'SetSubscriptionAttributes',
    'SetTopicAttributes',
    'Unsubscribe',
  ]),
  cloudwatch: new Set([
    'DeleteAlarmMuteRule',
    'DeleteAlarms',
    'DisableAlarmActions',
    'EnableAlarmActions',
    'PutAlarmMuteRule',
    'PutCompositeAlarm',
    'PutMetricAlarm',
    'PutMetricData',
    'SetAlarmState',
  ]),
}

export function hasOutput(service: SimServiceName, operation: string): boolean {
  return !NO_OUTPUT[service]?.has(operation)
}

// Keys that would reach Object.prototype if a client sent them as parameter names.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

export interface QueryParams {
  action: string
  version: string
  input: Record<string, unknown>
}

/** Reads the form body (POST) or, for a GET, the query string. */
export function parseQueryRequest(method: string, url: string, body: Buffer): QueryParams {
  const form =
    method === 'GET' ? new URL(url, 'http://sim').searchParams : new URLSearchParams(body.toString('utf8'))
  const tree: Record<string, unknown> = {}
  let action = ''
  let version = ''
  for (const [key, value] of form) {
    if (key === 'Action') action = value
    else if (key === 'Version') version = value
    else setPath(tree, key.split('.'), value)
  }
  return {action, version, input: unflatten(tree) as Record<string, unknown>}
}

function setPath(tree: Record<string, unknown>, segments: string[], value: string): void {
  if (segments.some((s) => FORBIDDEN_SEGMENTS.has(s) || s === '')) return
  let node = tree
  for (const segment of segments.slice(0, -1)) {
    if (!isPlainObject(node[segment])) node[segment] = {}
    node = node[segment] as Record<string, unknown>
  }
  const last = segments[segments.length - 1]!
  // A structure already seen under this name wins over a bare empty value (`Names=` then `Names.member.1`).
  if (!isPlainObject(node[last])) node[last] = value
}

const isIndex = (key: string): boolean => /^\d+$/.test(key)

/** Turns `member`/`entry`/numbered nodes into arrays and maps. */
function unflatten(node: unknown): unknown {
  if (!isPlainObject(node)) return node
  const keys = Object.keys(node)
  if (keys.length === 1 && keys[0] === 'member' && isPlainObject(node.member)) return toArray(node.member)
  if (keys.length === 1 && keys[0] === 'entry' && isPlainObject(node.entry)) {
    const map: Record<string, unknown> = {}
    for (const entry of toArray(node.entry)) {
      if (isPlainObject(entry) && typeof entry.key === 'string' && !FORBIDDEN_SEGMENTS.has(entry.key)) {
        map[entry.key] = entry.value
      }
    }
    return map
  }
  if (keys.length > 0 && keys.every(isIndex)) return toArray(node)
  const out: Record<string, unknown> = {}
  for (const key of keys) out[key] = unflatten(node[key])
  return out
}

function toArray(indexed: Record<string, unknown>): unknown[] {
  return Object.keys(indexed)
    .filter(isIndex)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => unflatten(indexed[k]))
}

const xmlHeaders = (ctx: ResponseContext): Record<string, string> => ({
  'content-type': 'text/xml',
  'x-amzn-requestid': ctx.requestId,
})

export function encodeQueryResult(
  service: SimServiceName,
  operation: string,
  output: unknown,
  ctx: ResponseContext,
): WireResponse {
  const result = hasOutput(service, operation)
    ? {
        name: `${operation}Result`,
        value: isPlainObject(output) ? output : {},
        maps: MAP_MEMBERS[`${service}:${operation}`],
      }
    : undefined
  const body = queryResultXml(`${operation}Response`, XML_NAMESPACES[service] ?? '', result, ctx.requestId)
  return {status: 200, headers: xmlHeaders(ctx), body}
}

export function encodeQueryError(
  service: SimServiceName,
  error: SimError,
  ctx: ResponseContext,
): WireResponse {
  const names = errorNames(service, error)
  const body = queryErrorXml(
    XML_NAMESPACES[service] ?? '',
    {type: error.fault, code: names.queryCode, message: error.message},
    ctx.requestId,
  )
  return {status: names.status, headers: xmlHeaders(ctx), body}
}
