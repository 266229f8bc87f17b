import {describe, expect, it} from 'vitest'

import {createLimiter, defer, mapBounded} from '../../src/core/concurrency.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('concurrency helpers', () => {
  it('mapBounded keeps order and never exceeds the limit', async () => {
    let active = 0
    let peak = 0
    const out = await mapBounded([5, 4, 3, 2, 1, 0], 2, async (x) => {
      peak = Math.max(peak, ++active)
      await tick()
      active--
      return x * 10
    })
    expect(out).toEqual([50, 40, 30, 20, 10, 0])
    expect(peak).toBe(2)
  })

  it('createLimiter runs tasks that arrive over time at most n at once, in arrival order', async () => {
    const limit = createLimiter(3)
    let active = 0
    let peak = 0
    const started: number[] = []
    const tasks = Array.from({length: 10}, (_, i) =>
      limit(async () => {
        started.push(i)
        peak = Math.max(peak, ++active)
        await tick()
        active--
        return i
      }),
    )
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(peak).toBe(3)
  })

  it('a failed task frees its slot and rejects only its own promise', async () => {
    const limit = createLimiter(1)
    const bad = limit(async () => {
      throw new Error('boom')
    })
    const good = limit(async () => 'ok')
    await expect(bad).rejects.toThrow('boom')
    await expect(good).resolves.toBe('ok')
  })

  it('defer keeps the rejection for the awaiting caller', async () => {
    const p = defer(Promise.reject(new Error('later')))
    await tick()
    await expect(p).rejects.toThrow('later')
  })
})
