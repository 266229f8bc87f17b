/**
 * Fault injection by rate: `--faults throttle=0.2,error=0.05,latency=20ms`. Each API call is throttled with
 * probability `throttle`, otherwise fails with a server error with probability `error`, and is delayed by
 * `latency` either way. The random source is seedable so that tests can expect exact outcomes.
 */
import ms from 'ms'

export interface FaultSpec {
  /** Probability (0..1) that a call is answered with the service's throttling error. */
  throttle: number
  /** Probability (0..1) that a call is answered with an HTTP 500 server error. */
  error: number
  /** Added to every API call, in real milliseconds. */
  latencyMs: number
}

export const NO_FAULTS: FaultSpec = {throttle: 0, error: 0, latencyMs: 0}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FaultSpecError'
  }
}

function parseRate(key: string, raw: string): number {
  const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FaultSpecError(`${key}=${raw}: a rate is a number from 0 to 1 (or a percentage such as 5%).`)
  }
  return value
}

function parseLatency(raw: string): number {
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : (ms(raw as ms.StringValue) as number | undefined)
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    throw new FaultSpecError(`latency=${raw}: give a duration such as 20ms or 1s.`)
  }
  return value
}

/** Parses `throttle=0.2,error=0.05,latency=20ms`; every part is optional. */
export function parseFaultSpec(text: string | undefined): FaultSpec {
  const spec = {...NO_FAULTS}
  if (!text || text.trim() === '') return spec
  for (const part of text.split(',')) {
    const [key = '', raw = '', ...rest] = part.trim().split('=')
    if (rest.length > 0 || raw === '')
      throw new FaultSpecError(`"${part}": write key=value, e.g. throttle=0.2.`)
    if (key === 'throttle') spec.throttle = parseRate(key, raw)
    else if (key === 'error') spec.error = parseRate(key, raw)
    else if (key === 'latency') spec.latencyMs = parseLatency(raw)
    else throw new FaultSpecError(`"${key}" is not a fault: use throttle, error or latency.`)
  }
  return spec
}

/** A small seedable PRNG (mulberry32): the same seed gives the same sequence of faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type FaultDecision = 'none' | 'throttle' | 'error'

export class FaultInjector {
  constructor(
    readonly spec: FaultSpec,
    private readonly random: () => number = Math.random,
  ) {}

  decide(): FaultDecision {
    if (this.spec.throttle > 0 && this.random() < this.spec.throttle) return 'throttle'
    if (this.spec.error > 0 && this.random() < this.spec.error) return 'error'
    return 'none'
  }

  async delay(): Promise<void> {
    if (this.spec.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.spec.latencyMs))
  }
}
