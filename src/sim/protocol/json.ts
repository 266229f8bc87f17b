/**
 * awsJson1_0 and awsJson1_1: `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON body. ECS speaks
 * 1.1; CloudWatch speaks 1.0 in "query-compatible" mode, where an error also carries its Query code in the
 * `x-amzn-query-error: Code;Fault` header, which the SDK prefers over `__type`.
 */
import {SimError, type SimServiceName} from '../types.js'
import {CLOUDWATCH_NAMESPACE, errorNames} from './errors.js'
import type {ResponseContext, WireResponse} from './types.js'
import {toJsonText} from './values.js'

export type JsonVersion = '1.0' | '1.1'

/** SQS's Query codes whose modeled shape has another name (the SQS service model's awsQueryError traits). */
const SQS_SHAPES: Record<string, string> = {
  'AWS.SimpleQueueService.NonExistentQueue': 'QueueDoesNotExist',
}

export function decodeJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    throw new SimError('SerializationException', 'The request body is not valid JSON.', 400)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SimError('SerializationException', 'The request body must be a JSON object.', 400)
  }
  return parsed as Record<string, unknown>
}

function jsonHeaders(version: JsonVersion, ctx: ResponseContext): Record<string, string> {
  return {'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': ctx.requestId}
}

export function encodeJsonResult(version: JsonVersion, output: unknown, ctx: ResponseContext): WireResponse {
  const body = toJsonText(output)
  return {status: 200, headers: jsonHeaders(version, ctx), body}
}

export function encodeJsonError(
  version: JsonVersion,
  service: SimServiceName,
  error: SimError,
  ctx: ResponseContext,
): WireResponse {
  const names = errorNames(service, error)
  const headers = jsonHeaders(version, ctx)
  let type = names.shape
  if (service === 'cloudwatch') {
    headers['x-amzn-query-error'] = `${names.queryCode};${error.fault}`
    type = `${CLOUDWATCH_NAMESPACE}#${names.shape}`
  } else if (service === 'sqs') {
    // SQS's JSON protocol is query-compatible too: the modeled shape in __type, the Query code in the header.
    headers['x-amzn-query-error'] = `${error.code};${error.fault}`
    type = `com.amazonaws.sqs#${SQS_SHAPES[error.code] ?? error.code}`
  }
  return {status: names.status, headers, body: JSON.stringify({__type: type, message: error.message})}
}
