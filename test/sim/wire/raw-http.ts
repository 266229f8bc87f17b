/**
 * Requests no SDK would send, for the wire tests: raw HTTP to the sim, with a SigV4-shaped Authorization
 * header (the sim checks that a request is signed, not the signature: it knows no secret), or without one.
 */

/** An Authorization header as SigV4 writes it, for `service` (its signing name) in `region`. */
export function sigv4(service: string, region = 'us-east-1'): string {
  return (
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/${service}/aws4_request, ` +
    `SignedHeaders=content-type;host;x-amz-date, Signature=${'ab'.repeat(32)}`
  )
}

export interface RawRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  /** The signing name to sign for (`autoscaling`, `ecs`, `monitoring`, ...), or false for an unsigned request. */
  sign: string | false
}

export function raw(endpoint: string, request: RawRequest): Promise<Response> {
  const headers: Record<string, string> = {'x-amz-date': '20260101T000000Z', ...request.headers}
  if (request.sign) headers.authorization = sigv4(request.sign)
  return fetch(`${endpoint}${request.path ?? '/'}`, {
    method: request.method ?? 'POST',
    headers,
    body: request.body,
  })
}

export const FORM = {'content-type': 'application/x-www-form-urlencoded'}
export const ECS_JSON = (operation: string) => ({
  'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
  'content-type': 'application/x-amz-json-1.1',
})
