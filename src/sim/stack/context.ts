import type {SimClock, SimServiceName} from '../types.js'
import type {IdSource} from '../world/ids.js'

/** What the hook-stack services (CloudFormation, SNS, Lambda, SQS) share, and what they need of the world. */
export interface StackContext {
  clock: SimClock
  region: string
  accountId: string
  ids: IdSource
  /** The clock's speed relative to real time, for Lambda workers (see worker.ts). */
  speed: number
  arn(service: string, resource: string): string
  /** Runs fn after ms of sim time; cancelled by stop(). */
  after(ms: number, fn: () => void): void
  stopped(): boolean
  /** The sim's HTTP endpoint, once it listens: Lambda functions get it as AWS_ENDPOINT_URL. */
  endpoint(): string | undefined
  sendToQueue(queueArn: string, body: string, attributes?: Record<string, string>): void
  /** Calls another service of the world with AWS's input shape (e.g. Auto Scaling's PutLifecycleHook). */
  callWorld(service: SimServiceName, operation: string, input: Record<string, unknown>): Promise<unknown>
  onLambdaLog?(line: LogLine): void
  /** Records a sample of an AWS-published metric (AWS/Lambda's) in the world's metric store. */
  recordMetric?(namespace: string, name: string, dims: Dimension[], value: number, unit: string): void
  /** A statistic of a metric over [startMs, endMs) from the world's store; undefined without datapoints. */
  readMetric?(
    namespace: string,
    name: string,
    dims: Dimension[],
    stat: string,
    startMs: number,
    endMs: number,
  ): number | undefined
}

export interface Dimension {
  Name: string
  Value: string
}

/** One line a function logged, as CloudWatch Logs would hold it. */
export interface LogLine {
  functionName: string
  at: number
  level: string
  line: string
}
