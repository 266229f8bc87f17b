import {StandardRetryStrategy} from '@smithy/core/retry'
import type {StandardRetryBackoffStrategy} from '@smithy/types'

import {backoffDelay} from '../core/retry.js'

/** Total attempts per call (first try included), unless AWS_MAX_ATTEMPTS says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5
/** No single wait between attempts exceeds this. */
export const MAX_BACKOFF_MS = 4_000

/**
 * Exponential backoff, capped, with full jitter: wait a random time in [0, min(cap, base * 2^retry)), with
 * core's one backoff formula (core/retry.ts; which layer retries what is in docs/architecture.md).
 *
 * Why this shape: ECS and Auto Scaling throttle per account and region with token buckets that every
 * caller in the account shares (the hook Lambda, the console, CI). Exponential growth backs off fast
 * enough to let the bucket refill; full jitter spreads out the retries of concurrent batches (we describe
 * up to 10 pages at once) so they don't hit the bucket in lockstep; the cap keeps an interactive CLI and a
 * Lambda with a time budget from sleeping tens of seconds on one call. The SDK's strategy keeps choosing the
 * base (larger for throttling than for network faults) and its retry-token quota, which stops a client
 * from retrying forever when everything fails.
 */
export class CappedJitterBackoff implements StandardRetryBackoffStrategy {
  private base = 100

  constructor(
    private readonly capMs: number = MAX_BACKOFF_MS,
    private readonly random: () => number = Math.random,
  ) {}

  setDelayBase(delayMs: number): void {
    this.base = delayMs
  }

  /** The SDK counts retries from 0; core's backoff (core/retry.ts) from 1. */
  computeNextBackoffDelay(retryCount: number): number {
    return backoffDelay(retryCount + 1, {baseMs: this.base, capMs: this.capMs, jitter: 1}, this.random)
  }
}

/** The one retry strategy of every client ecsdrain makes. */
export function createRetryStrategy(
  opts: {maxAttempts?: number; capMs?: number; random?: () => number} = {},
): StandardRetryStrategy {
  return new StandardRetryStrategy({
    maxAttempts: opts.maxAttempts ?? maxAttemptsFromEnv() ?? DEFAULT_MAX_ATTEMPTS,
    backoff: new CappedJitterBackoff(opts.capMs, opts.random),
  })
}

/** AWS_MAX_ATTEMPTS is the SDK's own setting; a custom strategy has to read it itself. */
function maxAttemptsFromEnv(): number | undefined {
  const n = Number(process.env.AWS_MAX_ATTEMPTS)
  return Number.isInteger(n) && n >= 1 ? n : undefined
}
