/**
 * What the sim refuses before it looks at an operation (issue 9 item 4). The sim runs code that requests
 * bring (a CloudFormation template's inline Lambda, executed by ExecuteChangeSet and Invoke), so a request
 * must come from a client that a person started, not from a web page:
 *
 * - **Browser-sent requests.** A web page can POST form-encoded or text/plain bodies to any address without
 *   a CORS preflight. Browsers mark such requests: they send `Origin` (on every cross-origin request and on
 *   every POST), and `Sec-Fetch-Site` (anything but `none`, which means the user typed the address).
 *   Fetch Standard, "Origin header" and "Sec-Fetch-Site": https://fetch.spec.whatwg.org/#origin-header,
 *   https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header. SDKs, the AWS CLIs and curl send
 *   neither.
 * - **A Host that is not loopback**, unless the sim was started with --allow-remote: a DNS-rebinding page
 *   reaches 127.0.0.1 under its own name, and its requests carry that name in `Host`.
 * - **No SigV4 signature.** AWS answers a request without an `Authorization` header (or presigned query
 *   parameters) with MissingAuthenticationToken, HTTP 403 ("Common Errors", e.g.
 *   https://docs.aws.amazon.com/AutoScaling/latest/APIReference/CommonErrors.html). The sim checks that the
 *   signature is there and well formed; it cannot check it (it knows no secret), so any access key works.
 *
 * Each check returns the refusal, or undefined; the server answers a refusal before anything else happens
 * (no stats, no faults, no world).
 */
import {SimError} from '../types.js'
import type {ProtocolId, WireRequest} from './types.js'

export type RefusalReason = 'browser' | 'host' | 'signature'

export interface Refusal {
  reason: RefusalReason
  message: string
  /** The error in AWS's terms, for the protocol the request came in. */
  error(protocol: ProtocolId): SimError
}

const isQuery = (protocol: ProtocolId) => protocol === 'awsQuery'

function accessDenied(reason: RefusalReason, message: string): Refusal {
  return {
    reason,
    message,
    error: (protocol) =>
      new SimError(isQuery(protocol) ? 'AccessDenied' : 'AccessDeniedException', message, 403),
  }
}

export function refuseBrowser(request: WireRequest): Refusal | undefined {
  const origin = request.headers.origin
  if (origin !== undefined)
    return accessDenied(
      'browser',
      `The simulator refuses requests sent by a web browser (Origin: ${origin}). ` +
        'Use an AWS SDK, the AWS CLI or curl.',
    )
  const site = request.headers['sec-fetch-site']
  if (site !== undefined && site !== 'none')
    return accessDenied(
      'browser',
      `The simulator refuses requests sent by a web browser (Sec-Fetch-Site: ${site}). ` +
        'Use an AWS SDK, the AWS CLI or curl.',
    )
  return undefined
}

/** localhost and *.localhost (RFC 6761 reserves them for loopback), 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const text = host.trim().toLowerCase()
  // "[::1]:4599", "127.0.0.1:4599", "localhost", or a bare IPv6 address such as "::1" (no port then).
  const bracketed = /^\[([^\]]*)\](:\d+)?$/.exec(text)
  const name = bracketed ? bracketed[1]! : text.split(':').length > 2 ? text : text.replace(/:\d+$/, '')
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    name === '::1' ||
    name === '0:0:0:0:0:0:0:1'
  )
}

export function refuseHost(request: WireRequest, allowRemote: boolean): Refusal | undefined {
  if (allowRemote) return undefined
  const host = request.headers.host
  if (host !== undefined && isLoopbackHost(host)) return undefined
  return accessDenied(
    'host',
    `The simulator refuses Host ${host ?? '(none)'}: it serves loopback names only (127.0.0.1, localhost, ::1), ` +
      'which stops DNS rebinding. Use its loopback endpoint, or start it with --allow-remote.',
  )
}

const SIGV4_AUTHORIZATION =
  /^AWS4-(HMAC-SHA256|ECDSA-P256-SHA256) Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/[^/,\s]+\/aws4_request,\s*SignedHeaders=[a-z0-9;._-]+,\s*Signature=[0-9a-f]+$/i

function presigned(url: string): boolean {
  const query = new URL(url, 'http://sim').searchParams
  return ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'].every((p) => query.has(p))
}

export function refuseUnsigned(request: WireRequest): Refusal | undefined {
  const authorization = request.headers.authorization
  if (authorization === undefined) {
    if (presigned(request.url)) return undefined
    const message = 'Request is missing Authentication Token'
    return {
      reason: 'signature',
      message,
      error: (protocol) =>
        new SimError(
          isQuery(protocol) ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException',
          message,
          403,
        ),
    }
  }
  if (SIGV4_AUTHORIZATION.test(authorization.trim())) return undefined
  // AWS's code for an Authorization header that is there but not a complete SigV4 one (HTTP 400).
  const message =
    "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters " +
    '(AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...).'
  return {
    reason: 'signature',
    message,
    error: (protocol) =>
      new SimError(isQuery(protocol) ? 'IncompleteSignature' : 'IncompleteSignatureException', message, 400),
  }
}
