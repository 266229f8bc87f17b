/**
 * CloudWatch metric alarms made by a stack (AWS::CloudWatch::Alarm), and DescribeAlarms over them. An alarm's
 * state is evaluated when it is read, over its last EvaluationPeriods x Period: a simplification of
 * CloudWatch's minute-by-minute evaluation that gives the same answer once a period has passed ("Using
 * Amazon CloudWatch alarms", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html:
 * OK, ALARM, INSUFFICIENT_DATA; TreatMissingData notBreaching treats missing data as within the threshold).
 * AWS/SQS metrics read the queue's depth now (SQS reports them every minute); other metrics read the world's
 * metric store (AWS/Lambda's Invocations and Errors are recorded there as the sim's functions run).
 */
import {SimError, type OperationHandler} from '../types.js'
import type {StackContext} from './context.js'

export interface Alarm {
  name: string
  arn: string
  description?: string
  actionsEnabled: boolean
  alarmActions: string[]
  okActions: string[]
  namespace: string
  metricName: string
  dimensions: Array<{Name: string; Value: string}>
  statistic: string
  period: number
  evaluationPeriods: number
  threshold: number
  comparisonOperator: string
  treatMissingData: string
  updatedAt: number
  state: {value: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; reason: string; since: number}
}

const COMPARE: Record<string, (v: number, t: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
}

/**
 * The last EvaluationPeriods whole periods before the current one, plus the current one so far: a datapoint
 * keeps the alarm in ALARM for one to two periods, as CloudWatch's evaluation of the last complete period
 * does, whatever second of the minute it is read.
 */
function windowStart(now: number, a: Pick<Alarm, 'period' | 'evaluationPeriods'>): number {
  const period = a.period * 1000
  return Math.floor(now / period) * period - period * a.evaluationPeriods
}

export class AlarmService {
  readonly alarms = new Map<string, Alarm>()

  constructor(
    private readonly ctx: StackContext,
    /** The depth of a queue by name (AWS/SQS ApproximateNumberOfMessagesVisible), if the sim hosts it. */
    private readonly queueDepth: (queueName: string) => number | undefined,
  ) {}

  put(props: Record<string, unknown>, name: string): Alarm {
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : [])
    const now = this.ctx.clock.now()
    const alarm: Alarm = {
      name,
      arn: this.ctx.arn('cloudwatch', `alarm:${name}`),
      description: typeof props.AlarmDescription === 'string' ? props.AlarmDescription : undefined,
      actionsEnabled: props.ActionsEnabled === undefined ? true : String(props.ActionsEnabled) === 'true',
      alarmActions: list(props.AlarmActions),
      okActions: list(props.OKActions),
      namespace: String(props.Namespace ?? ''),
      metricName: String(props.MetricName ?? ''),
      dimensions: (Array.isArray(props.Dimensions) ? props.Dimensions : []).map(
        (d: {Name?: unknown; Value?: unknown}) => ({
          Name: String(d.Name ?? ''),
          Value: String(d.Value ?? ''),
        }),
      ),
      statistic: String(props.Statistic ?? 'Average'),
      period: Number(props.Period ?? 60),
      evaluationPeriods: Number(props.EvaluationPeriods ?? 1),
      threshold: Number(props.Threshold ?? 0),
      comparisonOperator: String(props.ComparisonOperator ?? 'GreaterThanThreshold'),
      treatMissingData: String(props.TreatMissingData ?? 'missing'),
      updatedAt: now,
      state: {value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', since: now},
    }
    this.alarms.set(name, alarm)
    return alarm
  }

  private evaluate(a: Alarm): Alarm['state'] {
    const now = this.ctx.clock.now()
    const value =
      a.namespace === 'AWS/SQS'
        ? this.queueDepth(a.dimensions.find((d) => d.Name === 'QueueName')?.Value ?? '')
        : this.ctx.readMetric?.(
            a.namespace,
            a.metricName,
            a.dimensions,
            a.statistic,
            windowStart(now, a),
            now + 1,
          )
    const compare = COMPARE[a.comparisonOperator] ?? COMPARE.GreaterThanThreshold!
    let next: Alarm['state']['value']
    let reason: string
    if (value === undefined) {
      next =
        a.treatMissingData === 'breaching'
          ? 'ALARM'
          : a.treatMissingData === 'missing'
            ? 'INSUFFICIENT_DATA'
            : 'OK'
      reason = `Threshold Crossed: no datapoints were received for ${a.evaluationPeriods} period(s) and ${a.treatMissingData} was applied.`
    } else {
      next = compare(value, a.threshold) ? 'ALARM' : 'OK'
      reason = `Threshold Crossed: 1 datapoint [${value}] was ${next === 'ALARM' ? '' : 'not '}${a.comparisonOperator
        .replace(/([A-Z])/g, ' $1')
        .trim()
        .toLowerCase()} (${a.threshold}).`
    }
    if (next !== a.state.value) a.state = {value: next, reason, since: now}
    return a.state
  }

  private shape(a: Alarm): Record<string, unknown> {
    const state = this.evaluate(a)
    return {
      AlarmName: a.name,
      AlarmArn: a.arn,
      AlarmDescription: a.description,
      AlarmConfigurationUpdatedTimestamp: new Date(a.updatedAt),
      ActionsEnabled: a.actionsEnabled,
      OKActions: a.okActions,
      AlarmActions: a.alarmActions,
      InsufficientDataActions: [],
      StateValue: state.value,
      StateReason: state.reason,
      StateUpdatedTimestamp: new Date(state.since),
      StateTransitionedTimestamp: new Date(state.since),
      MetricName: a.metricName,
      Namespace: a.namespace,
      Statistic: a.statistic,
      Dimensions: a.dimensions,
      Period: a.period,
      EvaluationPeriods: a.evaluationPeriods,
      Threshold: a.threshold,
      ComparisonOperator: a.comparisonOperator,
      TreatMissingData: a.treatMissingData,
    }
  }

  handlers(): Record<string, OperationHandler> {
    return {
      DescribeAlarms: (input) => {
        const names = Array.isArray(input.AlarmNames) ? input.AlarmNames.map(String) : undefined
        if (names && names.length > 100)
          throw new SimError(
            'InvalidParameterValue',
            'The collection AlarmNames must not have a size greater than 100.',
          )
        const prefix = typeof input.AlarmNamePrefix === 'string' ? input.AlarmNamePrefix : undefined
        if (names && prefix !== undefined)
          throw new SimError(
            'InvalidParameterCombination',
            'AlarmNamePrefix and AlarmNames cannot be used together.',
          )
        const types = Array.isArray(input.AlarmTypes) ? input.AlarmTypes.map(String) : ['MetricAlarm']
        const state = typeof input.StateValue === 'string' ? input.StateValue : undefined
        const metric = types.includes('MetricAlarm')
          ? [...this.alarms.values()]
              .filter(
                (a) =>
                  (!names || names.includes(a.name)) && (prefix === undefined || a.name.startsWith(prefix)),
              )
              .sort((x, y) => x.name.localeCompare(y.name))
              .map((a) => this.shape(a))
              .filter((a) => !state || a.StateValue === state)
          : []
        return {MetricAlarms: metric, CompositeAlarms: []}
      },
    }
  }
}
