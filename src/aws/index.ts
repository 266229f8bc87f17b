/**
 * The AWS layer: SDK clients built by one factory (region, profile, endpoint, retry strategy, user agent,
 * call ledger), and adapters that implement core's ports with paging and batching inside.
 */
import type {AutoScalingClient} from '@aws-sdk/client-auto-scaling'
import type {ECSClient} from '@aws-sdk/client-ecs'

import type {AwsPorts} from '../core/ports.js'
import {createAutoScalingPort} from './autoscaling-adapter.js'
import {type AwsOptions, type ClientFactory, createClientFactory, endpointFor} from './client-factory.js'
import {createCloudWatchPort} from './cloudwatch-adapter.js'
import {createEcsPort} from './ecs-adapter.js'
import type {CallLedger} from './ledger.js'
import {sdk} from './sdk.js'

export type {AwsOptions, ClientFactory, SharedClientConfig} from './client-factory.js'
export {createClientFactory, endpointFor, packageVersion} from './client-factory.js'
export {CallLedger, type LedgerSummary, type OperationStats} from './ledger.js'
export {translateAwsError} from './errors.js'
export {call, chunk, collectPages, mapBounded} from './batch.js'
export {sdk} from './sdk.js'
export {prepareAwsOptions} from './setup.js'

export interface AwsRuntime extends AwsPorts {
  ledger: CallLedger
  /** For adapters added elsewhere (e.g. CloudFormation): same config, same ledger. */
  factory: ClientFactory
  /** The raw clients, for the rare call no port covers yet. */
  clients: {ecs: ECSClient; autoScaling: AutoScalingClient}
}

export function createAwsPorts(options: AwsOptions = {}): AwsRuntime {
  const factory = createClientFactory(options)
  const ecs = factory.make(sdk.ecs().ECSClient, 'ECS')
  const autoScaling = factory.make(sdk.autoScaling().AutoScalingClient, 'AutoScaling')
  return {
    ecs: createEcsPort(ecs, endpointFor(options, 'ECS')),
    autoScaling: createAutoScalingPort(autoScaling, endpointFor(options, 'AUTO_SCALING')),
    cloudWatch: createCloudWatchPort(factory),
    ledger: factory.ledger,
    factory,
    clients: {ecs, autoScaling},
  }
}
