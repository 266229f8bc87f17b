/**
 * The sim's HTTP server: one loopback endpoint for every service. It reads a request, lets the protocol layer
 * decode it into an operation call, applies the injected faults, asks the world's handler, and writes the
 * answer (or the error) back in the protocol the request came in. It also serves `GET /_sim/stats`
 * (see stats.ts for the shape), `POST /_sim/stats/reset`, and `GET /_sim/info` ({simulator, region}).
 *
 * Before any of that, the guard (protocol/guard.ts) refuses browser-sent requests, non-loopback Hosts (unless
 * allowRemote) and, for the AWS APIs, unsigned requests. A refusal is answered at once: it reaches no
 * counter but `refused`, draws no fault, and touches nothing in the world. The sim's own endpoints need no
 * signature (curl and scripts read them), but the browser and Host checks hold for them too.
 */
import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

import type {FaultInjector} from './faults.js'
import {asSimError, serverFault, throttlingError, unknownOperation} from './protocol/errors.js'
import {refuseBrowser, refuseHost, refuseUnsigned, type Refusal} from './protocol/guard.js'
import {
  RouteError,
  credentialScope,
  decodeRequest,
  encodeError,
  encodeResult,
  routeRequest,
} from './protocol/index.js'
import type {DecodedCall, WireRequest, WireResponse} from './protocol/types.js'
import type {CallOutcome, SimStats} from './stats.js'
import {SimError, type World} from './types.js'

/** Lambda deployment packages are the largest bodies a client sends (50 MB zipped, base64 in JSON). */
const MAX_BODY_BYTES = 80 * 1024 * 1024

export interface SimServerOptions {
  world: World
  /** The region answered when a request carries no credential scope. */
  region: string
  stats: SimStats
  faults: FaultInjector
  /** Serve any Host, not only loopback names (`--allow-remote`). */
  allowRemote?: boolean
}

export function createSimServer(options: SimServerOptions): Server {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      // Only a broken socket gets here; the request has no one left to answer.
      if (!res.headersSent) res.writeHead(500).end(String(error))
    })
  })
  server.keepAliveTimeout = 5_000
  return server
}

async function handle(options: SimServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = await readRequest(req)
  const path = request.url.split('?')[0]
  const refusal = refuseBrowser(request) ?? refuseHost(request, options.allowRemote ?? false)
  if (path?.startsWith('/_sim/')) return send(res, simEndpoint(options, request, path, refusal))
  const refused = refusal ?? refuseUnsigned(request)
  if (refused) {
    options.stats.refused(refused.reason)
    const destination = routeRequest(request)
    return send(res, encodeError(destination, refused.error(destination.protocol), {requestId: randomUUID()}))
  }
  send(res, await answer(options, request))
}

/** `GET /_sim/stats` and `POST /_sim/stats/reset`: unsigned, JSON, and refused as the AWS APIs are. */
function simEndpoint(
  options: SimServerOptions,
  request: WireRequest,
  path: string,
  refusal: Refusal | undefined,
): WireResponse {
  const json = (status: number, body: unknown): WireResponse => ({
    status,
    headers: {'content-type': 'application/json'},
    body: JSON.stringify(body),
  })
  if (refusal) {
    options.stats.refused(refusal.reason)
    return json(403, {error: {code: 'Refused', message: refusal.message}})
  }
  if (path === '/_sim/stats' && request.method === 'GET') return json(200, options.stats.snapshot())
  // How a client tells this sim from other endpoints, to default the region and its credentials to it.
  if (path === '/_sim/info' && request.method === 'GET')
    return json(200, {simulator: 'ecsdrain', region: options.region})
  if (path === '/_sim/stats/reset' && request.method === 'POST') {
    options.stats.reset()
    return {status: 204, headers: {}, body: ''}
  }
  return json(404, {
    error: {
      code: 'NotFound',
      message: `No ${request.method} ${path}: try GET /_sim/stats or POST /_sim/stats/reset.`,
    },
  })
}

async function answer(options: SimServerOptions, request: WireRequest): Promise<WireResponse> {
  const ctx = {requestId: randomUUID(), region: credentialScope(request)?.region ?? options.region}
  let call: DecodedCall
  try {
    call = decodeRequest(request)
  } catch (error) {
    if (!(error instanceof RouteError)) throw error
    options.stats.record(error.destination.service, error.destination.operation, 'error')
    return encodeError(error.destination, error.error, ctx)
  }
  const {response, outcome} = await invoke(options, call, ctx)
  options.stats.record(call.service, call.operation, outcome)
  return response
}

async function invoke(
  options: SimServerOptions,
  call: DecodedCall,
  ctx: {requestId: string; region: string},
): Promise<{response: WireResponse; outcome: CallOutcome}> {
  const fault = options.faults.decide(call.service, call.operation)
  await options.faults.delay(call.service, call.operation)
  if (fault === 'throttle')
    return {response: encodeError(call, throttlingError(call.service), ctx), outcome: 'throttled'}
  if (fault === 'error')
    return {response: encodeError(call, serverFault(call.service), ctx), outcome: 'error'}
  const handler = options.world.handlers[call.service]?.[call.operation]
  if (!handler) {
    const error = unknownOperation(call.service, call.protocol === 'awsQuery', call.operation)
    return {response: encodeError(call, error, ctx), outcome: 'error'}
  }
  try {
    const output = await handler(call.input, ctx)
    return {response: encodeResult(call, output, ctx), outcome: 'ok'}
  } catch (thrown) {
    const error: SimError = asSimError(call.service, thrown)
    return {response: encodeError(call, error, ctx), outcome: 'error'}
  }
}

function readRequest(req: IncomingMessage): Promise<WireRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('error', reject)
    req.on('end', () => {
      const headers: Record<string, string | undefined> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value
      }
      resolve({method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks)})
    })
  })
}

function send(res: ServerResponse, response: WireResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body
  res.writeHead(response.status, {...response.headers, 'content-length': String(body.length)})
  res.end(body)
}

/** Listens on host:port (0 picks a free port) and resolves with the bound port; rejects on EADDRINUSE etc. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = (): void => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

/**
 * Stops accepting connections, drops idle keep-alive ones, and resolves once the server is closed. Requests
 * in flight get up to 2 s to finish; a client that never finishes its request must not hold the sim open.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 2_000)
    force.unref()
    server.close(() => {
      clearTimeout(force)
      resolve()
    })
    server.closeIdleConnections()
  })
}
