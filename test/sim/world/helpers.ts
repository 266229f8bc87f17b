import {ManualClock} from '../../../src/sim/clock.js'
import {createWorld, type SimWorld} from '../../../src/sim/world/index.js'
import type {SimServiceName, WorldOptions} from '../../../src/sim/types.js'

/** A world on a manual clock, and a typed-enough way to call its handlers as the wire layer does. */
export interface Harness {
  clock: ManualClock
  world: SimWorld
  call<T = Record<string, unknown>>(service: SimServiceName, op: string, input?: Record<string, unknown>): T
}

export function harness(options: Partial<WorldOptions> = {}): Harness {
  const clock = new ManualClock()
  const world = createWorld({
    clock,
    region: 'eu-west-1',
    accountId: '123456789012',
    scenario: 'todobackend',
    hook: 'none',
    ...options,
  })
  const call = <T>(service: SimServiceName, op: string, input: Record<string, unknown> = {}): T => {
    const handler = world.handlers[service]?.[op]
    if (!handler) throw new Error(`no handler ${service}.${op}`)
    return handler(input, {region: 'eu-west-1', requestId: 'req-1'}) as T
  }
  return {clock, world, call}
}

export type Obj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
