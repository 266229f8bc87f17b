import {describe, expect, it} from 'vitest'

import {translateAwsError} from '../../src/aws/errors.js'
import {AwsAccessError, AwsApiError} from '../../src/core/errors.js'

const site = {operation: 'ECS.ListClusters'}
function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {name, $metadata: {httpStatusCode: 400, attempts: 1}, ...extra})
}

describe('translateAwsError', () => {
  it.each([
    [
      'CredentialsProviderError',
      'Could not load credentials from any providers',
      'NO_CREDENTIALS',
      /--profile/,
    ],
    ['AccessDeniedException', 'User is not authorized', 'ACCESS_DENIED', /ecs:ListClusters/],
    [
      'UnrecognizedClientException',
      'The security token included in the request is invalid',
      'INVALID_CREDENTIALS',
      /sts/,
    ],
    [
      'ExpiredTokenException',
      'The security token included in the request is expired',
      'EXPIRED_CREDENTIALS',
      /sso login/,
    ],
  ])('%s becomes an AwsAccessError %s with a next step', (name, message, code, next) => {
    const e = translateAwsError(sdkError(name, message), site)
    expect(e).toBeInstanceOf(AwsAccessError)
    expect(e.code).toBe(code)
    expect(e.exitCode).toBe(1)
    expect(e.suggestion).toMatch(next)
  })

  it('a missing region says how to set one', () => {
    const e = translateAwsError(new Error('Region is missing'), site)
    expect(e).toBeInstanceOf(AwsAccessError)
    expect(e.code).toBe('NO_REGION')
    expect(e.suggestion).toMatch(/--region/)
  })

  it('an unreachable endpoint is transient and names the endpoint', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'})
    const e = translateAwsError(
      Object.assign(new Error('x'), {name: 'Error', cause, $metadata: {attempts: 3}}),
      {
        ...site,
        endpoint: 'http://127.0.0.1:9',
      },
    )
    expect(e).toBeInstanceOf(AwsApiError)
    expect((e as AwsApiError).transient).toBe(true)
    expect(e.code).toBe('ENDPOINT_UNREACHABLE')
    expect(e.message).toContain('http://127.0.0.1:9')
    expect(e.message).toContain('after 3 attempts')
    expect(e.suggestion).toMatch(/ecsdrain sim/)
  })

  it('throttling that outlasted the retries is transient and says so', () => {
    const e = translateAwsError(
      sdkError('ThrottlingException', 'Rate exceeded', {$metadata: {attempts: 5}}),
      site,
    )
    expect(e).toBeInstanceOf(AwsApiError)
    expect((e as AwsApiError).transient).toBe(true)
    expect(e.message).toMatch(/throttling ECS\.ListClusters after 5 attempts/)
    expect(e.suggestion).toMatch(/AWS_MAX_ATTEMPTS/)
  })

  it('a 5xx is transient; a client error is final and keeps its AWS code', () => {
    const server = translateAwsError(
      sdkError('ServerException', 'boom', {$metadata: {httpStatusCode: 500}}),
      site,
    )
    expect((server as AwsApiError).transient).toBe(true)
    const client = translateAwsError(sdkError('ClusterNotFoundException', 'Cluster not found.'), site)
    expect(client).toBeInstanceOf(AwsApiError)
    expect((client as AwsApiError).transient).toBe(false)
    expect((client as AwsApiError).awsCode).toBe('ClusterNotFoundException')
  })
})
