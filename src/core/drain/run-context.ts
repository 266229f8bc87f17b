/**
 * The clock, deadlines and interrupt of one drain run, and retrying of transient AWS faults against them.
 * Every wait in the engine goes through `pause`, so an interrupt, the drain timeout or the end of a
 * time-boxed run (the Lambda) ends the run promptly and in a known state.
 */
import type {Clock} from '../ports.js'
import {backoffDelay, CORE_BACKOFF, retryTransient} from '../retry.js'
import type {DrainEvent} from './types.js'

export type StopReason = 'interrupted' | 'timeout' | 'suspended'

/** Thrown inside the engine to unwind to the top, where it becomes the run's outcome. */
export class DrainStop extends Error {
  constructor(readonly reason: StopReason) {
    super(`drain stopped: ${reason}`)
    this.name = 'DrainStop'
  }
}

type EventBody = DrainEvent extends infer E
  ? E extends DrainEvent
    ? Omit<E, 'ec2InstanceId' | 'at'>
    : never
  : never

export class RunContext {
  constructor(
    readonly clock: Clock,
    readonly ec2InstanceId: string,
    readonly timeoutAt: number,
    private readonly onEvent: ((event: DrainEvent) => void) | undefined,
    readonly signal?: AbortSignal,
    readonly runDeadline?: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The same run with a later drain deadline (the interrupt and the end of the run still apply). */
  withTimeoutAt(timeoutAt: number): RunContext {
    return new RunContext(
      this.clock,
      this.ec2InstanceId,
      timeoutAt,
      this.onEvent,
      this.signal,
      this.runDeadline,
      this.random,
    )
  }

  emit(body: EventBody): void {
    try {
      this.onEvent?.({...body, ec2InstanceId: this.ec2InstanceId, at: this.clock.now()} as DrainEvent)
    } catch {
      // A renderer's failure must never change what the drain does to the instance.
    }
  }

  /** Throws DrainStop when the run must end now. An interrupt wins over the deadlines. */
  checkStop(): void {
    if (this.signal?.aborted) throw new DrainStop('interrupted')
    const now = this.clock.now()
    if (now >= this.timeoutAt) throw new DrainStop('timeout')
    if (this.runDeadline !== undefined && now >= this.runDeadline) throw new DrainStop('suspended')
  }

  /** Sleeps ms, cut short by the next deadline or an interrupt; then checks whether to stop. */
  async pause(ms: number): Promise<void> {
    this.checkStop()
    const now = this.clock.now()
    const until = Math.min(now + ms, this.timeoutAt, this.runDeadline ?? Number.POSITIVE_INFINITY)
    try {
      await this.clock.sleep(Math.max(0, until - now), this.signal)
    } catch (error) {
      if (this.signal?.aborted) throw new DrainStop('interrupted')
      throw error
    }
    this.checkStop()
  }

  /** The wait before retry number `attempt` (core/retry.ts's CORE_BACKOFF: 1 s doubling to 20 s, jittered). */
  backoff(attempt: number): number {
    return backoffDelay(attempt, CORE_BACKOFF, this.random)
  }

  /**
   * Runs fn until it succeeds, retrying transient faults (throttling, 5xx, network) for as long as the run
   * may last: each wait is a `pause`, which the deadlines and the interrupt cut short. A final error is
   * thrown as is: it is never mistaken for an answer.
   */
  retry<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return retryTransient(fn, {
      random: this.random,
      beforeAttempt: () => this.checkStop(),
      wait: (ms) => this.pause(ms),
      onRetry: (error, attempt, delayMs) =>
        this.emit({type: 'retry', operation, message: error.message, attempt, delayMs}),
    })
  }
}

/**
 * The same port with every call retried on its own, so a composite step (three calls to resolve a hook)
 * never restarts from scratch because its last call was throttled.
 */
export function retrying<P extends object>(ctx: RunContext, port: P): P {
  const wrapped = {} as Record<string, unknown>
  for (const [name, fn] of Object.entries(port)) {
    wrapped[name] =
      typeof fn === 'function'
        ? (...args: unknown[]) =>
            ctx.retry(name, () => (fn as (...a: unknown[]) => Promise<unknown>).apply(port, args))
        : fn
  }
  return wrapped as P
}
