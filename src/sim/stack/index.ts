/**
 * The hook stack's services in the sim: CloudFormation, SNS (with SQS queues for dead letters) and Lambda.
 * They sit beside the world's ECS, Auto Scaling and CloudWatch and reach them only through the world's own
 * operation handlers (`callWorld`), so a stack's LifecycleHook is made exactly as PutLifecycleHook makes one.
 */
import type {EventEmitter} from 'node:events'

import type {OperationHandler, SimClock, SimServiceName, SimTimer} from '../types.js'
import {IdSource} from '../world/ids.js'
import {CloudFormationService} from './cloudformation.js'
import {AlarmService} from './alarms.js'
import type {StackContext} from './context.js'
import {LambdaService, type LogLine} from './lambda.js'
import {providers} from './resources.js'
import {SnsService} from './sns.js'
import {sqsHandlers} from './sqs.js'

export interface StackServicesOptions {
  clock: SimClock
  region: string
  accountId: string
  /** The clock's speed relative to real time (`--speed`), so Lambda workers keep the sim's time. */
  speed?: number
  callWorld(service: SimServiceName, operation: string, input: Record<string, unknown>): Promise<unknown>
  onLambdaLog?(line: LogLine): void
  seed?: number
  /** The world's metric store, written (AWS/Lambda) and read (alarms); see StackContext. */
  recordMetric?: StackContext['recordMetric']
  readMetric?: StackContext['readMetric']
}

/** A lifecycle notification the world sends to a hook's NotificationTargetARN. */
export interface TargetNotification {
  targetArn: string
  message: string
}

export interface StackServices {
  handlers: Record<'cloudformation' | 'sns' | 'lambda' | 'sqs', Record<string, OperationHandler>>
  /** CloudWatch's DescribeAlarms, over the stacks' alarms (the world serves CloudWatch's metrics). */
  alarms: AlarmService
  sns: SnsService
  lambda: LambdaService
  /** Tells the services where the sim listens; Lambda functions get it as AWS_ENDPOINT_URL. */
  setEndpoint(url: string): void
  /** Delivers a notification to an SNS topic ARN (ignored for targets the sim does not host). */
  notify(n: TargetNotification): void
  /** Listens for the world's lifecycle notifications (`notification` events of TargetNotification). */
  attach(emitter: EventEmitter, event?: string): void
  /** Calls fn with every line a Lambda function logs (its CloudWatch Logs, in the sim). */
  onLambdaLog(fn: (line: LogLine) => void): void
  stop(): void
}

export function createStackServices(o: StackServicesOptions): StackServices {
  const timers = new Set<SimTimer>()
  const logListeners: Array<(line: LogLine) => void> = []
  let stopped = false
  let endpoint: string | undefined
  const ctx: StackContext = {
    clock: o.clock,
    region: o.region,
    accountId: o.accountId,
    ids: new IdSource(o.seed ?? 0x5eed_c0de),
    speed: o.speed ?? 1,
    arn: (service, resource) => `arn:aws:${service}:${o.region}:${o.accountId}:${resource}`,
    after(ms, fn) {
      if (stopped) return
      const t = o.clock.setTimer(() => {
        timers.delete(t)
        if (!stopped) fn()
      }, ms)
      timers.add(t)
    },
    stopped: () => stopped,
    endpoint: () => endpoint,
    sendToQueue: (arn, body, attributes) => sns.sendToQueue(arn, body, attributes),
    callWorld: o.callWorld,
    onLambdaLog: (line) => {
      o.onLambdaLog?.(line)
      for (const fn of logListeners) fn(line)
    },
    recordMetric: o.recordMetric,
    readMetric: o.readMetric,
  }
  const lambda = new LambdaService(ctx)
  const sns: SnsService = new SnsService(ctx, lambda)
  const alarms = new AlarmService(ctx, (name) => {
    const q = [...sns.queues.values()].find((x) => x.name === name)
    return q ? q.messages.filter((m) => m.at <= ctx.clock.now()).length : undefined
  })
  const cfn = new CloudFormationService(ctx, providers(ctx, sns, lambda, alarms))
  const notify = (n: TargetNotification) => {
    if (sns.topics.has(n.targetArn)) sns.publish(n.targetArn, n.message)
  }
  return {
    handlers: {
      cloudformation: cfn.handlers(),
      sns: sns.handlers(),
      lambda: lambda.handlers(),
      sqs: sqsHandlers(ctx, sns),
    },
    alarms,
    sns,
    lambda,
    setEndpoint: (url) => {
      endpoint = url
    },
    notify,
    attach: (emitter, event = 'notification') => {
      emitter.on(event, (n: TargetNotification) => notify(n))
    },
    onLambdaLog: (fn) => void logListeners.push(fn),
    stop() {
      stopped = true
      for (const t of timers) o.clock.clearTimer(t)
      timers.clear()
      lambda.stop()
    },
  }
}
