/**
 * Lambda in the sim: functions created by CloudFormation with inline code, run in worker threads (see
 * worker.ts). Asynchronous invocations (as SNS makes them) are retried twice, a minute then two minutes
 * apart, and then sent to the function's dead-letter queue, as Lambda does. A caller other than the account
 * itself needs a resource-policy statement (AWS::Lambda::Permission) naming it, or delivery is refused.
 */
import type {Worker} from 'node:worker_threads'

import {SimError, type OperationHandler} from '../types.js'
import type {LogLine, StackContext} from './context.js'
import {runInvocation, type InvocationResult} from './worker.js'

export interface LambdaFunction {
  name: string
  arn: string
  runtime: string
  handler: string
  code: string
  role: string
  timeoutSeconds: number
  memorySize: number
  environment: Record<string, string>
  deadLetterTargetArn: string | null
  logGroup: string
  lastModified: string
  policy: Array<{sid: string; principal: string; sourceArn: string | null; action: string}>
}

export type {LogLine} from './context.js'

const RETRY_DELAYS_MS = [60_000, 120_000]

export class LambdaService {
  readonly functions = new Map<string, LambdaFunction>()
  readonly logs: LogLine[] = []
  private readonly workers = new Set<Worker>()
  private invocations = 0

  constructor(private readonly ctx: StackContext) {}

  get(nameOrArn: string): LambdaFunction {
    const name = nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? '') : nameOrArn
    const fn = this.functions.get(name)
    if (!fn)
      throw new SimError(
        'ResourceNotFoundException',
        `Function not found: ${this.ctx.arn('lambda', `function:${name}`)}`,
        404,
      )
    return fn
  }

  put(fn: LambdaFunction): void {
    this.functions.set(fn.name, fn)
  }

  delete(name: string): void {
    this.functions.delete(name)
  }

  /** An asynchronous invocation from another service: policy check, then run with retries and DLQ. */
  invokeAsync(nameOrArn: string, event: unknown, caller: {principal: string; sourceArn: string}): boolean {
    const fn = this.functions.get(nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? '') : nameOrArn)
    if (!fn) return false
    const allowed = fn.policy.some(
      (s) => s.principal === caller.principal && (s.sourceArn === null || s.sourceArn === caller.sourceArn),
    )
    if (!allowed) {
      this.record(
        fn.name,
        'error',
        `access denied: ${caller.principal} from ${caller.sourceArn} has no permission to invoke`,
      )
      return false
    }
    void this.runWithRetries(fn.name, event, 0)
    return true
  }

  private async runWithRetries(name: string, event: unknown, attempt: number): Promise<void> {
    const fn = this.functions.get(name)
    if (!fn || this.ctx.stopped()) return
    const result = await this.run(fn, event)
    if (result.ok) return
    this.record(name, 'error', `invocation failed (${result.errorType}): ${result.errorMessage}`)
    const delay = RETRY_DELAYS_MS[attempt]
    if (delay !== undefined) {
      this.ctx.after(delay, () => void this.runWithRetries(name, event, attempt + 1))
    } else if (fn.deadLetterTargetArn) {
      this.ctx.sendToQueue(fn.deadLetterTargetArn, JSON.stringify(event), {
        RequestID: `${this.invocations}`,
        ErrorCode: '200',
        ErrorMessage: result.errorMessage,
      })
    }
  }

  run(fn: LambdaFunction, event: unknown): Promise<InvocationResult> {
    const requestId = this.ctx.ids.uuid()
    this.invocations++
    const endpoint = this.ctx.endpoint()
    const env: Record<string, string> = {
      ...fn.environment,
      AWS_REGION: this.ctx.region,
      AWS_DEFAULT_REGION: this.ctx.region,
      AWS_ACCESS_KEY_ID: 'ASIASIMULATEDLAMBDA',
      AWS_SECRET_ACCESS_KEY: 'simulated',
      AWS_SESSION_TOKEN: 'simulated',
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroup,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(endpoint ? {AWS_ENDPOINT_URL: endpoint} : {}),
      ...(process.env.PATH ? {PATH: process.env.PATH} : {}),
    }
    const result = runInvocation(
      {
        code: fn.code,
        handler: fn.handler,
        env,
        event,
        timeoutMs: fn.timeoutSeconds * 1000,
        simNow: this.ctx.clock.now(),
        speed: this.ctx.speed,
        functionName: fn.name,
        requestId,
        onLog: (level, line) => this.record(fn.name, level, line),
      },
      this.workers,
    )
    return result.then((r) => {
      // Lambda's own metrics, per invocation: Invocations, and Errors (0 when it succeeded) ("Types of
      // metrics for Lambda functions", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
      const dims = [{Name: 'FunctionName', Value: fn.name}]
      this.ctx.recordMetric?.('AWS/Lambda', 'Invocations', dims, 1, 'Count')
      this.ctx.recordMetric?.('AWS/Lambda', 'Errors', dims, r.ok ? 0 : 1, 'Count')
      return r
    })
  }

  private record(functionName: string, level: string, line: string): void {
    const entry = {functionName, at: this.ctx.clock.now(), level, line}
    this.logs.push(entry)
    if (this.logs.length > 5_000) this.logs.splice(0, this.logs.length - 5_000)
    this.ctx.onLambdaLog?.(entry)
  }

  stop(): void {
    for (const w of this.workers) void w.terminate()
    this.workers.clear()
  }

  private configuration(fn: LambdaFunction): Record<string, unknown> {
    return {
      FunctionName: fn.name,
      FunctionArn: fn.arn,
      Runtime: fn.runtime,
      Handler: fn.handler,
      Role: fn.role,
      Timeout: fn.timeoutSeconds,
      MemorySize: fn.memorySize,
      LastModified: fn.lastModified,
      State: 'Active',
      PackageType: 'Zip',
      Environment: {Variables: fn.environment},
      DeadLetterConfig: fn.deadLetterTargetArn ? {TargetArn: fn.deadLetterTargetArn} : undefined,
      LoggingConfig: {LogFormat: 'JSON', LogGroup: fn.logGroup},
    }
  }

  handlers(): Record<string, OperationHandler> {
    return {
      GetFunction: (input) => ({Configuration: this.configuration(this.get(String(input.FunctionName)))}),
      GetFunctionConfiguration: (input) => this.configuration(this.get(String(input.FunctionName))),
      ListFunctions: () => ({Functions: [...this.functions.values()].map((f) => this.configuration(f))}),
      GetPolicy: (input) => {
        const fn = this.get(String(input.FunctionName))
        const Statement = fn.policy.map((s) => ({
          Sid: s.sid,
          Effect: 'Allow',
          Principal: {Service: s.principal},
          Action: s.action,
          Resource: fn.arn,
          ...(s.sourceArn ? {Condition: {ArnLike: {'AWS:SourceArn': s.sourceArn}}} : {}),
        }))
        return {Policy: JSON.stringify({Version: '2012-10-17', Id: 'default', Statement})}
      },
      Invoke: async (input) => {
        const fn = this.get(String(input.FunctionName))
        const raw = input.Payload instanceof Uint8Array ? Buffer.from(input.Payload).toString('utf8') : ''
        let event: unknown = {}
        try {
          event = raw ? JSON.parse(raw) : {}
        } catch {
          throw new SimError('InvalidRequestContentException', 'Could not parse request body into json')
        }
        if (input.InvocationType === 'Event') {
          void this.runWithRetries(fn.name, event, 0)
          return {StatusCode: 202, Payload: ''}
        }
        const result = await this.run(fn, event)
        if (result.ok) return {StatusCode: 200, Payload: result.payload}
        return {
          StatusCode: 200,
          FunctionError: 'Unhandled',
          Payload: JSON.stringify({errorType: result.errorType, errorMessage: result.errorMessage}),
        }
      },
    }
  }
}
