/**
 * Requests no SDK would send, for the wire tests: raw HTTP to the sim, with a SigV4-shaped Authorization
 * header (the sim checks that a request is signed, not the signature: it knows no secret), or without one.
 * node:http rather than fetch, so that a test can send any Host header, as a DNS-rebinding page would.
 */
import {request as httpRequest} from 'node:http'

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

/** Sends the request as given (Host included, if the test sets one) and reads the whole answer. */
export function raw(endpoint: string, request: RawRequest): Promise<Response> {
  const headers: Record<string, string> = {'x-amz-date': '20260101T000000Z', ...request.headers}
  if (request.sign) headers.authorization = sigv4(request.sign)
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  if (body) headers['content-length'] = String(body.length)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${endpoint}${request.path ?? '/'}`,
      {method: request.method ?? 'POST', headers},
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const out = new Headers()
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(',') : value)
          const status = res.statusCode ?? 0
          const payload = status === 204 || chunks.length === 0 ? null : Buffer.concat(chunks)
          resolve(new Response(payload, {status, headers: out}))
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export const FORM = {'content-type': 'application/x-www-form-urlencoded'}
export const ECS_JSON = (operation: string) => ({
  'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
  'content-type': 'application/x-amz-json-1.1',
})
