/**
 * SDK v3 clients pointed at a sim endpoint with dummy credentials, as a user's code would be. The sim accepts
 * any SigV4 signature, so the credentials only need to exist.
 */
import {AutoScalingClient} from '@aws-sdk/client-auto-scaling'
import {CloudWatchClient} from '@aws-sdk/client-cloudwatch'
import {ECSClient} from '@aws-sdk/client-ecs'
import {AwsQueryProtocol, AwsSmithyRpcV2CborProtocol} from '@aws-sdk/core/protocols'

export const TEST_CREDENTIALS = {accessKeyId: 'test', secretAccessKey: 'test'}

export interface ClientOptions {
  region?: string
  /** 1 disables the SDK's retries, so that a test sees each injected fault. Default: the SDK's 3. */
  maxAttempts?: number
}

function baseConfig(endpoint: string, options: ClientOptions) {
  return {
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: TEST_CREDENTIALS,
    ...(options.maxAttempts === undefined ? {} : {maxAttempts: options.maxAttempts}),
  }
}

export function simClients(endpoint: string, options: ClientOptions = {}) {
  const config = baseConfig(endpoint, options)
  return {
    ecs: new ECSClient(config),
    autoScaling: new AutoScalingClient(config),
    /** CloudWatch as the JS SDK speaks it by default: awsJson1_0, query-compatible. */
    cloudWatch: new CloudWatchClient(config),
  }
}

/**
 * CloudWatch clients forced onto its two other protocols. The SDK's client accepts another protocol class and
 * builds it with the service's own settings, so these are the SDK's real CBOR and Query serializers.
 */
export function cloudWatchOverProtocols(endpoint: string, options: ClientOptions = {}) {
  const config = baseConfig(endpoint, options)
  return {
    json: new CloudWatchClient(config),
    cbor: new CloudWatchClient({...config, protocol: AwsSmithyRpcV2CborProtocol}),
    query: new CloudWatchClient({...config, protocol: AwsQueryProtocol}),
  }
}
