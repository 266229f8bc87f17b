/**
 * The flags of `ecsdrain drain`, and the engine options they make, kept out of the command so that it stays
 * a thin parse -> plan -> ask -> drain -> report.
 */
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'

import type {DrainOptions} from '../core/drain/index.js'
import {durationFlag} from './duration.js'
import {clusterFlag} from './flags.js'

export const drainFlags = {
  cluster: clusterFlag,
  asg: Flags.string({description: 'Drain the instances of this Auto Scaling group in Terminating:Wait.'}),
  hook: Flags.string({
    description: 'The terminating lifecycle hook to heartbeat and complete, when the group has several.',
  }),
  timeout: durationFlag({
    name: 'timeout',
    description: 'Give up after this long, leaving the instance DRAINING.',
    default: '30m',
  }),
  interval: durationFlag({name: 'interval', description: 'Poll period.', default: '5s', minMs: 1000}),
  'no-wait': Flags.boolean({description: 'Set DRAINING and return.'}),
  'no-complete': Flags.boolean({
    description: 'Never complete the lifecycle action.',
  }),
  'dry-run': Flags.boolean({
    description: 'Print the preflight; change nothing.',
    exclusive: ['no-wait', 'no-complete', 'stop-standalone'],
  }),
  force: Flags.boolean({description: 'Drain despite a deadlock or the last ACTIVE instance.'}),
  'stop-standalone': Flags.boolean({
    description: 'Stop standalone tasks on the instance (with a reason).',
  }),
  yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation.'}),
}

type DrainFlags = Interfaces.InferredFlags<typeof drainFlags>

/** The engine's options from the flags (the signal and the batch are the caller's). */
export function drainOptions(f: DrainFlags): DrainOptions {
  return {
    timeoutMs: f.timeout,
    intervalMs: f.interval,
    noWait: f['no-wait'],
    noComplete: f['no-complete'],
    dryRun: f['dry-run'],
    force: f.force,
    stopStandalone: f['stop-standalone'],
    hookName: f.hook,
    autoScalingGroupName: f.asg,
  }
}
