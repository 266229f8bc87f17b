/**
 * One error hierarchy for the whole tool. A user-fixable error carries its next step and its exit code;
 * anything that is not an EcsdrainError is a bug and is reported as such by the command layer.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  timeout: 3,
  refused: 4,
  /**
   * `doctor` only: the look ran fine and found what `--fail-on` counts (error findings by default), so CI can
   * gate on it. Not 1 (a failure to look), not 4 (a refusal, where nothing was changed either).
   */
  findings: 5,
  interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export class EcsdrainError extends Error {
  readonly exitCode: ExitCode
  /** The next step the operator should take, shown under the message. */
  readonly suggestion?: string
  /** A stable machine-readable code for --json output. */
  readonly code: string

  constructor(
    message: string,
    opts: {code: string; exitCode?: ExitCode; suggestion?: string; cause?: unknown},
  ) {
    super(message, {cause: opts.cause})
    this.name = 'EcsdrainError'
    this.code = opts.code
    this.exitCode = opts.exitCode ?? ExitCode.failure
    this.suggestion = opts.suggestion
  }
}

/** Bad input or usage: exit 2, and nothing was changed. */
export class UsageError extends EcsdrainError {
  constructor(message: string, opts: {code?: string; suggestion?: string} = {}) {
    super(message, {code: opts.code ?? 'USAGE', exitCode: ExitCode.usage, suggestion: opts.suggestion})
    this.name = 'UsageError'
  }
}

/** Refused by preflight: exit 4, and nothing was changed. */
export class RefusedError extends EcsdrainError {
  constructor(message: string, opts: {code?: string; suggestion?: string} = {}) {
    super(message, {code: opts.code ?? 'REFUSED', exitCode: ExitCode.refused, suggestion: opts.suggestion})
    this.name = 'RefusedError'
  }
}

/** An AWS call failed in a way the operator can act on (credentials, access, endpoint, throttling). */
export class AwsAccessError extends EcsdrainError {
  constructor(message: string, opts: {code: string; suggestion?: string; cause?: unknown}) {
    super(message, {...opts, exitCode: ExitCode.failure})
    this.name = 'AwsAccessError'
  }
}

/**
 * An AWS API error, translated by the adapters so that core can tell a transient fault (throttling, 5xx,
 * network) from a final answer without knowing the SDK.
 */
export class AwsApiError extends EcsdrainError {
  readonly awsCode: string
  readonly operation: string
  readonly transient: boolean

  constructor(
    message: string,
    opts: {awsCode: string; operation: string; transient: boolean; suggestion?: string; cause?: unknown},
  ) {
    super(message, {
      code: opts.awsCode,
      exitCode: ExitCode.failure,
      suggestion: opts.suggestion,
      cause: opts.cause,
    })
    this.name = 'AwsApiError'
    this.awsCode = opts.awsCode
    this.operation = opts.operation
    this.transient = opts.transient
  }
}

export function isTransient(error: unknown): boolean {
  return error instanceof AwsApiError && error.transient
}
