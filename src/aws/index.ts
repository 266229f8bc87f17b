/**
 * The AWS layer: SDK clients built by one factory (region, profile, endpoint, retry strategy, user agent,
 * call ledger), and adapters that implement core's ports with paging and batching inside.
 */
import type {AwsPorts, EcsDetailsPort, LoadBalancingPort, ServiceTasksPort} from '../core/ports.js'
import {createAutoScalingPort} from './autoscaling-adapter.js'
import {type AwsOptions, type ClientFactory, createClientFactory, endpointFor} from './client-factory.js'
import {createCloudWatchPort} from './cloudwatch-adapter.js'
import {createEcsPort} from './ecs-adapter.js'
import {createEcsDetailsPort} from './ecs-details-adapter.js'
import {createLoadBalancingPort} from './elb-adapter.js'
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
  /** The reads that explain a drain (stop timeouts, protection, capacity providers). */
  ecsDetails: EcsDetailsPort & ServiceTasksPort
  /** ELBv2; its SDK client is built (and loaded) on first use only. */
  elb: LoadBalancingPort
  ledger: CallLedger
  /** For adapters added elsewhere (e.g. CloudFormation): same config, same ledger. */
  factory: ClientFactory
}

export function createAwsPorts(options: AwsOptions = {}): AwsRuntime {
  const factory = createClientFactory(options)
  const ecs = factory.make(sdk.ecs().ECSClient, 'ECS')
  const autoScaling = factory.make(sdk.autoScaling().AutoScalingClient, 'AutoScaling')
  return {
    ecs: createEcsPort(ecs, endpointFor(options, 'ECS')),
    autoScaling: createAutoScalingPort(autoScaling, endpointFor(options, 'AUTO_SCALING')),
    cloudWatch: createCloudWatchPort(factory),
    ecsDetails: createEcsDetailsPort(ecs, endpointFor(options, 'ECS')),
    elb: lazyLoadBalancingPort(factory, options),
    ledger: factory.ledger,
    factory,
  }
}

/** Most commands never ask ELBv2 anything: load its SDK package only when one does. */
function lazyLoadBalancingPort(factory: ClientFactory, options: AwsOptions): LoadBalancingPort {
  let port: LoadBalancingPort | undefined
  const get = () =>
    (port ??= createLoadBalancingPort(
      factory.make(sdk.elb().ElasticLoadBalancingV2Client, 'ELBv2'),
      endpointFor(options, 'ELASTIC_LOAD_BALANCING_V2'),
    ))
  return {deregistrationDelaySeconds: (arn) => get().deregistrationDelaySeconds(arn)}
}
