/**
 * Backoff and retry above the SDK: the one backoff formula of ecsdrain, and the loop that retries transient
 * AWS faults with it. Which layer retries what (docs/architecture.md, "Retries"):
 * - every SDK call: the SDK's StandardRetryStrategy, with this backoff at full jitter (src/aws/retry.ts);
 * - the drain engine: a call the SDK gave up on is retried until the drain's deadline (drain/run-context.ts);
 * - the hook handler: its calls outside the engine, a few attempts, then a hand-over (hook/handler.ts);
 * - the watch poller: no call is retried; a failed round waits longer before the next (poller.ts).
 */
import {isTransient} from './errors.js'

export interface Backoff {
  /** The ceiling of the first retry's wait. */
  baseMs: number
  /** No wait is longer than this. */
  capMs: number
  /**
   * The random share of each wait: 1 spreads it over [0, ceiling) (full jitter), 0.5 over [ceiling/2,
   * ceiling), 0 waits the ceiling itself.
   */
  jitter: number
}

/**
 * The engine's and the hook handler's backoff: 1 s, 2 s, 4 s ... up to 20 s, each scaled by 0.5-1. The floor
 * of half keeps a storm from being met with near-zero waits (each try is already the SDK's last attempt);
 * the cap keeps one throttled call from holding a poll loop, and its heartbeats, for long.
 */
export const CORE_BACKOFF: Backoff = {baseMs: 1000, capMs: 20_000, jitter: 0.5}

/** The wait before retry number `retry` (1 for the first): min(cap, base × 2^(retry-1)), jittered. */
export function backoffDelay(retry: number, b: Backoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, retry - 1), 30)
  const ceiling = Math.min(b.capMs, b.baseMs * 2 ** exponent)
  return Math.floor(ceiling * (1 - b.jitter + b.jitter * random()))
}

export interface RetryOptions {
  /** Tries in all, the first included; unlimited by default (the caller's wait then bounds the loop). */
  attempts?: number
  backoff?: Backoff
  random?: () => number
  /** How to wait; it may throw to end the loop (a deadline, an interrupt). */
  wait: (ms: number) => Promise<void>
  /** Runs before every try; it may throw to end the loop. */
  beforeAttempt?: () => void
  /** Told of each transient fault that will be retried, before the wait. */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void
}

/**
 * Runs fn until it succeeds, retrying transient faults (throttling, 5xx, network) only. Anything else, and
 * the last transient fault once the attempts are spent, is thrown as it is: never mistaken for an answer.
 */
export async function retryTransient<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  const attempts = o.attempts ?? Number.POSITIVE_INFINITY
  for (let attempt = 1; ; attempt++) {
    o.beforeAttempt?.()
    try {
      return await fn()
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw error
      const delayMs = backoffDelay(attempt, o.backoff ?? CORE_BACKOFF, o.random)
      o.onRetry?.(error as Error, attempt, delayMs)
      await o.wait(delayMs)
    }
  }
}
