/**
 * The hook's Lambda handler: a thin adapter between an SNS lifecycle notification and the drain engine.
 * It fixes each fault of the book's function (aws-semantics.md §9):
 * - the test message and other transitions are logged and ignored (§9.1);
 * - the engine finds the instance with the `ec2InstanceId ==` filter and drains by task state (§9.2-3);
 * - it heartbeats while draining, and completes CONTINUE once drained (§9.4);
 * - before the Lambda times out it hands over to a fresh invocation by re-publishing with an attempt
 *   count; the chain is bounded by the attempt count and by the drain and global deadlines (§9.5);
 * - transient faults are retried or handed over, never turned into ABANDON; an instance that is not in
 *   the cluster is completed with CONTINUE and the reason is logged (§9.6);
 * - a duplicate delivery finds the lifecycle action already over, and stops.
 */
import {AwsApiError, isTransient} from '../core/errors.js'
import type {AutoScalingPort, Clock, LifecycleActionRef} from '../core/ports.js'
import type {HookLogger} from './log.js'
import {handOverMessage, parseNotification, type LifecycleNotification} from './notification.js'
import {retryTransient} from '../core/retry.js'

export interface HookDrainRequest {
  cluster: string
  ec2InstanceId: string
  lifecycleAction: LifecycleActionRef
  /** Seconds: the hook's HeartbeatTimeout, so the engine heartbeats well before it runs out. */
  heartbeatTimeout: number
  /** Epoch ms. The engine stops waiting here and reports `timeout`, leaving the instance DRAINING. */
  until: number
  onEvent(event: {type: string; [field: string]: unknown}): void
}

export type HookDrainResult =
  /** Drained, and the lifecycle action completed with CONTINUE. */
  | {outcome: 'completed'}
  /** No container instance of the cluster has this EC2 id. */
  | {outcome: 'not-in-cluster'}
  | {outcome: 'timeout'; tasksRemaining: number}
  /** The lifecycle action ended elsewhere (completed by someone else, expired): nothing left to do. */
  | {outcome: 'action-gone'}

/** The engine's time-bounded run, as the handler needs it. Transient faults that outlast its retries throw. */
export type HookDrain = (request: HookDrainRequest) => Promise<HookDrainResult>

export interface HandlerConfig {
  cluster: string
  drainTimeoutSeconds: number
  /** Stop draining this long before the Lambda's own timeout, to leave time to hand over. */
  safetyMarginMs?: number
  /** After a transient failure, hand over no sooner than this into the invocation (bounds the chain's pace). */
  minAttemptMs?: number
}

export interface HandlerDeps {
  drain: HookDrain
  autoScaling: Pick<
    AutoScalingPort,
    | 'describeAutoScalingInstances'
    | 'describeLifecycleHooks'
    | 'completeLifecycleAction'
    | 'recordLifecycleActionHeartbeat'
  >
  publish(topicArn: string, message: string): Promise<void>
  clock: Clock
  log: HookLogger
  config: HandlerConfig
}

export interface SnsEvent {
  Records: Array<{Sns: {Message: string; TopicArn: string; MessageId?: string}}>
}
export interface LambdaContext {
  getRemainingTimeInMillis(): number
}

const DEFAULT_HEARTBEAT_TIMEOUT = 3600
const MAX_GLOBAL_TIMEOUT = 48 * 3600

/** How many invocations a drain may use: each one lasts at least `minAttemptMs`, plus room for retries. */
export function maxAttempts(config: HandlerConfig): number {
  return Math.ceil((config.drainTimeoutSeconds * 1000) / (config.minAttemptMs ?? 60_000)) + 2
}

/**
 * Tries per call outside the engine (the lookups before a drain, a heartbeat, the hand-over's publish), each
 * already the SDK's last attempt. A storm that outlasts them ends in a hand-over, never in ABANDON.
 */
export const HANDLER_ATTEMPTS = 6

/** A call of the handler's own, retried on transient faults with core's backoff (core/retry.ts). */
export function retryOwnCall<T>(fn: () => Promise<T>, clock: Clock, random?: () => number): Promise<T> {
  return retryTransient(fn, {attempts: HANDLER_ATTEMPTS, random, wait: (ms) => clock.sleep(ms)})
}

const isActionGone = (e: unknown): boolean => e instanceof AwsApiError && e.awsCode === 'ValidationError'

/** The log says what the drain waits on when that changes, and at least once a minute while it waits. */
const WAITING_ON_EVERY_MS = 60_000

interface Explanation {
  at: number
  etaSeconds: number | null
  reasons: Array<{task: string; kind: string; detail: string; etaSeconds: number | null}>
}

function logDrainEvent(
  log: HookLogger,
  ctx: Record<string, unknown>,
  event: {type: string; [field: string]: unknown},
  last: {key: string; at: number},
): void {
  const {explanation, ...rest} = event as {type: string; explanation?: Explanation}
  log('info', `drain-${event.type}`, {...ctx, ...rest})
  if (!explanation || explanation.reasons.length === 0) return
  const key = explanation.reasons.map((r) => `${r.task} ${r.kind}`).join(',')
  if (key === last.key && explanation.at - last.at < WAITING_ON_EVERY_MS) return
  Object.assign(last, {key, at: explanation.at})
  log('info', 'waiting-on', {
    ...ctx,
    etaSeconds: explanation.etaSeconds,
    tasks: explanation.reasons.map(({task, kind, detail, etaSeconds}) => ({task, kind, detail, etaSeconds})),
  })
}

export function createHandler(deps: HandlerDeps): (event: SnsEvent, context: LambdaContext) => Promise<void> {
  const {clock, log, config} = deps
  const margin = config.safetyMarginMs ?? 60_000

  async function handOver(topicArn: string, m: LifecycleNotification, attempt: number, firstSeenAt: string) {
    const next = {attempt: attempt + 1, firstSeenAt}
    await retryOwnCall(() => deps.publish(topicArn, handOverMessage(m, next)), clock)
    log('info', 'handed-over', {instanceId: m.EC2InstanceId, nextAttempt: next.attempt})
  }

  async function handleRecord(raw: string, topicArn: string, context: LambdaContext, startedAt: number) {
    const n = parseNotification(raw, new Date(clock.now()))
    if (n.kind === 'test') return log('info', 'ignored-test-notification', {group: n.group})
    if (n.kind === 'other')
      return log('info', 'ignored-transition', {transition: n.transition, notificationEvent: n.event})
    if (n.kind === 'malformed') return log('warn', 'ignored-malformed-message', {reason: n.reason})

    const m = n.message
    const {attempt, firstSeenAt} = n.handOver
    const ref = {
      autoScalingGroupName: m.AutoScalingGroupName,
      hookName: m.LifecycleHookName,
      instanceId: m.EC2InstanceId,
    }
    const ctx = {instanceId: ref.instanceId, group: ref.autoScalingGroupName, hook: ref.hookName, attempt}
    log('info', 'received', ctx)

    const [asg] = await retryOwnCall(
      () => deps.autoScaling.describeAutoScalingInstances([ref.instanceId]),
      clock,
    )
    if (asg?.lifecycleState !== 'Terminating:Wait') {
      return log('info', 'lifecycle-action-not-pending', {
        ...ctx,
        lifecycleState: asg?.lifecycleState ?? null,
      })
    }
    const hooks = await retryOwnCall(
      () => deps.autoScaling.describeLifecycleHooks(ref.autoScalingGroupName),
      clock,
    )
    const hook = hooks.find((h) => h.hookName === ref.hookName)
    const heartbeatTimeout = hook?.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT
    const globalTimeout = hook?.globalTimeout ?? Math.min(MAX_GLOBAL_TIMEOUT, 100 * heartbeatTimeout)

    const first = Date.parse(firstSeenAt)
    const drainDeadline = first + config.drainTimeoutSeconds * 1000
    const globalDeadline = first + globalTimeout * 1000
    const giveUpAt = Math.min(drainDeadline, globalDeadline)
    const giveUp = (reason: string, extra: Record<string, unknown> = {}) =>
      log('warn', 'gave-up', {
        ...ctx,
        reason,
        ...extra,
        note: 'the instance is left DRAINING; the hook applies its DefaultResult at its heartbeat timeout',
      })
    if (clock.now() >= giveUpAt) {
      return giveUp(giveUpAt === drainDeadline ? 'drain-timeout' : 'global-timeout', {firstSeenAt})
    }
    if (attempt >= maxAttempts(config))
      return giveUp('too-many-hand-overs', {maxAttempts: maxAttempts(config)})

    // The engine heartbeats only once it is draining. Beat now too, so the gap since the previous
    // invocation's last beat, a slow start and a storm's pause never add up to the HeartbeatTimeout.
    const beat = async (): Promise<boolean> => {
      try {
        await retryOwnCall(() => deps.autoScaling.recordLifecycleActionHeartbeat(ref), clock)
      } catch (error) {
        if (isActionGone(error)) return false
        if (!isTransient(error)) throw error
        log('warn', 'heartbeat-failed', {...ctx, error: (error as Error).message})
      }
      return true
    }
    if (!(await beat())) return log('info', 'lifecycle-action-gone', ctx)

    const until = Math.min(giveUpAt, clock.now() + context.getRemainingTimeInMillis() - margin)
    const explained = {key: '', at: Number.NEGATIVE_INFINITY}
    let result: HookDrainResult
    try {
      result = await deps.drain({
        cluster: config.cluster,
        ec2InstanceId: ref.instanceId,
        lifecycleAction: ref,
        heartbeatTimeout,
        until,
        onEvent: (event) => logDrainEvent(log, ctx, event, explained),
      })
    } catch (error) {
      if (!isTransient(error)) throw error
      // A storm that outlasted the retries: never ABANDON. Pause so the chain cannot spin, then hand over;
      // the pause stays well inside the HeartbeatTimeout, as the next invocation's first beat follows it.
      log('warn', 'transient-failure', {...ctx, error: (error as Error).message})
      if (!(await beat())) return log('info', 'lifecycle-action-gone', ctx)
      const wait = Math.min(
        startedAt + (config.minAttemptMs ?? 60_000) - clock.now(),
        until - clock.now(),
        (heartbeatTimeout * 1000) / 3,
      )
      if (wait > 0) await clock.sleep(wait)
      return handOver(topicArn, m, attempt, firstSeenAt)
    }

    switch (result.outcome) {
      case 'completed':
        return log('info', 'completed', {...ctx, result: 'CONTINUE'})
      case 'action-gone':
        return log('info', 'lifecycle-action-gone', ctx)
      case 'not-in-cluster': {
        const reason = `no container instance of cluster ${config.cluster} has EC2 id ${ref.instanceId}`
        try {
          await retryOwnCall(() => deps.autoScaling.completeLifecycleAction(ref, 'CONTINUE'), clock)
        } catch (error) {
          if (!isActionGone(error)) throw error
          return log('info', 'lifecycle-action-gone', {...ctx, reason})
        }
        return log('info', 'completed', {...ctx, result: 'CONTINUE', reason})
      }
      case 'timeout':
        if (clock.now() >= giveUpAt) return giveUp('drain-timeout', {tasksRemaining: result.tasksRemaining})
        log('info', 'budget-spent', {...ctx, tasksRemaining: result.tasksRemaining})
        return handOver(topicArn, m, attempt, firstSeenAt)
    }
  }

  return async (event, context) => {
    const startedAt = clock.now()
    for (const record of event.Records ?? []) {
      await handleRecord(record.Sns.Message, record.Sns.TopicArn, context, startedAt)
    }
  }
}
