/**
 * The flags of `ecsdrain refresh`, kept out of the command so that it stays a thin parse -> plan -> follow
 * -> render. Percentages and checkpoints are checked as StartInstanceRefresh would check them (RefreshPreferences,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html), before any call.
 */
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'

import {UsageError} from '../core/errors.js'
import type {FollowOptions} from '../core/refresh/index.js'
import {durationFlag, parseDuration} from './duration.js'
import {clusterFlag} from './flags.js'
import {canPrompt} from './prompt.js'

const percent = (description: string, min: number, max: number) => Flags.integer({description, min, max})

export const refreshFlags = {
  cluster: clusterFlag,
  asg: Flags.string({
    description: 'Refresh this Auto Scaling group (repeatable); default: every group of the cluster.',
    multiple: true,
  }),
  'skip-matching': Flags.boolean({
    description: 'Leave instances already on the launch template alone (SkipMatching).',
  }),
  'launch-template-version': Flags.string({
    description:
      "Refresh to this version of the group's launch template (a fixed version lets --on-failure rollback undo it).",
  }),
  'min-healthy': percent('MinHealthyPercentage (0-100); default: derived from the plan.', 0, 100),
  'max-healthy': percent('MaxHealthyPercentage (100-200); 100 terminates before launching.', 100, 200),
  checkpoints: Flags.string({
    description: 'Pause at these percentages of the group replaced, e.g. 25,50,100.',
  }),
  'checkpoint-delay': Flags.string({
    description: 'How long each checkpoint pauses (e.g. 5m; AWS default 1h).',
    dependsOn: ['checkpoints'],
  }),
  'on-failure': Flags.option({
    options: ['cancel', 'rollback', 'continue'] as const,
    default: 'cancel',
    description:
      'When a guard trips (a service below its minimum, a failed deployment, a drain that timed out).',
  })(),
  follow: Flags.string({
    description: 'Follow this instance refresh (already started) instead of starting one.',
  }),
  interval: durationFlag({name: 'interval', description: 'Poll period.', default: '10s', minMs: 1000}),
  'drain-timeout': durationFlag({
    name: 'drain-timeout',
    description: 'Give up on one drain after this long (assisted mode): a guard trips.',
    default: '30m',
  }),
  timeout: durationFlag({
    name: 'timeout',
    description: 'Stop following after this long (exit 3), leaving the refresh as it is.',
    default: '6h',
  }),
  'stack-name': Flags.string({
    description: 'The ecsdrain hook stack to recognise (default: ecsdrain-<cluster>).',
  }),
  'dry-run': Flags.boolean({
    description: 'Print the preflight; change nothing. Exit 4 if the refresh would be refused.',
  }),
  force: Flags.boolean({description: 'Start despite refusing blockers.'}),
  yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation.'}),
}

export function parseCheckpoints(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined
  const values = raw.split(',').map((v) => v.trim())
  const numbers = values.map(Number)
  const bad = numbers.some(
    (n, i) => !Number.isInteger(n) || n < 0 || n > 100 || (i > 0 && n <= numbers[i - 1]!),
  )
  if (values.length === 0 || bad)
    throw new UsageError(`--checkpoints ${JSON.stringify(raw)} is not a list of ascending percentages.`, {
      suggestion: 'Write it like 25,50,100 (integers 0-100, each larger than the one before).',
    })
  return numbers
}

export function parseCheckpointDelay(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const seconds = Math.round(parseDuration('checkpoint-delay', raw) / 1000)
  if (seconds > 172_800) throw new UsageError('--checkpoint-delay is at most 48h (172,800 s).')
  return seconds
}

export function checkPercentages(min: number | undefined, max: number | undefined): void {
  if (max !== undefined && min === undefined)
    throw new UsageError('--max-healthy needs --min-healthy too (as StartInstanceRefresh requires).', {
      suggestion: 'Pass both, e.g. --min-healthy 100 --max-healthy 150, or neither to let the plan choose.',
    })
  if (min !== undefined && max !== undefined && max - min > 100)
    throw new UsageError('--max-healthy minus --min-healthy cannot be more than 100.')
}

type RefreshFlags = Interfaces.InferredFlags<typeof refreshFlags>

/**
 * Everything about the flags that can be refused before any call (exit 2): percentages, checkpoints,
 * --follow, and a run that would need a confirmation with no terminal to ask in. Returns how to follow each
 * group's refresh, but for the cluster, the abort signal and the listener.
 */
export function followOptionsFrom(f: RefreshFlags): Omit<FollowOptions, 'cluster' | 'signal' | 'onEvent'> {
  checkPercentages(f['min-healthy'], f['max-healthy'])
  const checkpointPercentages = parseCheckpoints(f.checkpoints)
  const checkpointDelaySeconds = parseCheckpointDelay(f['checkpoint-delay'])
  if (f.follow && (f.asg?.length ?? 0) !== 1) throw new UsageError('--follow needs exactly one --asg.')
  if (!f['dry-run'] && !f.yes && !canPrompt())
    throw new UsageError(
      'A refresh replaces instances and needs confirmation; there is no terminal to ask in.',
      {
        code: 'CONFIRMATION_REQUIRED',
        suggestion: 'Pass --yes to start it, or --dry-run to see the preflight first.',
      },
    )
  return {
    checkpointPercentages,
    checkpointDelaySeconds,
    skipMatching: f['skip-matching'],
    launchTemplateVersion: f['launch-template-version'],
    onFailure: f['on-failure'],
    intervalMs: f.interval,
    drainTimeoutMs: f['drain-timeout'],
    timeoutMs: f.timeout,
    force: f.force,
    attachTo: f.follow,
  }
}
