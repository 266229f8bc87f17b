/**
 * Fault injection by rate: `--faults throttle=0.2,error=0.05,latency=20ms`. Each API call is throttled with
 * probability `throttle`, otherwise fails with a server error with probability `error`, and is delayed by
 * `latency` either way. A rule may name one operation: `throttle=0.5@ListTasks` (or `@ecs:ListTasks`) sets
 * that operation's rate, and every other operation keeps the general one, so a test can throttle one call
 * only: `--faults 'throttle=0.5@ListTasks,error=0.1'`.
 *
 * With a seed, every operation draws from its own seeded sequence, so call k of ListTasks is throttled (or
 * not) in every run alike, however the client interleaves its calls.
 */
import ms from 'ms'

export interface FaultRates {
  /** Probability (0..1) that a call is answered with the service's throttling error. */
  throttle: number
  /** Probability (0..1) that a call is answered with an HTTP 500 server error. */
  error: number
  /** Added to every API call, in real milliseconds. */
  latencyMs: number
}

export interface FaultSpec extends FaultRates {
  /** Rates for single operations, by `Operation` (any service) or `service:Operation`. */
  operations: Record<string, Partial<FaultRates>>
}

export const NO_FAULTS: FaultSpec = {throttle: 0, error: 0, latencyMs: 0, operations: {}}

/** The syntax, as `sim --help` shows it. */
export const FAULT_SYNTAX =
  'Comma-separated KEY=VALUE[@OPERATION]: throttle=RATE and error=RATE (0..1, or a percentage such as 5%), ' +
  'latency=DURATION (20ms, 1s). @OPERATION (ListTasks, or ecs:ListTasks) applies the rule to that operation ' +
  "only, e.g. 'throttle=0.5@ListTasks,error=0.1'."

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

const OPERATION = /^([a-z0-9-]+:)?[A-Z][A-Za-z0-9]*$/

/** Parses `throttle=0.2,error=0.05,latency=20ms,throttle=0.5@ListTasks`; every part is optional. */
export function parseFaultSpec(text: string | undefined): FaultSpec {
  const spec: FaultSpec = {...NO_FAULTS, operations: {}}
  if (!text || text.trim() === '') return spec
  for (const part of text.split(',')) {
    const [rule = '', operation, ...extra] = part.trim().split('@')
    const [key = '', raw = '', ...rest] = rule.split('=')
    if (rest.length > 0 || raw === '' || extra.length > 0)
      throw new FaultSpecError(`"${part}": write key=value or key=value@Operation, e.g. throttle=0.2.`)
    if (operation !== undefined && !OPERATION.test(operation))
      throw new FaultSpecError(`"${part}": name an operation as ListTasks or ecs:ListTasks.`)
    const target: Partial<FaultRates> = operation ? (spec.operations[operation] ??= {}) : spec
    if (key === 'throttle') target.throttle = parseRate(key, raw)
    else if (key === 'error') target.error = parseRate(key, raw)
    else if (key === 'latency') target.latencyMs = parseLatency(raw)
    else throw new FaultSpecError(`"${key}" is not a fault: use throttle, error or latency.`)
  }
  return spec
}

/** A small seedable PRNG (mulberry32): the same seed gives the same sequence. */
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

/** FNV-1a: a stable 32-bit hash, to give each operation its own seed. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export type FaultDecision = 'none' | 'throttle' | 'error'

export class FaultInjector {
  private readonly streams = new Map<string, () => number>()

  /** Without a seed, faults come from Math.random. */
  constructor(
    readonly spec: FaultSpec,
    private readonly seed?: number,
  ) {}

  /** The rates that apply to one operation: its own rules over the general ones. */
  ratesFor(service: string, operation: string): FaultRates {
    const own = {...this.spec.operations[operation], ...this.spec.operations[`${service}:${operation}`]}
    return {
      throttle: own.throttle ?? this.spec.throttle,
      error: own.error ?? this.spec.error,
      latencyMs: own.latencyMs ?? this.spec.latencyMs,
    }
  }

  private random(key: string): () => number {
    if (this.seed === undefined) return Math.random
    let stream = this.streams.get(key)
    if (!stream) this.streams.set(key, (stream = seededRandom(this.seed ^ hash(key))))
    return stream
  }

  decide(service: string, operation: string): FaultDecision {
    const rates = this.ratesFor(service, operation)
    const random = this.random(`${service}:${operation}`)
    if (rates.throttle > 0 && random() < rates.throttle) return 'throttle'
    if (rates.error > 0 && random() < rates.error) return 'error'
    return 'none'
  }

  async delay(service: string, operation: string): Promise<void> {
    const {latencyMs} = this.ratesFor(service, operation)
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
  }
}
