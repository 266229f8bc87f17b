/**
 * The ecsdrain hook stacks a cluster has, and how they are doing: found by name (the default
 * `ecsdrain-<cluster>`, and every terminating hook's name, since an ecsdrain stack names its hook after
 * itself), recognised by their Outputs, then their dead-letter queue's depth, their alarms, and their
 * function's Errors and Throttles over the last 24 hours.
 */
import type {MonitoringPort, AlarmInfo, QueuePort} from '../ports.js'
import type {CloudFormationPort, StackInfo} from '../stack/port.js'

export interface StackPorts {
  cloudFormation: Pick<CloudFormationPort, 'describeStack'>
  queues: QueuePort
  monitoring: MonitoringPort
}

export interface EcsdrainStack {
  stack: StackInfo
  hookName: string
  functionName: string | null
  /** Messages in the dead-letter queue; null when unread. */
  deadLetters: {visible: number; inFlight: number; delayed: number} | null
  /** The stack's alarms by output key (DeadLetterAlarmName, FunctionErrorsAlarmName), when read. */
  alarms: Array<{outputKey: string; name: string; alarm: AlarmInfo | null}> | null
  /** The function's metrics' sums over the window; null when unread. */
  metrics: {errors: number | null; throttles: number | null; invocations: number | null} | null
}

export interface StackFacts {
  /** The names looked up (the default name first). */
  looked: string[]
  found: EcsdrainStack[]
}

/** What an ecsdrain stack's Outputs always hold (src/hook/template.ts). */
const OUR_OUTPUTS = ['LifecycleHookName', 'FunctionName', 'DeadLetterQueueUrl']
export const ALARM_OUTPUTS = ['DeadLetterAlarmName', 'FunctionErrorsAlarmName']
export const METRIC_WINDOW_MS = 24 * 3600_000

type Known = <T>(what: string, read: () => Promise<T>) => Promise<T | null>

export function isEcsdrainStack(stack: StackInfo): boolean {
  return OUR_OUTPUTS.every((k) => stack.outputs[k])
}

export async function readStacks(
  ports: StackPorts & {clock: {now(): number}},
  names: string[],
  known: Known,
): Promise<StackFacts> {
  const looked = [...new Set(names)]
  const stacks = await Promise.all(
    looked.map((name) =>
      known(`stack ${name} (DescribeStacks)`, () => ports.cloudFormation.describeStack(name)),
    ),
  )
  const ours = new Map<string, StackInfo>()
  for (const s of stacks) if (s && isEcsdrainStack(s)) ours.set(s.stackId, s)
  const found = await Promise.all([...ours.values()].map((stack) => readHealth(ports, stack, known)))
  return {looked, found}
}

async function readHealth(
  ports: StackPorts & {clock: {now(): number}},
  stack: StackInfo,
  known: Known,
): Promise<EcsdrainStack> {
  const out = stack.outputs
  const functionName = out.FunctionName ?? null
  const alarmNames = ALARM_OUTPUTS.filter((k) => out[k]).map((k) => ({outputKey: k, name: out[k]!}))
  const end = new Date(ports.clock.now())
  const start = new Date(end.getTime() - METRIC_WINDOW_MS)
  const fn = {FunctionName: functionName ?? ''}
  const [deadLetters, alarms, sums] = await Promise.all([
    out.DeadLetterQueueUrl
      ? known(`dead-letter queue of ${stack.stackName} (SQS GetQueueAttributes)`, () =>
          ports.queues.queueDepth(out.DeadLetterQueueUrl!),
        )
      : null,
    alarmNames.length > 0
      ? known(`alarms of ${stack.stackName} (CloudWatch DescribeAlarms)`, () =>
          ports.monitoring.describeAlarms(alarmNames.map((a) => a.name)),
        )
      : null,
    functionName
      ? known(`metrics of ${functionName} (CloudWatch GetMetricData)`, () =>
          ports.monitoring.metricSums(
            [
              {id: 'errors', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: fn},
              {id: 'throttles', namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: fn},
              {id: 'invocations', namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: fn},
            ],
            start,
            end,
          ),
        )
      : null,
  ])
  return {
    stack,
    hookName: out.LifecycleHookName!,
    functionName,
    deadLetters,
    alarms: alarms
      ? alarmNames.map((a) => ({...a, alarm: alarms.find((x) => x.name === a.name) ?? null}))
      : null,
    metrics: sums
      ? {
          errors: sums.errors ?? null,
          throttles: sums.throttles ?? null,
          invocations: sums.invocations ?? null,
        }
      : null,
  }
}
