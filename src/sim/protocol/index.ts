/**
 * One endpoint for every service, as aws-semantics.md §8 describes: a JSON request is routed by its
 * `X-Amz-Target`, an RPCv2 CBOR request by its path, a Lambda request by its REST path, and a Query request by
 * the service in its SigV4 credential scope or else by its `Version`. Errors met while routing are thrown as
 * a RouteError that knows which protocol to answer in.
 */
import {SimError, type SimServiceName} from '../types.js'
import {decodeCborBody, encodeCborError, encodeCborResult, parseRpcV2Path} from './cbor.js'
import {unknownOperation} from './errors.js'
import {decodeJsonBody, encodeJsonError, encodeJsonResult} from './json.js'
import {QUERY_VERSIONS, encodeQueryError, encodeQueryResult, parseQueryRequest} from './query.js'
import {normalizeCloudWatchTimestamps} from './timestamps.js'
import {decodeLambdaRequest, encodeLambdaError, encodeLambdaResult, isLambdaPath} from './rest-json.js'
import type {DecodedCall, Destination, ResponseContext, WireRequest, WireResponse} from './types.js'

export type {DecodedCall, Destination, ProtocolId, WireRequest, WireResponse} from './types.js'

const JSON_TARGETS: Record<string, Destination> = {
  AmazonEC2ContainerServiceV20141113: {service: 'ecs', protocol: 'awsJson1_1', operation: ''},
  GraniteServiceVersion20100801: {service: 'cloudwatch', protocol: 'awsJson1_0', operation: ''},
  AmazonSQS: {service: 'sqs', protocol: 'awsJson1_0', operation: ''},
}
const RPCV2_SERVICES: Record<string, SimServiceName> = {GraniteServiceVersion20100801: 'cloudwatch'}
/** SigV4 signing names: CloudWatch signs as `monitoring`. */
const SIGNING_NAMES: Record<string, SimServiceName> = {
  ecs: 'ecs',
  autoscaling: 'autoscaling',
  monitoring: 'cloudwatch',
  cloudformation: 'cloudformation',
  sns: 'sns',
  lambda: 'lambda',
  elasticloadbalancing: 'elbv2',
  sqs: 'sqs',
}

export class RouteError extends Error {
  constructor(
    readonly destination: Destination,
    readonly error: SimError,
  ) {
    super(error.message)
  }
}

/** The region and service of the SigV4 credential scope (`.../REGION/SERVICE/aws4_request`), if signed. */
export function credentialScope(request: WireRequest): {region: string; service: string} | undefined {
  const fromHeader = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    request.headers.authorization ?? '',
  )
  const fromQuery = fromHeader
    ? null
    : /X-Amz-Credential=[^&]*?%2F([^%&]+)%2F([^%&]+)%2Faws4_request/i.exec(request.url)
  const match = fromHeader ?? fromQuery
  return match ? {region: match[1]!, service: match[2]!} : undefined
}

/**
 * Where a request goes, without decoding its input (and without throwing): enough to answer it with an error
 * in its own protocol, e.g. when the guard refuses it before anything is decoded.
 */
export function routeRequest(request: WireRequest): Destination {
  const path = request.url.split('?')[0] ?? '/'
  const target = request.headers['x-amz-target']
  if (target) {
    const dot = target.lastIndexOf('.')
    const known = JSON_TARGETS[target.slice(0, dot)] ?? JSON_TARGETS.AmazonEC2ContainerServiceV20141113!
    return {...known, operation: target.slice(dot + 1)}
  }
  const rpc = parseRpcV2Path(path)
  if (rpc) return {service: 'cloudwatch', protocol: 'rpcv2Cbor', operation: rpc.operation}
  if (isLambdaPath(path)) {
    const operation = safely(() => decodeLambdaRequest(request)?.operation) ?? ''
    return {service: 'lambda', protocol: 'restJson1', operation}
  }
  const params = safely(() => parseQueryRequest(request.method, request.url, request.body))
  const scoped = SIGNING_NAMES[credentialScope(request)?.service ?? '']
  const service = scoped ?? QUERY_VERSIONS[params?.version ?? ''] ?? 'autoscaling'
  return {service, protocol: 'awsQuery', operation: params?.action ?? ''}
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}

export function decodeRequest(request: WireRequest): DecodedCall {
  const call = decodeCall(request)
  if (call.service !== 'cloudwatch') return call
  return {...call, input: normalizeCloudWatchTimestamps(call.input) as Record<string, unknown>}
}

function decodeCall(request: WireRequest): DecodedCall {
  const path = request.url.split('?')[0] ?? '/'
  const target = request.headers['x-amz-target']
  if (target) {
    const dot = target.lastIndexOf('.')
    const prefix = target.slice(0, dot)
    const operation = target.slice(dot + 1)
    const known = JSON_TARGETS[prefix]
    const destination = {...(known ?? JSON_TARGETS.AmazonEC2ContainerServiceV20141113!), operation}
    if (!known || dot < 0)
      throw new RouteError(destination, unknownOperation(destination.service, false, target))
    return {...destination, input: withinRoute(destination, () => decodeJsonBody(request.body))}
  }
  const rpc = parseRpcV2Path(path)
  if (rpc) {
    const service = RPCV2_SERVICES[rpc.serviceName] ?? 'cloudwatch'
    const destination: Destination = {service, protocol: 'rpcv2Cbor', operation: rpc.operation}
    if (!RPCV2_SERVICES[rpc.serviceName]) {
      throw new RouteError(
        destination,
        unknownOperation(service, false, `${rpc.serviceName}.${rpc.operation}`),
      )
    }
    return {...destination, input: withinRoute(destination, () => decodeCborBody(request.body))}
  }
  if (isLambdaPath(path)) {
    const destination: Destination = {service: 'lambda', protocol: 'restJson1', operation: ''}
    const call = withinRoute(destination, () => decodeLambdaRequest(request))
    if (!call)
      throw new RouteError(destination, unknownOperation('lambda', false, `${request.method} ${path}`))
    return {...destination, ...call}
  }
  return decodeQuery(request)
}

function decodeQuery(request: WireRequest): DecodedCall {
  const params = parseQueryRequest(request.method, request.url, request.body)
  const scoped = SIGNING_NAMES[credentialScope(request)?.service ?? '']
  const service = scoped ?? QUERY_VERSIONS[params.version] ?? 'autoscaling'
  const destination: Destination = {service, protocol: 'awsQuery', operation: params.action}
  if (!params.action) {
    throw new RouteError(
      destination,
      new SimError('MissingAction', 'The request must contain the parameter Action.'),
    )
  }
  if (!scoped && !QUERY_VERSIONS[params.version]) {
    throw new RouteError(destination, unknownOperation(service, true, params.action))
  }
  return {...destination, input: params.input}
}

function withinRoute<T>(destination: Destination, decode: () => T): T {
  try {
    return decode()
  } catch (error) {
    if (error instanceof SimError) throw new RouteError(destination, error)
    throw error
  }
}

export function encodeResult(call: Destination, output: unknown, ctx: ResponseContext): WireResponse {
  switch (call.protocol) {
    case 'awsJson1_1':
      return encodeJsonResult('1.1', output, ctx)
    case 'awsJson1_0':
      return encodeJsonResult('1.0', output, ctx)
    case 'rpcv2Cbor':
      return encodeCborResult(output, ctx)
    case 'awsQuery':
      return encodeQueryResult(call.service, call.operation, output, ctx)
    case 'restJson1':
      return encodeLambdaResult(call.operation, output, ctx)
  }
}

export function encodeError(call: Destination, error: SimError, ctx: ResponseContext): WireResponse {
  switch (call.protocol) {
    case 'awsJson1_1':
      return encodeJsonError('1.1', call.service, error, ctx)
    case 'awsJson1_0':
      return encodeJsonError('1.0', call.service, error, ctx)
    case 'rpcv2Cbor':
      return encodeCborError(call.service, error, ctx)
    case 'awsQuery':
      return encodeQueryError(call.service, error, ctx)
    case 'restJson1':
      return encodeLambdaError(call.service, error, ctx)
  }
}

export {unknownOperation} from './errors.js'
