/**
 * The ports `ecsdrain doctor` reads through, beyond every command's: CloudFormation (the hook stack), SQS
 * (its dead-letter queue) and CloudWatch's alarms and metrics. Each SDK package loads when doctor runs, not
 * before, and every client comes from the shared factory (one retry budget, one ledger).
 */
import type {AwsRuntime} from './index.js'
import type {DoctorPorts} from '../core/doctor/index.js'
import type {Clock} from '../core/ports.js'
import {createCloudFormationPort} from './cloudformation.js'
import {endpointFor} from './client-factory.js'
import {createMonitoringPort} from './monitoring-adapter.js'
import {createQueuePort} from './sqs-adapter.js'
import {sdk} from './sdk.js'

export function createDoctorPorts(aws: AwsRuntime, clock: Pick<Clock, 'now'>): DoctorPorts {
  const sqs = aws.factory.make(sdk.sqs().SQSClient, 'SQS')
  return {
    ecs: aws.ecs,
    autoScaling: aws.autoScaling,
    ecsDetails: aws.ecsDetails,
    elb: aws.elb,
    clock,
    cloudFormation: createCloudFormationPort(aws.factory),
    queues: createQueuePort(sqs, endpointFor(aws.factory.options, 'SQS')),
    monitoring: createMonitoringPort(aws.factory),
  }
}
