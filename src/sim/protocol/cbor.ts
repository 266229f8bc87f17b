/**
 * smithy-rpc-v2-cbor, which current botocore (and so the AWS CLI v1) uses for CloudWatch:
 * `POST /service/<Service>/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor` on the request and the
 * response, CBOR bodies, timestamps as tag 1 (epoch seconds). An error names its absolute shape id in
 * `__type`; CloudWatch being query-compatible, the Query code also goes in `x-amzn-query-error`.
 */
import {Decoder, Encoder} from 'cbor-x'

import {SimError, type SimServiceName} from '../types.js'
import {CLOUDWATCH_NAMESPACE, errorNames} from './errors.js'
import type {ResponseContext, WireResponse} from './types.js'
import {mapValues} from './values.js'

// Plain CBOR maps and arrays only: cbor-x's record extension (tag 105) would be unreadable to other clients.
const encoder = new Encoder({useRecords: false, mapsAsObjects: true, tagUint8Array: false})
const decoder = new Decoder({useRecords: false, mapsAsObjects: true})

/** Parses the path; undefined when it is not an RPCv2 path. The service segment may be an absolute id. */
export function parseRpcV2Path(path: string): {serviceName: string; operation: string} | undefined {
  const match = /\/service\/([^/]+)\/operation\/([^/?]+)$/.exec(path.split('?')[0] ?? '')
  if (!match) return undefined
  const serviceName = match[1]!.split('.').pop()!
  return {serviceName, operation: decodeURIComponent(match[2]!)}
}

export function decodeCborBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {}
  let parsed: unknown
  try {
    parsed = decoder.decode(body)
  } catch {
    throw new SimError('SerializationException', 'The request body is not valid CBOR.', 400)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SimError('SerializationException', 'The request body must be a CBOR map.', 400)
  }
  return parsed as Record<string, unknown>
}

function cborHeaders(ctx: ResponseContext): Record<string, string> {
  return {
    'content-type': 'application/cbor',
    'smithy-protocol': 'rpc-v2-cbor',
    'x-amzn-requestid': ctx.requestId,
  }
}

function encode(value: unknown): Buffer {
  // Dates stay Dates (cbor-x writes them as tag 1); undefined and null members are dropped, as the spec asks.
  const pruned = mapValues(value ?? {}, (v) => (v instanceof Uint8Array ? Buffer.from(v) : v)) ?? {}
  return Buffer.from(encoder.encode(pruned))
}

export function encodeCborResult(output: unknown, ctx: ResponseContext): WireResponse {
  return {status: 200, headers: cborHeaders(ctx), body: encode(output)}
}

export function encodeCborError(
  service: SimServiceName,
  error: SimError,
  ctx: ResponseContext,
): WireResponse {
  const names = errorNames(service, error)
  const headers = cborHeaders(ctx)
  let type = names.shape
  if (service === 'cloudwatch') {
    headers['x-amzn-query-error'] = `${names.queryCode};${error.fault}`
    type = `${CLOUDWATCH_NAMESPACE}#${names.shape}`
  }
  return {status: names.status, headers, body: encode({__type: type, message: error.message})}
}
