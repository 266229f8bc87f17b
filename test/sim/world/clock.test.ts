import {describe, expect, it} from 'vitest'
import {ManualClock, RealClock} from '../../../src/sim/clock.js'

describe('ManualClock', () => {
  it('fires due timers in time order, including timers set by timers, and only inside advance()', () => {
    const clock = new ManualClock(1_000)
    const fired: string[] = []
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 200)
    clock.setTimer(() => {
      fired.push(`a@${clock.now()}`)
      clock.setTimer(() => fired.push(`c@${clock.now()}`), 50)
    }, 100)
    const cancelled = clock.setTimer(() => fired.push('never'), 120)
    clock.clearTimer(cancelled)
    expect(fired).toEqual([])
    clock.advance(160)
    expect(fired).toEqual(['a@1100', 'c@1150'])
    expect(clock.now()).toBe(1_160)
    clock.advance(1_000)
    expect(fired).toEqual(['a@1100', 'c@1150', 'b@1200'])
    expect(clock.pending()).toBe(0)
  })

  it('runUntil advances until the condition holds, and fails past its limit', () => {
    const clock = new ManualClock(0)
    let done = false
    clock.setTimer(() => (done = true), 2_500)
    expect(clock.runUntil(() => done, 10_000, 1_000)).toBe(3_000)
    expect(() => clock.runUntil(() => false, 5_000)).toThrow(/not met within 5000 ms/)
  })
})

describe('RealClock', () => {
  it('runs sim time faster by its speed, timers included', async () => {
    const clock = new RealClock(100, 0)
    const before = clock.now()
    const firedAt = await new Promise<number>((resolve) => clock.setTimer(() => resolve(clock.now()), 2_000))
    // 2,000 sim ms at speed 100 take 20 real ms.
    expect(firedAt - before).toBeGreaterThanOrEqual(1_900)
    expect(firedAt - before).toBeLessThan(20_000)
    expect(() => new RealClock(0)).toThrow(RangeError)
  })
})
