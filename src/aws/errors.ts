import {isThrottlingError, isTransientError} from '@smithy/core/retry'

import {AwsAccessError, AwsApiError, EcsdrainError} from '../core/errors.js'

type SdkError = Error & {
  code?: string
  $fault?: 'client' | 'server'
  $metadata?: {httpStatusCode?: number; attempts?: number}
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
])
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
])
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

/**
 * The one step for an emulator that is not `ecsdrain sim` (which ecsdrain recognises and needs nothing for):
 * moto, LocalStack and the like accept any credentials, but the SDK still wants a region and a key to sign.
 */
const EMULATOR_STEP = (endpoint: string) =>
  `If ${endpoint} is an emulator (moto, LocalStack), it accepts any: ` +
  '`export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`.'

export interface CallSite {
  /** e.g. `ECS.ListContainerInstances`. */
  operation: string
  /** The endpoint override, if any, to name in the message. */
  endpoint?: string
}

/**
 * Turns whatever the SDK threw into our error hierarchy, so that core and the commands never see an SDK
 * type. Credentials and permissions become AwsAccessError (the operator must act); everything else becomes
 * AwsApiError, marked transient when a later retry could succeed (throttling, 5xx, network), so that the
 * drain engine keeps waiting through a blip instead of giving up or, worse, abandoning a lifecycle action.
 */
export function translateAwsError(error: unknown, site: CallSite): EcsdrainError {
  if (error instanceof EcsdrainError) return error
  const e = (error instanceof Error ? error : new Error(String(error))) as SdkError
  const name = e.name ?? 'Error'
  const code = networkCode(e)
  const attempts = e.$metadata?.attempts

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(e.message)) {
    return new AwsAccessError(`No AWS credentials found (${e.message}).`, {
      code: 'NO_CREDENTIALS',
      cause: e,
      suggestion: site.endpoint
        ? `${EMULATOR_STEP(site.endpoint)} For AWS itself, pass --profile or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`
        : 'Pass --profile or set AWS_PROFILE (run `aws sso login --profile P` for an SSO profile), or export ' +
          'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    })
  }
  if (/region is missing/i.test(e.message)) {
    return new AwsAccessError('No AWS region is configured.', {
      code: 'NO_REGION',
      cause: e,
      suggestion: site.endpoint
        ? `${EMULATOR_STEP(site.endpoint)} For AWS itself, pass --region (e.g. --region eu-west-1).`
        : 'Pass --region (e.g. --region eu-west-1), set AWS_REGION, or set region in your profile.',
    })
  }
  if (EXPIRED_CREDENTIALS.has(name)) {
    return new AwsAccessError(`The AWS credentials have expired (${site.operation}: ${e.message}).`, {
      code: 'EXPIRED_CREDENTIALS',
      cause: e,
      suggestion: 'Refresh them, e.g. `aws sso login --profile P`, or export a new session token.',
    })
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new AwsAccessError(`AWS rejected the credentials (${name}: ${e.message}).`, {
      code: 'INVALID_CREDENTIALS',
      cause: e,
      suggestion: 'Check the access key and secret of the profile in use (`aws sts get-caller-identity`).',
    })
  }
  if (ACCESS_DENIED.has(name)) {
    return new AwsAccessError(`Access denied to ${site.operation}: ${e.message}`, {
      code: 'ACCESS_DENIED',
      cause: e,
      suggestion: `Grant the caller permission for ${iamAction(site.operation)}, or use a profile that has it.`,
    })
  }
  if (code !== undefined || name === 'TimeoutError') {
    const where = site.endpoint ?? 'the AWS endpoint'
    return new AwsApiError(
      `Cannot reach ${where} for ${site.operation} (${code ?? name}${tries(attempts)}).`,
      {
        awsCode: 'ENDPOINT_UNREACHABLE',
        operation: site.operation,
        transient: true,
        cause: e,
        suggestion: site.endpoint
          ? `Check that something is listening at ${site.endpoint} (for \`ecsdrain sim\`, start it first), or fix --endpoint-url / AWS_ENDPOINT_URL.`
          : 'Check the network, proxy and --region, then retry.',
      },
    )
  }
  if (isThrottlingError(e as Parameters<typeof isThrottlingError>[0])) {
    return new AwsApiError(`AWS kept throttling ${site.operation}${tries(attempts)}.`, {
      awsCode: name,
      operation: site.operation,
      transient: true,
      cause: e,
      suggestion:
        'Another client is using up the API rate of this account and region: retry in a minute, or raise ' +
        'AWS_MAX_ATTEMPTS to wait longer.',
    })
  }
  const status = e.$metadata?.httpStatusCode ?? 0
  const transient =
    isTransientError(e as Parameters<typeof isTransientError>[0]) || status >= 500 || e.$fault === 'server'
  return new AwsApiError(`${site.operation} failed: ${name}: ${e.message}`, {
    awsCode: name,
    operation: site.operation,
    transient,
    cause: e,
    suggestion: transient ? 'AWS reported a server-side fault: retry in a moment.' : undefined,
  })
}

function networkCode(e: SdkError): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const c = (cur as {code?: unknown}).code
    if (typeof c === 'string' && NETWORK_CODES.has(c)) return c
    cur = (cur as {cause?: unknown}).cause
  }
  return undefined
}

function tries(attempts: number | undefined): string {
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : ''
}

/** `ECS.ListContainerInstances` -> `ecs:ListContainerInstances`. */
function iamAction(operation: string): string {
  const [service, op] = operation.split('.')
  const prefix = {
    ECS: 'ecs',
    AutoScaling: 'autoscaling',
    CloudWatch: 'cloudwatch',
    CloudFormation: 'cloudformation',
  }[service ?? '']
  return prefix && op ? `${prefix}:${op}` : operation
}
