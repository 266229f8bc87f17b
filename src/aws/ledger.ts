import {isThrottlingError} from '@smithy/core/retry'
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types'

export interface OperationStats {
  /** Calls made by ecsdrain (one per `send`). */
  calls: number
  /** HTTP attempts, retries included. */
  attempts: number
  /** Attempts answered with a throttling error. */
  throttles: number
  /** Calls that failed after their retries. */
  errors: number
  /** Wall time of the calls, retries and backoff included. */
  totalMs: number
  maxMs: number
}

export interface LedgerSummary {
  calls: number
  retries: number
  throttles: number
  errors: number
  totalMs: number
}

/**
 * Counts every AWS call ecsdrain makes, per operation: the `--verbose` summary, the TUI's header (API
 * calls, throttles) and the benchmarks read it. It is fed by two middlewares on each client: one outside
 * the retry loop (one call, its latency) and one inside it (each attempt, and which were throttled).
 */
export class CallLedger {
  private readonly ops = new Map<string, OperationStats>()

  /** Per operation, keyed `Service.Operation` (e.g. `ECS.ListContainerInstances`). */
  byOperation(): ReadonlyMap<string, Readonly<OperationStats>> {
    return this.ops
  }

  summary(): LedgerSummary {
    const s = {calls: 0, retries: 0, throttles: 0, errors: 0, totalMs: 0}
    for (const op of this.ops.values()) {
      s.calls += op.calls
      s.retries += op.attempts - op.calls
      s.throttles += op.throttles
      s.errors += op.errors
      s.totalMs += op.totalMs
    }
    return s
  }

  /** One line for stderr, e.g. `AWS: 7 calls (ECS.ListContainerInstances 3, ...), 2 retries, 1 throttle, 0 errors`. */
  summaryLine(): string {
    const s = this.summary()
    const parts = [...this.ops.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([name, op]) =>
          `${name} ${op.calls}${op.calls > 0 ? ` ~${Math.round(op.totalMs / op.calls)}ms` : ''}`,
      )
    return (
      `AWS: ${s.calls} call${s.calls === 1 ? '' : 's'}` +
      (parts.length > 0 ? ` (${parts.join(', ')})` : '') +
      `, ${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}, ${s.throttles} throttle${s.throttles === 1 ? '' : 's'}` +
      `, ${s.errors} error${s.errors === 1 ? '' : 's'}`
    )
  }

  recordCall(operation: string, ms: number, failed: boolean): void {
    const op = this.entry(operation)
    op.calls += 1
    op.totalMs += ms
    op.maxMs = Math.max(op.maxMs, ms)
    if (failed) op.errors += 1
  }

  recordAttempt(operation: string, throttled: boolean): void {
    const op = this.entry(operation)
    op.attempts += 1
    if (throttled) op.throttles += 1
  }

  /** Attaches the two counting middlewares to a client's stack. */
  attach(stack: MiddlewareStack<object, MetadataBearer>, service: string): void {
    const name = (context: HandlerExecutionContext) => `${service}.${operationName(context)}`
    stack.add(
      <Output extends MetadataBearer>(
        next: InitializeHandler<object, Output>,
        context: HandlerExecutionContext,
      ) =>
        async (args: InitializeHandlerArguments<object>) => {
          // hrtime, not performance.now(): the `performance` global loads perf_hooks on first use (~1.5 ms
          // of every start; test/e2e/instances-cli.test.ts checks that a listing does not load it).
          const started = process.hrtime.bigint()
          const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6
          try {
            const result = await next(args)
            this.recordCall(name(context), elapsedMs(), false)
            return result
          } catch (error) {
            this.recordCall(name(context), elapsedMs(), true)
            throw error
          }
        },
      {step: 'initialize', priority: 'high', name: 'ecsdrainLedgerCall', override: true},
    )
    // Low priority in finalizeRequest runs inside the SDK's retry middleware: once per attempt.
    stack.add(
      <Output extends MetadataBearer>(
        next: FinalizeHandler<object, Output>,
        context: HandlerExecutionContext,
      ) =>
        async (args: FinalizeHandlerArguments<object>) => {
          try {
            const result = await next(args)
            this.recordAttempt(name(context), false)
            return result
          } catch (error) {
            this.recordAttempt(name(context), isThrottle(error))
            throw error
          }
        },
      {step: 'finalizeRequest', priority: 'low', name: 'ecsdrainLedgerAttempt', override: true},
    )
  }

  private entry(operation: string): OperationStats {
    let op = this.ops.get(operation)
    if (!op) {
      op = {calls: 0, attempts: 0, throttles: 0, errors: 0, totalMs: 0, maxMs: 0}
      this.ops.set(operation, op)
    }
    return op
  }
}

function operationName(context: HandlerExecutionContext): string {
  return (context.commandName ?? 'Unknown').replace(/Command$/, '')
}

function isThrottle(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    isThrottlingError(error as Parameters<typeof isThrottlingError>[0])
  )
}
