/**
 * The wall clock, as core's Clock port: sleeps are timers that an AbortSignal can cut short. With --sim, `now`
 * follows the simulator's clock instead, so that countdowns, metric windows and hook deadlines agree with a
 * sim that runs faster than real time.
 */
import {setTimeout as delay} from 'node:timers/promises'

import type {Clock} from '../core/ports.js'

export function systemClock(now: () => number = Date.now): Clock {
  return {
    now,
    sleep: async (ms, signal) => {
      await delay(ms, undefined, {signal})
    },
  }
}
