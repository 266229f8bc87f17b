import {isTransient} from '../core/errors.js'
import type {Clock} from '../core/ports.js'

/**
 * Retries transient AWS faults (throttling, 5xx, network) with capped exponential backoff and full jitter.
 * Anything else is a final answer and is rethrown at once. The SDK retries too; this outer loop rides out
 * a throttling storm that lasts longer than the SDK's few attempts, instead of failing the drain.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  clock: Clock,
  opts: {attempts?: number; baseMs?: number; capMs?: number; random?: () => number} = {},
): Promise<T> {
  const attempts = opts.attempts ?? 6
  const base = opts.baseMs ?? 500
  const cap = opts.capMs ?? 10_000
  const random = opts.random ?? Math.random
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw error
      await clock.sleep(Math.floor(random() * Math.min(cap, base * 2 ** attempt)))
    }
  }
}
