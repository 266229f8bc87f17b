import {readFileSync} from 'node:fs'
import {Agent} from 'node:https'
import {Agent as HttpAgent} from 'node:http'

import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  Logger,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types'

import {checkEndpoint, endpointOverride} from './endpoint.js'
import {CallLedger} from './ledger.js'
import {createRetryStrategy} from './retry.js'

/** What the commands pass in (see AwsCommand.awsOptions()); everything else comes from the SDK's own chain. */
export interface AwsOptions {
  region?: string
  profile?: string
  /** One endpoint for every service (e.g. `ecsdrain sim`); AWS_ENDPOINT_URL[_<SERVICE>] still apply without it. */
  endpointUrl?: string
  verbose?: boolean
  /** Fixed credentials, e.g. dummy ones for an embedded sim; by default the SDK's provider chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  /** Attempts per call; default AWS_MAX_ATTEMPTS or DEFAULT_MAX_ATTEMPTS. */
  maxAttempts?: number
  /** Where notes for --verbose go (the SDK's own warnings among them); nowhere by default. */
  notify?: (line: string) => void
}

/** The config every SDK client is built with, shared so that all clients have one retry budget and one agent. */
export interface SharedClientConfig {
  region?: string
  profile?: string
  endpoint?: string
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  retryStrategy: ReturnType<typeof createRetryStrategy>
  customUserAgent: [string, string][]
  requestHandler: HttpHandlerOptions
  logger: Logger
}

export interface ClientFactory {
  readonly ledger: CallLedger
  readonly options: AwsOptions
  readonly config: SharedClientConfig
  /**
   * Builds an SDK client with the shared config and the ledger attached, e.g.
   * `factory.make(CloudFormationClient, 'CloudFormation')`. The label prefixes operation names in the ledger.
   */
  make<C extends {middlewareStack: unknown}>(ctor: new (config: SharedClientConfig) => C, label: string): C
}

/**
 * What every client's NodeHttpHandler is built from. Options, not a handler: each client builds its own
 * (NodeHttpHandler.create), so that this file imports nothing from @smithy/node-http-handler, which a bundle
 * (the hook's Lambda) would otherwise include with the whole of @smithy/core/protocols; the agents, and so
 * the keep-alive sockets, are still shared.
 */
export interface HttpHandlerOptions {
  connectionTimeout: number
  requestTimeout: number
  httpAgent: HttpAgent
  httpsAgent: Agent
}

/**
 * Calls are batched and run a few at a time; keep-alive sockets avoid a TLS handshake per page, and the
 * connection timeout makes an unreachable endpoint fail in seconds rather than minutes.
 */
const MAX_SOCKETS = 16
const CONNECTION_TIMEOUT_MS = 3_000
const REQUEST_TIMEOUT_MS = 30_000

/**
 * The endpoint to name in error messages: the flag, else the SDK's environment overrides (which the clients
 * apply themselves), e.g. AWS_ENDPOINT_URL_AUTO_SCALING, then AWS_ENDPOINT_URL.
 */
export function endpointFor(options: AwsOptions, serviceEnvSuffix: string): string | undefined {
  return (
    options.endpointUrl ?? process.env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`] ?? process.env.AWS_ENDPOINT_URL
  )
}

export function createClientFactory(options: AwsOptions = {}): ClientFactory {
  checkEndpoint(endpointOverride(options.endpointUrl))
  const ledger = new CallLedger()
  const config: SharedClientConfig = {
    ...(options.region ? {region: options.region} : {}),
    ...(options.profile ? {profile: options.profile} : {}),
    ...(options.endpointUrl ? {endpoint: options.endpointUrl} : {}),
    ...(options.credentials ? {credentials: options.credentials} : {}),
    retryStrategy: createRetryStrategy({maxAttempts: options.maxAttempts}),
    customUserAgent: [['ecsdrain', packageVersion()]],
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      httpAgent: new HttpAgent({keepAlive: true, maxSockets: MAX_SOCKETS}),
      httpsAgent: new Agent({keepAlive: true, maxSockets: MAX_SOCKETS}),
    },
    logger: sdkLogger(options.notify),
  }
  return {
    ledger,
    options,
    config,
    make(ctor, label) {
      const client = new ctor(config)
      ledger.attach(client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>, label)
      return client
    },
  }
}

/**
 * The SDK's logger. Without one it writes some warnings with console.warn (e.g. an 8-line one when both
 * AWS_PROFILE and AWS_ACCESS_KEY_ID are set), which no user of ecsdrain should see raw: warnings and errors
 * become one line each for --verbose, and its per-request info and debug logging is dropped.
 */
function sdkLogger(notify: ((line: string) => void) | undefined): Logger {
  const drop = () => {}
  // A failed call is logged as {clientName, commandName, error, ...}: name the call and the error.
  const text = (c: unknown): string => {
    const o = c as {clientName?: string; commandName?: string; error?: {name?: string; message?: string}}
    if (c && typeof c === 'object' && o.commandName)
      return `${o.clientName ?? ''} ${o.commandName}: ${o.error?.name ?? 'error'}: ${o.error?.message ?? ''}`
    return String(c)
  }
  const oneLine = (...content: unknown[]) =>
    notify?.(`AWS SDK: ${content.map(text).join(' ').replace(/\s+/g, ' ').trim()}`)
  return {trace: drop, debug: drop, info: drop, warn: oneLine, error: oneLine}
}

let cachedVersion: string | undefined

/** ecsdrain's version for the user agent, from package.json (two levels up from both src/aws and dist/aws). */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string
      }
      cachedVersion = pkg.version ?? '0.0.0'
    } catch {
      cachedVersion = '0.0.0'
    }
  }
  return cachedVersion
}
