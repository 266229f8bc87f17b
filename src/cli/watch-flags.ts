/**
 * The flags of `ecsdrain watch`, kept out of the command so that it stays a thin parse -> start -> wait.
 */
import * as Flags from '@oclif/core/flags'

import {durationFlag} from './duration.js'
import {clusterFlag} from './flags.js'

export const watchFlags = {
  cluster: clusterFlag,
  interval: durationFlag({
    name: 'interval',
    description: 'Time between refreshes.',
    default: '5s',
    minMs: 100,
  }),
  'auto-drain': Flags.boolean({
    description: 'Drain and complete every instance that enters Terminating:Wait.',
    exclusive: ['readonly'],
  }),
  readonly: Flags.boolean({
    description:
      'Look, never touch: no key that drains, undrains, completes or heartbeats is shown or taken.',
  }),
  sim: Flags.boolean({
    description: 'Run against an embedded simulated region (a rolling update every few minutes).',
    exclusive: ['endpoint-url', 'profile'],
  }),
  'sim-scenario': Flags.option({
    options: ['todobackend', 'large'] as const,
    default: 'todobackend',
    description: 'The simulated world (with --sim).',
  })(),
  'sim-rollout-every': durationFlag({
    name: 'sim-rollout-every',
    description: 'Start a simulated rolling update this often (with --sim).',
    default: '3m',
    minMs: 1000,
  }),
  'sim-speed': Flags.integer({
    min: 1,
    max: 100,
    default: 1,
    description: 'Run the simulated clock this many times faster (with --sim).',
  }),
}
