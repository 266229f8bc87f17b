/**
 * Duration flags such as --timeout 30m and --interval 5s, parsed with `ms`. A bare number means seconds:
 * `--interval 5` is what people type, and `ms` would read it as 5 milliseconds.
 */
import * as Flags from '@oclif/core/flags'
import ms from 'ms'

import {UsageError} from '../core/errors.js'

export function parseDuration(name: string, value: string, minMs = 1): number {
  const trimmed = value.trim()
  const parsed = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : ms(trimmed as ms.StringValue)
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < minMs) {
    throw new UsageError(
      `--${name} ${JSON.stringify(value)} is not a duration of at least ${ms(minMs, {long: true})}.`,
      {
        code: 'BAD_DURATION',
        suggestion: `Write it like 30s, 5m or 1h (a bare number means seconds).`,
      },
    )
  }
  return parsed
}

/** A flag whose value is a duration in milliseconds. */
export function durationFlag(opts: {name: string; description: string; default: string; minMs?: number}) {
  return Flags.custom<number>({
    description: opts.description,
    default: async () => parseDuration(opts.name, opts.default, opts.minMs),
    defaultHelp: async () => opts.default,
    parse: async (input) => parseDuration(opts.name, input, opts.minMs),
  })()
}
