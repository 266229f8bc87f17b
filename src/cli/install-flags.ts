/**
 * The flags of `ecsdrain install`, the template inputs they make, and the confirmation it needs, kept out
 * of the command so that it stays a thin parse -> plan -> confirm -> deploy -> report.
 */
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'

import {durationFlag} from './duration.js'
import {clusterFlag} from './flags.js'

export const installFlags = {
  cluster: clusterFlag,
  asg: Flags.string({
    description: "The Auto Scaling group (default: the group holding the cluster's instances).",
  }),
  'stack-name': Flags.string({description: 'CloudFormation stack name (default: ecsdrain-<cluster>).'}),
  'heartbeat-timeout': Flags.integer({
    description: "The hook's HeartbeatTimeout in seconds; the Lambda heartbeats well before it runs out.",
    default: 900,
    min: 30,
    max: 7200,
  }),
  'drain-timeout': durationFlag({
    name: 'drain-timeout',
    description: 'Longest a drain may take before the Lambda gives up (and the hook default applies).',
    default: '1h',
    minMs: 60_000,
  }),
  'alarm-topic-arn': Flags.string({
    description: "SNS topic the stack's alarms notify (dead-letter queue not empty, drain function errors).",
    exclusive: ['alarm-email'],
  }),
  'alarm-email': Flags.string({
    description:
      'Email address the alarms notify, through a topic the stack creates (SNS asks it to confirm).',
    exclusive: ['alarm-topic-arn'],
  }),
  print: Flags.boolean({description: 'Write the template to stdout instead of deploying it.'}),
  yes: Flags.boolean({char: 'y', description: 'Deploy the change set without asking.'}),
}

type InstallFlags = Interfaces.InferredFlags<typeof installFlags>

/** The template's inputs from the flags (the cluster and the group are resolved by the caller). */
export function templateInputs(f: InstallFlags, version: string) {
  return {
    heartbeatTimeout: f['heartbeat-timeout'],
    drainTimeoutSeconds: Math.round(f['drain-timeout'] / 1000),
    version,
    alarmTopicArn: f['alarm-topic-arn'],
    alarmEmail: f['alarm-email'],
  }
}

export const INSTALL_NEEDS_CONFIRMATION = {
  message: 'install deploys a CloudFormation stack and needs a confirmation.',
  suggestion: 'Pass --yes to deploy without asking (nothing has been changed).',
}
