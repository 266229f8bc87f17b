/**
 * Error vocabulary per service. The world throws SimError with AWS's error code; the codecs need, per
 * protocol, the name a client matches on. For most services that is the code itself. CloudWatch is the odd
 * one: its JSON and CBOR protocols name the modeled error shape (InvalidParameterValueException) while Query
 * clients, and the `x-amzn-query-error` header, use the Query code (InvalidParameterValue).
 */
import {SimError, type SimServiceName} from '../types.js'

/**
 * CloudWatch's modeled errors: shape name -> [Query code, HTTP status]. From the service model, plus the
 * common errors the guard answers with (protocol/guard.ts), whose Query code drops the "Exception".
 */
const CLOUDWATCH_ERRORS: Record<string, [string, number]> = {
  AccessDeniedException: ['AccessDenied', 403],
  IncompleteSignatureException: ['IncompleteSignature', 400],
  MissingAuthenticationTokenException: ['MissingAuthenticationToken', 403],
  ConcurrentModificationException: ['ConcurrentModificationException', 429],
  DashboardInvalidInputError: ['InvalidParameterInput', 400],
  DashboardNotFoundError: ['ResourceNotFound', 404],
  InternalServiceFault: ['InternalServiceError', 500],
  InvalidFormatFault: ['InvalidFormat', 400],
  InvalidNextToken: ['InvalidNextToken', 400],
  InvalidParameterCombinationException: ['InvalidParameterCombination', 400],
  InvalidParameterValueException: ['InvalidParameterValue', 400],
  LimitExceededFault: ['LimitExceeded', 400],
  MissingRequiredParameterException: ['MissingParameter', 400],
  ResourceNotFound: ['ResourceNotFound', 404],
  ResourceNotFoundException: ['ResourceNotFoundException', 404],
}
const CLOUDWATCH_SHAPE_BY_QUERY_CODE = new Map(
  Object.entries(CLOUDWATCH_ERRORS).map(([shape, [code]]) => [code, shape] as const),
)

/** The CloudWatch Smithy namespace: rpcv2Cbor requires `__type` to be an absolute shape id. */
export const CLOUDWATCH_NAMESPACE = 'com.amazonaws.cloudwatch'

export interface ErrorNames {
  /** The code Query clients and the query-error header carry. */
  queryCode: string
  /** The shape name JSON and CBOR clients match on. */
  shape: string
  status: number
}

export function errorNames(service: SimServiceName, error: SimError): ErrorNames {
  if (service !== 'cloudwatch') return {queryCode: error.code, shape: error.code, status: error.httpStatus}
  const byShape = CLOUDWATCH_ERRORS[error.code]
  if (byShape) return {queryCode: byShape[0], shape: error.code, status: byShape[1]}
  const shape = CLOUDWATCH_SHAPE_BY_QUERY_CODE.get(error.code)
  if (shape) return {queryCode: error.code, shape, status: CLOUDWATCH_ERRORS[shape]![1]}
  return {queryCode: error.code, shape: error.code, status: error.httpStatus}
}

/** Anything a handler throws that is not a SimError is a bug in the sim: AWS would answer with a 500. */
export function asSimError(service: SimServiceName, thrown: unknown): SimError {
  if (thrown instanceof SimError) return thrown
  const detail = thrown instanceof Error ? thrown.message : String(thrown)
  return serverFault(service, `The simulator failed internally: ${detail}`)
}

/** The service's throttling error, as AWS sends it. */
export function throttlingError(service: SimServiceName): SimError {
  switch (service) {
    case 'ecs':
      return new SimError('ThrottlingException', 'Rate exceeded', 400)
    case 'lambda':
      return new SimError('TooManyRequestsException', 'Rate exceeded', 429)
    default:
      return new SimError('Throttling', 'Rate exceeded', 400)
  }
}

/** The service's generic server-side failure (HTTP 500). */
export function serverFault(
  service: SimServiceName,
  message = 'We encountered an internal error.',
): SimError {
  switch (service) {
    case 'ecs':
      return new SimError('ServerException', message, 500, 'Receiver')
    case 'cloudwatch':
      return new SimError('InternalServiceFault', message, 500, 'Receiver')
    case 'lambda':
      return new SimError('ServiceException', message, 500, 'Receiver')
    default:
      return new SimError('InternalFailure', message, 500, 'Receiver')
  }
}

/** What each protocol calls a request for an operation the service does not have. */
export function unknownOperation(
  service: SimServiceName,
  protocolIsQuery: boolean,
  operation: string,
): SimError {
  if (protocolIsQuery) {
    return new SimError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400)
  }
  const what = operation ? `operation ${operation}` : 'an operation'
  return new SimError('UnknownOperationException', `The ${service} simulator has no ${what}.`, 400)
}
