/**
 * restJson1 for Lambda: the operation is in the method and path (`/2015-03-31/functions/{FunctionName}/...`),
 * path labels and a few headers join the JSON body as input members. Invoke is special: its request and
 * response bodies are the raw payload. Only the operations the hook stack needs are routed; any other path
 * gets the protocol's UnknownOperationException.
 */
import {SimError, type SimServiceName} from '../types.js'
import {decodeJsonBody} from './json.js'
import type {ResponseContext, WireRequest, WireResponse} from './types.js'
import {toJsonText} from './values.js'

interface RestRoute {
  method: string
  pattern: RegExp
  operation: string
  /** HTTP status of a success, from the model's `http` trait. */
  status: number
}

const FN = '/2015-03-31/functions'
const NAME = '([^/]+)'
const LAMBDA_ROUTES: RestRoute[] = [
  {method: 'POST', pattern: new RegExp(`^${FN}/?$`), operation: 'CreateFunction', status: 201},
  {method: 'GET', pattern: new RegExp(`^${FN}/?$`), operation: 'ListFunctions', status: 200},
  {method: 'GET', pattern: new RegExp(`^${FN}/${NAME}$`), operation: 'GetFunction', status: 200},
  {method: 'DELETE', pattern: new RegExp(`^${FN}/${NAME}$`), operation: 'DeleteFunction', status: 204},
  {method: 'POST', pattern: new RegExp(`^${FN}/${NAME}/invocations$`), operation: 'Invoke', status: 200},
  {
    method: 'GET',
    pattern: new RegExp(`^${FN}/${NAME}/configuration$`),
    operation: 'GetFunctionConfiguration',
    status: 200,
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^${FN}/${NAME}/configuration$`),
    operation: 'UpdateFunctionConfiguration',
    status: 200,
  },
  {method: 'PUT', pattern: new RegExp(`^${FN}/${NAME}/code$`), operation: 'UpdateFunctionCode', status: 200},
  {method: 'POST', pattern: new RegExp(`^${FN}/${NAME}/policy$`), operation: 'AddPermission', status: 201},
  {method: 'GET', pattern: new RegExp(`^${FN}/${NAME}/policy$`), operation: 'GetPolicy', status: 200},
]

export function isLambdaPath(path: string): boolean {
  return /^\/\d{4}-\d{2}-\d{2}\/functions(\/|$)/.test(path)
}

export function lambdaSuccessStatus(operation: string): number {
  return LAMBDA_ROUTES.find((r) => r.operation === operation)?.status ?? 200
}

/** Decodes a Lambda request; undefined when no route matches. */
export function decodeLambdaRequest(
  request: WireRequest,
): {operation: string; input: Record<string, unknown>} | undefined {
  const url = new URL(request.url, 'http://sim')
  for (const route of LAMBDA_ROUTES) {
    const match = route.method === request.method ? route.pattern.exec(url.pathname) : null
    if (!match) continue
    const input: Record<string, unknown> = {}
    for (const [key, value] of url.searchParams) input[key.charAt(0).toUpperCase() + key.slice(1)] = value
    if (route.operation === 'Invoke') {
      input.Payload = request.body
      input.InvocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse'
      input.LogType = request.headers['x-amz-log-type']
    } else if (request.method === 'POST' || request.method === 'PUT') {
      Object.assign(input, decodeJsonBody(request.body))
    }
    if (match[1]) input.FunctionName = decodeURIComponent(match[1])
    return {operation: route.operation, input}
  }
  return undefined
}

export function encodeLambdaResult(operation: string, output: unknown, ctx: ResponseContext): WireResponse {
  const headers: Record<string, string> = {'x-amzn-requestid': ctx.requestId}
  if (operation === 'Invoke') {
    const out = (output ?? {}) as {StatusCode?: number; Payload?: Uint8Array | string; FunctionError?: string}
    if (out.FunctionError) headers['x-amz-function-error'] = out.FunctionError
    headers['content-type'] = 'application/json'
    const payload = out.Payload ?? ''
    return {
      status: out.StatusCode ?? 200,
      headers,
      body: typeof payload === 'string' ? payload : Buffer.from(payload),
    }
  }
  const status = lambdaSuccessStatus(operation)
  if (status === 204) return {status, headers, body: ''}
  headers['content-type'] = 'application/json'
  return {status, headers, body: toJsonText(output)}
}

export function encodeLambdaError(
  _service: SimServiceName,
  error: SimError,
  ctx: ResponseContext,
): WireResponse {
  return {
    status: error.httpStatus,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': ctx.requestId,
    },
    body: JSON.stringify({Type: error.fault === 'Sender' ? 'User' : 'Service', message: error.message}),
  }
}
