/**
 * Reads what Auto Scaling (or a previous invocation handing over) published to the hook's topic. Every
 * field is checked before use: the book's function read `LifecycleTransition` unguarded, so the test
 * message that Auto Scaling sends when a hook is created crashed it (aws-semantics.md §9.1).
 */

export const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING'
export const TEST_NOTIFICATION = 'autoscaling:TEST_NOTIFICATION'

/** The fields of a lifecycle notification that the handler uses (aws-semantics.md §6). */
export interface LifecycleNotification {
  LifecycleTransition: string
  EC2InstanceId: string
  LifecycleHookName: string
  AutoScalingGroupName: string
  LifecycleActionToken?: string
  Time?: string
  [key: string]: unknown
}

/** What a hand-over adds to the message: how many invocations came before, and when the first began. */
export interface HandOver {
  attempt: number
  firstSeenAt: string
}

export type Notification =
  | {kind: 'test'; group: string | null}
  | {kind: 'other'; transition: string | null; event: string | null}
  | {kind: 'malformed'; reason: string}
  | {kind: 'terminating'; message: LifecycleNotification; handOver: HandOver}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)

export function parseNotification(raw: string, receivedAt: Date): Notification {
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    return {kind: 'malformed', reason: 'the SNS message is not JSON'}
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {kind: 'malformed', reason: 'the SNS message is not a JSON object'}
  }
  const m = body as Record<string, unknown>
  if (m.Event === TEST_NOTIFICATION) return {kind: 'test', group: str(m.AutoScalingGroupName)}
  const transition = str(m.LifecycleTransition)
  if (transition !== TERMINATING) return {kind: 'other', transition, event: str(m.Event)}
  for (const field of ['EC2InstanceId', 'LifecycleHookName', 'AutoScalingGroupName'] as const) {
    if (!str(m[field])) return {kind: 'malformed', reason: `the lifecycle notification has no ${field}`}
  }
  const prior = m.ecsdrain as Partial<HandOver> | undefined
  const attempt = typeof prior?.attempt === 'number' && prior.attempt >= 0 ? Math.floor(prior.attempt) : 0
  const firstSeenAt = str(prior?.firstSeenAt) ?? str(m.Time) ?? receivedAt.toISOString()
  return {kind: 'terminating', message: m as LifecycleNotification, handOver: {attempt, firstSeenAt}}
}

/** The message a hand-over re-publishes: Auto Scaling's own, plus the attempt count. */
export function handOverMessage(message: LifecycleNotification, next: HandOver): string {
  return JSON.stringify({...message, ecsdrain: next})
}
