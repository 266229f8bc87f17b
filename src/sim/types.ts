/**
 * The contract between the simulator's world model (src/sim/world) and its wire layer (src/sim/protocol,
 * src/sim/server.ts). The world answers operations in AWS's own input and output shapes, as plain objects;
 * the wire layer decodes requests into those shapes and encodes the answers in each protocol's format.
 *
 * Input values from awsQuery arrive as strings (numbers and booleans included): handlers coerce them.
 * Output timestamps are Date objects: the encoders write them as each protocol does (epoch seconds in JSON,
 * CBOR tag 1, ISO 8601 in XML).
 */

export type SimServiceName = 'ecs' | 'autoscaling' | 'cloudwatch' | 'cloudformation' | 'sns' | 'lambda'

/** An error in AWS's terms: the wire layer renders it in the protocol's real error format. */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message)
    this.name = 'SimError'
  }
}

export interface RequestContext {
  region: string
  requestId: string
}

export type OperationHandler = (input: Record<string, unknown>, ctx: RequestContext) => unknown

export interface SimClock {
  /** Milliseconds since the epoch, on the sim's clock (which may run faster than real time). */
  now(): number
  /** Runs fn after ms of sim time. */
  setTimer(fn: () => void, ms: number): SimTimer
  clearTimer(timer: SimTimer): void
}

export interface SimTimer {
  readonly id: number
}

export type ScenarioName = 'todobackend' | 'large'
export type HookMode = 'none' | 'manual' | 'lambda'

export interface WorldOptions {
  clock: SimClock
  region: string
  accountId: string
  scenario: ScenarioName
  hook: HookMode
  /** For `large`. */
  instances?: number
  services?: number
  tasksPerInstance?: number
  /** Starts an instance refresh of the scenario's group every so many ms of sim time. */
  rolloutEveryMs?: number
}

export interface World {
  /** The handlers, by service and operation name (e.g. handlers.ecs.ListClusters). */
  readonly handlers: Partial<Record<SimServiceName, Record<string, OperationHandler>>>
  summary(): {clusters: string[]; autoScalingGroups: string[]}
  /** Cancels the world's timers. */
  stop(): void
}
