/**
 * The endpoint override: --endpoint-url, else AWS_ENDPOINT_URL (which the SDK applies itself). It is checked
 * before any call, and an override on this machine is asked whether it is an `ecsdrain sim`, so that the
 * sim works in a fresh shell with no AWS configuration at all.
 */
import {request} from 'node:http'

import {UsageError} from '../core/errors.js'

/** Where the override came from, to name it in messages. */
export interface EndpointOverride {
  url: string
  source: '--endpoint-url' | 'AWS_ENDPOINT_URL'
}

export function endpointOverride(flag: string | undefined): EndpointOverride | undefined {
  if (flag !== undefined) return {url: flag, source: '--endpoint-url'}
  const env = process.env.AWS_ENDPOINT_URL
  return env ? {url: env, source: 'AWS_ENDPOINT_URL'} : undefined
}

const EXAMPLE = 'e.g. http://127.0.0.1:4599 for `ecsdrain sim`'

/**
 * A usage error (exit 2) unless the URL is http(s) with a host, an optional port and an optional path.
 * - A user name or password (`user:pass@`) is refused: AWS requests are signed with SigV4, so they are
 *   never used, and they would travel to the endpoint in every request, in the clear over http.
 * - A query string or a fragment is refused: the SDK would put it on every request (or drop it), and the
 *   signature covers the query, so what reaches the endpoint is not what was meant.
 * - A path is kept: every request goes to that path, as the AWS CLI does, for a proxy that serves AWS under
 *   a prefix (http://proxy:8080/aws). `ecsdrain sim` itself serves at its root.
 */
export function checkEndpoint(override: EndpointOverride | undefined): void {
  if (!override) return
  const {url, source} = override
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  const fail = (what: string, shown = url) =>
    new UsageError(`${source} ${JSON.stringify(shown)} ${what}.`, {
      code: 'BAD_ENDPOINT_URL',
      suggestion: `Give the scheme, host, port and (optionally) a path prefix, ${EXAMPLE}.`,
    })
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname)
    throw fail('is not an http(s) URL')
  if (parsed.username || parsed.password) {
    // Never echo a password back into a terminal or a CI log.
    const shown = parsed.password ? url.replace(`:${parsed.password}@`, ':***@') : url
    throw fail('has a user name or password, which AWS never reads (calls are signed) and would leak', shown)
  }
  if (url.includes('?')) throw fail('has a query string, which would be added to every request')
  if (url.includes('#')) throw fail('has a fragment (#...), which an endpoint cannot have')
}

/** 127.0.0.0/8, ::1 and localhost: an endpoint on this machine. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
}

export type EndpointProbe =
  {kind: 'sim'; region: string} | {kind: 'other'} | {kind: 'unreachable'; code: string}

const PROBE_TIMEOUT_MS = 2_000

/**
 * Asks a loopback endpoint for `GET <endpoint>/_sim/info`, which only `ecsdrain sim` answers with
 * `{"simulator": "ecsdrain", "region": ...}`. One local round trip. Anything else (moto, LocalStack, a
 * proxy) is 'other'; nothing listening is 'unreachable'. Never called for a remote endpoint: placeholder
 * credentials must never go anywhere but the sim. node:http rather than fetch: fetch adds the browser's
 * Sec-Fetch-* headers, which the sim refuses on its own endpoints.
 */
export function probeEndpoint(endpoint: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<EndpointProbe> {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/_sim/info`)
  return new Promise((resolve) => {
    const req = request(url, {method: 'GET', timeout: timeoutMs}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk
      })
      res.on('end', () => resolve(res.statusCode === 200 ? parseInfo(body) : {kind: 'other'}))
      res.on('error', () => resolve({kind: 'other'}))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error: Error & {code?: string}) =>
      resolve(error.code === 'ECONNREFUSED' ? {kind: 'unreachable', code: error.code} : {kind: 'other'}),
    )
    req.end()
  })
}

function parseInfo(body: string): EndpointProbe {
  try {
    const info = JSON.parse(body) as {simulator?: unknown; region?: unknown}
    if (info.simulator === 'ecsdrain' && typeof info.region === 'string' && info.region)
      return {kind: 'sim', region: info.region}
  } catch {
    // Not JSON: not the sim.
  }
  return {kind: 'other'}
}
