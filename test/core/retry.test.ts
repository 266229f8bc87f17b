import {describe, expect, it} from 'vitest'

import {AwsApiError} from '../../src/core/errors.js'
import {CORE_BACKOFF, backoffDelay, retryTransient} from '../../src/core/retry.js'

const throttle = () =>
  new AwsApiError('Rate exceeded', {awsCode: 'ThrottlingException', operation: 'ListTasks', transient: true})
const denied = () =>
  new AwsApiError('not allowed', {awsCode: 'AccessDeniedException', operation: 'ListTasks', transient: false})

describe('backoffDelay (the one backoff formula)', () => {
  it('doubles from the base up to the cap, the jitter taking at most its share off', () => {
    const top = () => 0.999999
    const bottom = () => 0
    const waits = (random: () => number) =>
      [1, 2, 3, 4, 5, 6, 40].map((n) => backoffDelay(n, CORE_BACKOFF, random))
    expect(waits(top)).toEqual([999, 1999, 3999, 7999, 15_999, 19_999, 19_999])
    // Equal jitter: never less than half the ceiling, so a storm is never met with near-zero waits.
    expect(waits(bottom)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000])
  })

  it('full jitter can wait nothing; no jitter waits the ceiling exactly', () => {
    expect(backoffDelay(3, {baseMs: 100, capMs: 4000, jitter: 1}, () => 0)).toBe(0)
    expect(backoffDelay(3, {baseMs: 100, capMs: 4000, jitter: 0}, () => 0.3)).toBe(400)
    expect(backoffDelay(0, {baseMs: 5000, capMs: 60_000, jitter: 0})).toBe(5000)
  })
})

describe('retryTransient', () => {
  it('retries transient faults with growing waits, then answers', async () => {
    const waits: number[] = []
    let calls = 0
    const answer = await retryTransient(
      async () => {
        if (++calls < 4) throw throttle()
        return 'ok'
      },
      {random: () => 0, wait: async (ms) => void waits.push(ms)},
    )
    expect(answer).toBe('ok')
    expect(waits).toEqual([500, 1000, 2000])
  })

  it('throws a final answer at once, and the last transient fault once the attempts are spent', async () => {
    let calls = 0
    const wait = async () => {}
    // Attempts to spare, so that a retry of a final answer shows as calls > 1 rather than as a hang.
    await expect(
      retryTransient(async () => (calls++, Promise.reject(denied())), {attempts: 5, wait}),
    ).rejects.toThrow('not allowed')
    expect(calls).toBe(1)
    calls = 0
    const retried: number[] = []
    await expect(
      retryTransient(async () => (calls++, Promise.reject(throttle())), {
        attempts: 3,
        wait,
        onRetry: (_e, attempt) => retried.push(attempt),
      }),
    ).rejects.toThrow('Rate exceeded')
    expect(calls).toBe(3)
    expect(retried).toEqual([1, 2])
  })

  it('ends when the wait or the check before a try throws (a deadline, an interrupt)', async () => {
    let calls = 0
    const stop = new Error('interrupted')
    await expect(
      retryTransient(async () => (calls++, Promise.reject(throttle())), {
        wait: async () => {},
        beforeAttempt: () => {
          if (calls === 2) throw stop
        },
      }),
    ).rejects.toBe(stop)
    expect(calls).toBe(2)
  })
})
