/**
 * smithy-rpc-v2-cbor, which current botocore (and so the AWS CLI v1) uses for CloudWatch:
 * `POST /service/<Service>/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor` on the request and the
 * response, CBOR bodies, timestamps as tag 1 (epoch seconds). An error names its absolute shape id in
 * `__type`; CloudWatch being query-compatible, the Query code also goes in `x-amzn-query-error`.
 */
import {createRequire} from 'node:module'

import {SimError, type SimServiceName} from '../types.js'
import {CLOUDWATCH_NAMESPACE, errorNames} from './errors.js'
import type {ResponseContext, WireResponse} from './types.js'
import {mapValues} from './values.js'

// The SDK's own CBOR codec (already in its dependency tree): it speaks exactly the subset RPCv2 uses, and
// unlike cbor-x it needs no optional native package, which npm leaves out of the lock file. It is loaded on
// the first CBOR request: importing it costs more than building a 1,000-instance world, and most sims never
// see a CBOR client.
type SmithyCbor = typeof import('@smithy/core/cbor')
let loaded: SmithyCbor | undefined
const smithyCbor = (): SmithyCbor =>
  (loaded ??= createRequire(import.meta.url)('@smithy/core/cbor') as SmithyCbor)

/** The codec hands tags back as `{tag, value}`; timestamps (tag 1, epoch seconds) become Dates for the world. */
function untag(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(untag)
  if (smithyCbor().tagSymbol in value) {
    const tagged = value as unknown as {tag: number | bigint; value: unknown}
    return Number(tagged.tag) === 1 ? new Date(Number(tagged.value) * 1000) : tagged.value
  }
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = untag(item)
  return out
}

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
    parsed = untag(smithyCbor().cbor.deserialize(body))
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
  // Dates become tag 1 (epoch seconds); undefined and null members are dropped, as the spec asks.
  const pruned = mapValues(value ?? {}, (v) => (v instanceof Date ? smithyCbor().dateToTag(v) : v)) ?? {}
  return Buffer.from(smithyCbor().cbor.serialize(pruned))
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
